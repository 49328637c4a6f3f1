/**
 * Number and text formatting shared by the terminal reporters.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Distribution } from '../measure/histogram.js';
import { stripControl } from '../target/stderrRing.js';

/** A chalk instance with colour on or off (never decided by global state). */
export function painter(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

/** Microseconds as a human time: 850 µs, 12.3 ms, 4.20 s. */
export function fmtUs(us: number | null | undefined): string {
  if (us === null || us === undefined || !Number.isFinite(us)) return '–';
  if (us < 1000) return `${us.toFixed(us < 10 ? 1 : 0)} µs`;
  const ms = us / 1000;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Milliseconds as a human time. */
export function fmtMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '–' : fmtUs(ms * 1000);
}

/** Bytes as B / KiB / MiB / GiB. */
export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  const abs = Math.abs(bytes);
  if (abs < 1024) return `${bytes} B`;
  if (abs < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (abs < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** Server-provided text made safe for a terminal (no escape sequences) and bounded. */
export function safe(text: string | null | undefined, max = 120): string {
  if (text === null || text === undefined) return '–';
  const clean = stripControl(String(text));
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** The standard distribution columns. */
export const DIST_HEAD = ['n', 'min', 'p50', 'p95', 'p99', 'max', 'mean', 'stddev'];

/** A distribution's cells in DIST_HEAD order. */
export function distCells(d: Distribution | null, unit: 'time' | 'bytes' = 'time'): string[] {
  if (!d) return DIST_HEAD.map(() => '–');
  const f = unit === 'time' ? fmtUs : fmtBytes;
  return [String(d.n), f(d.min), f(d.p50), f(d.p95), f(d.p99), f(d.max), f(d.mean), f(d.stddev)];
}

/** A cli-table3 table with the project's plain style (no colour in borders). */
export function table(head: string[], rows: string[][], c: ChalkInstance): string {
  const t = new Table({ head: head.map((h) => c.bold(h)), style: { head: [], border: [] } });
  t.push(...rows);
  return t.toString();
}

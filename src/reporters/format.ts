/**
 * Number and text formatting shared by the terminal reporters.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Distribution } from '../measure/histogram.js';
import { stripControl } from '../util/controlChars.js';

/** A chalk instance with colour on or off (never decided by global state). */
export function painter(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

/**
 * A plain number: at most `decimals` decimals (3 significant digits below 10^(1−decimals)),
 * trailing zeros dropped ('–' when missing or not finite). Every figure printed without a unit-specific formatter goes through it, so a float
 * tail (3.8900000000000006) never reaches a report.
 */
export function fmtNum(v: number | null | undefined, decimals = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  // A small non-zero figure (a 0.001 % budget) keeps 3 significant digits instead of reading as 0.
  const r = v !== 0 && Math.abs(v) < 10 ** -decimals * 10 ? Number(v.toPrecision(3)) : Number(v.toFixed(decimals));
  return String(r === 0 ? 0 : r);
}

/** A percentage: fmtNum with a % sign ('0.1%', '12.35%'). */
export function fmtPct(v: number | null | undefined, decimals = 2): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${fmtNum(v, decimals)}%`;
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
  if (abs < 1024) return `${Math.round(bytes)} B`;
  if (abs < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (abs < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** A change in bytes with its sign: '+8.0 MiB', '−1.2 KiB', '0 B' (so a fall never reads as a rise). */
export function fmtSignedBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  const size = fmtBytes(Math.abs(bytes));
  return Math.round(bytes) === 0 ? size : `${bytes > 0 ? '+' : '−'}${size}`;
}

/** Server-provided text made safe for a terminal (no escape sequences) and bounded (see clip). */
export function safe(text: string | null | undefined, max = 120): string {
  if (text === null || text === undefined) return '–';
  return clip(stripControl(String(text)), max);
}

/**
 * `text` in at most `max` characters: cut at the last word boundary that keeps at least half of
 * it, with an ellipsis (a single long word, a path or a URL, is cut where it must).
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = text.slice(0, max - 1);
  const space = room.search(/\s+\S*$/);
  const cut = space >= max / 2 ? room.slice(0, space) : room;
  return `${cut.replace(/[\s,;:(–-]+$/, '')}…`;
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

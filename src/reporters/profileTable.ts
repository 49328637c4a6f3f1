/**
 * The terminal report's compact `profile` block (--profile), shared by the analyze, bench and
 * tune tables: how the samples were taken, time by category on one line, the top functions by
 * self time with file:line, the top packages, the start-up's heaviest imports, per-tool hot spots
 * and where the raw profiles were saved. Pure; every figure is read from the ProfileSection.
 */
import type { ChalkInstance } from 'chalk';
import type { Severity } from '../result/finding.js';
import type { ProfileSection } from '../result/profileResult.js';
import { fmtMs, fmtPct, fmtUs, safe, table } from './format.js';
import { frameLocation, orderedCategories, tailClip } from './profileText.js';

/** Functions listed. */
const TOP_FUNCTIONS = 5;
/** Packages listed. */
const TOP_PACKAGES = 5;
/** Start-up imports listed. */
const TOP_IMPORTS = 3;
/** Tools listed, and functions per tool. */
const TOP_TOOLS = 5;
/** Characters of a file:line shown (cut from the left, keeping the file name). */
const LOCATION_CHARS = 60;
/** Characters of a function or package name shown. */
const NAME_CHARS = 50;

/** What the profile block adds to the profile itself. */
export interface ProfileTableOptions {
  /** List the profile's findings (bench and tune, whose results have no findings of their own; analyze lists them with its own). */
  findings?: boolean;
  /** What was profiled, when not the whole run ('the recommended point, measured again'). */
  scope?: string;
}

const METHOD_TEXT: Record<ProfileSection['method'], string> = {
  inspector: 'V8 sampling profiler',
  'python-importtime': 'python -X importtime',
};

const SEVERITY_COLOUR: Record<Severity, (c: ChalkInstance, s: string) => string> = {
  critical: (c, s) => c.red.bold(s), warning: (c, s) => c.yellow.bold(s), info: (c, s) => c.cyan(s),
};

/** The profile block of a terminal report. */
export function renderProfileTable(p: ProfileSection, c: ChalkInstance, opts: ProfileTableOptions = {}): string {
  const s = p.summary;
  const how = [METHOD_TEXT[p.method] ?? safe(p.method), `${fmtUs(p.intervalUs)} interval`, p.windowMs > 0 ? `${fmtMs(p.windowMs)} window` : 'start-up only'];
  if (s) how.push(`${s.samples.toLocaleString('en-US')} samples`, `busy ${fmtMs(s.busyMs)} of ${fmtMs(s.sampledMs)} sampled`);
  const lines = [`${c.bold('CPU profile')} (${how.join(', ')})`];
  if (opts.scope) lines.push(`  ${safe(opts.scope, 200)}`);
  if (s) {
    const cats = orderedCategories(s.categories).map((k) => `${k.category} ${fmtPct(k.pct, 1)}`).join(' · ');
    if (cats) lines.push(`  time: ${cats} (of sampled)`);
    const fns = s.functions.slice(0, TOP_FUNCTIONS).map((f) => [safe(f.name, NAME_CHARS), tailClip(frameLocation(f), LOCATION_CHARS), safe(f.package, 40), fmtMs(f.selfMs), fmtPct(f.pct, 1)]);
    if (fns.length) lines.push(table(['function', 'file:line', 'package', 'self', 'of busy'], fns, c));
    const pkgs = s.packages.slice(0, TOP_PACKAGES).map((k) => `${safe(k.name, NAME_CHARS)} ${fmtPct(k.pct, 1)}`).join(' · ');
    if (pkgs) lines.push(`  packages (self, of busy): ${pkgs}`);
  } else if (p.windowMs > 0) {
    lines.push('  nothing was sampled in the measured window');
  }
  for (const t of (p.byTool ?? []).slice(0, TOP_TOOLS)) {
    const f = t.summary.functions[0];
    lines.push(`  ${safe(t.op, 60)} (${t.requests} requests, busy ${fmtMs(t.summary.busyMs)})` +
      (f ? `: hottest ${safe(f.name, NAME_CHARS)} (${tailClip(frameLocation(f), LOCATION_CHARS)}) ${fmtPct(f.pct, 1)}` : ''));
  }
  const st = p.startup;
  if (st) {
    const top = st.packages.slice(0, TOP_IMPORTS).map((i) => `${safe(i.name, NAME_CHARS)} ${fmtMs(i.ms)} (${fmtPct(i.pct, 1)})`).join(', ');
    lines.push(`  start-up (${st.source}): loading modules ${fmtMs(st.importMs)} of ${fmtMs(st.readyMs)} spawn → ready${top ? `; heaviest imports: ${top}` : ''}`);
  }
  if (p.files.length) {
    lines.push(`  saved: ${p.files.map((f) => `${tailClip(f.path, 120)} (pid ${f.pid})`).join(', ')} — open in Chrome DevTools or speedscope`);
  }
  for (const n of p.notes) lines.push(c.dim(`  note: ${safe(n, 400)}`));
  if (opts.findings) {
    for (const f of p.findings ?? []) {
      lines.push(`  ${SEVERITY_COLOUR[f.severity](c, f.severity.toUpperCase())} ${c.bold(safe(f.title, 200))} [${safe(f.id, 60)}]`, `    fix: ${safe(f.recommendation, 600)}`);
    }
  }
  return lines.join('\n');
}

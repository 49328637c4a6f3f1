/**
 * The `profile` part of the HTML report (--profile), for analyze, bench and tune alike: key
 * figures of the sampling, time by category and package (each with a bar), the top functions and
 * hottest stacks, the flame graph, per-tool summaries, the start-up imports, the saved profiles
 * and the notes. Every figure is read from the result's ProfileSection; function names, file
 * paths and package names come from the server's code and are escaped like any server string.
 */
import type { CpuSummary, ImportTime, ProfileSection, StartupProfile, ToolProfile } from '../../result/profileResult.js';
import { fmtMs, fmtNum, fmtUs } from '../format.js';
import { frameLocation, orderedCategories } from '../profileText.js';
import { figures, htmlTable, markup, para, section, type Cell, type Html } from './blocks.js';
import { escapeHtml as esc } from './escape.js';
import { FLAME_GRAPH_MAX_DEPTH, flameGraphSvg } from './flameGraph.js';
import { px } from './svg.js';

/** Hottest stacks shown (the result keeps more). */
const TOP_STACKS = 5;
/** Functions listed per tool. */
const TOP_TOOL_FUNCTIONS = 3;
/** Start-up packages and modules listed, each. */
const TOP_IMPORTS = 10;
/** Width of a share bar, px (100 % fills it). */
const BAR_PX = 120;

const METHOD_TEXT: Record<ProfileSection['method'], string> = {
  inspector: 'V8 sampling profiler (inspector session in each Node process)',
  'python-importtime': 'python -X importtime (start-up only)',
};

/** A percentage as the HTML report writes it: '12.3 %'. */
const pct = (v: number): string => `${fmtNum(v, 1)} %`;

/** A horizontal bar of `share` percent in a tiny inline SVG (a CSS width would need a style attribute, which the CSP forbids). */
export function shareBar(share: number, cls = 's0'): Html {
  const w = Math.max(0, Math.min(100, Number.isFinite(share) ? share : 0));
  return markup(`<svg class="share-bar" viewBox="0 0 ${BAR_PX} 10" width="${BAR_PX}" height="10" role="img"><title>${esc(pct(share))}</title>` +
    `<rect x="0" y="0" width="${BAR_PX}" height="10" fill="#f3f4f6"/><rect class="bar ${esc(cls)}" x="0" y="0" width="${px((w / 100) * BAR_PX)}" height="10"/></svg>`);
}

/** The profile sections of a result ('' when it has none); `scope` says what was profiled when it is not the whole run. */
export function profileSection(p: ProfileSection | null | undefined, scope?: string): string {
  if (!p) return '';
  const s = p.summary;
  const parts = [overview(p, scope), s ? hotSection(s) : '', s?.flame ? flameSection(s) : '', toolsSection(p.byTool ?? []),
    p.startup ? startupSection(p.startup) : '', filesSection(p)];
  return `<div class="profile" data-section="profile">${parts.join('')}</div>`;
}

function overview(p: ProfileSection, scope: string | undefined): string {
  const s = p.summary;
  const pairs: Array<[string, Cell]> = [
    ['method', METHOD_TEXT[p.method] ?? p.method],
    ['sampling interval', fmtUs(p.intervalUs)],
    ['profiled window', p.windowMs > 0 ? fmtMs(p.windowMs) : 'start-up only'],
    ['processes profiled', p.files.length],
  ];
  if (s) {
    pairs.push(['samples', s.samples.toLocaleString('en-US')], ['sampled', fmtMs(s.sampledMs)],
      ['busy (not idle)', `${fmtMs(s.busyMs)}${s.sampledMs > 0 ? ` (${pct((s.busyMs / s.sampledMs) * 100)} of sampled)` : ''}`]);
  }
  const body = (scope ? para(scope, 'note') : '') + figures(pairs) + (s ? categoriesTable(s) + packagesTable(s) : para('Nothing was sampled in the measured window.', 'note'));
  return section('CPU profile', body, 'profile');
}

function categoriesTable(s: CpuSummary): string {
  const rows = orderedCategories(s.categories).map((c): Cell[] => [c.category, fmtMs(c.ms), pct(c.pct), shareBar(c.pct, 's0')]);
  return rows.length ? htmlTable(['category', 'time', 'share of sampled', ''], rows, 'profile-categories') : '';
}

function packagesTable(s: CpuSummary): string {
  const rows = s.packages.map((k): Cell[] => [k.name, fmtMs(k.selfMs), pct(k.pct), shareBar(k.pct, 's1')]);
  return rows.length ? htmlTable(['package', 'self time', 'share of busy', ''], rows, 'profile-packages') : '';
}

function hotSection(s: CpuSummary): string {
  const fns = s.functions.map((f): Cell[] => [f.name, frameLocation(f), f.package, fmtMs(f.selfMs), pct(f.pct)]);
  const fnTable = fns.length ? htmlTable(['function', 'file:line', 'package', 'self time', 'share of busy'], fns, 'profile-functions') : para('No function had self time.', 'note');
  const stacks = s.stacks.slice(0, TOP_STACKS).map((k): Cell[] => [markup(stackList(k.frames)), fmtMs(k.ms), pct(k.pct)]);
  const stackTable = stacks.length ? htmlTable(['stack (outermost caller first)', 'time', 'share of busy'], stacks, 'profile-stacks') : '';
  return section('Hot functions', fnTable + stackTable, 'profile');
}

/** A stack's frames as one line of escaped text joined by arrows. */
function stackList(frames: readonly string[]): string {
  return `<span class="stack">${frames.map((f) => esc(f)).join(' → ')}</span>`;
}

function flameSection(s: CpuSummary): string {
  const svg = flameGraphSvg(s.flame!, { title: 'CPU flame graph of the measured window' });
  const caption = `Every busy sample, folded by call path: the top row is all busy time (${fmtMs(s.flame!.totalMs)}), each row below the callees of the one above; ` +
    `a frame's width is its time including its callees. Your code is orange, Node's runtime grey, each package a colour of its own; ` +
    `frames under 0.5 % of busy time are left out, and at most ${FLAME_GRAPH_MAX_DEPTH} levels are drawn. Hover a frame for its time.`;
  return section('Flame graph', `<figure class="chart" data-chart="flame-graph">${svg}<figcaption>${esc(caption)}</figcaption></figure>`, 'profile');
}

function toolsSection(tools: readonly ToolProfile[]): string {
  if (!tools.length) return '';
  const rows = tools.map((t): Cell[] => {
    const top = t.summary.functions.slice(0, TOP_TOOL_FUNCTIONS)
      .map((f) => `<li>${esc(f.name)} <span class="note">${esc(frameLocation(f))}</span> ${esc(fmtMs(f.selfMs))} (${esc(pct(f.pct))})</li>`).join('');
    return [t.op, t.requests, fmtMs(t.summary.busyMs), top ? markup(`<ol class="tool-functions">${top}</ol>`) : null];
  });
  return section('CPU by tool', htmlTable(['operation', 'requests', 'busy time', `top ${TOP_TOOL_FUNCTIONS} functions by self time`], rows, 'profile-tools'), 'profile');
}

function importsTable(head: string, items: readonly ImportTime[], cls: string): string {
  const rows = items.slice(0, TOP_IMPORTS).map((i): Cell[] => [i.name, fmtMs(i.ms), pct(i.pct), shareBar(i.pct, 's2')]);
  return rows.length ? htmlTable([head, 'import time', 'share of start-up', ''], rows, cls) : '';
}

function startupSection(st: StartupProfile): string {
  const head = figures([
    ['language', st.language], ['source', st.source], ['spawn → ready', fmtMs(st.readyMs)],
    ['covered', fmtMs(st.coveredMs)], ['loading modules', `${fmtMs(st.importMs)}${st.coveredMs > 0 ? ` (${pct((st.importMs / st.coveredMs) * 100)} of covered)` : ''}`],
  ]);
  const body = head + importsTable('package', st.packages, 'profile-startup-packages') + importsTable('module', st.modules, 'profile-startup-modules');
  return section('Start-up imports', body, 'profile');
}

function filesSection(p: ProfileSection): string {
  const files = p.files.length
    ? htmlTable(['profile file', 'pid', 'process', 'samples'], p.files.map((f): Cell[] => [f.path, f.pid, f.title, f.samples]), 'profile-files') +
      para('Relative paths are relative to the result file\'s folder. Open a .cpuprofile in Chrome DevTools (Performance panel) or speedscope.', 'note')
    : para('No profile file was saved.', 'note');
  const notes = p.notes.length ? `<ul class="notes">${p.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
  return section('Profile files', files + notes, 'profile');
}

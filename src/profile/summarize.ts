/**
 * CPU profiles → the result's CpuSummary: the samples of every process of the server's tree that
 * fall in the measured windows, folded by category, package, function, stack and call path. Time
 * is weighted per sample (its interval to the next one), so a profile with a stretched interval
 * under load still adds up to the time it covered.
 */
import type { CategoryTime, CpuCategory, CpuSummary, FlameNode, FunctionTime, PackageTime, StackTime, ToolProfile } from '../result/profileResult.js';
import { callTree, inWindows, mergeWindows, sampleTimes, stackOf, type CallFrame, type CallTree, type CpuProfile, type Windows } from './cpuProfile.js';
import { classifyStack, filePath, frameLabel, functionName, lineOf } from './frames.js';

/** Functions listed, most self time first. */
export const TOP_FUNCTIONS = 20;
/** Stacks listed, most time first. */
export const TOP_STACKS = 10;
/** Flame nodes narrower than this share of busy time are left out, percent (keeps results small and readable). */
export const FLAME_MIN_PCT = 0.5;
/** Deepest flame path kept; deeper frames fold into the frame at this depth (recursion would make the tree unbounded). */
export const FLAME_MAX_DEPTH = 64;
/** Frame of the flame graph's root. */
export const FLAME_ROOT = 'all';

/** Knobs of a summary; the defaults are the constants above. */
export interface SummarizeOptions {
  /** Functions listed. */
  topFunctions?: number;
  /** Stacks listed. */
  topStacks?: number;
  /** Flame pruning threshold, percent of busy time. */
  flameMinPct?: number;
  /** Flame depth cap. */
  flameMaxDepth?: number;
}

/** One tool request's window, monotonic µs. */
export interface OpWindow {
  /** Operation label ('tools/call:search'). */
  op: string;
  /** Window start, µs. */
  startUs: number;
  /** Window end (exclusive), µs. */
  endUs: number;
}

/** Selected time per call-tree node of one profile. */
interface Selection {
  tree: CallTree;
  weightUs: Map<number, number>;
  samples: number;
}

/** Display order of categories when they tie. */
const CATEGORY_ORDER: CpuCategory[] = ['your code', 'packages', 'runtime', 'gc', 'program', 'idle'];

/** Summarise the samples of every profile inside the windows (all samples without windows); null when none fall inside. */
export function summarizeCpu(profiles: readonly CpuProfile[], windows?: Windows, opts: SummarizeOptions = {}): CpuSummary | null {
  const merged = windows ? mergeWindows(windows) : null;
  const selections = profiles.map((p) => select(p, (at) => merged === null || inWindows(at, merged)));
  return summarizeSelections(selections, opts);
}

/**
 * One summary per operation, from the samples inside that operation's request windows. A sample
 * inside windows of two operations (concurrent requests of different tools) is left out: its
 * time cannot be told apart. Operations left with no sample get no entry; busiest first.
 */
export function summarizeByTool(profiles: readonly CpuProfile[], toolWindows: readonly OpWindow[], opts: SummarizeOptions = {}): ToolProfile[] {
  const byOp = new Map<string, Array<[number, number]>>();
  for (const w of toolWindows) {
    const list = byOp.get(w.op) ?? [];
    list.push([w.startUs, w.endUs]);
    byOp.set(w.op, list);
  }
  const ops = [...byOp.keys()];
  const merged = ops.map((op) => mergeWindows(byOp.get(op)!));
  const trees = profiles.map(callTree);
  const perOp = ops.map(() => profiles.map((_, i): Selection => ({ tree: trees[i]!, weightUs: new Map(), samples: 0 })));
  profiles.forEach((profile, pi) => {
    for (const s of sampleTimes(profile)) {
      const owner = soleOwner(s.atUs, merged);
      if (owner < 0) continue;
      const sel = perOp[owner]![pi]!;
      sel.samples++;
      sel.weightUs.set(s.nodeId, (sel.weightUs.get(s.nodeId) ?? 0) + s.weightUs);
    }
  });
  const out: ToolProfile[] = [];
  ops.forEach((op, o) => {
    const summary = summarizeSelections(perOp[o]!, opts);
    if (summary) out.push({ op, requests: byOp.get(op)!.length, summary });
  });
  return out.sort((a, b) => b.summary.busyMs - a.summary.busyMs || a.op.localeCompare(b.op));
}

/** Index of the only operation whose windows hold `atUs`; -1 for none or several. */
function soleOwner(atUs: number, merged: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): number {
  let owner = -1;
  for (let o = 0; o < merged.length; o++) {
    if (!inWindows(atUs, merged[o]!)) continue;
    if (owner !== -1) return -1;
    owner = o;
  }
  return owner;
}

/** Time per node of the samples `keep` accepts. */
function select(profile: CpuProfile, keep: (atUs: number) => boolean): Selection {
  const weightUs = new Map<number, number>();
  let samples = 0;
  for (const s of sampleTimes(profile)) {
    if (!keep(s.atUs)) continue;
    samples++;
    weightUs.set(s.nodeId, (weightUs.get(s.nodeId) ?? 0) + s.weightUs);
  }
  return { tree: callTree(profile), weightUs, samples };
}

interface FoldNode {
  frame: string;
  package: string;
  totalUs: number;
  selfUs: number;
  children: Map<string, FoldNode>;
}

/** Running totals of a summary, in µs. */
interface Totals {
  sampledUs: number;
  categoryUs: Map<CpuCategory, number>;
  packageUs: Map<string, number>;
  functions: Map<string, Omit<FunctionTime, 'selfMs' | 'pct'> & { us: number }>;
  stacks: Map<string, { frames: string[]; us: number }>;
  flame: FoldNode;
}

function summarizeSelections(selections: readonly Selection[], opts: SummarizeOptions): CpuSummary | null {
  const samples = selections.reduce((n, s) => n + s.samples, 0);
  if (samples === 0) return null;
  const totals: Totals = {
    sampledUs: 0, categoryUs: new Map(), packageUs: new Map(), functions: new Map(), stacks: new Map(),
    flame: { frame: FLAME_ROOT, package: '', totalUs: 0, selfUs: 0, children: new Map() },
  };
  // Per node, not per sample: every figure depends only on the stack, and nodes are far fewer.
  for (const { tree, weightUs } of selections) {
    for (const [nodeId, us] of weightUs) addStack(totals, stackOf(tree, nodeId), us, opts.flameMaxDepth ?? FLAME_MAX_DEPTH);
  }
  return toSummary(totals, samples, opts);
}

/** Count `us` of time spent with `stack` (root → leaf) running. */
function addStack(t: Totals, stack: readonly CallFrame[], us: number, maxDepth: number): void {
  t.sampledUs += us;
  const classes = classifyStack(stack);
  const leaf = stack[stack.length - 1]!;
  const leafClass = classes[classes.length - 1]!;
  // A sample on '(root)' itself (V8 writes none in practice) has no category: count it as program.
  const category: CpuCategory = leafClass.category === '(root)' ? 'program' : leafClass.category;
  add(t.categoryUs, category, us);
  if (category === 'idle') return;
  add(t.packageUs, leafClass.package, us);
  const frames = stack.map((f, i) => ({ f, c: classes[i]! })).filter(({ c }) => c.category !== '(root)');
  // Flame: every busy sample, pseudo-frames included, so its root's width is busy time. Frames
  // deeper than maxDepth fold into the last one kept (its self time).
  let at = t.flame;
  at.totalUs += us;
  for (const { f, c } of frames.slice(0, maxDepth)) {
    const label = frameLabel(f);
    let child = at.children.get(label);
    if (!child) at.children.set(label, (child = { frame: label, package: c.package, totalUs: 0, selfUs: 0, children: new Map() }));
    child.totalUs += us;
    at = child;
  }
  at.selfUs += us;
  // Functions and stacks are JavaScript: GC and (program) have their categories.
  if (category === 'gc' || category === 'program') return;
  const key = `${leaf.functionName}\0${leaf.url}\0${leaf.lineNumber}`;
  const fn = t.functions.get(key) ?? { name: functionName(leaf), file: filePath(leaf.url), line: lineOf(leaf), package: leafClass.package, us: 0 };
  fn.us += us;
  t.functions.set(key, fn);
  const labels = frames.map(({ f }) => frameLabel(f));
  const stackKey = labels.join('\n');
  const st = t.stacks.get(stackKey) ?? { frames: labels, us: 0 };
  st.us += us;
  t.stacks.set(stackKey, st);
}

/** The totals as the result's figures: ms to 0.01, percent to 0.1, lists cut and sorted. */
function toSummary(t: Totals, samples: number, opts: SummarizeOptions): CpuSummary {
  const { sampledUs } = t;
  const busyUs = sampledUs - (t.categoryUs.get('idle') ?? 0);
  const pctOfBusy = (us: number): number => (busyUs > 0 ? round1((us / busyUs) * 100) : 0);
  const cats = [...t.categoryUs].filter(([, us]) => us > 0)
    .sort((a, b) => b[1] - a[1] || CATEGORY_ORDER.indexOf(a[0]) - CATEGORY_ORDER.indexOf(b[0]));
  // The contract says categories add up to sampledMs and 100 %: round them together, not one by one.
  const catMs = apportion(cats.map(([, us]) => us / 10), Math.round(sampledUs / 10)); // hundredths of a ms
  const catPct = apportion(cats.map(([, us]) => (us / sampledUs) * 1000), 1000); // tenths of a percent
  const categories: CategoryTime[] = cats.map(([category], i) => ({ category, ms: catMs[i]! / 100, pct: catPct[i]! / 10 }));
  const packages: PackageTime[] = [...t.packageUs].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, us]) => ({ name, selfMs: ms(us), pct: pctOfBusy(us) }));
  const functions: FunctionTime[] = [...t.functions.values()].sort((a, b) => b.us - a.us || a.name.localeCompare(b.name))
    .slice(0, opts.topFunctions ?? TOP_FUNCTIONS)
    .map(({ us, ...f }) => ({ ...f, selfMs: ms(us), pct: pctOfBusy(us) }));
  const stacks: StackTime[] = [...t.stacks.values()].sort((a, b) => b.us - a.us)
    .slice(0, opts.topStacks ?? TOP_STACKS)
    .map((s) => ({ frames: s.frames, ms: ms(s.us), pct: pctOfBusy(s.us) }));
  const minUs = (busyUs * (opts.flameMinPct ?? FLAME_MIN_PCT)) / 100;
  return {
    samples,
    sampledMs: ms(sampledUs),
    busyMs: ms(busyUs),
    categories,
    packages,
    functions,
    stacks,
    flame: busyUs > 0 ? toFlame(t.flame, minUs) : null,
  };
}

/** The folded tree as result nodes, widest first, without nodes narrower than minUs. */
function toFlame(node: FoldNode, minUs: number): FlameNode {
  const children = [...node.children.values()].filter((c) => c.totalUs >= minUs)
    .sort((a, b) => b.totalUs - a.totalUs || a.frame.localeCompare(b.frame))
    .map((c) => toFlame(c, minUs));
  return { frame: node.frame, package: node.package, totalMs: ms(node.totalUs), selfMs: ms(node.selfUs), children };
}

function add<K>(map: Map<K, number>, key: K, us: number): void {
  map.set(key, (map.get(key) ?? 0) + us);
}

/** µs → ms rounded to 0.01. */
function ms(us: number): number {
  return Math.round(us / 10) / 100;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Round to integers that add up to `total` (largest remainder): rounded shares still sum to the whole. */
function apportion(exact: readonly number[], total: number): number[] {
  const out = exact.map(Math.floor);
  let left = total - out.reduce((s, v) => s + v, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i]!++;
    left--;
  }
  return out;
}

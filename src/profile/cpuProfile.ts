/**
 * The `.cpuprofile` format (V8's `Profiler.Profile`, what `node --cpu-prof` and the inspector's
 * `Profiler.stop` write), read back with its shape checked, and its samples placed on the clock:
 * V8 stamps a profile with CLOCK_MONOTONIC microseconds, the clock `process.hrtime.bigint() / 1000n`
 * reads in any process of the machine, so windows measured by mcp-opt cut samples of the server.
 */
import { median } from '../measure/stats.js';

/** Where a function is: V8's `Runtime.CallFrame`. */
export interface CallFrame {
  /** Function name; '' for a module's top-level code and anonymous functions, '(program)' etc. for pseudo-frames. */
  functionName: string;
  /** V8's script id; '0' for natives and pseudo-frames. */
  scriptId: string;
  /** Script URL (`file://…`, `node:…`), or '' for natives and code made by `eval` / `new Function`. */
  url: string;
  /** 0-based line, -1 when unknown. */
  lineNumber: number;
  /** 0-based column, -1 when unknown. */
  columnNumber: number;
}

/** One node of the profile's call tree: a function called from a given path. */
export interface ProfileNode {
  /** Unique id within the profile. */
  id: number;
  /** The function this node runs. */
  callFrame: CallFrame;
  /** Samples whose running function was this node (V8 fills it; the analysis counts `samples`). */
  hitCount?: number;
  /** Ids of the callees. */
  children?: number[];
}

/** A V8 CPU profile. */
export interface CpuProfile {
  /** Call-tree nodes; the first is '(root)'. */
  nodes: ProfileNode[];
  /** Profiling start, monotonic µs. */
  startTime: number;
  /** Profiling end, monotonic µs. */
  endTime: number;
  /** Node id running at each sample, in time order. */
  samples: number[];
  /** µs from the previous sample (from startTime for the first), one per sample. */
  timeDeltas: number[];
}

/** One sample placed on the clock. */
export interface TimedSample {
  /** Index in `profile.samples`. */
  index: number;
  /** Node that was running. */
  nodeId: number;
  /** When it was taken, monotonic µs. */
  atUs: number;
  /** Time it stands for: until the next sample (the median interval for the last), µs. */
  weightUs: number;
}

/** Windows on the monotonic clock, [startUs, endUs) each. */
export type Windows = ReadonlyArray<readonly [number, number]>;

/** Parse and check a `.cpuprofile`; throws an Error that says what is missing when the text is not one. */
export function parseCpuProfile(text: string): CpuProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`Not a V8 CPU profile: the text is not JSON (${(err as Error).message}).`);
  }
  const fail = (what: string): never => {
    throw new Error(`Not a V8 CPU profile (.cpuprofile): ${what}.`);
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail('expected a JSON object');
  const p = raw as Record<string, unknown>;
  if (!Array.isArray(p['nodes']) || p['nodes'].length === 0) fail('"nodes" is missing or empty');
  if (!isNum(p['startTime']) || !isNum(p['endTime'])) fail('"startTime" and "endTime" must be numbers');
  const samples = p['samples'] ?? [];
  const deltas = p['timeDeltas'] ?? [];
  if (!Array.isArray(samples) || !samples.every(isNum)) fail('"samples" must be an array of node ids');
  if (!Array.isArray(deltas) || !deltas.every(isNum)) fail('"timeDeltas" must be an array of numbers');
  if ((samples as number[]).length !== (deltas as number[]).length) fail(`"samples" (${(samples as number[]).length}) and "timeDeltas" (${(deltas as number[]).length}) differ in length`);
  const ids = new Set<number>();
  const nodes = (p['nodes'] as unknown[]).map((n, i) => {
    const node = n as Record<string, unknown> | null;
    const cf = node?.['callFrame'] as Record<string, unknown> | undefined;
    if (!node || !isNum(node['id']) || !cf || typeof cf['functionName'] !== 'string' || typeof cf['url'] !== 'string' ||
      !isNum(cf['lineNumber'])) {
      fail(`node ${i} has no id or no callFrame {functionName, url, lineNumber}`);
    }
    const children = node!['children'] ?? [];
    if (!Array.isArray(children) || !children.every(isNum)) fail(`node ${String(node!['id'])} has malformed "children"`);
    ids.add(node!['id'] as number);
    const out: ProfileNode = {
      id: node!['id'] as number,
      callFrame: {
        functionName: cf!['functionName'] as string,
        scriptId: String(cf!['scriptId'] ?? '0'),
        url: cf!['url'] as string,
        lineNumber: cf!['lineNumber'] as number,
        columnNumber: isNum(cf!['columnNumber']) ? cf!['columnNumber'] : -1,
      },
      children: children as number[],
    };
    if (isNum(node!['hitCount'])) out.hitCount = node!['hitCount'];
    return out;
  });
  for (const n of nodes) for (const c of n.children!) if (!ids.has(c)) fail(`node ${n.id} names an unknown child ${c}`);
  for (const s of samples as number[]) if (!ids.has(s)) fail(`a sample names an unknown node ${s}`);
  return { nodes, startTime: p['startTime'] as number, endTime: p['endTime'] as number, samples: samples as number[], timeDeltas: deltas as number[] };
}

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * Every sample with its timestamp and weight. A sample stands for the time until the next one
 * (DevTools does the same); the last has no successor and gets the median interval. Negative
 * deltas (V8 occasionally reorders a sample) weigh nothing rather than subtract time.
 */
export function sampleTimes(profile: CpuProfile): TimedSample[] {
  const { samples, timeDeltas } = profile;
  const out: TimedSample[] = new Array(samples.length);
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    at += timeDeltas[i]!;
    out[i] = { index: i, nodeId: samples[i]!, atUs: at, weightUs: 0 };
  }
  const fallback = samples.length > 1 ? Math.max(0, median(timeDeltas.slice(1))) : 0;
  for (let i = 0; i < out.length; i++) {
    out[i]!.weightUs = i + 1 < out.length ? Math.max(0, timeDeltas[i + 1]!) : fallback;
  }
  return out;
}

/** Sorted, merged copy of windows (empty and reversed ones dropped), for `inWindows`. */
export function mergeWindows(windows: Windows): Array<[number, number]> {
  const sorted = windows.filter(([a, b]) => b > a).map(([a, b]) => [a, b] as [number, number]).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else out.push(w);
  }
  return out;
}

/** True when `atUs` lies in one of the merged windows (binary search: requests make thousands of windows). */
export function inWindows(atUs: number, merged: ReadonlyArray<readonly [number, number]>): boolean {
  let lo = 0;
  let hi = merged.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = merged[mid]!;
    if (atUs < a) hi = mid - 1;
    else if (atUs >= b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The samples taken inside the windows ([startUs, endUs), absolute µs); all samples when windows is undefined. */
export function samplesInWindows(profile: CpuProfile, windows?: Windows): TimedSample[] {
  const all = sampleTimes(profile);
  if (!windows) return all;
  const merged = mergeWindows(windows);
  return all.filter((s) => inWindows(s.atUs, merged));
}

/** The call tree indexed for walking up from a sample's node. */
export interface CallTree {
  /** Nodes by id. */
  byId: Map<number, ProfileNode>;
  /** Caller's id by callee id (the root has none). */
  parent: Map<number, number>;
}

/** Index a profile's nodes by id and by caller. */
export function callTree(profile: CpuProfile): CallTree {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  return { byId, parent };
}

/** Call frames from the root ('(root)' included) down to the node. */
export function stackOf(tree: CallTree, nodeId: number): CallFrame[] {
  const out: CallFrame[] = [];
  // Bounded by the node count: a malformed profile with a cycle must not loop forever.
  for (let id: number | undefined = nodeId, left = tree.byId.size; id !== undefined && left > 0; id = tree.parent.get(id), left--) {
    const node = tree.byId.get(id);
    if (!node) break;
    out.push(node.callFrame);
  }
  return out.reverse();
}

/**
 * The search space of `mcp-opt tune`: the grid of knob values, numbered so a point's index is
 * stable across runs (`--resume` matches points by it), and the planner that decides which
 * points to measure. A grid within budget is measured whole; a larger one gets a guided search
 * (ramp one axis, then one knob at a time, then refine around the best), which finds the
 * saturation knee the way a person would without measuring every combination.
 */
import { gridSize, type Knob, type KnobValue } from '../../options/knobs.js';

/** Knob id → value: one point of the space. */
export type Settings = Record<string, KnobValue>;

/** Settings of grid point `index`: mixed radix, the last knob varying fastest. */
export function gridPoint(knobs: readonly Knob[], index: number): Settings {
  if (!Number.isInteger(index) || index < 0 || index >= gridSize(knobs)) {
    throw new RangeError(`grid index ${index} is outside 0..${gridSize(knobs) - 1}`);
  }
  const at: number[] = [];
  let rest = index;
  for (let i = knobs.length - 1; i >= 0; i--) {
    at[i] = rest % knobs[i]!.values.length;
    rest = Math.floor(rest / knobs[i]!.values.length);
  }
  // Keys in knob order, so settings read in the order the user gave the knobs.
  return Object.fromEntries(knobs.map((k, i) => [k.id, k.values[at[i]!]!]));
}

/** Index of `settings` in the grid, or -1 when a knob is missing, extra, or holds a value not in the grid. */
export function gridIndexOf(knobs: readonly Knob[], settings: Settings): number {
  if (Object.keys(settings).length !== knobs.length) return -1;
  let index = 0;
  for (const k of knobs) {
    const at = Object.hasOwn(settings, k.id) ? k.values.indexOf(settings[k.id]!) : -1;
    if (at < 0) return -1;
    index = index * k.values.length + at;
  }
  return index;
}

/** What the planner needs to know about a measured point. */
export interface MeasuredPoint {
  /** Grid index. */
  index: number;
  /** False when the point failed (server did not start, run failed). */
  ok: boolean;
  /** Median succeeded req/s. */
  throughput: number;
  /** Median of the SLO statistic, µs. */
  statUs: number;
  /** Whether it met the SLO and the error limit. */
  meetsSlo: boolean;
}

/** Decides which grid points to measure next. */
export interface Planner {
  /** 'grid' when the whole grid fits maxPoints, else 'guided'. */
  readonly strategy: 'grid' | 'guided';
  /** Grid indices to measure next (never one already measured); [] when the search is over. */
  next(measured: readonly MeasuredPoint[]): number[];
  /** What was left out and why, in words, for the result. */
  skipped(): string[];
}

/** A throughput gain below this is "not rising": run-to-run noise of a bench point is a few %. */
const RISE_PCT = 5;
/** Flat steps in a row that end the ramp (one flat step may be noise). */
const FLAT_STEPS = 2;

/** A planner for `knobs` measuring at most `maxPoints` points in total. */
export function createPlanner(knobs: readonly Knob[], maxPoints: number): Planner {
  const size = gridSize(knobs);
  // No knobs: nothing to search, the single baseline point (within budget) is the grid.
  if (size <= maxPoints || knobs.length === 0) return gridPlanner(size, maxPoints);
  let notes: string[] = [];
  return {
    strategy: 'guided',
    next(measured) {
      const plan = replay(knobs, maxPoints, measured);
      notes = plan.notes;
      return plan.next;
    },
    skipped: () => [...notes],
  };
}

function gridPlanner(size: number, maxPoints: number): Planner {
  let issued = false;
  return {
    strategy: 'grid',
    next(measured) {
      if (issued) return [];
      issued = true;
      const done = new Set(measured.map((m) => m.index));
      return Array.from({ length: size }, (_, i) => i).filter((i) => !done.has(i)).slice(0, Math.max(0, maxPoints - done.size));
    },
    skipped: () => [],
  };
}

/** Best point: highest throughput meeting the SLO, else highest among ok; ties to the lower index. */
function bestOf(points: readonly MeasuredPoint[]): MeasuredPoint | undefined {
  const rank = (p: MeasuredPoint): number => (p.meetsSlo ? 1 : 0);
  let best: MeasuredPoint | undefined;
  for (const p of points) {
    if (!p.ok) continue;
    if (!best || rank(p) > rank(best) || (rank(p) === rank(best) && (p.throughput > best.throughput || (p.throughput === best.throughput && p.index < best.index)))) best = p;
  }
  return best;
}

/** Value order for stepping a knob: ascending when all numbers, else as given. */
function ordered(k: Knob): KnobValue[] {
  return k.values.every((v) => typeof v === 'number') ? [...(k.values as number[])].sort((a, b) => a - b) : [...k.values];
}

function rampAxis(knobs: readonly Knob[]): number {
  for (const id of ['concurrency', 'pool']) {
    const i = knobs.findIndex((k) => k.id === id);
    if (i >= 0) return i;
  }
  let axis = -1;
  knobs.forEach((k, i) => {
    if (k.values.every((v) => typeof v === 'number') && (axis < 0 || k.values.length > knobs[axis]!.values.length)) axis = i;
  });
  if (axis >= 0) return axis;
  // No numeric knob: the knob with most values still gives the longest one-dimensional sweep.
  knobs.forEach((k, i) => {
    if (axis < 0 || k.values.length > knobs[axis]!.values.length) axis = i;
  });
  return axis;
}

const words = (s: Settings, skip?: string): string =>
  Object.entries(s).filter(([id]) => id !== skip).map(([id, v]) => `${id} ${String(v)}`).join(', ');

/**
 * Replays the guided search over what has been measured and returns what to measure next. A
 * replay (rather than mutable state) makes the plan a function of the results alone, so a
 * resumed tune continues exactly where the interrupted one stopped.
 */
function replay(knobs: readonly Knob[], maxPoints: number, measured: readonly MeasuredPoint[]): { next: number[]; notes: string[] } {
  const byIndex = new Map(measured.map((m) => [m.index, m]));
  const known: MeasuredPoint[] = [];
  const notes: string[] = [];
  const budget = Math.max(0, maxPoints - byIndex.size);
  const size = gridSize(knobs);
  /** `leftOut` names what the phase had still to measure, so a budget stop says what it skipped. */
  const finish = (next: number[], phase: string, leftOut = ''): { next: number[]; notes: string[] } => {
    if (next.length > 0 && budget === 0) {
      notes.push(`${phase} stopped at the budget of ${maxPoints} points (--max-points)${leftOut ? `: ${leftOut} not measured` : ''}.`);
      next = [];
    }
    const unmeasured = size - byIndex.size - Math.min(next.length, budget);
    notes.unshift(`The grid has ${size} points, more than the budget of ${maxPoints}: a guided search measured ${byIndex.size}${next.length ? ' so far' : ''} and left ${unmeasured} out.`);
    return { next: next.slice(0, budget), notes };
  };
  /** Takes the measured ones among `wanted` as known; returns those still to measure. */
  const need = (wanted: number[]): number[] => {
    const todo: number[] = [];
    for (const i of wanted) {
      const m = byIndex.get(i);
      if (m) known.includes(m) || known.push(m);
      else todo.push(i);
    }
    return todo;
  };
  const at = (base: Settings, id: string, v: KnobValue): number => gridIndexOf(knobs, { ...base, [id]: v });

  // (1) Ramp one axis from the baseline, one point at a time, until it stops paying off.
  const axis = knobs[rampAxis(knobs)]!;
  const baseline = gridPoint(knobs, 0);
  const rampValues = ordered(axis);
  let bestX = -Infinity;
  let flat = 0;
  let anyMet = false;
  for (let i = 0; i < rampValues.length; i++) {
    const v = rampValues[i]!;
    const todo = need([at(baseline, axis.id, v)]);
    if (todo.length) return finish(todo, `The ramp of ${axis.id}`, `${axis.id} ${rampValues.slice(i).map(String).join(', ')}`);
    const p = byIndex.get(at(baseline, axis.id, v))!;
    let why: string | null = null;
    if (!p.ok) why = 'the point failed';
    else if (!p.meetsSlo && anyMet) why = 'it broke the SLO';
    else {
      flat = p.throughput > bestX * (1 + RISE_PCT / 100) ? 0 : flat + 1;
      if (flat >= FLAT_STEPS) why = `throughput had stopped rising (not ${RISE_PCT}% above the best for ${FLAT_STEPS} steps)`;
    }
    if (p.ok) bestX = Math.max(bestX, p.throughput);
    anyMet ||= p.ok && p.meetsSlo;
    const rest = rampValues.slice(i + 1);
    if (why) {
      if (rest.length) notes.push(`${axis.id} ${rest.map(String).join(', ')}${knobs.length > 1 ? ` with ${words(baseline, axis.id)}` : ''}: the ramp stopped at ${axis.id} ${String(v)} because ${why}.`);
      break;
    }
  }

  // (2) One knob at a time, the others at the best point so far.
  for (const k of knobs) {
    if (k === axis) continue;
    const best = bestOf(known);
    const base = best ? gridPoint(knobs, best.index) : baseline;
    const todo = need(k.values.map((v) => at(base, k.id, v)));
    if (todo.length) return finish(todo, `The pass over ${k.id}`);
    notes.push(`${k.id} was varied only with ${words(base, k.id)} (the best point then); its other combinations were left out.`);
  }

  // (3) Refine: grid neighbours of the best point, one at a time, so a better one moves the search.
  for (;;) {
    const best = bestOf(known);
    if (!best) {
      notes.push('No point succeeded, so the search could not refine around a best point.');
      return finish([], 'The search');
    }
    const s = gridPoint(knobs, best.index);
    const neighbours: number[] = [];
    for (const k of knobs) {
      const vals = ordered(k);
      const pos = vals.indexOf(s[k.id]!);
      for (const j of [pos - 1, pos + 1]) if (j >= 0 && j < vals.length) neighbours.push(at(s, k.id, vals[j]!));
    }
    const todo = need(neighbours);
    if (todo.length) return finish(todo.slice(0, 1), 'Refining around the best point');
    // Every neighbour is measured: go on from a better one, or stop at a local optimum.
    if (bestOf(known) === best) return finish([], 'The search');
  }
}

/**
 * From measured points to a decision: the candidates `choose` ranks (with their resource cost),
 * the scalability model fitted through the winner's slice of the space, the recommendation and
 * the SLO as a budget judged on it.
 */
import type { BudgetResult } from '../../result/budgetResult.js';
import type { Recommendation, ScalabilityModel, TuneObjective, TunePoint, TuneSpace } from '../../result/tuneResult.js';
import { choose, type Candidate, type Choice } from './choose.js';
import { buildModel } from './scalabilityModel.js';

/** How settings read in words: "pool 2, concurrency 4, env WORKERS=4" (as the report writes them). */
export function settingsLabel(settings: Record<string, unknown>): string {
  return Object.entries(settings).map(([id, v]) => {
    const colon = id.indexOf(':');
    return colon < 0 ? `${id} ${String(v)}` : `${id.slice(0, colon)} ${id.slice(colon + 1)}=${String(v)}`;
  }).join(', ');
}

/** The SLO percentile of a run's latency, µs (Infinity when nothing succeeded: it meets no SLO). */
function statOf(run: TunePoint['runs'][number], stat: TuneObjective['sloStat']): number {
  return run.latency && run.latency.n > 0 ? run.latency[stat] : Infinity;
}

/**
 * Resource cost, lexicographic: instances first, then requests in flight, then the numeric server
 * knobs in order (fewer workers, threads… is cheaper), then batch size.
 */
export function costOf(space: TuneSpace, settings: Record<string, unknown>, base: { pool: number; concurrency: number }): number[] {
  const num = (id: string, fallback: number): number => (typeof settings[id] === 'number' ? (settings[id] as number) : fallback);
  const pool = num('pool', base.pool);
  const serverKnobs = space.knobs.filter((k) => k.kind !== 'builtin').map((k) => num(k.id, 0));
  return [pool, pool * num('concurrency', base.concurrency), ...serverKnobs, num('batch', 0)];
}

/** The candidates of `choose`, one per measured point. */
export function candidatesOf(space: TuneSpace, objective: TuneObjective, points: readonly TunePoint[], base: { pool: number; concurrency: number }): Candidate[] {
  return points.map((p) => ({
    index: p.index,
    ok: p.status === 'ok' && p.runs.length > 0,
    runs: p.runs.map((r) => ({ throughput: r.succeededRps, statUs: statOf(r, objective.sloStat), errorRatePct: r.errorRatePct })),
    cost: costOf(space, p.settings, base),
    label: settingsLabel(p.settings),
  }));
}

/** Decide among the points. */
export function decide(space: TuneSpace, objective: TuneObjective, points: readonly TunePoint[], base: { pool: number; concurrency: number }, opts: { maxRepeats: number; noisePct: number }): Choice {
  return choose(candidatesOf(space, objective, points, base), {
    kind: objective.kind, thresholdUs: objective.sloThresholdMs * 1000, statLabel: objective.sloStat, maxErrorPct: objective.maxErrorPct,
  }, { maxRepeats: opts.maxRepeats, noiseFloorPct: opts.noisePct });
}

/**
 * The axis the model is fitted on: N = pool × concurrency when either is swept, else the first
 * numeric server knob swept (e.g. WORKERS: the server's own parallelism); null when none is.
 */
export function modelAxis(space: TuneSpace): { label: string; n: (s: Record<string, unknown>) => number; ids: string[] } | null {
  const swept = space.knobs.filter((k) => k.values.length > 1 && k.values.every((v) => typeof v === 'number'));
  const client = swept.filter((k) => k.id === 'pool' || k.id === 'concurrency');
  if (client.length) {
    return {
      label: client.length === 2 ? 'pool × concurrency' : client[0]!.id,
      n: (s) => client.reduce((acc, k) => acc * (s[k.id] as number), 1),
      ids: client.map((k) => k.id),
    };
  }
  const server = swept.find((k) => k.kind !== 'builtin');
  return server ? { label: server.name.replace(/^\//, ''), n: (s) => s[server.id] as number, ids: [server.id] } : null;
}

/**
 * Fit throughput against the model axis over the ok points that share the winner's other settings
 * (a slice through the winner, so the other knobs do not blur the curve). Closed loops only: at a
 * fixed arrival rate throughput is the rate, and says nothing about scalability.
 */
export function modelOf(space: TuneSpace, objective: TuneObjective, points: readonly TunePoint[], winner: TunePoint | undefined): ScalabilityModel | null {
  const axis = modelAxis(space);
  if (!axis || !winner || objective.atRps !== null) return null;
  const others = Object.entries(winner.settings).filter(([id]) => !axis.ids.includes(id));
  const slice = points.filter((p) => p.status === 'ok' && p.summary && others.every(([id, v]) => p.settings[id] === v));
  return buildModel(slice.map((p) => ({ n: axis.n(p.settings), x: p.summary!.succeededRps, latencyUs: p.summary!.p50Us })), axis.label);
}

/** The recommendation of a choice, with the model's word on it. */
export function recommendationOf(choice: Choice, points: readonly TunePoint[], model: ScalabilityModel | null): Recommendation | null {
  const winner = points.find((p) => p.index === choice.winner);
  if (!winner) return null;
  const explanation = [...choice.explanation];
  const bestX = Math.max(0, ...points.map((p) => p.summary?.succeededRps ?? 0));
  // Quoted only when the law holds (a good fit that predicts no more than was measured).
  if (model?.kind === 'usl' && model.peakN !== null && model.r2 !== null && model.r2 >= 0.95 && (model.peakThroughput ?? Infinity) <= 1.1 * bestX) {
    explanation.push(`The scalability model fitted to the measured points (R² ${model.r2.toFixed(2)}) predicts the throughput peak at N ≈ ${model.peakN.toFixed(1)}.`);
  }
  return { pointIndex: winner.index, settings: winner.settings, meetsSlo: choice.meetsSlo, runnerUpIndex: choice.runnerUp, explanation };
}

/** Prefix of every edge warning, so a resumed tune replaces the last run's instead of piling them up. */
export const EDGE_WARNING_PREFIX = 'Edge of the swept range: ';

/**
 * Warnings when the recommended point sits at the edge of a numeric knob's swept range: the
 * optimum may lie outside what was tried (the curve was never seen to turn). The low edge is not
 * reported at 1 or below, where there is nothing smaller to try (one instance, one in flight).
 */
export function edgeWarnings(space: TuneSpace, winner: TunePoint | undefined): string[] {
  if (!winner) return [];
  const out: string[] = [];
  for (const k of space.knobs) {
    const values = k.values.filter((v): v is number => typeof v === 'number');
    const v = winner.settings[k.id];
    if (values.length < 2 || values.length !== k.values.length || typeof v !== 'number') continue;
    const hi = Math.max(...values);
    const lo = Math.min(...values);
    const fmt = (x: number): string => String(Number(x.toPrecision(6)));
    if (v === hi) {
      out.push(`${EDGE_WARNING_PREFIX}the recommended ${k.id} is the largest tried (${fmt(v)}): the best may lie beyond it; try larger values, e.g. --knob ${k.id}=${[v, 2 * v, 4 * v].map(fmt).join(',')}.`);
    } else if (v === lo && v > 1) {
      const smaller = Number.isInteger(v) ? [...new Set([Math.max(1, Math.floor(v / 4)), Math.max(1, Math.floor(v / 2)), v])] : [v / 4, v / 2, v];
      out.push(`${EDGE_WARNING_PREFIX}the recommended ${k.id} is the smallest tried (${fmt(v)}): the best may lie below it; try smaller values, e.g. --knob ${k.id}=${smaller.map(fmt).join(',')}.`);
    }
  }
  return out;
}

/** The SLO as a budget on the recommended point: fails when no point met it. */
export function sloBudget(objective: TuneObjective, winner: TunePoint | undefined, meetsSlo: boolean): BudgetResult {
  const actualUs = winner?.summary ? winner.summary[`${objective.sloStat}Us` as 'p95Us'] : null;
  return {
    expression: objective.slo, metric: `latency.${objective.sloStat}`, op: '<=', threshold: objective.sloThresholdMs, unit: 'ms',
    actual: actualUs === null || !Number.isFinite(actualUs) ? null : actualUs / 1000, pass: meetsSlo && winner !== undefined, source: objective.sloSource ?? 'flag',
    ...(winner ? {} : { note: 'no point was measured successfully' }),
  };
}

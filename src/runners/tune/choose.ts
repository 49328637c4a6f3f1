/**
 * Choosing the recommended point. Measurements are noisy, so a winner must beat the runner-up by
 * more than the noise seen between runs of the same point (hyperfine's habit of reporting spread,
 * not just means); when it does not, both are measured again, and if it still does not, the
 * cheaper setting wins, since paying for capacity that buys nothing measurable is the worse error.
 */
import { median } from '../../measure/stats.js';

/** One measured point, as the chooser sees it. */
export interface Candidate {
  /** The point's grid index (what winner, runnerUp and repeat refer to). */
  index: number;
  /** False: the point failed; it is never chosen. */
  ok: boolean;
  /** Runs of the point; statUs is the SLO percentile (e.g. p95) in µs. */
  runs: ReadonlyArray<{
    /** Successes per second. */
    throughput: number;
    /** The SLO percentile of successes, µs. */
    statUs: number;
    /** Server error rate, percent. */
    errorRatePct: number;
  }>;
  /** Lexicographic resource cost, lower is cheaper (e.g. [pool, pool × concurrency]). */
  cost: readonly number[];
  /** Settings in words, for explanations ("pool 1, concurrency 4"). */
  label: string;
}

/** What is optimised, and the SLO a point must meet. */
export interface ChoiceObjective {
  /** max-throughput: most req/s meeting the SLO; min-p95: lowest SLO statistic; min-instances: cheapest meeting the SLO. */
  kind: 'max-throughput' | 'min-p95' | 'min-instances';
  /** SLO threshold on the statistic, µs. */
  thresholdUs: number;
  /** The statistic's name for explanations, e.g. 'p95'. */
  statLabel: string;
  /** Error rate a point may not exceed, percent. */
  maxErrorPct: number;
}

/** The decision. */
export interface Choice {
  /** Candidate index of the winner; null only when no candidate is ok. */
  winner: number | null;
  /** False when no point met the SLO: the winner is then the closest. */
  meetsSlo: boolean;
  /** Candidate index of the runner-up, when there is one. */
  runnerUp: number | null;
  /** The winner beats the runner-up beyond the measured noise (true when it has no rival). */
  separated: boolean;
  /** Candidate indices to measure again before deciding; [] when decided. */
  repeat: number[];
  /** Sentences: why this point, the noise, the cheaper preference, the SLO. */
  explanation: string[];
}

type Summary = { throughput: number; statUs: number; errorRatePct: number };

/** Medians over a point's runs (medians, because one disturbed run must not move a point); no runs reads as the worst. */
export function summarize(runs: Candidate['runs']): Summary {
  if (runs.length === 0) return { throughput: 0, statUs: Infinity, errorRatePct: 100 };
  return {
    throughput: median(runs.map((r) => r.throughput)),
    statUs: median(runs.map((r) => r.statUs)),
    errorRatePct: median(runs.map((r) => r.errorRatePct)),
  };
}

/** Whether a point is ok and its medians meet the SLO and the error limit. */
export function meets(c: Candidate, o: ChoiceObjective): boolean {
  if (!c.ok || c.runs.length === 0) return false;
  const s = summarize(c.runs);
  return s.statUs <= o.thresholdUs && s.errorRatePct <= o.maxErrorPct;
}

/** Lexicographic cost order; a missing entry counts as 0. */
function byCost(a: Candidate, b: Candidate): number {
  for (let i = 0; i < Math.max(a.cost.length, b.cost.length); i++) {
    const d = (a.cost[i] ?? 0) - (b.cost[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const pct = (v: number): string => `${Number(v.toFixed(1))}%`;
/** A latency for people: "45.2 ms", "830 µs". */
const formatUs = (us: number): string => (!Number.isFinite(us) ? '–' : us >= 1000 ? `${Number((us / 1000).toPrecision(3))} ms` : `${Math.round(us)} µs`);
const rps = (v: number): string => `${Math.round(v).toLocaleString('en-US')} req/s`;
const list = (names: string[]): string => (names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

/** Decide among measured points: the winner, whether it is clear, and what to measure again. */
export function choose(cands: readonly Candidate[], o: ChoiceObjective, opts: { maxRepeats: number; noiseFloorPct: number }): Choice {
  const ok = cands.filter((c) => c.ok && c.runs.length > 0);
  const slo = `"${o.statLabel} ≤ ${formatUs(o.thresholdUs)}"${o.maxErrorPct < 100 ? ` with errors ≤ ${pct(o.maxErrorPct)}` : ''}`;
  const none: Choice = { winner: null, meetsSlo: false, runnerUp: null, separated: false, repeat: [], explanation: [] };
  if (ok.length === 0) {
    return { ...none, explanation: [`No point completed successfully, so there is nothing to recommend; see each point's error.`] };
  }
  const sum = new Map(ok.map((c) => [c, summarize(c.runs)]));
  const s = (c: Candidate): Summary => sum.get(c)!;
  const failed = cands.length - ok.length;
  const missed = ok.filter((c) => !meets(c, o)).length;
  const tally = failed + missed > 0 ? [`Of ${cands.length} points, ${failed} failed and ${missed} missed ${slo}.`] : [];

  const withinErrors = ok.filter((c) => s(c).errorRatePct <= o.maxErrorPct);
  const rankStat = (a: Candidate, b: Candidate): number => s(a).statUs - s(b).statUs || byCost(a, b);
  const feasible =
    o.kind === 'max-throughput' ? ok.filter((c) => meets(c, o)).sort((a, b) => s(b).throughput - s(a).throughput || byCost(a, b))
    : o.kind === 'min-p95' ? withinErrors.sort(rankStat)
    : ok.filter((c) => meets(c, o)).sort((a, b) => byCost(a, b) || rankStat(a, b));
  if (feasible.length === 0 || !meets(feasible[0]!, o)) {
    // Nothing meets the SLO: show the closest, so the user sees how far off the best attempt is.
    const closest = withinErrors.length ? [...withinErrors].sort(rankStat) : [...ok].sort((a, b) => s(a).errorRatePct - s(b).errorRatePct || rankStat(a, b));
    const c = closest[0]!;
    const figure = withinErrors.length ? `${o.statLabel} ${formatUs(s(c).statUs)}` : `${pct(s(c).errorRatePct)} errors`;
    return {
      ...none,
      winner: c.index,
      runnerUp: closest[1]?.index ?? null,
      explanation: [`No point met ${slo}; the closest is ${c.label} at ${figure}. Relax the SLO, add capacity, or lower the load.`, ...tally],
    };
  }

  const top = feasible[0]!;
  const metric = (c: Candidate): number => (o.kind === 'max-throughput' ? s(c).throughput : s(c).statUs);
  const spread = (c: Candidate): number => {
    const v = c.runs.map((r) => (o.kind === 'max-throughput' ? r.throughput : r.statUs));
    const m = median(v);
    return v.length >= 2 && m > 0 ? ((Math.max(...v) - Math.min(...v)) / m) * 100 : 0;
  };
  const noise = (a: Candidate, b: Candidate): number => Math.max(opts.noiseFloorPct, spread(a), spread(b));
  /** Difference relative to `b`, percent (how much better `a` is than the rival). */
  const diff = (a: Candidate, b: Candidate): number => {
    const [ma, mb] = [metric(a), metric(b)];
    return mb === 0 ? (ma === 0 ? 0 : Infinity) : (Math.abs(ma - mb) / mb) * 100;
  };
  const why = (c: Candidate): string =>
    o.kind === 'max-throughput' ? `${c.label} gives the highest throughput meeting ${slo}: ${rps(s(c).throughput)} at ${o.statLabel} ${formatUs(s(c).statUs)}.`
    : o.kind === 'min-p95' ? `${c.label} gives the lowest ${o.statLabel}, ${formatUs(s(c).statUs)}, meeting ${slo}.`
    : `${c.label} is the cheapest setting meeting ${slo}: ${o.statLabel} ${formatUs(s(c).statUs)}, ${rps(s(c).throughput)}.`;

  const ru = feasible[1];
  if (!ru) return { ...none, winner: top.index, meetsSlo: true, separated: true, explanation: [why(top), `It is the only point that met ${slo}.`, ...tally] };

  if (o.kind === 'min-instances') {
    // Cost is exact, not measured, so cheapest wins outright; only the SLO margin can be noise.
    const n = Math.max(opts.noiseFloorPct, spread(top));
    const margin = ((o.thresholdUs - s(top).statUs) / o.thresholdUs) * 100;
    const close = margin < n ? [`Its ${o.statLabel} is within the measured noise (±${pct(n)}) of the SLO; confirm it with a longer run.`] : [];
    return { ...none, winner: top.index, meetsSlo: true, runnerUp: ru.index, separated: true, explanation: [why(top), `The next cheapest meeting it is ${ru.label}.`, ...close, ...tally] };
  }

  const n = noise(top, ru);
  const d = diff(top, ru);
  if (d >= n) {
    const margin = o.kind === 'max-throughput' ? `+${pct(d)} throughput over` : `${o.statLabel} ${pct(d)} lower than`;
    return { ...none, winner: top.index, meetsSlo: true, runnerUp: ru.index, separated: true, explanation: [why(top), `${margin} the runner-up ${ru.label}, beyond the ±${pct(n)} noise.`, ...tally] };
  }
  if (top.runs.length < opts.maxRepeats || ru.runs.length < opts.maxRepeats) {
    return {
      ...none, winner: top.index, meetsSlo: true, runnerUp: ru.index, separated: false, repeat: [top.index, ru.index],
      explanation: [`${top.label} and ${ru.label} are within the measured noise (±${pct(n)}); both are measured again before deciding.`],
    };
  }
  // Still within noise after the repeats: among all points indistinguishable from the best, the cheapest.
  const close = feasible.filter((c) => c === top || diff(top, c) < noise(top, c));
  const winner = [...close].sort(byCost)[0]!;
  const widest = Math.max(...close.map((c) => noise(top, c)));
  const pick = close.length === 2 ? 'the cheaper one is recommended' : `the cheapest, ${winner.label}, is recommended`;
  return {
    ...none, winner: winner.index, meetsSlo: true, runnerUp: (winner === top ? ru : top).index, separated: false,
    explanation: [`${winner.label} meets ${slo} with ${rps(s(winner).throughput)} at ${o.statLabel} ${formatUs(s(winner).statUs)}.`, `${list(close.map((c) => c.label))} are within the measured noise (±${pct(widest)}); ${pick}.`, ...tally],
  };
}

/**
 * What `report --compare` compares for each result kind, which direction is better, and the
 * verdict. First the runs must have been measured the same way (load model, rate, concurrency,
 * instances, workload, target: see comparable.ts); otherwise no verdict is given (UsageError,
 * exit 2) unless `force`, and then the differences travel with the verdicts. The verdict rule:
 * - significant: a percentile (latency p50/p95/p99, per-second throughput's median, cold-start
 *   median) when the 95 % bootstrap interval of ITS OWN ratio current/baseline excludes 1 (a tail
 *   can move while the median and the Mann-Whitney U of the whole distribution do not, and the
 *   reverse, so another statistic must not decide a percentile); an error rate when the
 *   two-proportion p < 0.01; a deterministic figure (tool-list tokens) on any change; never for
 *   one value per run (nothing to test against);
 * - practical: |ratio − 1| ≥ minEffectPct/100 (deterministic figures: any change);
 * - regressed / improved: significant and practical in the worse / better direction, else unchanged;
 * - failing: regressed and the worse-direction change (ratio − 1 when lower is better, 1 − ratio
 *   when higher is better) exceeds failOnRegressionPct/100.
 * Two gates, because with 10⁵ requests a 0.5 % shift is "significant" and still not worth a red CI
 * (requests are not independent, so intervals are optimistic: the minimum effect guards that).
 * Mann-Whitney's p and effect size are still reported for the whole distribution, for reference.
 * A metric missing on either side is unchanged, with a note naming the side that lacks it.
 * A tail percentile with fewer than MIN_TAIL_SAMPLES beyond it on either side gets no verdict.
 * A regression of corrected latency does not fail the gate when the load generator was flagged as
 * the bottleneck in either run (its own send lateness is in that figure) unless service time at the
 * same percentile fails too, with a note saying so.
 */
import { UsageError } from '../errors.js';
import { DEFAULT_MIN_EFFECT_PCT } from '../options/resolveReport.js';
import type { Distribution } from '../measure/histogram.js';
import type { AnalyzeResult } from '../result/analyzeResult.js';
import type { BenchResult } from '../result/benchResult.js';
import type { ComparedRun, ComparisonReport, MetricComparison, Verdict } from '../result/comparison.js';
import { SCHEMA_VERSION } from '../result/header.js';
import type { TuneResult } from '../result/tuneResult.js';
import type { AnyResult } from '../result/anyResult.js';
import { describeDifferences, runDifferences } from './comparable.js';
import { binsQuantile, histogramBins, sampleBins } from '../measure/histogramSample.js';
import { bootstrapRatio, bootstrapSamplesRatio, mannWhitneyBins, mannWhitneySamples, twoProportionTest } from '../measure/significance.js';

/** Options of a comparison. */
export interface CompareOptions {
  /** --fail-on-regression, percent; null: nothing fails. */
  failOnRegressionPct: number | null;
  /** Smallest change counted as improved or regressed, percent (default 5). */
  minEffectPct?: number;
  /** The files the two results were read from (for the report's header). */
  files: {
    /** The baseline's file (absolute path). */
    baseline: string;
    /** The current result's file (absolute path; merged files joined by commas). */
    current: string;
  };
  /** Bootstrap seed (default 1): the same files always give the same verdicts. */
  seed?: number;
  /** --force: give verdicts even when the runs were measured differently (the differences are then listed). */
  force?: boolean;
}

/** Two-proportion z-test p-value below which an error-rate change counts as significant. */
export const ALPHA = 0.01;
/**
 * Fewest samples beyond a tail percentile (n·(1−q) for p95, p99) per side for a verdict on it. The
 * bootstrap of a high percentile resamples the few largest values: with under ~10 of them its
 * interval takes a handful of discrete values and is far too narrow (p99 of 300 requests rests on
 * 3), so one slow burst on a busy machine would read as a regression. Below this: no verdict, noted.
 */
export const MIN_TAIL_SAMPLES = 10;
/** Fewest samples per side for a test on per-run samples: below this a bootstrap interval of their median takes only a few values and cannot be trusted. */
export const MIN_SAMPLES = 5;

type Unit = MetricComparison['unit'];
type Better = MetricComparison['better'];
/** How a metric's two sides are judged. */
type Evidence =
  | { kind: 'hdr'; q: number; a: Distribution | null; b: Distribution | null }
  | { kind: 'samples'; q: number; a: number[] | null; b: number[] | null }
  | { kind: 'proportion'; a: { failed: number; trials: number } | null; b: { failed: number; trials: number } | null }
  | { kind: 'deterministic'; a: number | null; b: number | null }
  | { kind: 'single'; a: number | null; b: number | null; note: string };
/**
 * `noGate`: why a regression of this metric must not fail the gate (the figure partly measures
 * mcp-opt), unless the metric named `unless` (the server's own time at that percentile) fails too.
 */
interface MetricSpec { metric: string; unit: Unit; better: Better; ev: Evidence; noGate?: { why: string; unless: string } }

const QUANTILES = [['p50', 0.5], ['p95', 0.95], ['p99', 0.99]] as const;

/** Compare two results of the same kind, metric by metric (see the header for the verdict rule); throws UsageError on different kinds, or on runs measured differently without `force`. */
export function compareResults(baseline: AnyResult, current: AnyResult, opts: CompareOptions): ComparisonReport {
  if (baseline.kind !== current.kind) {
    throw new UsageError(`Cannot compare a ${current.kind} result (${opts.files.current}) with a ${baseline.kind} result (${opts.files.baseline}); compare results of the same command.`);
  }
  const differences = runDifferences(baseline, current);
  if (differences.length && !opts.force) {
    throw new UsageError(
      `No verdict: ${opts.files.current} (current) and ${opts.files.baseline} (baseline) were not measured the same way (${describeDifferences(differences)}). `
      + `Their figures measure different things${differences.some((d) => d.what === 'load model') ? ' (a closed loop reports service time at a fixed concurrency, an open loop latency at a fixed rate, corrected for coordinated omission)' : ''}, `
      + 'so a change between them would be the setting\'s, not the server\'s. Compare runs made with the same settings, or pass --force to compare anyway (the differences are then printed with the verdicts).',
    );
  }
  const specs =
    baseline.kind === 'bench' ? benchSpecs(baseline, current as BenchResult)
    : baseline.kind === 'analyze' ? analyzeSpecs(baseline, current as AnalyzeResult)
    : tuneSpecs(baseline, current as TuneResult);
  const minEffectPct = opts.minEffectPct ?? DEFAULT_MIN_EFFECT_PCT;
  const judged = specs.map((s) => judge(s, opts.failOnRegressionPct, minEffectPct, (opts.seed ?? 1) ^ fnv1a(s.metric)));
  const metrics = judged.map((m, k) => ungated(m, specs[k]!.noGate, judged));
  const counts: Record<Verdict, number> = { improved: 0, regressed: 0, unchanged: 0 };
  for (const m of metrics) counts[m.verdict]++;
  return {
    schemaVersion: SCHEMA_VERSION, kind: 'comparison',
    baseline: run(baseline, opts.files.baseline), current: run(current, opts.files.current),
    failOnRegressionPct: opts.failOnRegressionPct, minEffectPct, differences, metrics, counts, failed: metrics.some((m) => m.failing),
  };
}

function run(r: AnyResult, file: string): ComparedRun {
  return { file, kind: r.kind, createdAt: r.createdAt, target: r.target.display };
}

function benchSpecs(a: BenchResult, b: BenchResult): MetricSpec[] {
  const specs: MetricSpec[] = [];
  const hdrSpec = (metric: string, q: number, da: Distribution | null, db: Distribution | null, why?: string): MetricSpec =>
    ({ metric, unit: 'us', better: 'lower', ev: { kind: 'hdr', q, a: da, b: db }, ...(why ? { noGate: { why, unless: `service.p${Math.round(q * 100)}` } } : {}) });
  // Corrected latency counts from the intended send, so a generator that sent late (flagged as the
  // bottleneck) adds its own lateness to it: judged, but gated only when the server's own time
  // (service time, from the actual send) fails at the same percentile too.
  const late = [a.generator?.bottleneck ? 'baseline' : '', b.generator?.bottleneck ? 'current' : ''].filter(Boolean).join(' and ');
  const noGate = late ? `the load generator was the bottleneck in the ${late} run: its send lateness is in this corrected latency, so it fails the gate only with the server's own time (service.*)` : undefined;
  for (const [p, q] of QUANTILES) specs.push(hdrSpec(`latency.${p}`, q, a.latency, b.latency, noGate));
  for (const [p, q] of QUANTILES) specs.push(hdrSpec(`service.${p}`, q, a.serviceTime, b.serviceTime));
  const ops = [...new Set([...a.byOperation, ...b.byOperation].map((o) => o.op))];
  const opLatency = (r: BenchResult, op: string): Distribution | null => r.byOperation.find((o) => o.op === op)?.latency ?? null;
  for (const op of ops) specs.push(hdrSpec(`${op}.p95`, 0.95, opLatency(a, op), opLatency(b, op), noGate));
  specs.push({ metric: 'throughput.succeededRps', unit: 'rps', better: 'higher', ev: { kind: 'samples', q: 0.5, a: succeededPerSecond(a), b: succeededPerSecond(b) } });
  // errorRatePct is failed / (succeeded + failed): the same denominator keeps the tested rate the printed one.
  const failures = (r: BenchResult) => ({ failed: r.requests.failed, trials: r.requests.succeeded + r.requests.failed });
  specs.push({ metric: 'errors.ratePct', unit: 'pct', better: 'lower', ev: { kind: 'proportion', a: failures(a), b: failures(b) } });
  specs.push({ metric: 'memory.rssPeakBytes', unit: 'bytes', better: 'lower',
    ev: { kind: 'single', a: a.resources?.rssPeakBytes ?? null, b: b.resources?.rssPeakBytes ?? null, note: 'one value per run: no test' } });
  return specs;
}

/** Successes in each measured second; the last one is dropped because the run stops mid-second (a partial count would read as a dip). */
function succeededPerSecond(r: BenchResult): number[] | null {
  const seconds = r.timeline.filter((e) => !e.warmup).slice(0, -1);
  return seconds.length === 0 ? null : seconds.map((e) => e.completed - e.errors);
}

function analyzeSpecs(a: AnalyzeResult, b: AnalyzeResult): MetricSpec[] {
  const stage = (r: AnalyzeResult, pick: (s: AnalyzeResult['coldStart'] & object) => number[]) => (r.coldStart ? pick(r.coldStart) : null);
  const ready = (c: NonNullable<AnalyzeResult['coldStart']>) => c.samples.map((s) => s.readyMs * 1000);
  const handshake = (c: NonNullable<AnalyzeResult['coldStart']>) => c.samples.map((s) => s.handshakeMs * 1000);
  const peakRss = (c: NonNullable<AnalyzeResult['coldStart']>) => c.samples.flatMap((s) => (s.peakRssBytes === null ? [] : [s.peakRssBytes]));
  const specs: MetricSpec[] = [
    { metric: 'coldStart.ready.p50', unit: 'us', better: 'lower', ev: { kind: 'samples', q: 0.5, a: stage(a, ready), b: stage(b, ready) } },
    { metric: 'coldStart.handshake.p50', unit: 'us', better: 'lower', ev: { kind: 'samples', q: 0.5, a: stage(a, handshake), b: stage(b, handshake) } },
  ];
  // The sequential pass: one request at a time is the op's own cost, free of queueing behind its neighbours.
  const ops = [...new Set([...(a.latency?.operations ?? []), ...(b.latency?.operations ?? [])].map((o) => o.op))];
  const seq = (r: AnalyzeResult, op: string) => r.latency?.operations.find((o) => o.op === op)?.sequential ?? null;
  for (const op of ops) specs.push({ metric: `latency.${op}.p95`, unit: 'us', better: 'lower', ev: { kind: 'hdr', q: 0.95, a: seq(a, op), b: seq(b, op) } });
  specs.push({ metric: 'tools.tokens', unit: 'count', better: 'lower', ev: { kind: 'deterministic', a: a.tools?.tokens ?? null, b: b.tools?.tokens ?? null } });
  const rssA = stage(a, peakRss);
  const rssB = stage(b, peakRss);
  if (rssA?.length || rssB?.length) specs.push({ metric: 'coldStart.peakRss.p50', unit: 'bytes', better: 'lower', ev: { kind: 'samples', q: 0.5, a: rssA, b: rssB } });
  if (a.resources || b.resources) {
    specs.push({ metric: 'memory.afterRssBytes', unit: 'bytes', better: 'lower',
      ev: { kind: 'single', a: a.resources?.afterRssBytes ?? null, b: b.resources?.afterRssBytes ?? null, note: 'one value per run: no test' } });
  }
  return specs;
}

function tuneSpecs(a: TuneResult, b: TuneResult): MetricSpec[] {
  const rec = (r: TuneResult) => (r.recommendation ? r.points.find((p) => p.index === r.recommendation!.pointIndex) ?? null : null);
  const show = (r: TuneResult) => (r.recommendation ? Object.entries(r.recommendation.settings).map(([k, v]) => `${k}=${v}`).join(' ') || '(defaults)' : 'none');
  const note = `one figure per tune: no test; recommended ${show(b)} (baseline: ${show(a)})`;
  return [{ metric: 'recommendation.throughput', unit: 'rps', better: 'higher',
    ev: { kind: 'single', a: rec(a)?.summary?.succeededRps ?? null, b: rec(b)?.summary?.succeededRps ?? null, note } }];
}

/** Judge one metric: figures, test, verdict. */
function judge(spec: MetricSpec, failPct: number | null, minEffectPct: number, seed: number): MetricComparison {
  const { ev } = spec;
  const out = (a: number | null, b: number | null, extra: Partial<MetricComparison> = {}): MetricComparison => ({
    metric: spec.metric, unit: spec.unit, better: spec.better, baseline: a, current: b,
    delta: a === null || b === null ? null : b - a, ratio: a === null || b === null || a === 0 ? null : b / a,
    ci: null, test: 'none', pValue: null, effectSize: null, verdict: 'unchanged', failing: false, note: null, ...extra,
  });
  const missing = missingNote(ev.a === null || (Array.isArray(ev.a) && ev.a.length === 0), ev.b === null || (Array.isArray(ev.b) && ev.b.length === 0));
  if (ev.kind === 'hdr') {
    if (missing || ev.a!.hdr === '' || ev.b!.hdr === '') {
      const pick = (d: Distribution | null) => (d ? d[`p${Math.round(ev.q * 100)}` as 'p50' | 'p95' | 'p99'] : null);
      return out(pick(ev.a), pick(ev.b), { note: missing ?? 'no encoded histogram: no test' });
    }
    const ba = histogramBins(ev.a!.hdr);
    const bb = histogramBins(ev.b!.hdr);
    const thin = thinTail(ev.q, ba.total, bb.total);
    if (thin) return out(binsQuantile(ba, ev.q), binsQuantile(bb, ev.q), { note: thin });
    const boot = bootstrapRatio(ba, bb, ev.q, { seed });
    const mw = mannWhitneyBins(ba, bb);
    const sig = excludesOne(boot.ci);
    return decide(out(binsQuantile(ba, ev.q), binsQuantile(bb, ev.q), { ci: finiteCi(boot.ci), test: 'bootstrap-hdr', pValue: mw.pValue, effectSize: mw.effectSize }), sig, failPct, minEffectPct);
  }
  if (ev.kind === 'samples') {
    const fig = (s: number[] | null) => (s && s.length > 0 ? binsQuantile(sampleBins(s), ev.q) : null);
    if (missing) return out(fig(ev.a), fig(ev.b), { note: missing });
    const n = Math.min(ev.a!.length, ev.b!.length);
    if (n < MIN_SAMPLES) return out(fig(ev.a), fig(ev.b), { note: `${n} samples: too few for a test` });
    const boot = bootstrapSamplesRatio(ev.a!, ev.b!, ev.q, { seed });
    const mw = mannWhitneySamples(ev.a!, ev.b!);
    const sig = excludesOne(boot.ci);
    return decide(out(fig(ev.a), fig(ev.b), { ci: finiteCi(boot.ci), test: 'bootstrap-samples', pValue: mw.pValue, effectSize: mw.effectSize }), sig, failPct, minEffectPct);
  }
  if (ev.kind === 'proportion') {
    const pct = (s: { failed: number; trials: number } | null) => (s && s.trials > 0 ? (100 * s.failed) / s.trials : null);
    if (missing || ev.a!.trials === 0 || ev.b!.trials === 0) return out(pct(ev.a), pct(ev.b), { note: missing ?? 'no answered request on one side: no test' });
    const t = twoProportionTest(ev.a!.failed, ev.a!.trials, ev.b!.failed, ev.b!.trials);
    return decide(out(pct(ev.a), pct(ev.b), { test: 'two-proportion', pValue: t.pValue }), t.pValue < ALPHA, failPct, minEffectPct);
  }
  if (ev.kind === 'deterministic') {
    if (missing) return out(ev.a, ev.b, { note: missing });
    // An exact, repeatable figure has no noise to test against: any change is real (and practical).
    return decide(out(ev.a, ev.b, { note: 'deterministic' }), ev.a !== ev.b, failPct, 0);
  }
  return out(ev.a, ev.b, { note: missing ?? ev.note });
}

/** A regression that must not fail the gate alone (see MetricSpec.noGate): verdict kept, failing cleared unless the server's own time fails too, the reason noted. */
function ungated(m: MetricComparison, noGate: MetricSpec['noGate'], all: readonly MetricComparison[]): MetricComparison {
  if (!noGate || m.verdict !== 'regressed') return m;
  const own = all.find((x) => x.metric === noGate.unless);
  const failing = m.failing && own?.failing === true;
  return { ...m, failing, note: m.note ? `${m.note}; ${noGate.why}` : noGate.why };
}

/** Apply the verdict rule (file header) to a compared metric whose significance is known. */
function decide(m: MetricComparison, significant: boolean, failPct: number | null, minEffectPct: number): MetricComparison {
  const a = m.baseline!;
  const b = m.current!;
  // Relative change; from a zero baseline any rise is unbounded (0 → 2 % errors is a full regression).
  const change = a === 0 ? (b === 0 ? 0 : Math.sign(b) * Infinity) : b / a - 1;
  const worse = m.better === 'lower' ? change : -change;
  const practical = minEffectPct === 0 ? change !== 0 : Math.abs(change) >= minEffectPct / 100;
  const verdict: Verdict = significant && practical ? (worse > 0 ? 'regressed' : 'improved') : 'unchanged';
  const failing = verdict === 'regressed' && failPct !== null && worse * 100 > failPct;
  return { ...m, verdict, failing };
}

/** Why a tail percentile cannot be judged on these sample counts (see MIN_TAIL_SAMPLES), or null. */
function thinTail(q: number, na: number, nb: number): string | null {
  if (q <= 0.5) return null;
  const beyond = Math.floor(Math.min(na, nb) * (1 - q));
  if (beyond >= MIN_TAIL_SAMPLES) return null;
  const p = `p${Math.round(q * 100)}`;
  return `${beyond} sample${beyond === 1 ? '' : 's'} beyond ${p} on the smaller side (${Math.min(na, nb)} in all): too few for a test of ${p} (${MIN_TAIL_SAMPLES} needed)`;
}

function missingNote(aMissing: boolean, bMissing: boolean): string | null {
  if (aMissing && bMissing) return 'missing in both results';
  if (aMissing) return 'missing in the baseline';
  if (bMissing) return 'missing in the current result';
  return null;
}

function excludesOne(ci: [number, number]): boolean {
  return ci[0] > 1 || ci[1] < 1;
}

/** JSON has no Infinity: an interval over a zero baseline is reported as none. */
function finiteCi(ci: [number, number]): [number, number] | null {
  return Number.isFinite(ci[0]) && Number.isFinite(ci[1]) ? ci : null;
}

/** FNV-1a hash of a metric id: each metric gets its own bootstrap stream, so adding a metric never moves another's interval. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Tool lookup cost, isolated from transport and framework. Two request kinds go through the same
 * pipe, JSON parsing and request dispatch, interleaved one at a time (random order in each round):
 *   baseline: tools/call without a `name` — every SDK rejects it while validating params, before
 *             any registry lookup (fallback: ping, or an unknown method in the modern era);
 *   unknown:  tools/call of a name the server does not list — a full registry miss.
 * Registry cost = median(unknown) − median(baseline), with a bootstrap 95 % interval. Only real
 * "unknown tool" answers are timed (unknownToolAnswer.ts): the first few probes go one at a time and
 * any other answer stops them, so a server that acts on every call gets a handful, not thousands.
 * Then, when at least 3 callable tools sit at different list positions, they are called at spread
 * positions: a latency that rises with position means the registry scans the list (O(n)).
 * --no-calls sends no tools/call at all; --no-probes skips the two probe kinds, keeps the positions.
 */
import { linearFit, median, medianDifference, spearman, type Estimate } from '../../measure/stats.js';
import type { LookupSection } from '../../result/analyzeResult.js';
import { METHODS } from '../../target/protocol.js';
import type { Session } from '../../target/session.js';
import type { AnalyzeContext } from './context.js';
import { SLOW_CALL_MS } from './latencyPhase.js';
import type { PlannedCall } from './plannedCall.js';
import { anyAnswer, isLowSample, LOW_SAMPLE_N, sampleKinds, successOnly, type RequestKind } from './sampleLoop.js';
import type { ToolWalk } from '../../target/toolList.js';
import { judgeUnknownToolAnswer, unmeasurableReason, type UnknownToolVerdict } from './unknownToolAnswer.js';

/** Time cap of the baseline/unknown loop, ms (slow registries get fewer samples, stated in n). */
export const LOOKUP_CAP_MS = 3000;
/** Unmeasured pairs first, to warm the server's code paths. */
const WARMUP_PAIRS = 50;
/** Unknown-name probes sent one at a time, each answer checked, before any loop (at most this many reach a server that acts). */
export const PROBE_CHECKS = 3;
/** Samples per position, and the time cap of the position loop, ms. */
const POSITION_SAMPLES = 200;
const POSITION_CAP_MS = 3000;
/** Positions sampled (first, last, and evenly between). */
const MAX_POSITIONS = 5;
/** A linear verdict needs position latency to rise by at least this much from first to last, µs. */
const MIN_SPAN_US = 50;
/**
 * Position evidence alone (without a miss cost that agrees) is a verdict when latency rises
 * monotonically (Spearman ≥ 0.9) and the last position is slower than the first by at least this
 * share of the first's median: an O(1) registry does not rise 25 % in order over 5 interleaved positions.
 */
const STRONG_SPAN_RATIO = 0.25;
const MIN_SPEARMAN = 0.9;

/** Measure lookup and fill ctx.result.lookup. */
export async function measureLookup(ctx: AnalyzeContext, session: Session, walk: ToolWalk, plans: PlannedCall[]): Promise<void> {
  if (walk.tools.length === 0) {
    ctx.emit({ type: 'warning', message: 'The server lists no tools, so tool lookup was not measured.' });
    return;
  }
  const section: LookupSection = {
    method: '', notMeasured: null, baseline: null, unknown: null, registryUs: null, lowSample: false,
    positions: null, slopeUsPerPosition: null, positionCorrelation: null, linear: null, baselineScans: false, scanEstimateUs: null,
  };
  ctx.result.lookup = section;
  if (ctx.opts.noCalls) {
    section.notMeasured = '--no-calls: no tools/call was sent (no tool, no lookup probe), so tool lookup was not measured.';
    section.method = 'Not measured (--no-calls).';
    ctx.checkpoint();
    return;
  }
  if (ctx.opts.noProbes) {
    section.notMeasured = '--no-probes: no tools/call of an unknown name or without a name was sent, so the registry cost of a miss was not measured.';
  } else {
    await measureMiss(ctx, session, walk, section);
  }
  section.method = (section.method ? `${section.method} ` : '') +
    `Position test: callable tools at spread list positions, ${POSITION_SAMPLES} calls each in shuffled rounds (at most ${POSITION_CAP_MS / 1000} s).`;
  ctx.checkpoint();
  await measurePositions(ctx, session, section, plans, walk.tools.length);
  ctx.checkpoint();
}

/** The miss cost: unknown name vs baseline. Sets section.notMeasured instead when the answers do not allow it. */
async function measureMiss(ctx: AnalyzeContext, session: Session, walk: ToolWalk, section: LookupSection): Promise<void> {
  const names = new Set(walk.tools.map((t) => t.name));
  let unknownName = 'mcp-opt-no-such-tool';
  while (names.has(unknownName)) unknownName += '-x';
  const unknownParams = { name: unknownName, arguments: {} };
  const unknown: RequestKind = { method: METHODS.toolsCall, paramsJson: JSON.stringify(unknownParams), name: unknownName };
  const { kind: baseline, description } = await chooseBaseline(ctx, session);

  let bad: UnknownToolVerdict = null;
  for (let i = 0; i < PROBE_CHECKS && !bad; i++) {
    ctx.throwIfAborted();
    bad = judgeUnknownToolAnswer(await session.request(METHODS.toolsCall, unknownParams));
  }
  // From here on, the first answer that is not an unknown-tool error stops the loops.
  const classify = (reply: Parameters<typeof anyAnswer>[0], k: number): string | null => {
    if (k === 0) return anyAnswer(reply);
    const v = judgeUnknownToolAnswer(reply);
    if (v) bad ??= v;
    return v ? 'not-unknown-tool' : null;
  };
  const loop = { inflight: 1, shuffle: true, signal: ctx.signal, classify, stopAfterErrors: 1 };
  let b, u;
  if (!bad) {
    await sampleKinds(session, [baseline, unknown], { ...loop, perKind: WARMUP_PAIRS, capMs: 500 });
    if (!bad) [b, u] = await sampleKinds(session, [baseline, unknown], { ...loop, perKind: ctx.opts.lookupSamples, capMs: LOOKUP_CAP_MS });
  }
  if (bad) {
    section.notMeasured = unmeasurableReason(unknownName, bad);
    section.method = `Not measured: ${section.notMeasured}`;
    ctx.emit({ type: 'warning', message: `Tool lookup not measured: ${section.notMeasured}` });
    return;
  }
  const nb = b!.samplesUs.length;
  const nu = u!.samplesUs.length;
  if (nb < 2 || nu < 2) {
    section.notMeasured = `only ${nb} + ${nu} probe answers within the ${LOOKUP_CAP_MS / 1000} s cap (the server answers slowly): too few to estimate a difference.`;
    section.method = `Not measured: ${section.notMeasured}`;
    ctx.emit({ type: 'warning', message: `Tool lookup not measured: ${section.notMeasured}` });
    return;
  }
  section.method =
    `Registry cost = median latency of tools/call for an unknown name ("${unknownName}") minus median latency of ${description}, ` +
    `sent one at a time in pairs (random order within each pair) on one warm session (${nb} + ${nu} samples after ${WARMUP_PAIRS} warm-up pairs, at most ${LOOKUP_CAP_MS / 1000} s); ` +
    '95 % interval by bootstrap.';
  section.baseline = { request: description, latency: b!.recorder.toDistribution()! };
  section.unknown = { latency: u!.recorder.toDistribution()! };
  section.registryUs = roundEstimate(medianDifference(b!.samplesUs, u!.samplesUs));
  section.lowSample = isLowSample(Math.min(nb, nu), ctx.opts.lookupSamples);
  if (section.lowSample) {
    ctx.emit({
      type: 'warning',
      message: `Tool lookup: only ${nb} + ${nu} samples (fewer than ${Math.min(LOW_SAMPLE_N, ctx.opts.lookupSamples)} each) within the ${LOOKUP_CAP_MS / 1000} s cap, ` +
        `because the server answers slowly (unknown name p50 ${(median(u!.samplesUs) / 1000).toFixed(1)} ms): the registry cost is rough (lowSample in the JSON).`,
    });
  }
}

async function chooseBaseline(ctx: AnalyzeContext, session: Session): Promise<{ kind: RequestKind; description: string }> {
  const nameless: RequestKind = { method: METHODS.toolsCall, paramsJson: '{"arguments":{}}' };
  const probe = await session.request(METHODS.toolsCall, { arguments: {} });
  if (probe.outcome === 'error') {
    return { kind: nameless, description: 'tools/call without a name (rejected by parameter validation, which SDKs do before any registry lookup)' };
  }
  if (ctx.era === 'legacy') return { kind: { method: METHODS.ping, paramsJson: undefined }, description: 'ping (the server accepted a nameless tools/call, so ping is the baseline)' };
  return {
    kind: { method: 'mcp-opt/baseline', paramsJson: undefined },
    description: 'an unknown method (answered -32601 by the dispatcher; the server accepted a nameless tools/call)',
  };
}

async function measurePositions(ctx: AnalyzeContext, session: Session, section: LookupSection, plans: PlannedCall[], count: number): Promise<void> {
  const byIndex = [...new Map(plans.filter((p) => p.index >= 0).map((p) => [p.index, p])).values()].sort((a, b) => a.index - b.index);
  if (byIndex.length < 3) {
    ctx.emit({ type: 'warning', message: `Lookup growth with list position not tested: it needs 3 callable tools (safe, or named with --call); this server has ${byIndex.length}.` });
    return;
  }
  const picks = [...new Set(Array.from({ length: MAX_POSITIONS }, (_, i) => Math.round((i * (byIndex.length - 1)) / (MAX_POSITIONS - 1))))].map((i) => byIndex[i]!);
  const kinds: RequestKind[] = picks.map((p) => ({ method: METHODS.toolsCall, paramsJson: JSON.stringify({ name: p.name, arguments: p.args }), name: p.name }));
  const samples = await sampleKinds(session, kinds, { perKind: POSITION_SAMPLES, inflight: 1, shuffle: true, capMs: POSITION_CAP_MS, timeoutMs: SLOW_CALL_MS, signal: ctx.signal, classify: successOnly });
  const rows = picks.map((p, i) => ({ index: p.index, name: p.name, samples: samples[i]! })).filter((r) => r.samples.samplesUs.length >= 10);
  section.positions = rows.map((r) => ({ index: r.index, name: r.name, latency: r.samples.recorder.toDistribution()! }));
  if (rows.length < 3) return;
  const xs = rows.map((r) => r.index);
  const ys = rows.map((r) => median(r.samples.samplesUs));
  const fit = linearFit(xs, ys);
  const rho = spearman(xs, ys);
  section.slopeUsPerPosition = round(fit.slope);
  section.positionCorrelation = round(rho);
  const span = medianDifference(rows[0]!.samples.samplesUs, rows.at(-1)!.samples.samplesUs);
  const v = positionVerdict({ rho, slopeUsPerPosition: fit.slope, span, firstMedianUs: ys[0]!, toolCount: count, miss: section.registryUs });
  section.linear = v.linear;
  section.baselineScans = v.baselineScans;
  section.scanEstimateUs = v.scanEstimateUs;
  if (v.baselineScans) {
    ctx.emit({
      type: 'warning',
      message: `Tool lookup: call latency rises with list position, but an unknown name costs no more than the baseline (${section.baseline!.request}): ` +
        `the baseline is not lookup-free (the server scans its list for it too), so the registry cost is estimated from the position slope instead (≈ ${(v.scanEstimateUs! / 1000).toFixed(2)} ms for ${count} tools).`,
    });
  }
}

/** What the position test shows. */
export interface PositionVerdict {
  /** Lookup grows with list position. */
  linear: boolean;
  /** Positions rise but the measured miss cost is indistinguishable from zero: the baseline scans too. */
  baselineScans: boolean;
  /** slope × tool count, µs, when linear. */
  scanEstimateUs: number | null;
}

/**
 * Judge the position test. Linear when latency rises in order (Spearman ≥ 0.9) by more than
 * MIN_SPAN_US (lower bound of the first-to-last interval), and either the miss cost agrees with the
 * slope (within 3×) or the rise alone is strong (≥ STRONG_SPAN_RATIO of the first position's median):
 * a baseline that scans too hides the miss cost, and position evidence that strong stands on its own.
 */
export function positionVerdict(i: {
  rho: number; slopeUsPerPosition: number; span: Estimate; firstMedianUs: number; toolCount: number; miss: Estimate | null;
}): PositionVerdict {
  const predictedMissUs = i.slopeUsPerPosition * i.toolCount;
  const rises = i.rho >= MIN_SPEARMAN && i.span.low > MIN_SPAN_US;
  const missSeen = i.miss !== null && i.miss.low > 0;
  const consistent = missSeen && predictedMissUs > i.miss!.value / 3 && predictedMissUs < i.miss!.value * 3;
  const strong = i.span.low > STRONG_SPAN_RATIO * i.firstMedianUs;
  const linear = rises && (consistent || strong);
  return {
    linear,
    baselineScans: linear && i.miss !== null && !missSeen,
    scanEstimateUs: linear ? round(predictedMissUs) : null,
  };
}

function roundEstimate(e: { value: number; low: number; high: number; level: number }) {
  return { value: round(e.value), low: round(e.low), high: round(e.high), level: e.level };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}


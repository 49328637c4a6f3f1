/**
 * Tool lookup cost, isolated from transport and framework. Two request kinds go through the same
 * pipe, JSON parsing and request dispatch, interleaved one at a time:
 *   baseline: tools/call without a `name` — every SDK rejects it while validating params, before
 *             any registry lookup (fallback: ping, or an unknown method in the modern era);
 *   unknown:  tools/call of a name the server does not list — a full registry miss.
 * Registry cost = median(unknown) − median(baseline), with a bootstrap 95 % interval.
 * Then, when at least 3 callable tools sit at different list positions, they are called at spread
 * positions: a latency that rises with position, consistent with the miss cost, means the registry
 * scans the list (O(n)).
 */
import { linearFit, median, medianDifference, spearman } from '../../measure/stats.js';
import type { LookupSection } from '../../result/analyzeResult.js';
import { METHODS } from '../../target/protocol.js';
import type { Session } from '../../target/session.js';
import type { AnalyzeContext } from './context.js';
import { SLOW_CALL_MS } from './latencyPhase.js';
import type { PlannedCall } from './plannedCall.js';
import { anyAnswer, sampleKinds, successOnly, type RequestKind } from './sampleLoop.js';
import type { ToolWalk } from '../../target/toolList.js';

/** Time cap of the baseline/unknown loop, ms (slow registries get fewer samples, stated in n). */
const LOOKUP_CAP_MS = 3000;
/** Unmeasured pairs first, to warm the server's code paths. */
const WARMUP_PAIRS = 50;
/** Samples per position, and the time cap of the position loop, ms. */
const POSITION_SAMPLES = 200;
const POSITION_CAP_MS = 3000;
/** Positions sampled (first, last, and evenly between). */
const MAX_POSITIONS = 5;
/** A linear verdict needs position latency to rise by at least this much from first to last, µs. */
const MIN_SPAN_US = 50;

/** Measure lookup and fill ctx.result.lookup. */
export async function measureLookup(ctx: AnalyzeContext, session: Session, walk: ToolWalk, plans: PlannedCall[]): Promise<void> {
  if (walk.tools.length === 0) {
    ctx.emit({ type: 'warning', message: 'The server lists no tools, so tool lookup was not measured.' });
    return;
  }
  const names = new Set(walk.tools.map((t) => t.name));
  let unknownName = 'mcp-opt-no-such-tool';
  while (names.has(unknownName)) unknownName += '-x';
  const unknown: RequestKind = { method: METHODS.toolsCall, paramsJson: JSON.stringify({ name: unknownName, arguments: {} }), name: unknownName };
  const { kind: baseline, description } = await chooseBaseline(ctx, session);

  const loop = { inflight: 1, signal: ctx.signal, classify: anyAnswer };
  await sampleKinds(session, [baseline, unknown], { ...loop, perKind: WARMUP_PAIRS, capMs: 500 });
  const [b, u] = await sampleKinds(session, [baseline, unknown], { ...loop, perKind: ctx.opts.lookupSamples, capMs: LOOKUP_CAP_MS });
  const registryUs = medianDifference(b!.samplesUs, u!.samplesUs);

  const section: LookupSection = {
    method:
      `Registry cost = median latency of tools/call for an unknown name ("${unknownName}") minus median latency of ${description}, ` +
      `sent alternately one at a time on one warm session (${b!.samplesUs.length} + ${u!.samplesUs.length} samples after ${WARMUP_PAIRS} warm-up pairs); ` +
      `95 % interval by bootstrap. Position test: callable tools at spread list positions, ${POSITION_SAMPLES} calls each.`,
    baseline: { request: description, latency: b!.recorder.toDistribution()! },
    unknown: { latency: u!.recorder.toDistribution()! },
    registryUs: roundEstimate(registryUs),
    positions: null,
    slopeUsPerPosition: null,
    positionCorrelation: null,
    linear: null,
  };
  ctx.result.lookup = section;
  ctx.checkpoint();
  await measurePositions(ctx, session, section, plans, walk.tools.length);
  ctx.checkpoint();
}

async function chooseBaseline(ctx: AnalyzeContext, session: Session): Promise<{ kind: RequestKind; description: string }> {
  const nameless: RequestKind = { method: METHODS.toolsCall, paramsJson: '{"arguments":{}}' };
  const probe = await session.request(METHODS.toolsCall, { arguments: {} });
  if (probe.outcome === 'error') {
    return { kind: nameless, description: 'tools/call without a name (rejected by parameter validation before any registry lookup)' };
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
  const samples = await sampleKinds(session, kinds, { perKind: POSITION_SAMPLES, inflight: 1, capMs: POSITION_CAP_MS, timeoutMs: SLOW_CALL_MS, signal: ctx.signal, classify: successOnly });
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
  const predictedMissUs = fit.slope * count;
  const miss = section.registryUs;
  const consistent = miss.low > 0 && predictedMissUs > miss.value / 3 && predictedMissUs < miss.value * 3;
  section.linear = rho >= 0.9 && span.low > MIN_SPAN_US && consistent;
}

function roundEstimate(e: { value: number; low: number; high: number; level: number }) {
  return { value: round(e.value), low: round(e.low), high: round(e.high), level: e.level };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}


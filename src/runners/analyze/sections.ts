/**
 * Builders for the result sections that summarise every connection: the empty result, the server
 * identity, protocol hygiene and resources.
 */
import { cpus } from 'node:os';
import { distributionOf } from '../../measure/histogram.js';
import type { AnalyzeOptions } from '../../options/analyzeOptions.js';
import { SCHEMA_VERSION, type AnalyzeResult, type HygieneSection, type ServerSection } from '../../result/analyzeResult.js';
import type { EraProbe, HandshakeInfo } from '../../target/handshake.js';
import { describeSpec } from '../../target/launchSpec.js';
import { TOOL_NAME, TOOL_VERSION } from '../../version.js';
import type { AnalyzeContext } from './context.js';

/** A result with nothing measured yet. */
export function emptyResult(opts: AnalyzeOptions, createdAt: Date): AnalyzeResult {
  const spec = opts.spec;
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'analyze',
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    createdAt: createdAt.toISOString(),
    durationMs: 0,
    phaseDurationsMs: {},
    host: { platform: process.platform, arch: process.arch, node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' },
    incomplete: true,
    incompleteReason: 'the run has not finished',
    warnings: [],
    config: {
      runs: opts.runs, warmupRuns: opts.warmupRuns, timeoutMs: opts.timeoutMs, calls: !opts.noCalls,
      namedCalls: opts.calls.map((c) => c.name), concurrency: opts.concurrency, era: opts.era,
    },
    target: {
      kind: spec.kind,
      display: describeSpec(spec),
      origin: spec.origin,
      runner: spec.kind === 'stdio' ? spec.runner ?? null : null,
      envNames: spec.kind === 'stdio' ? [...spec.configuredEnvNames] : [],
    },
    server: null,
    coldStart: null,
    tools: null,
    lookup: null,
    latency: null,
    resources: null,
    hygiene: null,
    findings: [],
    budgets: [],
  };
}

/** Server identity from a handshake (and the era probe, when one ran). */
export function serverSection(info: HandshakeInfo, probe: EraProbe | null): ServerSection {
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    era: info.era,
    protocolVersion: info.protocolVersion,
    name: str(info.serverInfo?.name),
    version: str(info.serverInfo?.version),
    title: str((info.serverInfo as { title?: unknown } | null)?.title),
    capabilities: info.capabilities ? Object.keys(info.capabilities) : [],
    instructionsChars: info.instructionsChars,
    eraProbe: probe ? { evidence: probe.evidence, durationMs: Math.round(probe.durationMs * 1000) / 1000 } : null,
  };
}

/** Sum what every connection saw on the wire. */
export function hygieneSection(ctx: AnalyzeContext): HygieneSection {
  const violations: Record<string, number> = {};
  const excerpts: Record<string, string[]> = {};
  const serverRequests: Record<string, number> = {};
  let lateResponses = 0;
  for (const h of ctx.hygiene) {
    for (const [k, n] of Object.entries(h.counts)) violations[k] = (violations[k] ?? 0) + (n ?? 0);
    for (const [k, list] of Object.entries(h.excerpts)) {
      const into = (excerpts[k] ??= []);
      for (const e of list ?? []) if (into.length < 5 && !into.includes(e)) into.push(e);
    }
    for (const [k, n] of Object.entries(h.serverRequests)) serverRequests[k] = (serverRequests[k] ?? 0) + n;
    lateResponses += h.lateResponses;
  }
  const runs = ctx.result.coldStart?.samples ?? [];
  const eof = runs.map((r) => r.eofToExitMs).filter((v): v is number => v !== null);
  return {
    nonJsonLines: violations['non-json-stdout'] ?? 0,
    violations,
    excerpts,
    unexpectedErrors: { ...ctx.unexpectedErrors },
    serverRequests,
    lateResponses,
    eofToExit: eof.length ? distributionOf(eof.map((ms) => ms * 1000), 'us') : null,
    signalledStops: runs.filter((r) => r.escalation !== 'none').length,
  };
}

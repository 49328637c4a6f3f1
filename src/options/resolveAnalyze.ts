/**
 * Flags + config file → frozen AnalyzeOptions. Flags win over the config file; every error names the
 * flag or config key and exits 2 before anything is launched.
 */
import { UsageError } from '../errors.js';
import { resolveBudgets } from '../budgets/analyzeBudgets.js';
import { resolveMetric } from '../budgets/analyzeMetrics.js';
import { mergeBudgetSources } from '../budgets/gate.js';
import { parseEra } from '../target/handshake.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { parseCallSpec } from '../workload/callSpec.js';
import { ANALYZE_DEFAULTS, type AnalyzeOptions } from './analyzeOptions.js';
import { PROFILE_CONFIG_KEYS, profileOption } from './resolveProfile.js';
import { FlagReader, outputOptions, resolveCommandTarget, serverPidOption, type CommandInputs } from './commandInputs.js';

/** Keys of the config's "analyze" section (the flags' names in camelCase; `calls` for --call). */
export const ANALYZE_CONFIG_KEYS: readonly string[] = ['runs', 'warmup', 'timeout', 'era', 'calls', 'noCalls', 'noProbes', 'concurrency', 'lookupSamples', 'samples', ...PROFILE_CONFIG_KEYS];

/** Raw inputs of `mcp-opt analyze`. */
export type AnalyzeInputs = CommandInputs;

/** Resolve analyze's options. */
export async function resolveAnalyzeOptions(i: AnalyzeInputs): Promise<AnalyzeOptions> {
  const f = i.flags;
  const r = new FlagReader(i, 'analyze', ANALYZE_CONFIG_KEYS);
  const spec = await resolveCommandTarget(i);
  const calls = r.strings('call', 'calls').map((s) => parseCallSpec(s));
  const noCalls = f['calls'] === false || (f['call'] === undefined && r.bool('noCalls'));
  if (noCalls && calls.length) throw new UsageError('--no-calls and --call contradict each other: drop one.');
  return Object.freeze({
    spec,
    runs: r.int('runs', ANALYZE_DEFAULTS.runs, 1, 1000),
    warmupRuns: r.int('warmup', ANALYZE_DEFAULTS.warmupRuns, 0, 100),
    timeoutMs: r.durationMs('timeout', ANALYZE_DEFAULTS.timeoutMs),
    era: parseEra(String(r.raw('era') ?? 'auto'), '--era'),
    pid: serverPidOption(i, spec),
    calls,
    noCalls,
    noProbes: f['probes'] === false || r.bool('noProbes'),
    concurrency: r.int('concurrency', ANALYZE_DEFAULTS.concurrency, 1, 1024),
    lookupSamples: r.int('lookupSamples', ANALYZE_DEFAULTS.lookupSamples, 10, 1_000_000),
    latencySamples: r.int('samples', ANALYZE_DEFAULTS.latencySamples, 10, 1_000_000),
    budgets: resolveBudgets(mergeBudgetSources(f['budget'] as string[] | undefined, i.config, resolveMetric)),
    client: { name: TOOL_NAME, version: TOOL_VERSION },
    output: outputOptions(i, 'analyze'),
    profile: profileOption(r, spec),
  });
}

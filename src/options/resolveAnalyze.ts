/**
 * Flags + config file → frozen AnalyzeOptions. Flags win over the config file; every error names the
 * flag or config key and exits 2 before anything is launched.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { resolveBudgets } from '../runners/analyze/budgets.js';
import { resolveMetric } from '../runners/analyze/metrics.js';
import { mergeBudgetSources } from '../runners/budgetGate.js';
import { parseEra } from '../target/handshake.js';
import { resolveTarget } from '../target/resolve/index.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { parseCallSpec } from '../workload/callSpec.js';
import { ANALYZE_DEFAULTS, type AnalyzeOptions } from './analyzeOptions.js';
import { field, type LoadedConfig } from './configFile.js';
import { parseDurationMs, parseIntIn } from './parse.js';

/** Raw inputs of `mcp-opt analyze`. */
export interface AnalyzeInputs {
  target: string | undefined;
  /** argv after `--`. */
  command: string[] | undefined;
  /** Commander's parsed flags. */
  flags: Record<string, unknown>;
  config: LoadedConfig | null;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stdout/stderr are terminals. */
  stdoutTTY: boolean;
  stderrTTY: boolean;
  /** Width of stderr's terminal (0 or undefined when unknown). */
  stderrColumns?: number;
}

/** Resolve analyze's options. */
export async function resolveAnalyzeOptions(i: AnalyzeInputs): Promise<AnalyzeOptions> {
  const f = i.flags;
  const cfgWhere = i.config ? `config ${i.config.path}` : '';
  const section = i.config ? field<Record<string, unknown>>(i.config.data, 'analyze', 'object', cfgWhere) ?? {} : {};
  const spec = await resolveTarget({
    target: i.target ?? (i.command || f['mcpConfig'] ? undefined : configTarget(i.config)),
    command: i.command,
    mcpConfig: f['mcpConfig'] as string | undefined,
    server: f['server'] as string | undefined,
    cwd: i.cwd,
    env: i.env,
  });

  // A flag wins over the config's "analyze" section; config numbers are plain numbers (ms for times).
  const raw = (flag: string, key = flag): unknown => f[flag] ?? section[key];
  const num = (flag: string, fallback: number, min: number, max: number): number => {
    const v = raw(flag);
    if (v === undefined) return fallback;
    if (typeof v !== 'string' && typeof v !== 'number') throw new UsageError(`${cfgWhere} "analyze.${flag}" must be a number.`);
    return parseIntIn(v, `--${kebab(flag)}`, min, max);
  };
  const timeoutRaw = raw('timeout');
  const timeoutMs = timeoutRaw === undefined ? ANALYZE_DEFAULTS.timeoutMs : parseDurationMs(String(timeoutRaw), '--timeout');

  const callStrings = (f['call'] as string[] | undefined) ?? field<string[]>(section, 'calls', 'array', `${cfgWhere} "analyze"`) ?? [];
  const calls = callStrings.map((s) => parseCallSpec(String(s)));
  const noCalls = f['calls'] === false || section['noCalls'] === true;
  if (noCalls && calls.length) throw new UsageError('--no-calls and --call contradict each other: drop one.');

  const era = parseEra(String(raw('era') ?? 'auto'), '--era');
  const budgets = resolveBudgets(mergeBudgetSources(f['budget'] as string[] | undefined, i.config, resolveMetric));
  const json = f['json'] === true;
  const outFile = typeof f['out'] === 'string' ? resolve(i.cwd, f['out']) : null;
  if (outFile !== null && existsSync(outFile) && statSync(outFile).isDirectory()) {
    throw new UsageError(`--out ${f['out']} is a directory. Give a file path, e.g. --out ${join(String(f['out']), 'analyze.json')}.`);
  }
  const color = f['color'] !== false && !i.env['NO_COLOR'] && i.stdoutTTY;
  return Object.freeze({
    spec,
    runs: num('runs', ANALYZE_DEFAULTS.runs, 1, 1000),
    warmupRuns: num('warmup', ANALYZE_DEFAULTS.warmupRuns, 0, 100),
    timeoutMs,
    era,
    calls,
    noCalls,
    concurrency: num('concurrency', ANALYZE_DEFAULTS.concurrency, 1, 1024),
    lookupSamples: num('lookupSamples', ANALYZE_DEFAULTS.lookupSamples, 10, 1_000_000),
    latencySamples: num('samples', ANALYZE_DEFAULTS.latencySamples, 10, 1_000_000),
    budgets,
    client: { name: TOOL_NAME, version: TOOL_VERSION },
    output: {
      json,
      save: f['save'] !== false,
      outFile,
      reportsDir: resolve(i.cwd, 'reports'),
      color,
      // A terminal of unknown width (a pty without size, e.g. under `script`) makes ora's line
      // accounting spin; plain progress lines are used there.
      spinners: i.stderrTTY && (i.stderrColumns ?? 0) > 0 && !json,
    },
  });
}

/** The config's `target` (a path or URL string), if any. */
function configTarget(config: LoadedConfig | null): string | undefined {
  if (!config) return undefined;
  const t = config.data['target'];
  if (t === undefined) return undefined;
  if (typeof t !== 'string') throw new UsageError(`config ${config.path}: "target" must be a string (a directory, file or URL).`);
  return resolve(config.path, '..', t);
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

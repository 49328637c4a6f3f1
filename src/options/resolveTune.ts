/**
 * Flags + config file ("tune" section) → frozen TuneOptions. Knob syntax, the files and JSON
 * Pointers of file knobs, the SLO, the objective and a --resume file are all checked here, so bad
 * input exits 2 before any server is launched.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { checkNamedFileIsReal, isReadOnly, resolveNamedFile } from '../patch/apply.js';
import { getAtPointer, parsePointer } from '../patch/jsonPointer.js';
import { formatOf, parseConfigText } from '../patch/formats.js';
import { readTuneResult } from '../result/read.js';
import type { TuneObjective, TuneResult } from '../result/tuneResult.js';
import type { Balance } from './benchOptions.js';
import { checkKnobs, gridSize, knobsFromConfig, parseKnob, PROXY_ONLY_KNOBS, type Knob } from './knobs.js';
import { AFFINITIES, PROXY_DEFAULTS, type Affinity } from './proxyOptions.js';
import { parseEra } from '../target/handshake.js';
import type { LaunchSpec } from '../target/launchSpec.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { parseBudget, thresholdIn } from '../budgets/spec.js';
import { PROFILE_CONFIG_KEYS, profileOption } from './resolveProfile.js';
import { FlagReader, kebab, outputOptions, resolveCommandTarget, type CommandInputs } from './commandInputs.js';
import { parsePercent } from './parse.js';
import { BALANCES } from './benchOptions.js';
import { TUNE_DEFAULTS, type ApplyOptions, type TuneOptions } from './tuneOptions.js';
import { workloadOf } from './workloadOf.js';

/** Fewest requests a point may be measured with under --max-calls (a p95 of fewer means little). */
const MIN_CALLS_PER_POINT = 20;
const OBJECTIVES: readonly TuneObjective['kind'][] = ['max-throughput', 'min-p95', 'min-instances'];
/** Keys of the config's "tune" section (the flags' names in camelCase; `calls` for --call). */
export const TUNE_CONFIG_KEYS: readonly string[] = [
  'knobs', 'slo', 'objective', 'atRps', 'maxPoints', 'pointDuration', 'pointWarmup', 'repeats', 'noise', 'maxErrors',
  'pool', 'concurrency', 'balance', 'method', 'calls', 'workload', 'seed', 'era', 'timeout', 'maxCalls',
  'viaProxy', 'affinity', 'maxInflightPerInstance', ...PROFILE_CONFIG_KEYS,
];

/** Resolve tune's options. */
export async function resolveTuneOptions(i: CommandInputs): Promise<TuneOptions> {
  const r = new FlagReader(i, 'tune', TUNE_CONFIG_KEYS);
  r.flagsWin('workload', 'method', 'call', 'calls');
  const spec = await resolveCommandTarget(i);
  const knobs = knobsOf(i, r);
  checkKnobs(knobs);
  checkKnobsFitTarget(knobs, spec);
  const filePaths = fileKnobPaths(i, knobs);
  const objective = objectiveOf(i, r);
  const seed = r.int('seed', TUNE_DEFAULTS.seed, 0, 2 ** 31 - 1);
  const viaProxy = viaProxyOf(r, knobs, spec);
  const balance = String(r.raw('balance') ?? (viaProxy ? PROXY_DEFAULTS.balance : TUNE_DEFAULTS.balance)) as Balance;
  if (!BALANCES.includes(balance)) throw new UsageError(`--balance must be one of ${BALANCES.join(', ')}, not "${balance}".`);
  const output = outputOptions(i, 'tune');
  const resumeFlag = i.flags['resume'] as string | undefined;
  const resume = resumeFlag === undefined ? null : loadResume(resolve(i.cwd, resumeFlag), knobs, objective, viaProxy !== null);
  return Object.freeze({
    spec,
    knobs,
    filePaths,
    objective,
    maxPoints: r.int('maxPoints', TUNE_DEFAULTS.maxPoints, 1, 10_000),
    maxRepeats: r.int('repeats', TUNE_DEFAULTS.maxRepeats, 1, 20),
    maxCalls: maxCallsOf(r, knobs),
    noisePct: percentOf(r.raw('noise'), TUNE_DEFAULTS.noisePct, '--noise'),
    pointDurationMs: r.durationMs('pointDuration', TUNE_DEFAULTS.pointDurationMs),
    pointWarmupMs: r.durationMs('pointWarmup', TUNE_DEFAULTS.pointWarmupMs, true),
    timeoutMs: r.durationMs('timeout', TUNE_DEFAULTS.timeoutMs),
    seed,
    era: parseEra(String(r.raw('era') ?? 'auto'), '--era'),
    base: { pool: r.int('pool', TUNE_DEFAULTS.pool, 1, 256), concurrency: r.int('concurrency', TUNE_DEFAULTS.concurrency, 1, 100_000), balance },
    viaProxy,
    workload: await tuneWorkloadOf(i, r, seed),
    // A resumed tune writes into the file it continues, unless --out says otherwise.
    resume,
    dryRun: i.flags['dryRun'] === true,
    apply: applyOf(i),
    mcpOptConfig: i.config,
    client: { name: TOOL_NAME, version: TOOL_VERSION },
    output: resume && !output.outFile && output.save ? { ...output, outFile: resume.path } : output,
    profile: profileOption(r, spec),
  });
}

/**
 * bench's workload flags; with none, every tool annotated safe (else ping): a server's knobs change
 * how it does its work, which ping does not exercise.
 */
async function tuneWorkloadOf(i: CommandInputs, r: FlagReader, seed: number): Promise<TuneOptions['workload']> {
  const spec = await workloadOf(i, r, seed);
  if (spec.entries.length) return spec;
  return { ...spec, entries: [{ kind: 'auto', origin: 'the default workload (every tool annotated safe, else ping)', orDefault: true }] };
}

/** --knob flags, else the config's tune.knobs, else the default concurrency ramp. */
function knobsOf(i: CommandInputs, r: FlagReader): Knob[] {
  const flags = i.flags['knob'] as string[] | undefined;
  if (flags?.length) return flags.map((k) => parseKnob(k, '--knob'));
  if (r.section['knobs'] !== undefined) return knobsFromConfig(r.section['knobs'], i.config!.path);
  return TUNE_DEFAULTS.knobs.map((k) => parseKnob(k, 'the default space'));
}

/**
 * --via-proxy: the proxy's settings the knobs do not vary (--affinity, --max-inflight-per-instance),
 * or null. Each point starts the proxy with the server's command; its own knobs and flags need it.
 */
function viaProxyOf(r: FlagReader, knobs: readonly Knob[], spec: LaunchSpec): TuneOptions['viaProxy'] {
  if (!r.bool('viaProxy')) {
    const proxyOnly = knobs.find((k) => (PROXY_ONLY_KNOBS as readonly string[]).includes(k.id));
    if (proxyOnly) throw new UsageError(`--knob ${proxyOnly.id} is a setting of mcp-opt proxy: add --via-proxy, so that each point runs the server through the proxy.`);
    const flag = ['affinity', 'maxInflightPerInstance'].find((k) => r.raw(k) !== undefined);
    if (flag) throw new UsageError(`--${kebab(flag)} is a setting of mcp-opt proxy: add --via-proxy, so that each point runs the server through the proxy.`);
    return null;
  }
  if (spec.kind !== 'stdio') {
    throw new UsageError('--via-proxy starts an mcp-opt proxy with the server\'s command at each point; with a URL target it is not supported yet (tune cannot hand the proxy the entry\'s headers). Give the command that starts the server (e.g. -- node server.js), or tune the URL without --via-proxy.');
  }
  const affinity = String(r.raw('affinity') ?? TUNE_DEFAULTS.proxyAffinity) as Affinity;
  if (!AFFINITIES.includes(affinity)) throw new UsageError(`--affinity must be one of ${AFFINITIES.join(', ')}, not "${affinity}".`);
  return { affinity, maxInflightPerInstance: r.int('maxInflightPerInstance', PROXY_DEFAULTS.maxInflightPerInstance, 0, 1_000_000) };
}

/** Server knobs relaunch a stdio server; write batching is a stdio transport setting. */
function checkKnobsFitTarget(knobs: readonly Knob[], spec: LaunchSpec): void {
  if (spec.kind === 'stdio') return;
  const bad = knobs.find((k) => k.kind !== 'builtin' || k.name === 'batch' || k.name === 'batchDelay');
  if (bad) {
    throw new UsageError(
      `--knob ${bad.id}: ${bad.kind === 'builtin' ? 'write batching is a setting of stdio pipes' : 'server knobs relaunch the server with each value'}, ` +
        'but the target is a URL mcp-opt does not start. Tune a stdio target (a file, directory or command), or use pool, concurrency and balance.',
    );
  }
}

/**
 * Resolve each file knob's file (relative to the working directory for --knob, to the config's
 * folder for the config's tune.knobs) and check that it exists and holds a value at the pointer.
 */
function fileKnobPaths(i: CommandInputs, knobs: readonly Knob[]): Record<string, string> {
  const paths: Record<string, string> = {};
  const fromFlags = (i.flags['knob'] as string[] | undefined)?.length;
  const base = fromFlags || !i.config ? i.cwd : dirname(i.config.path);
  for (const k of knobs) {
    if (k.kind !== 'file') continue;
    // A file named inside a config resolves relative to that config and may not leave its folder (--force).
    const force = i.flags['force'] === true;
    const path = fromFlags || !i.config ? checkNamedFileIsReal(resolve(base, k.file!), `--knob ${k.id}: ${k.file}`, force) : resolveNamedFile(i.config.path, k.file!, force);
    if (!existsSync(path)) throw new UsageError(`--knob ${k.id}: no such file ${path}. Name the server's config file, relative to ${base}.`);
    // Each point rewrites the file: one its owner made read-only is not tuned without --force.
    if (isReadOnly(statSync(path)) && !force) {
      throw new UsageError(`--knob ${k.id}: ${path} is read-only (its owner may not write it), and each point would rewrite it. Make it writable (chmod u+w) or pass --force.`);
    }
    const doc = parseConfigText(readFileSync(path, 'utf8'), formatOf(path), path);
    const found = getAtPointer(doc, parsePointer(k.name, `--knob ${k.id}`));
    if (!found.found) {
      throw new UsageError(`--knob ${k.id}: ${path} has no value at ${k.name} (it exists only up to "${found.missingAt}"). Check the JSON Pointer: /pool/max names {"pool":{"max":…}}.`);
    }
    paths[k.id] = path;
  }
  return paths;
}

/** The SLO (--slo, the config's tune.slo, its first latency budget, else p95<100ms) and the objective. */
function objectiveOf(i: CommandInputs, r: FlagReader): TuneObjective {
  const fromConfig = r.raw('slo') ?? firstLatencyBudget(i);
  const sloRaw = fromConfig ?? TUNE_DEFAULTS.slo;
  const sloSource = i.flags['slo'] !== undefined ? 'flag' : fromConfig !== undefined ? 'config' : 'default';
  const where = i.flags['slo'] !== undefined ? '--slo' : 'the SLO';
  const spec = parseBudget(String(sloRaw), 'flag', where);
  const stat = spec.metric.replace(/^latency\./, '');
  if (!['p50', 'p90', 'p95', 'p99'].includes(stat) || (spec.op !== '<' && spec.op !== '<=')) {
    throw new UsageError(`${where} "${spec.expression}" must bound a latency percentile from above, e.g. --slo 'p95<100ms' (p50, p90, p95 or p99; < or <=).`);
  }
  const kind = String(r.raw('objective') ?? 'max-throughput') as TuneObjective['kind'];
  if (!OBJECTIVES.includes(kind)) throw new UsageError(`--objective must be one of ${OBJECTIVES.join(', ')}, not "${kind}".`);
  const atRps = r.int('atRps', null, 1, 10_000_000);
  if (kind !== 'max-throughput' && atRps === null) {
    throw new UsageError(`--objective ${kind} compares settings at one arrival rate: give it with --at-rps R (requests per second), e.g. --at-rps 200.`);
  }
  if (kind === 'max-throughput' && atRps !== null) {
    throw new UsageError('--at-rps fixes the arrival rate, but --objective max-throughput looks for the highest rate: use --objective min-p95 or min-instances with it.');
  }
  return {
    kind, slo: spec.expression, sloThresholdMs: thresholdIn(spec, 'time', where), sloSource, sloStat: stat as TuneObjective['sloStat'],
    maxErrorPct: percentOf(r.raw('maxErrors'), TUNE_DEFAULTS.maxErrorPct, '--max-errors'), atRps,
  };
}

/** The config's first budget on a latency percentile (`p95<…` or `latency.p95<…`), as a default SLO. */
function firstLatencyBudget(i: CommandInputs): string | undefined {
  const raw = i.config?.data['budgets'];
  const list = Array.isArray(raw) ? raw.map(String) : raw && typeof raw === 'object' ? Object.entries(raw).map(([m, c]) => (typeof c === 'string' ? `${m}${c}` : '')) : [];
  return list.find((e) => /^\s*(latency\.)?p(50|90|95|99)\s*</.test(e));
}

/**
 * --max-calls: a cap on every request the tune sends (for tools that cost money or touch the
 * world). Each planned point gets an equal share, so the cap must leave each a useful sample.
 */
function maxCallsOf(r: FlagReader, knobs: readonly Knob[]): number | null {
  const maxCalls = r.int('maxCalls', null, 1, 1_000_000_000);
  if (maxCalls === null) return null;
  const points = Math.min(gridSize(knobs), r.int('maxPoints', TUNE_DEFAULTS.maxPoints, 1, 10_000));
  if (Math.floor(maxCalls / points) < MIN_CALLS_PER_POINT) {
    throw new UsageError(
      `--max-calls ${maxCalls} leaves ${Math.floor(maxCalls / points)} requests for each of ${points} points; each needs at least ${MIN_CALLS_PER_POINT} for a percentile worth comparing. ` +
        `Raise it to ${points * MIN_CALLS_PER_POINT} or more, or measure fewer points (fewer knob values, --max-points).`,
    );
  }
  return maxCalls;
}

/** A percentage like 5, "5" or "5%" (a flag, or a config number); `fallback` when absent. */
function percentOf(raw: unknown, fallback: number, where: string): number {
  return raw === undefined ? fallback : parsePercent(String(raw), where, 100, fallback);
}

/** --apply FILE (repeatable) with --yes/--write, --force and --server. */
function applyOf(i: CommandInputs): ApplyOptions | null {
  const files = (i.flags['apply'] as string[] | undefined) ?? [];
  const write = i.flags['yes'] === true || i.flags['write'] === true;
  if (!files.length) {
    if (write) throw new UsageError('--yes/--write confirm --apply FILE: name the file to write the recommendation into.');
    return null;
  }
  return { files, write, force: i.flags['force'] === true, serverName: i.flags['server'] as string | undefined };
}

/** Load the result to resume; its knobs and objective must be the ones given now. */
function loadResume(path: string, knobs: readonly Knob[], objective: TuneObjective, viaProxy: boolean): { path: string; result: TuneResult } {
  const { result } = readTuneResult(path, '--resume');
  const was = JSON.stringify(result.space.knobs.map((k) => [k.id, k.values]));
  const now = JSON.stringify(knobs.map((k) => [k.id, k.values]));
  if (!!result.config.viaProxy !== viaProxy) {
    throw new UsageError(`--resume ${path}: that tune ran ${viaProxy ? 'without' : 'with'} --via-proxy, and its points cannot be compared with points measured ${viaProxy ? 'through' : 'without'} the proxy. Run it as it was, or start a new tune without --resume.`);
  }
  if (was !== now || result.objective.kind !== objective.kind || result.objective.slo !== objective.slo) {
    throw new UsageError(
      `--resume ${path}: that tune searched ${result.space.knobs.map((k) => `${k.id}=${k.values.join(',')}`).join(' ')} for ${result.objective.kind} ${result.objective.slo}; ` +
        'this command differs. Run the same command again with --resume, or start a new tune without it.',
    );
  }
  return { path, result };
}

/**
 * Flags + config file ("bench" section) → frozen BenchOptions. Everything that can be checked
 * without the server is checked here, so bad input exits 2 before anything is launched: loop
 * settings, workload flags and files (invalid --call JSON), budgets (including a budget on a tool
 * the workload does not call).
 */
import { UsageError } from '../errors.js';
import type { BenchResult } from '../result/benchResult.js';
import { resolveBenchMetric } from '../budgets/benchMetrics.js';
import { BENCH_DEFAULT_BUDGETS } from '../budgets/defaults.js';
import { checkBudgetTools, mergeBudgetSources, resolveBudgetSet } from '../budgets/gate.js';
import { parseEra } from '../target/handshake.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { toolNamesOf } from '../workload/workloadSpec.js';
import { BALANCES, BENCH_DEFAULTS, type Balance, type BenchOptions, type LoopMode } from './benchOptions.js';
import { PROFILE_CONFIG_KEYS, profileOption } from './resolveProfile.js';
import { FlagReader, outputOptions, resolveCommandTarget, serverPidOption, type CommandInputs } from './commandInputs.js';
import { workloadOf } from './workloadOf.js';

/** Keys of the config's "bench" section (the flags' names in camelCase; `calls` for --call). */
export const BENCH_CONFIG_KEYS: readonly string[] = [
  'rps', 'concurrency', 'arrival', 'maxInflight', 'duration', 'requests', 'warmup', 'timeout', 'pool', 'connections',
  'balance', 'bailout', 'giveUpAfter', 'keepGoing', 'method', 'calls', 'workload', 'seed', 'era', 'httpClient', 'pipelining', 'batch', 'batchDelay',
  ...PROFILE_CONFIG_KEYS,
];

/** Resolve bench's options. */
export async function resolveBenchOptions(i: CommandInputs): Promise<BenchOptions> {
  const f = i.flags;
  const r = new FlagReader(i, 'bench', BENCH_CONFIG_KEYS);
  // Pairs that exclude each other: a flag of the pair wins over the config's whole pair.
  r.flagsWin('rps', 'concurrency', 'maxInflight', 'arrival');
  r.flagsWin('duration', 'requests');
  r.flagsWin('workload', 'method', 'call', 'calls');
  r.flagsWin('pool', 'connections');
  const rps = r.int('rps', null, 1, 10_000_000);
  const concurrency = r.int('concurrency', null, 1, 100_000);
  if (rps !== null && concurrency !== null) {
    throw new UsageError('--rps (open loop: a fixed arrival rate) and --concurrency (closed loop: a fixed number in flight) exclude each other: give one.');
  }
  const maxInflight = r.int('maxInflight', null, 1, 1_000_000);
  if (maxInflight !== null && rps === null) throw new UsageError('--max-inflight caps an open loop: use it with --rps.');
  const arrival = String(r.raw('arrival') ?? 'uniform');
  if (arrival !== 'uniform' && arrival !== 'poisson') throw new UsageError(`--arrival must be uniform or poisson, not "${arrival}".`);
  const loop: LoopMode = rps !== null
    ? { kind: 'open', rps, arrival, maxInflight }
    : { kind: 'closed', concurrency: concurrency ?? BENCH_DEFAULTS.concurrency };

  const durationGiven = r.raw('duration') !== undefined;
  const requests = r.int('requests', null, 1, 1_000_000_000);
  if (durationGiven && requests !== null) throw new UsageError('--duration and --requests both set the length of the run: give one.');
  const durationMs = requests !== null ? null : r.durationMs('duration', BENCH_DEFAULTS.durationMs);

  const spec = await resolveCommandTarget(i);
  const pool = r.int('pool', null, 1, 256);
  const connections = r.int('connections', null, 1, 4096);
  if (pool !== null && spec.kind === 'http') throw new UsageError('--pool starts stdio server instances; for a URL, use --connections N (sessions over keep-alive connections).');
  if (connections !== null && spec.kind === 'stdio') throw new UsageError('--connections is for HTTP targets; for a stdio server, use --pool N (server instances).');
  const balance = String(r.raw('balance') ?? BENCH_DEFAULTS.balance) as Balance;
  if (!BALANCES.includes(balance)) throw new UsageError(`--balance must be one of ${BALANCES.join(', ')}, not "${balance}".`);

  // mcp-opt's own HTTP engine (src/target/http/pool.ts) everywhere it can: it costs less CPU per
  // request than autocannon run inside mcp-opt, about what the autocannon CLI costs alone
  // (bench/generatorHttp.mjs), and it runs open loops, several sessions, https and legacy SSE too.
  // autocannon only when asked for, or for --pipelining (HTTP/1.1 pipelining, which the engine does
  // not do), and only where it fits: a closed loop over plain http:// (autocannon 9 turns
  // certificate checks off for https, which mcp-opt never does).
  const clientRaw = String(r.raw('httpClient') ?? 'auto');
  if (!['auto', 'autocannon', 'mcp-opt'].includes(clientRaw)) throw new UsageError(`--http-client must be auto, autocannon or mcp-opt, not "${clientRaw}".`);
  // One MCP session (autocannon's connections share it); several sessions (--connections) use the engine.
  const fits = spec.kind === 'http' && loop.kind === 'closed' && spec.url.startsWith('http:') && spec.transport !== 'sse' && (connections ?? 1) === 1;
  if (clientRaw === 'autocannon' && !fits) {
    throw new UsageError('--http-client autocannon loads one session of a Streamable HTTP server over http:// in a closed loop (--concurrency); open loops (--rps), several --connections, stdio, https and legacy SSE use mcp-opt\'s engine.');
  }
  const pipelining = r.int('pipelining', 1, 1, 64);
  const httpClient = clientRaw === 'autocannon' || (clientRaw === 'auto' && fits && pipelining > 1) ? 'autocannon' : 'mcp-opt';
  if (pipelining > 1 && httpClient !== 'autocannon') throw new UsageError('--pipelining needs the autocannon HTTP client: a closed loop (--concurrency) against an http:// URL (with --http-client auto or autocannon).');
  const seed = r.int('seed', BENCH_DEFAULTS.seed, 0, 2 ** 31 - 1);
  const workload = await workloadOf(i, r, seed);
  const budgets = resolveBudgetSet<BenchResult>(
    mergeBudgetSources(f['budget'] as string[] | undefined, i.config, resolveBenchMetric), BENCH_DEFAULT_BUDGETS, resolveBenchMetric,
  );
  // A budget on a tool must name one the workload calls (with `auto` the tools are known only later).
  if (!workload.entries.some((e) => e.kind === 'auto')) {
    checkBudgetTools(budgets, new Set(toolNamesOf(workload)), { missing: 'the workload does not call', known: 'Called tools' });
  }
  const bailoutRaw = r.raw('bailout');
  const batch = r.int('batch', null, 1, 10_000);
  const batchDelay = r.int('batchDelay', null, 0, 1000);
  if ((batch !== null || batchDelay !== null) && spec.kind !== 'stdio') throw new UsageError('--batch and --batch-delay batch writes to a stdio server\'s pipe; the target is a URL.');
  return Object.freeze({
    spec,
    loop,
    durationMs,
    requests,
    warmupMs: r.durationMs('warmup', BENCH_DEFAULTS.warmupMs, true),
    timeoutMs: r.durationMs('timeout', BENCH_DEFAULTS.timeoutMs),
    instances: pool ?? connections ?? 1,
    balance,
    httpClient,
    pipelining,
    // --batch alone flushes at the end of the tick; --batch-delay alone bounds only the delay.
    writeBatching: batch === null && batchDelay === null ? undefined : { max: batch ?? 1024, delayMs: batchDelay ?? 0 },
    bailout: bailoutRaw === undefined ? null : r.int('bailout', 1, 1, 1_000_000_000),
    giveUpMs: r.raw('giveUpAfter') === 'off' ? null : r.durationMs('giveUpAfter', BENCH_DEFAULTS.giveUpMs),
    keepGoing: r.bool('keepGoing'),
    seed,
    pid: serverPidOption(i, spec),
    era: parseEra(String(r.raw('era') ?? 'auto'), '--era'),
    workload,
    budgets,
    client: { name: TOOL_NAME, version: TOOL_VERSION },
    output: outputOptions(i, 'bench'),
    profile: profileOption(r, spec),
  });
}

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, UsageError } from '../../src/errors.js';
import { BENCH_DEFAULTS, type BenchOptions } from '../../src/options/benchOptions.js';
import type { CommandInputs } from '../../src/options/commandInputs.js';
import type { LoadedConfig } from '../../src/options/configFile.js';
import { resolveBenchOptions } from '../../src/options/resolveBench.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

const URL_TARGET = 'http://127.0.0.1:1/mcp'; // never connected: resolution does no I/O on the server

const inputs = (over: Partial<CommandInputs> = {}): CommandInputs => ({
  target: fixturePath('minimal-raw.mjs'), command: undefined, flags: {}, config: null, cwd: repoRoot, env: {},
  stdoutTTY: false, stderrTTY: false, ...over,
});
const config = (data: Record<string, unknown>, path = join(repoRoot, 'mcp-opt.config.json')): LoadedConfig => ({ path, data });
const bench = (flags: Record<string, unknown> = {}, over: Partial<CommandInputs> = {}): Promise<BenchOptions> =>
  resolveBenchOptions(inputs({ flags, ...over }));
const budgetsOf = (o: BenchOptions): Array<[string, string, number, string]> =>
  o.budgets.map((b) => [b.metric.id, b.spec.op, b.threshold, b.spec.source]);

/** The UsageError a resolution fails with. */
async function usageError(p: Promise<unknown>): Promise<UsageError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  expect((err as UsageError).exitCode).toBe(EXIT_CODES.USAGE);
  return err as UsageError;
}

/** A temporary directory holding `files`. */
function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-opt-bench-opts-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('resolveBenchOptions: defaults', () => {
  it('closed loop of 8 for 10 s after a 2 s warm-up, seed 1, the two default budgets, frozen', async () => {
    const o = await bench();
    expect(o.loop).toEqual({ kind: 'closed', concurrency: 8 });
    expect(o).toMatchObject({
      durationMs: 10_000, requests: null, warmupMs: 2_000, timeoutMs: 10_000, instances: 1, balance: 'round-robin',
      bailout: null, giveUpMs: 5_000, keepGoing: false, seed: 1, era: 'auto', client: { name: 'mcp-opt' },
    });
    expect(o.spec.kind).toBe('stdio');
    expect(o.workload).toEqual({ entries: [], seed: 1 });
    expect(budgetsOf(o)).toEqual([['latency.p95', '<', 100, 'default'], ['errors', '<', 1, 'default']]);
    expect(Object.isFrozen(o)).toBe(true);
    expect(BENCH_DEFAULTS).toMatchObject({ concurrency: 8, durationMs: 10_000, warmupMs: 2_000, seed: 1 });
  });
});

describe('resolveBenchOptions: the loop', () => {
  it('--profile is off by default; on with --profile, --profile-interval, or the config; refused for a URL', async () => {
    expect((await bench()).profile).toBeNull();
    expect((await bench({ profile: true })).profile).toEqual({ intervalUs: 1000 });
    expect((await bench({ profileInterval: '250us' })).profile).toEqual({ intervalUs: 250 });
    expect((await bench({}, { config: config({ bench: { profile: true, profileInterval: '2ms' } }) })).profile).toEqual({ intervalUs: 2000 });
    const err = await usageError(bench({ profile: true }, { target: URL_TARGET }));
    expect(err.message).toMatch(/--profile samples the server's processes/);
  });

  it('--rps makes an open loop, uniform and uncapped by default', async () => {
    expect((await bench({ rps: '500' })).loop).toEqual({ kind: 'open', rps: 500, arrival: 'uniform', maxInflight: null });
  });

  it('--arrival poisson and --max-inflight shape the open loop', async () => {
    expect((await bench({ rps: '200', arrival: 'poisson', maxInflight: '64' })).loop)
      .toEqual({ kind: 'open', rps: 200, arrival: 'poisson', maxInflight: 64 });
  });

  it('--concurrency sets the closed loop', async () => {
    expect((await bench({ concurrency: '32' })).loop).toEqual({ kind: 'closed', concurrency: 32 });
  });

  it('--requests sets the length instead of a duration; --warmup 0 is allowed; durations take units', async () => {
    expect(await bench({ requests: '500' })).toMatchObject({ requests: 500, durationMs: null });
    expect(await bench({ warmup: '0', duration: '1.5s', timeout: '250ms' })).toMatchObject({ warmupMs: 0, durationMs: 1500, timeoutMs: 250 });
  });

  it("--give-up-after: a duration, or 'off' (never); the config's giveUpAfter too", async () => {
    expect((await bench({ giveUpAfter: '30s' })).giveUpMs).toBe(30_000);
    expect((await bench({ giveUpAfter: 'off' })).giveUpMs).toBeNull();
    expect((await bench({}, { config: config({ bench: { giveUpAfter: 'off' } }) })).giveUpMs).toBeNull();
    expect((await usageError(bench({ giveUpAfter: 'never' }))).message).toContain('--give-up-after');
  });

  it('--pool, --balance, --bailout, --keep-going, --seed, --era', async () => {
    expect(await bench({ pool: '4', balance: 'latency-ewma', bailout: '5', keepGoing: true, seed: '42', era: 'legacy' }))
      .toMatchObject({ instances: 4, balance: 'latency-ewma', bailout: 5, keepGoing: true, seed: 42, era: 'legacy' });
  });

  it('--connections sets the sessions of a URL target', async () => {
    const o = await bench({ connections: '3' }, { target: URL_TARGET });
    expect(o).toMatchObject({ instances: 3 });
    expect(o.spec.kind).toBe('http');
  });
});

describe('resolveBenchOptions: usage errors (exit 2, naming the flags)', () => {
  it('--rps with --concurrency', async () => {
    expect((await usageError(bench({ rps: '10', concurrency: '2' }))).message).toMatch(/--rps .* and --concurrency .* exclude each other/);
  });

  it('--max-inflight without --rps', async () => {
    expect((await usageError(bench({ maxInflight: '4' }))).message).toContain('--max-inflight caps an open loop: use it with --rps.');
  });

  it('an unknown --arrival', async () => {
    expect((await usageError(bench({ rps: '10', arrival: 'bursty' }))).message).toBe('--arrival must be uniform or poisson, not "bursty".');
  });

  it('--duration with --requests', async () => {
    expect((await usageError(bench({ duration: '5s', requests: '100' }))).message).toContain('--duration and --requests both set the length');
  });

  it('--pool with a URL target', async () => {
    expect((await usageError(bench({ pool: '2' }, { target: URL_TARGET }))).message).toContain('--pool starts stdio server instances; for a URL, use --connections N');
  });

  it('--connections with a stdio target', async () => {
    expect((await usageError(bench({ connections: '2' }))).message).toContain('--connections is for HTTP targets; for a stdio server, use --pool N');
  });

  it('an unknown --balance', async () => {
    expect((await usageError(bench({ balance: 'random' }))).message).toBe('--balance must be one of round-robin, least-inflight, latency-ewma, not "random".');
  });

  it('a workload file together with --call or --method', async () => {
    const dir = dirWith({ 'w.yaml': 'operations:\n  - method: ping\n' });
    expect((await usageError(bench({ workload: join(dir, 'w.yaml'), call: ['echo'] }))).message).toContain('--workload and --method/--call both describe the requests');
    await usageError(bench({ workload: join(dir, 'w.yaml'), method: 'ping' }));
  });

  it('a budget on a tool the workload does not call', async () => {
    const err = await usageError(bench({ call: ['echo'], budget: ['tools/call:search.p95<50ms'] }));
    expect(err.message).toBe('Budget "tools/call:search.p95<50ms" names tool "search", which the workload does not call. Called tools: echo.');
    await usageError(bench({ budget: ['tools/call:search.p95<50ms'] })); // no calls at all
  });

  it('…but a budget on a called tool, or on any tool with --call auto, is accepted', async () => {
    const called = await bench({ call: ['search'], budget: ['tools/call:search.p95<50ms'] });
    expect(called.budgets.at(-1)!.metric.tool).toBe('search');
    const auto = await bench({ call: ['auto'], budget: ['tools/call:anything.v2.p99<1s'] });
    expect(auto.budgets.at(-1)!.metric).toMatchObject({ id: 'tools/call:anything.v2.p99', tool: 'anything.v2' });
  });

  it.each([
    [{ rps: '0' }, '--rps'],
    [{ concurrency: 'many' }, '--concurrency'],
    [{ maxInflight: '0', rps: '5' }, '--max-inflight'],
    [{ duration: '0' }, '--duration'],
    [{ duration: 'ten' }, '--duration'],
    [{ warmup: '-1s' }, '--warmup'],
    [{ pool: '0' }, '--pool'],
    [{ seed: '-1' }, '--seed'],
    [{ bailout: '0' }, '--bailout'],
    [{ era: 'future' }, '--era'],
    [{ budget: ['p42<1ms'] }, 'unknown metric'],
    [{ budget: ['errors<5ms'] }, 'errors'],
    [{ method: 'tools/call' }, '--method'],
  ] as Array<[Record<string, unknown>, string]>)('bad value %j names %s', async (flags, named) => {
    expect((await usageError(bench(flags))).message).toContain(named);
  });
});

describe('resolveBenchOptions: the config file\'s "bench" section', () => {
  it('supplies every setting when no flag is given', async () => {
    const o = await bench({}, {
      config: config({
        bench: { rps: 300, arrival: 'poisson', maxInflight: 16, duration: 5000, warmup: '1s', timeout: '3s', seed: 7, pool: 2, balance: 'least-inflight', bailout: 9, keepGoing: true, era: 'modern', calls: ['echo'] },
      }),
    });
    expect(o.loop).toEqual({ kind: 'open', rps: 300, arrival: 'poisson', maxInflight: 16 });
    expect(o).toMatchObject({ durationMs: 5000, warmupMs: 1000, timeoutMs: 3000, seed: 7, instances: 2, balance: 'least-inflight', bailout: 9, keepGoing: true, era: 'modern' });
    expect(o.workload.entries.map((e) => (e.kind === 'call' ? e.name : e.kind))).toEqual(['echo']);
    expect(o.workload.seed).toBe(7);
  });

  it('flags override the same settings in the config', async () => {
    const o = await bench(
      { rps: '50', arrival: 'uniform', duration: '2s', seed: '9', balance: 'round-robin', call: ['other'] },
      { config: config({ bench: { rps: 300, arrival: 'poisson', duration: 5000, seed: 7, balance: 'least-inflight', calls: ['echo'] } }) },
    );
    expect(o.loop).toEqual({ kind: 'open', rps: 50, arrival: 'uniform', maxInflight: null });
    expect(o).toMatchObject({ durationMs: 2000, seed: 9, balance: 'round-robin' });
    expect(o.workload.entries.map((e) => (e.kind === 'call' ? e.name : e.kind))).toEqual(['other']);
  });

  it('config values are checked and errors name the config key', async () => {
    await usageError(bench({}, { config: config({ bench: { rps: 'lots' } }) }));
    expect((await usageError(bench({}, { config: config({ bench: { rps: true } }) }))).message).toContain('"bench.rps" must be a number');
    await usageError(bench({}, { config: config({ bench: 'fast' }) }));
    await usageError(bench({}, { config: config({ bench: { balance: 'random' } }) }));
  });

  it('config budgets replace the defaults on the same metric; a flag budget replaces the config\'s', async () => {
    const cfg = config({ budgets: ['p95<50ms', 'rps>=100'] });
    expect(budgetsOf(await bench({}, { config: cfg }))).toEqual([
      ['errors', '<', 1, 'default'], ['latency.p95', '<', 50, 'config'], ['rps', '>=', 100, 'config'],
    ]);
    expect(budgetsOf(await bench({ budget: ['p95<20ms'] }, { config: cfg }))).toEqual([
      ['errors', '<', 1, 'default'], ['rps', '>=', 100, 'config'], ['latency.p95', '<', 20, 'flag'],
    ]);
  });

  it('the config target resolves relative to the config file', async () => {
    const o = await bench({}, { target: undefined, config: config({ target: 'fixtures/servers/minimal-raw.mjs' }) });
    expect(o.spec.kind === 'stdio' && o.spec.launch.args).toEqual([fixturePath('minimal-raw.mjs')]);
  });
});

describe('resolveBenchOptions: workload files', () => {
  const yaml = 'seed: 42\noperations:\n  - call: search\n    weight: 3\n    args: { q: "item-{{seq}}" }\n  - method: ping\n';

  it('a --workload path resolves against the working directory and keeps its own seed', async () => {
    const dir = dirWith({ 'w.yaml': yaml });
    const o = await bench({ workload: 'w.yaml', seed: '5' }, { cwd: dir });
    expect(o.workload.entries.map((e) => e.kind === 'call' ? `${e.name}:${e.weight}` : e.kind === 'method' ? e.method : e.kind)).toEqual(['search:3', 'ping']);
    expect(o.workload.seed).toBe(42);
    expect(o.seed).toBe(5);
  });

  it('a workload file without a seed takes --seed', async () => {
    const dir = dirWith({ 'w.json': '{ "operations": [{ "method": "tools/list" }] }' });
    expect((await bench({ workload: join(dir, 'w.json'), seed: '5' })).workload.seed).toBe(5);
  });

  it('a workload named in the config resolves relative to the config file, not the working directory', async () => {
    const dir = dirWith({ 'w.yaml': yaml });
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'w2.yaml'), 'operations:\n  - method: discover\n');
    const cfg = config({ bench: { workload: 'w.yaml' } }, join(dir, 'mcp-opt.config.json'));
    const o = await bench({}, { config: cfg, cwd: repoRoot });
    expect(o.workload.entries.map((e) => e.kind)).toEqual(['call', 'method']);
    const nested = config({ bench: { workload: 'sub/w2.yaml' } }, join(dir, 'mcp-opt.config.json'));
    expect((await bench({}, { config: nested })).workload.entries).toMatchObject([{ kind: 'method', method: 'discover' }]);
  });

  it('a --workload flag still resolves against the working directory when a config exists', async () => {
    const dir = dirWith({ 'w.yaml': 'operations:\n  - method: tools/list\n' });
    const cfg = config({}, join(repoRoot, 'mcp-opt.config.json'));
    expect((await bench({ workload: 'w.yaml' }, { cwd: dir, config: cfg })).workload.entries).toMatchObject([{ kind: 'method', method: 'tools/list' }]);
  });

  it('a missing workload file is a usage error naming it', async () => {
    expect((await usageError(bench({ workload: 'nope.yaml' }))).message).toContain('nope.yaml: no such file');
  });

  it('budgets are checked against the tools the workload file calls', async () => {
    const dir = dirWith({ 'w.yaml': yaml });
    await expect(bench({ workload: join(dir, 'w.yaml'), budget: ['tools/call:search.p95<50ms'] })).resolves.toBeDefined();
    await usageError(bench({ workload: join(dir, 'w.yaml'), budget: ['tools/call:fetch.p95<50ms'] }));
  });
});

describe('resolveBenchOptions: a flag wins over the config setting it excludes (README: "Flags win over it")', () => {
  it('config duration + --requests: --requests sets the length', async () => {
    const o = await bench({ requests: '100' }, { config: config({ bench: { duration: 30_000 } }) });
    expect(o).toMatchObject({ requests: 100, durationMs: null });
  });

  it('config rps + --concurrency: a closed loop', async () => {
    const o = await bench({ concurrency: '4' }, { config: config({ bench: { rps: 300, arrival: 'poisson' } }) });
    expect(o.loop).toEqual({ kind: 'closed', concurrency: 4 });
  });

  it('config workload + --call: the --call workload', async () => {
    const dir = dirWith({ 'w.yaml': 'operations:\n  - method: ping\n' });
    const o = await bench({ call: ['echo'] }, { config: config({ bench: { workload: 'w.yaml' } }, join(dir, 'mcp-opt.config.json')) });
    expect(o.workload.entries.map((e) => e.kind)).toEqual(['call']);
  });
});

describe('resolveBenchOptions: --http-client', () => {
  const url = { target: URL_TARGET };
  it("auto is mcp-opt's engine, in closed and open loops alike", async () => {
    expect((await bench({ concurrency: '32' }, url)).httpClient).toBe('mcp-opt');
    expect((await bench({ rps: '100' }, url)).httpClient).toBe('mcp-opt');
  });

  it('auto with --pipelining is autocannon (the engine does not pipeline); asked for, autocannon is kept where it fits', async () => {
    expect(await bench({ concurrency: '32', pipelining: '4' }, url)).toMatchObject({ httpClient: 'autocannon', pipelining: 4 });
    expect((await bench({ concurrency: '32', httpClient: 'autocannon' }, url)).httpClient).toBe('autocannon');
  });

  it('refuses autocannon where it does not fit, and --pipelining with the engine, naming the flags', async () => {
    expect((await usageError(bench({ rps: '100', httpClient: 'autocannon' }, url))).message).toMatch(/--http-client autocannon .*open loops \(--rps\)/);
    expect((await usageError(bench({ concurrency: '8', pipelining: '2', httpClient: 'mcp-opt' }, url))).message).toMatch(/--pipelining needs the autocannon HTTP client/);
    expect((await usageError(bench({ concurrency: '8', pipelining: '2' }, { target: 'https://127.0.0.1:1/mcp' }))).message).toMatch(/--pipelining/);
  });
});

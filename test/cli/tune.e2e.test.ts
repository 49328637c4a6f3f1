/**
 * `mcp-opt tune` against fixtures with known optima (issue 4): tunable.mjs, whose busy workers
 * contend so that throughput peaks at WORKERS = 4 (USL κ = 1/16) and more than 8 workers refuse to
 * start; worker-pool.mjs, whose 4 workers saturate at concurrency 4. Points are short (1.2 s
 * measured); the designed differences (+29 % from WORKERS 2 or 8 to 4) are far beyond that noise.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TuneResult } from '../../src/result/tuneResult.js';
import { noLeftovers, runCli } from '../helpers/cli.js';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';
import { tuneJson } from '../helpers/tune.js';

const TUNABLE = fixturePath('tunable.mjs');
const WORKER_POOL = fixturePath('worker-pool.mjs');

/**
 * The concurrency tune on the 4-worker pool picks 4 or 8, by the rule, and returns it. At 4 in
 * flight each worker idles for a client round trip between calls (~2-5 % of its 10 ms, more on a
 * busy machine), so 8 can beat 4 beyond the noise floor: then 8 is the right answer. Either way
 * the cheapest point within noise of the best wins, and 16 (more queueing, no more throughput)
 * never does.
 */
function saturationChoice(result: TuneResult): unknown {
  const chosen = result.recommendation?.settings['concurrency'];
  expect([4, 8]).toContain(chosen);
  const why = result.recommendation!.explanation.join(' ');
  if (chosen === 8) {
    // 8 may only win when 4 was not within noise of the best point (the rule compares every point
    // with the best, which may be 16, not with the winner): 4 is absent from the "within noise"
    // list, and its throughput is below the best's by at least the noise floor.
    expect(why).not.toMatch(/concurrency 4\b[^.]*within the measured noise/);
    const ok = result.points.filter((p) => p.status === 'ok' && p.summary);
    const rps4 = ok.find((p) => p.settings['concurrency'] === 4)!.summary!.succeededRps;
    const best = Math.max(...ok.map((p) => p.summary!.succeededRps));
    expect(best).toBeGreaterThan(rps4 * (1 + result.config.noisePct / 100));
  }
  return chosen;
}

describe('tune: picking the designed optimum', () => {
  it('env:WORKERS=1,2,4,8,16 on tunable.mjs picks WORKERS=4 and explains it with a USL fit peaking near 4; 16, refused by the server, is a failed point', async () => {
    const out = tmpFile('tune.json');
    // As the issue writes it: no workload flag, so tune calls every tool annotated safe (`work`).
    const { code, stderr, result, testId } = await tuneJson([TUNABLE, '--knob', 'env:WORKERS=1,2,4,8,16', '--out', out]);
    expect(code, stderr).toBe(0);
    expect(result.points.map((p) => p.settings['env:WORKERS'])).toEqual([1, 2, 4, 8, 16]);
    expect(result.points.slice(0, 4).every((p) => p.status === 'ok')).toBe(true);
    // A value the server refuses to start with is a failed point with its stderr; the search went on.
    const failed = result.points[4]!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/cannot start 16 workers/);
    expect(result.recommendation?.settings).toEqual({ 'env:WORKERS': 4 });
    expect(result.recommendation?.meetsSlo).toBe(true);
    // Designed curve: 100, 178, 229, 178 req/s nominal (timers make each ~8 % slower).
    const x = result.points.slice(0, 4).map((p) => p.summary!.succeededRps);
    expect(x[2]).toBeGreaterThan(x[1]! * 1.15);
    expect(x[2]).toBeGreaterThan(x[3]! * 1.15);
    expect(result.model?.kind).toBe('usl');
    expect(result.model!.peakN!).toBeGreaterThan(3);
    expect(result.model!.peakN!).toBeLessThan(5.5);
    expect(result.model!.kappa!).toBeGreaterThan(0.03);
    expect(result.model!.r2!).toBeGreaterThan(0.9);
    expect(result.model!.reading).toMatch(/WORKERS/);
    expect(result.recommendation!.explanation.join(' ')).toMatch(/peak/);
    // Saved as it went, and the result on disk is the one printed.
    expect((JSON.parse(readFileSync(out, 'utf8')) as TuneResult).recommendation?.settings).toEqual({ 'env:WORKERS': 4 });
    // The client entry's env as patches beside the result.
    const entry = result.patch!.files.find((f) => f.target.startsWith('server entry'))!;
    expect(entry.mergePatch).toEqual({ env: { WORKERS: '4' } });
    expect(JSON.parse(readFileSync(entry.jsonPatchFile!, 'utf8'))).toEqual(entry.jsonPatch);
    await noLeftovers(testId);

    // Applied from the saved result, without measuring again: into an MCP client config's entry
    // (chosen with --server among two) and into an .env file.
    const dir = mkdtempSync(join(tmpdir(), 'mcpopt-apply-'));
    const client = `{
  // Claude Desktop
  "mcpServers": {
    "other": { "command": "node", "args": ["other.js"] },
    "pool": { "command": "node", "args": ["tunable.mjs"], "env": { "LOG": "info" } }
  }
}
`;
    writeFileSync(join(dir, 'claude.json'), client);
    writeFileSync(join(dir, '.env'), '# server settings\nLOG=info\nWORKERS=1\n');
    const many = await runCli(['tune', '--apply-from', out, 'claude.json', '--yes'], { cwd: dir, timeoutMs: 20_000 });
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/other.*pool.*--server/s);
    const applied = await runCli(['tune', '--apply-from', out, 'claude.json', '--apply', '.env', '--server', 'pool', '--yes'], { cwd: dir, timeoutMs: 20_000 });
    expect(applied.code, applied.stderr).toBe(0);
    expect(readFileSync(join(dir, 'claude.json'), 'utf8')).toBe(client.replace('"env": { "LOG": "info" }', '"env": { "LOG": "info", "WORKERS": "4" }'));
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe('# server settings\nLOG=info\nWORKERS=4\n');
  });

  it('concurrency on a 4-worker pool, a space larger than --max-points: a guided search says what it skipped; throughput saturates at 4, and the cheapest setting within noise wins', async () => {
    const out = tmpFile('tune.json');
    const { code, stderr, result } = await tuneJson([WORKER_POOL, '--call', 'work', '--knob', 'concurrency=1,2,4,8,16,32,64', '--max-points', '5', '--out', out]);
    expect(code, stderr).toBe(0);
    // The ramp measures 1, 2, 4, 8 and 16 (flat from 4 on, or stopped at the budget), never 64.
    expect(result.space.strategy).toBe('guided');
    expect(result.space.gridSize).toBe(7);
    expect(result.points.map((p) => p.settings['concurrency'])).toEqual([1, 2, 4, 8, 16]);
    expect(result.space.skipped.join(' ')).toMatch(/64/);
    const byC = new Map(result.points.map((p) => [p.settings['concurrency'], p.summary!]));
    // Saturation: 4, 8 and 16 in flight give the same throughput; 16 waits in the queue.
    expect(byC.get(4)!.succeededRps).toBeGreaterThan(byC.get(2)!.succeededRps * 1.5);
    expect(byC.get(16)!.p50Us).toBeGreaterThan(byC.get(4)!.p50Us * 2.5);
    const chosen = saturationChoice(result);
    // A choice among points within noise of each other comes only after they were measured again
    // (choose.ts). On a busy machine 8 can beat 4 beyond the noise at once (see saturationChoice):
    // then the ranking was clear and nothing needed repeating.
    const separated = /beyond the ±\S+ noise/.test(result.recommendation!.explanation.join(' '));
    if (!separated) expect(Math.max(...result.points.map((p) => p.runs.length))).toBeGreaterThan(1);
    // mcp-opt's own config patch: bench.concurrency in total.
    const own = result.patch!.files.find((f) => f.target.startsWith('mcp-opt config'))!;
    expect(own.mergePatch).toEqual({ bench: { concurrency: chosen } });

    // Applied to mcp-opt's own (commented) config, which bench then runs with.
    const dir = mkdtempSync(join(tmpdir(), 'mcpopt-own-'));
    const config = '{\n  // budgets for CI\n  "budgets": ["p95<100ms"],\n  "bench": { "duration": "1s", "warmup": "200ms" }\n}\n';
    writeFileSync(join(dir, 'mcp-opt.config.json'), config);
    const applied = await runCli(['tune', '--apply-from', out, 'mcp-opt.config.json', '--yes'], { cwd: dir, timeoutMs: 20_000 });
    expect(applied.code, applied.stderr).toBe(0);
    const written = readFileSync(join(dir, 'mcp-opt.config.json'), 'utf8');
    expect(written).toContain('// budgets for CI');
    expect(written).toContain(`"bench": { "duration": "1s", "warmup": "200ms", "concurrency": ${chosen} }`);
    const bench = await runCli(['bench', WORKER_POOL, '--call', 'work', '--json', '--no-save'], { cwd: dir, timeoutMs: 30_000 });
    expect(bench.code, bench.stderr).toBe(0);
    expect(JSON.parse(bench.stdout).config.concurrency).toBe(chosen);
  });
});

describe('tune: objectives at a fixed rate', () => {
  it('min-instances at 500 req/s: one 4-worker instance (~370 req/s) cannot keep up, two can; pool 2 is chosen', async () => {
    const { code, stderr, result } = await tuneJson([WORKER_POOL, '--call', 'work', '--knob', 'pool=1,2,3', '--objective', 'min-instances', '--at-rps', '500', '--slo', 'p95<50ms', '--no-save']);
    expect(code, stderr).toBe(0);
    const byPool = new Map(result.points.map((p) => [p.settings['pool'], p.summary!]));
    expect(byPool.get(1)!.meetsSlo).toBe(false);
    expect(byPool.get(2)!.meetsSlo).toBe(true);
    expect(result.recommendation?.settings).toEqual({ pool: 2 });
    expect(result.objective).toMatchObject({ kind: 'min-instances', atRps: 500 });
    // An open loop at a fixed rate says nothing about scalability: no model.
    expect(result.model).toBeNull();
  });
});

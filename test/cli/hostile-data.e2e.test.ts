/**
 * A server's data must neither hang mcp-opt nor pass for a healthy answer (fixtures/servers/
 * hostile-data.mjs, and http-server.mjs with LIST_STATUS): a tool description that is one unbroken
 * 256 KiB or 12 MiB word (token counting was quadratic: 43 s, then never), an input schema that
 * requires itself twice (synthesis ran out of memory), and a tools/list that fails over stdio or
 * HTTP (reported as "✓ 0 tools", exit 0).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalyzeResult } from '../../src/result/analyzeResult.js';
import { ANY_SLO, BENCH_SHORT, FAST, TWO_RUNS, noLeftovers, parseResult, runBenchJson, runCli, startCli, TUNE_SHORT, waitFor } from '../helpers/cli.js';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';
import { startHttpFixture, type HttpFixture } from '../target/httpFixture.js';

const HOSTILE = fixturePath('hostile-data.mjs');
const fixtures: HttpFixture[] = [];
afterAll(async () => {
  await Promise.all(fixtures.map((f) => f.stop()));
});

describe('a tool description that is one unbroken word', () => {
  it('256 KiB: analyze finishes and says the token count is partly estimated', async () => {
    const run = await runCli(['analyze', ...FAST, '--json', '--no-save', '--', 'node', HOSTILE], { env: { MODE: 'long-word', WORD_BYTES: '262144' } });
    expect(run.code, run.stderr).toBe(0);
    const tools = parseResult(run.stdout).tools!;
    expect(tools.count).toBe(2);
    expect(tools.bytes).toBeGreaterThan(262144);
    expect(tools.tokenizer.estimatedChars).toBeGreaterThan(100_000);
    expect(tools.tokenizer.note).toMatch(/Partly estimated: \d+ characters in unbroken runs/);
    // The estimate is a rate measured on the same word: o200k gives random letters ~2 characters a token.
    expect(tools.tokens).toBeGreaterThan(262144 / 3);
    expect(tools.tokens).toBeLessThan(262144 / 1.5);
    await noLeftovers(run.testId);
  }, 60_000);

  it('12 MiB: Ctrl-C during the tools phase stops the run, saves it and exits 130', async () => {
    const out = tmpFile('long-word.json');
    const cli = startCli(['analyze', ...FAST, ...TWO_RUNS, '--out', out, '--', 'node', HOSTILE], { env: { MODE: 'long-word', WORD_BYTES: String(12 * 1024 * 1024) }, timeoutMs: 90_000 });
    let stderr = '';
    cli.child.stderr!.on('data', (s: string) => (stderr += s));
    expect(await waitFor(() => /✓ cold-start/.test(stderr), 60_000), stderr).toBe(true);
    // Past the tools phase's timed walks (capped at 1.5 s), into counting tokens, where a
    // synchronous count of the word used to run for hours without seeing the signal.
    await new Promise((r) => setTimeout(r, 3000));
    cli.child.kill('SIGINT');
    const run = await cli.done;
    expect(run.code, run.stderr).toBe(130);
    expect(run.timedOut).toBe(false);
    const saved = JSON.parse(readFileSync(out, 'utf8')) as AnalyzeResult;
    expect(saved.incomplete).toBe(true);
    expect(saved.coldStart?.samples.length).toBe(2);
    await noLeftovers(run.testId);
  }, 120_000);
});

describe('an input schema that requires itself twice', () => {
  it('analyze skips the tool, says why, and measures the other one', async () => {
    const run = await runCli(['analyze', ...FAST, '--json', '--no-save', '--', 'node', HOSTILE], { env: { MODE: 'recursive-schema' }, timeoutMs: 40_000 });
    expect(run.code, run.stderr).toBe(0);
    const result = parseResult(run.stdout);
    expect(result.warnings.join('\n')).toMatch(/Tool "tree" skipped: arguments could not be synthesised: recursive schema/);
    expect(result.tools!.callable).toEqual(['echo']);
    expect(result.tools!.skipped).toContainEqual({ name: 'tree', reason: expect.stringMatching(/^arguments could not be synthesised: recursive schema/) });
    expect(result.latency!.operations.map((o) => o.op)).not.toContain('tools/call:tree');
    expect(result.latency!.operations.map((o) => o.op)).toContain('tools/call:echo');
    await noLeftovers(run.testId);
  }, 60_000);

  it('bench --call auto skips it with a warning and benches the rest', async () => {
    const { run, result } = await runBenchJson([HOSTILE, '--call', 'auto', ...BENCH_SHORT], { env: { MODE: 'recursive-schema' }, timeoutMs: 40_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(result.workload.operations.map((o) => o.op)).toEqual(['tools/call:echo']);
    expect(result.warnings.join('\n')).toMatch(/Tool "tree" skipped: arguments could not be synthesised: recursive schema/);
    expect(result.requests.succeeded).toBeGreaterThan(0);
  }, 60_000);
});

describe('an input schema that requires itself twice, in tune', () => {
  it("tune's default workload skips it at every point and measures the rest", async () => {
    const run = await runCli(['tune', HOSTILE, '--knob', 'concurrency=1,2', ...ANY_SLO, ...TUNE_SHORT, '--repeats', '1', '--json', '--no-save'], { env: { MODE: 'recursive-schema' }, timeoutMs: 40_000 });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { warnings: string[]; points: Array<{ status: string }> };
    expect(result.warnings.filter((w) => /Tool "tree" skipped: arguments could not be synthesised: recursive schema/.test(w))).toHaveLength(2);
    expect(result.points.map((p) => p.status)).toEqual(['ok', 'ok']);
    await noLeftovers(run.testId);
  }, 60_000);
});

describe('a tools/list that fails', () => {
  it('stdio, a JSON-RPC error: a target failure (exit 3) with the error shown, never "0 tools"; the partial result saved', async () => {
    const out = tmpFile('list-error.json');
    const run = await runCli(['analyze', ...FAST, '--out', out, '--', 'node', HOSTILE], { env: { MODE: 'list-error' } });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('tools/list failed: the server answered with error -32603: "Internal error: tool registry unavailable"');
    expect(run.stderr).not.toMatch(/0 tools/);
    expect(run.stderr).not.toMatch(/✓ cold-start/); // "ready" is never timed from the error
    const saved = JSON.parse(readFileSync(out, 'utf8')) as AnalyzeResult;
    expect(saved.incomplete).toBe(true);
    expect(saved.incompleteReason).toMatch(/^cold-start: tools\/list failed/);
    expect(saved.coldStart).toBeNull();
    await noLeftovers(run.testId);
  }, 60_000);

  it('stdio, bench --call auto: exit 3 with the error', async () => {
    const { run, result } = await runBenchJson([HOSTILE, '--call', 'auto', ...BENCH_SHORT], { env: { MODE: 'list-error' } });
    expect(run.code, run.stderr).toBe(3);
    expect(result.incompleteReason).toMatch(/tools\/list failed: the server answered with error -32603/);
  }, 60_000);

  it('Streamable HTTP, a 400 after initialize: exit 3 with the HTTP status shown', async () => {
    const fx = await startHttpFixture('streamable', { LIST_STATUS: '400' });
    fixtures.push(fx);
    const run = await runCli(['analyze', ...FAST, '--json', '--no-save', fx.url]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/tools\/list failed: the server answered with error -?\d+: "HTTP 400 \(application\/json\)/);
    expect(run.stderr).not.toMatch(/0 tools/);
    const result = parseResult(run.stdout);
    expect(result.incomplete).toBe(true);
    expect(result.coldStart).toBeNull();
    // initialize itself worked: the failure is the listing, not the connection.
    expect((await fx.stats()).initializes).toBeGreaterThan(0);
  }, 60_000);
});

/**
 * Failures that are not the server's, and runs in which nothing succeeds, end to end on real
 * fixture servers: path-guard.mjs rejects the paths mcp-opt synthesises (server-filesystem's
 * "Access denied - path outside allowed directories: … not in <dir>"), failing.mjs answers every
 * call with a JSON-RPC error, an isError result, or an error text in an ordinary result (MODE).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzeResult, OperationLatency } from '../../src/result/analyzeResult.js';
import type { BenchResult } from '../../src/result/benchResult.js';
import { FAST, findingIds, noLeftovers, runCli, type CliResult } from '../helpers/cli.js';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';

const LONG = 90_000;
const opOf = (r: AnalyzeResult, name: string): OperationLatency => r.latency!.operations.find((o) => o.op === `tools/call:${name}`)!;

/** Run a command with --out, returning the run, the saved result and the terminal report. */
async function runSaved<R>(args: string[], env: Record<string, string>): Promise<{ run: CliResult; saved: R }> {
  const out = tmpFile('result.json');
  const run = await runCli([...args, '--out', out, '--no-color'], { env, timeoutMs: LONG - 10_000 });
  await noLeftovers(run.testId);
  return { run, saved: JSON.parse(readFileSync(out, 'utf8')) as R };
}

describe('analyze of a server that resolves relative paths inside its allowed directory (path-guard.mjs RELATIVE_TO_ALLOWED=1)', () => {
  it('retries in the directory the server resolved the missing path in, and samples the tool there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpopt-allowed-'));
    const { run, saved: r } = await runSaved<AnalyzeResult>(['analyze', fixturePath('path-guard.mjs'), ...FAST], { ALLOWED_DIR: dir, RELATIVE_TO_ALLOWED: '1' });
    expect(run.code, run.stderr).toBe(0);
    const o = opOf(r, 'list_directory');
    expect(o.errorSamples!['argument-rejected']!.message).toBe(`ENOENT: ENOENT: no such file or directory, scandir '${join(dir, 'mcp-opt')}'`);
    expect(o.retries).toEqual([{ why: 'the directory the server resolved the path in', args: { path: dir }, class: null }]);
    expect(o.sequential!.n).toBeGreaterThan(0);
    expect(findingIds(r)).not.toContain('error-rate');
  }, LONG);
});

describe('analyze of a server that rejects paths outside its allowed directory (path-guard.mjs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcpopt-allowed-'));
  writeFileSync(join(dir, 'a.txt'), 'hello\n');
  let run: CliResult;
  let r: AnalyzeResult;

  beforeAll(async () => {
    ({ run, saved: r } = await runSaved<AnalyzeResult>(['analyze', fixturePath('path-guard.mjs'), ...FAST], { ALLOWED_DIR: dir }));
  }, LONG);

  it('exits 0: rejected arguments are not server errors, so no error-rate finding and the errors budget passes', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(findingIds(r)).not.toContain('error-rate');
    expect(r.latency!.errorRatePct).toBe(0);
    expect(r.latency!.argumentRejected).toBeGreaterThanOrEqual(3);
    expect(r.budgets.find((b) => b.metric === 'errors')?.pass).toBe(true);
  });

  it('retries with a path inside the directory the server named, and samples the tool with it', () => {
    for (const name of ['list_directory', 'get_file_info']) {
      const o = opOf(r, name);
      expect(o.errors).toEqual({ 'argument-rejected': 1 });
      expect(o.errorSamples!['argument-rejected']).toEqual({
        op: `tools/call:${name}`,
        message: expect.stringMatching(new RegExp(`^Access denied - path outside allowed directories: .*mcp-opt not in ${dir}$`)),
        args: { path: 'mcp-opt' },
      });
      expect(o.retries).toEqual([{ why: 'a path inside the directory the server named', args: { path: dir }, class: null }]);
      expect(o.arguments).toEqual({ path: dir });
      expect(o.args).toMatch(/retried with a path inside the directory the server named$/);
      expect(o.sequential!.n).toBeGreaterThan(0);
      expect(o.failedLatency!.n).toBe(1);
    }
  });

  it('a tool whose rejection gives nothing to go on is reported with its error and arguments, and not sampled', () => {
    const o = opOf(r, 'lookup_code');
    expect(o.sequential).toBeNull();
    expect(o.note).toMatch(/rejected the synthesised arguments.*--call lookup_code=/);
    expect(o.errorSamples!['argument-rejected']).toEqual({ op: 'tools/call:lookup_code', message: 'Invalid params: unknown code "mcp-opt"', args: { code: 'mcp-opt' } });
    const f = r.findings.find((x) => x.id === 'arguments-rejected')!;
    expect(f.severity).toBe('warning');
    expect(f.evidence).toContain('tools/call:lookup_code: "Invalid params: unknown code "mcp-opt"" for {"code":"mcp-opt"}');
    expect(f.evidence).toContain(`accepted {"path":"${dir}"}`);
  });

  it('the terminal shows the first error, the arguments, the retry and the failed-call latency', () => {
    expect(run.stdout).toContain('tools/call:list_directory: first argument-rejected: "Access denied - path outside allowed directories:');
    expect(run.stdout).toContain('with arguments {"path":"mcp-opt"}');
    expect(run.stdout).toContain(`tools/call:list_directory: retried with {"path":"${dir}"} (a path inside the directory the server named): accepted`);
    expect(run.stdout).toMatch(/failed p50/);
    expect(run.stdout).toMatch(/3 call\(s\) with rejected arguments not counted/);
  });
});

describe('bench where no request succeeds (failing.mjs)', () => {
  const bench = ['bench', fixturePath('failing.mjs'), '--call', 'fetch_status', '--requests', '40', '--warmup', '0', '--concurrency', '2'];

  it('every call a JSON-RPC error: exit 3 naming the first error; the result is saved with the sample and the failed latency', async () => {
    const { run, saved } = await runSaved<BenchResult>(bench, { MODE: 'jsonrpc-error' });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('No request succeeded: 40 sent, 40 failed (jsonrpc:-32603 ×40), e.g. tools/call:fetch_status: "Internal error: upstream unavailable"');
    expect(run.stderr).toMatch(/saved .*result\.json\n/);
    expect(saved.incomplete).toBe(false);
    expect(saved.requests.succeeded).toBe(0);
    expect(saved.requests.errorSamples).toEqual({ 'jsonrpc:-32603': { op: 'tools/call:fetch_status', message: 'Internal error: upstream unavailable', args: null } });
    expect(saved.failedLatency!.n).toBe(40);
    expect(saved.warnings).toContain('No request succeeded: every latency figure is empty and every budget fails.');
    expect(run.stdout).toContain('jsonrpc:-32603 ×40: first tools/call:fetch_status "Internal error: upstream unavailable"');
    expect(run.stdout).toMatch(/failed requests \(time to failure\)\s*│ 40 /);
  }, LONG);

  it('an error text quoting a credential: saved, printed and reported with the secret redacted and escapes stripped', async () => {
    const secret = 'sk-live-5f3e9a1c7b';
    const { run, saved } = await runSaved<BenchResult>(bench, { MODE: 'is-error', UPSTREAM_API_KEY: secret });
    expect(run.code, run.stderr).toBe(3);
    expect(saved.requests.errorSamples!['isError']!.message).toBe('Error: upstream unavailable (HTTP 503) (key ***)');
    for (const text of [run.stdout, run.stderr, JSON.stringify(saved)]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain('\u001b[31m');
    }
    expect(run.stderr).toContain('"Error: upstream unavailable (HTTP 503) (key ***)"');
  }, LONG);

  it('every call an isError result: exit 3 with the result\'s text', async () => {
    const { run, saved } = await runSaved<BenchResult>(bench, { MODE: 'is-error' });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('No request succeeded: 40 sent, 40 failed (isError ×40)');
    expect(saved.requests.errorSamples!['isError']!.message).toBe('Error: upstream unavailable (HTTP 503)');
    expect(run.stdout).toContain('isError ×40: first tools/call:fetch_status "Error: upstream unavailable (HTTP 503)"');
  }, LONG);

  it('every call an error text without isError: exit 0 (they are successes) with a heuristic warning and a sample', async () => {
    const { run, saved } = await runSaved<BenchResult>(bench, { MODE: 'error-text' });
    expect(run.code, run.stderr).toBe(0);
    expect(saved.requests.succeeded).toBe(40);
    expect(saved.requests.errorLike).toEqual({
      count: 40, sample: { op: 'tools/call:fetch_status', message: 'Error fetching https://example.com/status: fetch failed', args: null },
    });
    const w = saved.warnings.find((x) => x.includes('read like errors'));
    expect(w).toMatch(/^40 of 40 successful results read like errors \(heuristic: .*"Error fetching https:\/\/example.com\/status: fetch failed"/);
    expect(run.stdout).toContain('40 of 40 successful results read like errors (heuristic');
  }, LONG);

  it('every synthesised argument rejected: exit 3 saying so, and the rejections stay out of the error rate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpopt-allowed-'));
    const { run, saved } = await runSaved<BenchResult>(
      ['bench', fixturePath('path-guard.mjs'), '--call', 'auto', '--requests', '30', '--warmup', '0', '--concurrency', '2'], { ALLOWED_DIR: dir });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/No request succeeded: 30 sent, 30 failed \(argument-rejected ×30\).*rejected every request's arguments: give arguments it accepts with --call/);
    expect(saved.requests.errorRatePct).toBe(0);
    const sample = saved.requests.errorSamples!['argument-rejected']!;
    expect(sample.op).toMatch(/^tools\/call:/);
    expect(sample.args).not.toBeNull();
    expect(saved.warnings.some((w) => w.startsWith('30 of 30 requests were rejected for their arguments (argument-rejected; not counted in the error rate)'))).toBe(true);
  }, LONG);
});

describe('analyze of a server whose tool fails (failing.mjs)', () => {
  it('JSON-RPC errors: the error-rate finding quotes the first error; the table shows the failed-call latency', async () => {
    const { run, saved } = await runSaved<AnalyzeResult>(['analyze', fixturePath('failing.mjs'), ...FAST], { MODE: 'jsonrpc-error' });
    // ping and tools/list succeed: the run measured something, so no exit 3 (a failed default budget does not fail the run).
    expect(run.code, run.stderr).toBe(0);
    const f = saved.findings.find((x) => x.id === 'error-rate')!;
    expect(f.evidence).toContain('tools/call:fetch_status: jsonrpc:-32603×');
    expect(f.evidence).toContain('(first: "Internal error: upstream unavailable")');
    expect(opOf(saved, 'fetch_status').failedLatency!.n).toBe(opOf(saved, 'fetch_status').errors['jsonrpc:-32603']);
    expect(run.stdout).toMatch(/failed p50/);
  }, LONG);

  it('error text in ordinary results: an error-text-results finding with a sample', async () => {
    const { run, saved } = await runSaved<AnalyzeResult>(['analyze', fixturePath('failing.mjs'), ...FAST], { MODE: 'error-text' });
    expect(run.code, run.stderr).toBe(0);
    const o = opOf(saved, 'fetch_status');
    expect(o.errorLike!.count).toBe(o.requests);
    const f = saved.findings.find((x) => x.id === 'error-text-results')!;
    expect(f.evidence).toContain('"Error fetching https://example.com/status: fetch failed"');
    expect(run.stdout).toContain('successful result(s) read like errors (heuristic)');
  }, LONG);
});

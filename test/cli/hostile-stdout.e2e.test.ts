/**
 * What a server writes on stdout that mcp-opt must not take silently (minimal-raw.mjs modes):
 * - OVERSIZED_REPLY=<method>: that method's answer is 65 MiB on one line, over mcp-opt's 64 MiB
 *   cap, so it is discarded. The error must say so, with the size, not only "did not answer";
 *   bench says it in a warning.
 * - LATIN1_STDOUT=1: stdout in Latin-1, so non-ASCII text arrives as invalid UTF-8. analyze flags
 *   it as a protocol violation, bench in a warning.
 */
import { describe, expect, it } from 'vitest';
import { FAST, noLeftovers, parseResult, runBenchJson, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

const RAW = fixturePath('minimal-raw.mjs');
/** The fixture's default padded reply: 65 MiB including its newline. */
const OVERSIZED_MESSAGE_BYTES = 65 * 1024 * 1024 - 1;

describe('a message over the size cap', () => {
  it('analyze: the handshake error says the answer was discarded for its size, with the size and the limit', async () => {
    const run = await runCli(['analyze', RAW, '--runs', '1', '--warmup', '0', '--timeout', '3s', '--no-save'], { env: { OVERSIZED_REPLY: 'initialize' } });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('did not answer initialize');
    expect(run.stderr).toContain(`A 65.0 MiB message from the server (${OVERSIZED_MESSAGE_BYTES} bytes, over mcp-opt's 67108864-byte limit (64.0 MiB)) was discarded`);
    // Not the advice for a slow server: waiting longer would not help.
    expect(run.stderr).not.toContain('raise --timeout');
    await noLeftovers(run.testId);
  });

  it('analyze: a tools/list answer over the cap is named once in the cold-start error, not put down to slowness', async () => {
    const run = await runCli(['analyze', RAW, '--runs', '1', '--warmup', '0', '--timeout', '3s', '--no-save'], { env: { OVERSIZED_REPLY: 'tools/list' } });
    expect(run.code, run.stderr).toBe(3);
    const error = run.stderr.trim().split('\n').at(-1)!;
    expect(error).toContain('did not answer tools/list');
    expect(error.split('was discarded').length - 1).toBe(1);
    expect(error).toContain(`(${OVERSIZED_MESSAGE_BYTES} bytes, over mcp-opt's 67108864-byte limit`);
    expect(error).not.toContain('Raise --timeout');
    await noLeftovers(run.testId);
  });

  it('bench: a warning counts the discarded messages and gives the largest size', async () => {
    const { run, result } = await runBenchJson(
      // A 4 s timeout: each 65 MiB reply must be written and read whole before its request times
      // out and the run ends (on a busy machine that took over a second).
      [RAW, '--rps', '2', '--duration', '1s', '--warmup', '0s', '--timeout', '4s', '--call', 'echo={"message":"x"}'],
      { env: { OVERSIZED_REPLY: 'tools/call' } },
    );
    expect(run.code, run.stderr).toBe(3);
    const warning = result.warnings.find((w) => w.includes('discarded'));
    expect(warning, result.warnings.join('\n')).toMatch(/messages? from the server .*over mcp-opt's 67108864-byte limit/);
    expect(warning).toContain(`${OVERSIZED_MESSAGE_BYTES} bytes`);
    expect(result.requests.errors['timeout']).toBeGreaterThan(0);
  });
});

describe('invalid UTF-8 on stdout', () => {
  it('analyze: counted under hygiene as invalid-utf8 and reported in the protocol-violations finding', async () => {
    const run = await runCli(['analyze', RAW, ...FAST, '--json', '--no-save'], { env: { LATIN1_STDOUT: '1' } });
    expect(run.code, run.stderr).toBe(0);
    const result = parseResult(run.stdout);
    // The initialize reply of the measured session at least ("fixture-minimal-raw (café)" in Latin-1).
    expect(result.hygiene!.violations['invalid-utf8']).toBeGreaterThanOrEqual(1);
    expect(result.hygiene!.excerpts['invalid-utf8']![0]).toContain('(caf\uFFFD)');
    const finding = result.findings.find((f) => f.id === 'protocol-violations');
    expect(finding?.evidence).toMatch(/invalid-utf8: \d+/);
    await noLeftovers(run.testId);
  });

  it('bench: a warning counts the invalid sequences (one per reply carrying non-ASCII text)', async () => {
    const { run, result } = await runBenchJson(
      [RAW, '--rps', '20', '--duration', '1s', '--warmup', '0s', '--call', 'echo={"message":"naïve"}'],
      { env: { LATIN1_STDOUT: '1' } },
    );
    expect(run.code, run.stderr).toBe(0);
    const warning = result.warnings.find((w) => w.includes('invalid UTF-8'));
    expect(warning, result.warnings.join('\n')).toBeDefined();
    // The initialize reply and every echo of "naïve".
    const counted = Number(/wrote (\d+) invalid UTF-8/.exec(warning!)![1]);
    expect(result.requests.succeeded).toBeGreaterThan(0);
    expect(counted).toBeGreaterThanOrEqual(result.requests.succeeded);
    expect(counted).toBeLessThanOrEqual(1 + result.requests.sent);
  });
});

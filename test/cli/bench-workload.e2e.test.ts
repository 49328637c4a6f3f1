/**
 * What bench sends and what it prints: a weighted workload file with argument templates, `--call
 * auto` (only tools annotated safe, checked through the server's call log), `--method tools/list`;
 * and the output contract: `--json` puts only the result JSON on stdout, the terminal report goes
 * to stdout otherwise, and without a TTY progress lines on stderr come at most every 5 s.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noLeftovers, parseBench, runBenchJson, runCli } from '../helpers/cli.js';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';

const MINIMAL_RAW = fixturePath('minimal-raw.mjs');

describe('bench workloads', () => {
  it('a YAML workload file mixes its operations by weight (echo ×3 with a {{seq}} template, ping ×1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpopt-workload-'));
    const file = join(dir, 'load.yaml');
    writeFileSync(file, [
      'operations:',
      '  - call: echo',
      '    weight: 3',
      '    args: { message: "m-{{seq}}" }',
      '  - method: ping',
      '',
    ].join('\n'));
    const { run, result: r } = await runBenchJson([MINIMAL_RAW, '--workload', file, '--requests', '2000', '--rps', '1000', '--warmup', '1s']);
    expect(run.code, run.stderr).toBe(0);
    expect(r.config.requests).toBe(2000);
    expect(r.workload.operations).toEqual([
      expect.objectContaining({ op: 'tools/call:echo', weight: 3, argsSource: 'template' }),
      expect.objectContaining({ op: 'ping', weight: 1, argsSource: 'none' }),
    ]);
    const echo = r.byOperation.find((o) => o.op === 'tools/call:echo')!;
    const ping = r.byOperation.find((o) => o.op === 'ping')!;
    expect(echo).toBeDefined();
    expect(ping).toBeDefined();
    expect(echo.requests + ping.requests).toBe(2000);
    expect(echo.requests / ping.requests).toBeGreaterThanOrEqual(2.7);
    expect(echo.requests / ping.requests).toBeLessThanOrEqual(3.3);
    for (const op of [echo, ping]) {
      expect(op.failed, op.op).toBe(0);
      expect(op.succeeded, op.op).toBe(op.requests);
      expect(op.latency!.n, op.op).toBe(op.succeeded);
    }
    expect(r.requests).toMatchObject({ sent: 2000, succeeded: 2000, failed: 0 });
  });

  it('--call auto calls only the tools annotated safe (read, liar), never the others', async () => {
    const callLog = tmpFile('calls.jsonl');
    const { run, result: r } = await runBenchJson(
      [fixturePath('unsafe-tools.mjs'), '--call', 'auto', '--rps', '100', '--duration', '1s', '--warmup', '0s'],
      { env: { CALL_LOG: callLog } },
    );
    expect(run.code, run.stderr).toBe(0);
    const called = readFileSync(callLog, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { tool: string }).tool);
    expect(called.length).toBeGreaterThanOrEqual(90);
    expect([...new Set(called)].sort()).toEqual(['liar', 'read']);
    expect(r.byOperation.map((o) => o.op).sort()).toEqual(['tools/call:liar', 'tools/call:read']);
    expect(r.requests.failed).toBe(0);
  });

  it('--method tools/list sends tools/list', async () => {
    const { run, result: r } = await runBenchJson([MINIMAL_RAW, '--method', 'tools/list', '--rps', '200', '--duration', '1s', '--warmup', '0s']);
    expect(run.code, run.stderr).toBe(0);
    expect(r.byOperation).toHaveLength(1);
    expect(r.byOperation[0]).toMatchObject({ op: 'tools/list', failed: 0 });
    expect(r.byOperation[0]!.succeeded).toBeGreaterThanOrEqual(190);
  });
});

describe('bench output', () => {
  it('--json: stdout is exactly the result JSON; without a TTY progress lines come at most every 5 s', async () => {
    const run = await runCli(['bench', MINIMAL_RAW, '--rps', '200', '--duration', '6s', '--warmup', '0s', '--json', '--no-save']);
    expect(run.code, run.stderr).toBe(0);
    await noLeftovers(run.testId);
    expect(run.stdout.trimStart().startsWith('{')).toBe(true);
    expect(run.stdout.trimEnd().endsWith('}')).toBe(true);
    // JSON.parse of the whole of stdout: one document and nothing else (a progress line on stdout
    // would make it throw). The result's own warnings may say "rate" (a rate not sustained on a
    // busy machine, CI run 30), so a progress line is told by its shape, not by that word.
    expect(parseBench(run.stdout).requests.sent).toBeGreaterThan(1000);
    const progressLine = /^(mcp-opt: )?(warm-up )?\d+s {2}rate \d+\/s {2}answered /;
    expect(run.stdout.split('\n').filter((l) => progressLine.test(l))).toEqual([]);
    // Progress goes to stderr as plain lines (no carriage returns or escapes when not a TTY).
    const progress = run.stderr.split('\n').filter((l) => progressLine.test(l));
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBeLessThanOrEqual(3);
    expect(run.stderr).not.toMatch(/\r|\u001b\[/);
  });

  it('without --json: the terminal report on stdout, not JSON', async () => {
    const run = await runCli(['bench', MINIMAL_RAW, '--rps', '100', '--duration', '1s', '--warmup', '0s', '--no-save']);
    expect(run.code, run.stderr).toBe(0);
    await noLeftovers(run.testId);
    expect(() => JSON.parse(run.stdout)).toThrow();
    expect(run.stdout).toMatch(/mcp-opt bench /);
    expect(run.stdout).toMatch(/Latency/);
    expect(run.stdout).toMatch(/Budgets/);
  });
});

/**
 * Target failures, end to end: a server that crashes at start, one that dies mid-run, one that answers with a protocol
 * version mcp-opt does not speak, and one that never answers. Each exits 3 with a message that
 * says what happened, keeps a partial result marked incomplete, and leaves nothing running, even
 * when the server ignores stdin EOF and SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzeResult } from '../../src/result/analyzeResult.js';
import { FAST, TWO_RUNS, noLeftovers, parseResult, runCli, type CliResult } from '../helpers/cli.js';
import { alive, fixturePath, readPids, tmpFile } from '../helpers/fixtures.js';

describe('a server that dies under load (crash-mid-run.mjs)', () => {
  it('exits 3 with its exit code and stderr, keeping the cold starts measured before it died', async () => {
    const out = tmpFile('crash-mid-run.json');
    const run = await runCli(['analyze', fixturePath('crash-mid-run.mjs'), ...FAST, ...TWO_RUNS, '--out', out], { env: { CRASH_AFTER_CALLS: '30' } });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/exited with code 7/);
    expect(run.stderr).toContain('fatal: simulated crash');
    const saved = JSON.parse(readFileSync(out, 'utf8')) as AnalyzeResult;
    expect(saved.incomplete).toBe(true);
    expect(saved.incompleteReason).toMatch(/^latency: .*code 7$/);
    expect(saved.coldStart!.samples).toHaveLength(2);
    await noLeftovers(run.testId);
  });
});

describe('a server that crashes at start (crash-on-start.mjs)', () => {
  it('exits 3 and reports the exit code and the server\'s stderr', async () => {
    const run = await runCli(['analyze', fixturePath('crash-on-start.mjs'), ...FAST, '--no-save']);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/code 3/);
    expect(run.stderr).toContain("Error: Cannot find module 'missing-dep'");
    await noLeftovers(run.testId);
  });

  it('with --out, saves the partial result marked incomplete, with the reason', async () => {
    const out = tmpFile('crash.json');
    const run = await runCli(['analyze', fixturePath('crash-on-start.mjs'), ...FAST, '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(3);
    const saved = JSON.parse(readFileSync(out, 'utf8'));
    expect(saved.incomplete).toBe(true);
    expect(saved.incompleteReason).toEqual(expect.stringMatching(/code 3/));
    // --json still prints the (partial) result, and it is the saved one.
    expect(parseResult(run.stdout)).toEqual(saved);
    await noLeftovers(run.testId);
  });

  it('the saved incompleteReason is a whole sentence, not a dangling "lines:"', async () => {
    const out = tmpFile('crash.json');
    const run = await runCli(['analyze', fixturePath('crash-on-start.mjs'), ...FAST, '--out', out]);
    expect(run.code, run.stderr).toBe(3);
    const saved = JSON.parse(readFileSync(out, 'utf8')) as { incompleteReason: string };
    expect(saved.incompleteReason).not.toMatch(/:\s*$/);
  });
});

describe('a server that answers initialize with an unsupported protocol version', () => {
  it('exits 3 naming the version it got', async () => {
    const run = await runCli(['analyze', fixturePath('unsupported-version.mjs'), ...FAST, '--no-save']);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('"1999-01-01"');
    await noLeftovers(run.testId);
  });
});

describe('a server that never answers and ignores EOF and SIGTERM (hang.mjs), --timeout 1s', () => {
  const pidFile = tmpFile('hang-pids');
  let run: CliResult;

  beforeAll(async () => {
    run = await runCli(['analyze', fixturePath('hang.mjs'), ...FAST, '--no-save', '--timeout', '1s'], {
      env: { IGNORE_EOF: '1', IGNORE_SIGTERM: '1', FIXTURE_PID_FILE: pidFile },
      timeoutMs: 30_000,
    });
  }, 40_000);

  it('exits 3 saying initialize was not answered within 1000 ms', () => {
    expect(run.timedOut).toBe(false);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/did not answer initialize within 1000 ms/);
  });

  it('kills every server it started (SIGKILL after EOF and SIGTERM are ignored)', async () => {
    await noLeftovers(run.testId);
    expect(readPids(pidFile).length).toBeGreaterThan(0);
    expect(readPids(pidFile).filter(alive)).toEqual([]);
  });

  it('returns in under 10 s', () => {
    expect(run.durationMs).toBeLessThan(10_000);
  });
});

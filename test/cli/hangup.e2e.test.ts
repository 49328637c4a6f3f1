/**
 * The terminal or SSH session closes during a run: the shell sends SIGHUP (some send SIGQUIT) to
 * mcp-opt, but not to the servers, which run in their own process groups. mcp-opt must stop them
 * as after Ctrl-C (the whole group, a package runner's grandchild included), save the partial
 * result and exit 130, even though its stdout and stderr are gone (writes then fail with EPIPE,
 * here, or EIO on a real terminal). The target is an npx-like wrapper whose server forks a
 * long-lived grandchild and ignores stdin EOF; the signal goes to the CLI alone.
 */
import { describe, expect, it } from 'vitest';
import type { AnalyzeResult } from '../../src/result/analyzeResult.js';
import type { BenchResult } from '../../src/result/benchResult.js';
import { allRecordedDead, noLeftovers, savedIncomplete, startCli, waitFor, type CliResult, type StartedCli } from '../helpers/cli.js';
import { fixturePath, readPids, tmpFile } from '../helpers/fixtures.js';

const TREE_ENV = { FORK_GRANDCHILD: '1', IGNORE_EOF: '1' };

/** Start a command against wrapper.mjs and wait until `ready` matches its stderr and `pids` pids are recorded. */
async function startOnWrapper(args: string[], ready: RegExp, pids: number): Promise<{ cli: StartedCli; pidFile: string; out: string; stderr: () => string }> {
  const pidFile = tmpFile('pids');
  const out = tmpFile('hangup.json');
  const cli = startCli([args[0]!, fixturePath('wrapper.mjs'), ...args.slice(1), '--out', out], {
    env: { ...TREE_ENV, FIXTURE_PID_FILE: pidFile }, timeoutMs: 45_000,
  });
  let stderr = '';
  cli.child.stderr!.on('data', (s: string) => (stderr += s));
  const ok = await waitFor(() => ready.test(stderr) && readPids(pidFile).length >= pids, 25_000);
  expect(ok, `stderr so far:\n${stderr}`).toBe(true);
  return { cli, pidFile, out, stderr: () => stderr };
}

/**
 * The terminal goes away: the signal, and in the same breath the CLI's stdout and stderr close
 * (every later write fails, as on a hung-up terminal; nothing it writes after the signal is read).
 */
async function hangUp(cli: StartedCli, signal: NodeJS.Signals): Promise<CliResult> {
  cli.child.kill(signal);
  cli.child.stdout!.destroy();
  cli.child.stderr!.destroy();
  return cli.done;
}

describe('the terminal closes during a run', () => {
  it('bench, SIGHUP with stdout and stderr gone: exit 130, the whole tree reaped, the partial result saved', async () => {
    const { cli, pidFile, out } = await startOnWrapper(
      ['bench', '--rps', '100', '--duration', '60s', '--warmup', '500ms'], /✓ workload/, 3);
    await new Promise((r) => setTimeout(r, 1500));
    const run = await hangUp(cli, 'SIGHUP');

    expect(run.code, `signal ${run.signal}`).toBe(130);
    await noLeftovers(run.testId);
    await allRecordedDead(pidFile);
    const saved = savedIncomplete<BenchResult>(out, /interrupt/i);
    expect(saved.kind).toBe('bench');
    expect(saved.requests.succeeded).toBeGreaterThan(0);
  });

  it('bench, SIGQUIT: handled like Ctrl-C (exit 130, said on stderr, nothing left, result saved)', async () => {
    const { cli, pidFile, out } = await startOnWrapper(
      ['bench', '--rps', '100', '--duration', '60s', '--warmup', '500ms'], /✓ workload/, 3);
    await new Promise((r) => setTimeout(r, 1000));
    cli.child.kill('SIGQUIT');
    const run = await cli.done;

    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toContain('SIGQUIT received');
    expect(run.stderr).toContain(`saved ${out} (incomplete)`);
    await noLeftovers(run.testId);
    await allRecordedDead(pidFile);
    savedIncomplete<BenchResult>(out, /interrupt/i);
  });

  it('analyze, SIGHUP with stdout and stderr gone during the cold starts: exit 130, nothing left, the partial result saved', async () => {
    // Three pids per start (wrapper, server, grandchild): the era probe and the first cold start.
    const { cli, pidFile, out } = await startOnWrapper(['analyze', '--runs', '50'], /running/, 6);
    const run = await hangUp(cli, 'SIGHUP');

    expect(run.code, `signal ${run.signal}`).toBe(130);
    await noLeftovers(run.testId);
    await allRecordedDead(pidFile);
    expect(savedIncomplete<AnalyzeResult>(out, /interrupt/i).kind).toBe('analyze');
  });
});

/**
 * Ctrl-C, end to end: SIGINT sent to the CLI alone (not to the server's group) while it measures
 * an npx-like wrapper whose server forks a long-lived grandchild and whose wrapper ignores
 * SIGTERM. The first SIGINT stops the whole tree, saves the partial result marked incomplete and
 * exits 130; a second one kills everything at once and exits 130 without waiting.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allRecordedDead, noLeftovers, startCli, waitFor, type StartedCli } from '../helpers/cli.js';
import { alive, fixturePath, readPids, tmpFile } from '../helpers/fixtures.js';

/** Start `analyze wrapper.mjs --runs 50` and wait until two starts (probe + first cold start) are in. */
async function startWrapperRun(env: Record<string, string> = {}) {
  const pidFile = tmpFile('pids');
  const out = tmpFile('interrupted.json');
  const cli: StartedCli = startCli(['analyze', fixturePath('wrapper.mjs'), '--runs', '50', '--out', out], {
    env: { FORK_GRANDCHILD: '1', WRAPPER_IGNORE_SIGTERM: '1', FIXTURE_PID_FILE: pidFile, ...env },
    timeoutMs: 40_000,
  });
  // Three pids per start: wrapper, server, grandchild.
  const started = await waitFor(() => readPids(pidFile).length >= 6, 25_000);
  expect(started, `pid file: ${readPids(pidFile).join(',')}`).toBe(true);
  return { cli, pidFile, out };
}


describe('Ctrl-C during a run', () => {
  it('one SIGINT: stops the whole tree, saves an incomplete result, exits 130 within 15 s', async () => {
    const { cli, pidFile, out } = await startWrapperRun();
    const sentAt = performance.now();
    cli.child.kill('SIGINT');
    const run = await cli.done;
    const afterSignalMs = performance.now() - sentAt;

    expect(run.code, run.stderr).toBe(130);
    expect(afterSignalMs).toBeLessThan(15_000);
    expect(run.stderr).toMatch(/SIGINT|interrupted/i);
    await noLeftovers(run.testId);
    await allRecordedDead(pidFile, 3000);
    const saved = JSON.parse(readFileSync(out, 'utf8'));
    expect(saved.incomplete).toBe(true);
    expect(saved.incompleteReason).toMatch(/interrupt/i);
  }, 60_000);

  it('two SIGINTs 100 ms apart: kills at once, exits 130 quickly, leaves nothing', async () => {
    // IGNORE_EOF=1 (read by the wrapped minimal.mjs): a graceful stop would now wait 2 s after
    // closing stdin before signalling, so only the second SIGINT's immediate kill ends it sooner.
    const { cli, pidFile } = await startWrapperRun({ IGNORE_EOF: '1' });
    const sentAt = performance.now();
    cli.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    cli.child.kill('SIGINT');
    const run = await cli.done;
    const afterSignalMs = performance.now() - sentAt;

    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toMatch(/interrupted again/);
    expect(afterSignalMs).toBeLessThan(2000);
    await noLeftovers(run.testId);
    await allRecordedDead(pidFile, 3000);
  }, 60_000);

  it('SIGTERM is handled like the first Ctrl-C: exit 130, nothing left running', async () => {
    const pidFile = tmpFile('pids');
    const cli = startCli(['analyze', fixturePath('minimal.mjs'), '--runs', '50', '--no-save'], { env: { FIXTURE_PID_FILE: pidFile } });
    expect(await waitFor(() => readPids(pidFile).length >= 2, 25_000)).toBe(true);
    cli.child.kill('SIGTERM');
    const run = await cli.done;
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toContain('SIGTERM received');
    await noLeftovers(run.testId);
  }, 60_000);

  it('SIGKILL of the CLI itself: a server that honours stdin EOF exits on its own', async () => {
    const pidFile = tmpFile('pids');
    const cli = startCli(['analyze', fixturePath('minimal.mjs'), '--runs', '50', '--no-save'], { env: { FIXTURE_PID_FILE: pidFile } });
    expect(await waitFor(() => readPids(pidFile).length >= 2, 25_000)).toBe(true);
    cli.child.kill('SIGKILL');
    const run = await cli.done;
    expect(run.signal).toBe('SIGKILL');
    // No handler ran: the server sees its stdin close and exits (2026-07-28 basic/transports/stdio: servers SHOULD exit on stdin EOF).
    await noLeftovers(run.testId);
    await allRecordedDead(pidFile, 3000);
  }, 60_000);

  it('with --no-save, an interrupted run does not claim to have saved anything', async () => {
    const pidFile = tmpFile('pids');
    const cli = startCli(['analyze', fixturePath('minimal.mjs'), '--runs', '50', '--no-save'], { env: { FIXTURE_PID_FILE: pidFile } });
    expect(await waitFor(() => readPids(pidFile).length >= 2, 25_000)).toBe(true);
    cli.child.kill('SIGINT');
    const run = await cli.done;
    await noLeftovers(run.testId);
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).not.toMatch(/sav(ed|ing)/);
  }, 60_000);

  it('a second SIGINT during a slow stop of the measured server: the result was saved with its reason first', async () => {
    // IGNORE_EOF + IGNORE_SIGTERM (minimal.mjs): stopping the warm session's server climbs the whole
    // ladder (EOF, SIGTERM, SIGKILL), so the second SIGINT lands during that stop and exits at once.
    const out = tmpFile('slow-stop.json');
    const pidFile = tmpFile('pids');
    const cli = startCli(['analyze', fixturePath('minimal.mjs'), '--era', 'legacy', '--runs', '1', '--warmup', '0', '--out', out], {
      env: { IGNORE_EOF: '1', IGNORE_SIGTERM: '1', FIXTURE_PID_FILE: pidFile }, timeoutMs: 45_000,
    });
    let stderr = '';
    cli.child.stderr!.on('data', (s: string) => (stderr += s));
    expect(await waitFor(() => /✓ tools/.test(stderr), 30_000), stderr).toBe(true);
    // The measured server: the last one started (after the cold start's).
    const server = readPids(pidFile).at(-1)!;
    cli.child.kill('SIGINT');
    // Saved with the reason while that server still runs, i.e. before its stop is over.
    const savedFirst = await waitFor(() => /interrupt/i.test(savedReason(out)) && alive(server), 10_000, 20);
    expect(savedFirst, `${stderr}\nsaved reason: ${savedReason(out)}`).toBe(true);
    cli.child.kill('SIGINT');
    const run = await cli.done;

    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toMatch(/interrupted again/);
    await noLeftovers(run.testId);
    await allRecordedDead(pidFile, 3000);
    const saved = JSON.parse(readFileSync(out, 'utf8'));
    expect(saved.incomplete).toBe(true);
    expect(saved.incompleteReason).toMatch(/^(latency|lookup): .*interrupt/i);
    expect(saved.coldStart.samples.length).toBe(1);
  }, 60_000);
});

/** incompleteReason of the result saved at `path` so far ('' before the first save). */
function savedReason(path: string): string {
  try {
    return String(JSON.parse(readFileSync(path, 'utf8')).incompleteReason);
  } catch {
    return '';
  }
}

/**
 * The collector and the preload over a real loopback socket, with real Node processes: every Node
 * process of a tree registers (a child started by a wrapper too), a stop makes each write its
 * profile, a process that exits first still leaves its file, an impostor without the token is
 * dropped, and closing removes the folder. Sample times share the monotonic clock of monoUs.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ProfileCollector, monoUs } from '../../src/profile/collector.js';
import { waitFor } from '../helpers/cli.js';

const collectors: ProfileCollector[] = [];
afterEach(() => {
  for (const c of collectors.splice(0)) c.close(true);
});

async function started(intervalUs = 500): Promise<ProfileCollector> {
  const c = await ProfileCollector.start(intervalUs);
  collectors.push(c);
  return c;
}

/** Run `node -e script` with the collector's environment; resolves when it exits. */
function node(c: ProfileCollector, script: string): { exited: Promise<number | null>; pid: number } {
  const child = spawn(process.execPath, ['-e', script], { env: c.launchEnv(process.env), stdio: ['pipe', 'ignore', 'inherit'] });
  return { exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))), pid: child.pid! };
}

describe('ProfileCollector', () => {
  it('a process and the child it starts both register; a stop makes each write a profile covering the run', async () => {
    const c = await started();
    const before = monoUs(performance.now());
    // The parent starts a child node process (as npx starts the server) and both stay until stdin ends.
    const parent = node(c, `
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, ['-e', 'process.stdin.resume(); process.stdin.on("end", () => process.exit(0))'], { stdio: ['pipe', 'inherit', 'inherit'] });
      let x = 0; const t = Date.now(); while (Date.now() - t < 150) x++;
      process.stdin.resume(); process.stdin.on('end', () => { child.stdin.end(); });`);
    expect(await waitFor(() => c.processes.length === 2, 10_000)).toBe(true);
    expect(c.processes.map((p) => p.pid)).toContain(parent.pid);
    const collected = await c.collect();
    const after = monoUs(performance.now());
    expect(collected.map((p) => p.process.pid).sort()).toEqual(c.processes.map((p) => p.pid).sort());
    for (const p of collected) {
      expect(p.profile.samples.length).toBeGreaterThan(0);
      // The profile's clock is the monotonic clock monoUs reads.
      expect(p.profile.startTime).toBeGreaterThan(before);
      expect(p.profile.endTime).toBeLessThan(after);
    }
    const child = collected.find((p) => p.process.pid !== parent.pid)!;
    expect(child.process.ppid).toBe(parent.pid);
    // The servers carry on after the stop: the preload only stopped sampling.
    expect(await Promise.race([parent.exited.then(() => 'exited'), new Promise((r) => setTimeout(() => r('running'), 100))])).toBe('running');
    process.kill(parent.pid, 'SIGTERM');
    await parent.exited;
  });

  it('a process that exits before the stop still leaves its profile, written at exit', async () => {
    const c = await started();
    const p = node(c, 'let x = 0; const t = Date.now(); while (Date.now() - t < 100) x++;');
    expect(await p.exited).toBe(0);
    const collected = await c.collect(2000);
    expect(collected).toHaveLength(1);
    expect(collected[0]!.process.pid).toBe(p.pid);
    expect(collected[0]!.profile.samples.length).toBeGreaterThan(10);
  });

  it('a connection without the token is dropped and never asked to stop', async () => {
    const c = await started();
    const port = (c.launchEnv({}).MCP_OPT_PROFILE && JSON.parse(c.launchEnv({}).MCP_OPT_PROFILE!).port) as number;
    const socket = connect({ host: '127.0.0.1', port });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.write(`${JSON.stringify({ token: 'wrong', pid: 1, ppid: 0, title: 'impostor' })}\n`);
    await closed;
    expect(c.processes).toEqual([]);
  });

  it('keeps NODE_OPTIONS the user set, and close(true) removes the folder', async () => {
    const c = await started();
    const env = c.launchEnv({ NODE_OPTIONS: '--max-old-space-size=512' });
    expect(env.NODE_OPTIONS).toMatch(/^--max-old-space-size=512 --require ".*preload\.cjs"$/);
    expect(existsSync(c.dir)).toBe(true);
    c.close(true);
    expect(existsSync(c.dir)).toBe(false);
  });
});

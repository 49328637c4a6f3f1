import { realpathSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { listTree, procfsAvailable } from '../../../src/target/procfs.js';
import { findDirectLaunch } from '../../../src/target/resolve/directLaunch.js';
import { ServerProcess } from '../../../src/target/serverProcess.js';
import type { StdioLaunch } from '../../../src/target/serverProcess.js';
import { fx } from './support.js';

const started: ServerProcess[] = [];
afterEach(async () => {
  // stop() ends with SIGTERM/SIGKILL to the whole process group (spawned detached).
  for (const p of started.splice(0)) await p.stop({ afterEofMs: 200, afterTermMs: 500 });
});

/** Start `launch` and wait until its stdout shows `text`. */
async function startAndWait(launch: StdioLaunch, text: string): Promise<ServerProcess> {
  const proc = await ServerProcess.start(launch);
  started.push(proc);
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${text}" within 20 s; stderr: ${proc.stderr.tailLines(5).join('\n')}`)), 20_000);
    proc.child.stdout.on('data', (d: Buffer) => {
      seen += d.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void proc.exited.then(() => reject(new Error(`exited early: ${JSON.stringify(proc.exitInfo)} ${proc.stderr.tailLines(5).join('\n')}`)));
  });
  return proc;
}

function treeLaunch(mode: string, args: string[] = []): StdioLaunch {
  return {
    command: process.execPath,
    args: [fx('process-tree/wrapper.mjs'), ...args],
    cwd: fx(),
    env: { ...process.env, TREE_MODE: mode },
  };
}

describe.skipIf(!procfsAvailable)('findDirectLaunch', () => {
  it('finds the deepest node process (wrapper → sh → node) with its argv, cwd and the given env', async () => {
    const launch = treeLaunch('server', ['--flag', 'two words', '$(touch pwned)']);
    const proc = await startAndWait(launch, 'ready');
    expect(listTree(proc.pid)!.length).toBeGreaterThanOrEqual(3);
    const direct = findDirectLaunch(proc.pid, launch);
    expect(direct).not.toBeNull();
    expect(realpathSync(direct!.command)).toBe(realpathSync(process.execPath));
    expect(direct!.command.startsWith('/')).toBe(true);
    expect(direct!.args).toEqual([fx('process-tree/child.mjs'), '--flag', 'two words', '$(touch pwned)']);
    expect(direct!.cwd).toBe(fx('process-tree/workdir'));
    expect(direct!.env).toBe(launch.env);

    // The result is replayable: started on its own it serves (echoes) the same way.
    const alone = await startAndWait(direct!, 'ready');
    alone.child.stdin.write('ping\n');
    await startAndWaitEcho(alone, 'ping');
    expect(findDirectLaunch(alone.pid, direct!)).toBeNull();
  });

  it('returns null when only a shell shares the root stdin (never launches a shell)', async () => {
    const launch = treeLaunch('shell-only');
    const proc = await startAndWait(launch, 'ready');
    expect(findDirectLaunch(proc.pid, launch)).toBeNull();
  });

  it('returns null when the server rewrote its argv (process.title), rather than replaying a wrong argv', async () => {
    const launch = treeLaunch('retitled');
    const proc = await startAndWait(launch, 'ready');
    expect(findDirectLaunch(proc.pid, launch)).toBeNull();
  });

  it('returns null for a process that is gone', async () => {
    const launch = treeLaunch('server');
    const proc = await startAndWait(launch, 'ready');
    const pid = proc.pid;
    await proc.stop({ afterEofMs: 2000, afterTermMs: 500 });
    expect(listTree(pid)).toEqual([]);
    expect(findDirectLaunch(pid, launch)).toBeNull();
  });
});

async function startAndWaitEcho(proc: ServerProcess, text: string): Promise<void> {
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no echo of "${text}"`)), 10_000);
    const onData = (d: Buffer): void => {
      seen += d.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        proc.child.stdout.off('data', onData);
        resolve();
      }
    };
    proc.child.stdout.on('data', onData);
  });
}

/**
 * findDirectLaunch through a real `npx`, offline: npx installs a local folder into a private
 * cache (no registry needed for a package without dependencies) and runs its bin via `sh -c`.
 */
import { realpathSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { procfsAvailable } from '../../../src/target/procfs.js';
import { findDirectLaunch } from '../../../src/target/resolve/directLaunch.js';
import { resolveTarget } from '../../../src/target/resolve/index.js';
import { ServerProcess, type StdioLaunch } from '../../../src/target/serverProcess.js';
import { lookupCommand } from '../../../src/target/resolve/which.js';
import { asStdio, fx, tempDir } from './support.js';

const started: ServerProcess[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const p of started.splice(0)) await p.stop({ afterEofMs: 500, afterTermMs: 1000 });
  cleanups.splice(0).forEach((c) => c());
});

const hasNpx = lookupCommand('npx', { baseDir: '/', pathVar: process.env.PATH }).kind === 'found';

describe.skipIf(!procfsAvailable || !hasNpx)('findDirectLaunch behind real npx (offline)', () => {
  it('finds node running the package bin, and that launch serves on its own', async (ctx) => {
    const cache = tempDir();
    cleanups.push(cache.cleanup);
    // A private npm cache keeps the test hermetic; --offline forbids the registry.
    const env = { ...process.env, npm_config_cache: cache.dir, npm_config_update_notifier: 'false' };
    const spec = asStdio(await resolveTarget({ cwd: fx(), env, command: ['npx', '--yes', '--offline', fx('npx-local')] }));
    expect(spec.runner).toBe('npx');

    const proc = await ServerProcess.start(spec.launch);
    started.push(proc);
    const direct = await poll(() => findDirectLaunch(proc.pid, spec.launch), () => !proc.running, 45_000);
    if (!direct) {
      ctx.skip(`npx could not run a local folder offline here: ${proc.stderr.tailLines(5).join(' | ')}`);
      return;
    }
    expect(realpathSync(direct.command)).toBe(realpathSync(process.execPath));
    expect(direct.args).toHaveLength(1);
    expect(direct.args[0]).toMatch(/\/_npx\/[0-9a-f]+\/node_modules\/\.bin\/mcp-opt-npx-fixture$/);
    expect(realpathSync(direct.args[0]!)).toBe(realpathSync(fx('npx-local/bin/echo-server.js')));
    expect(direct.env).toBe(spec.launch.env);

    // The runner and the direct launch echo alike.
    expect(await echo(proc, 'via-npx')).toBe(true);
    const alone = await ServerProcess.start(direct);
    started.push(alone);
    expect(await echo(alone, 'direct')).toBe(true);
  });
});

/** Call `find` every 100 ms until it returns non-null, `gone()` is true, or `ms` pass. */
async function poll(find: () => StdioLaunch | null, gone: () => boolean, ms: number): Promise<StdioLaunch | null> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline && !gone()) {
    const found = find();
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

/** Write a line and wait for it to come back on stdout. */
async function echo(proc: ServerProcess, line: string): Promise<boolean> {
  let seen = '';
  const got = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 10_000);
    proc.child.stdout.on('data', (d: Buffer) => {
      seen += d.toString();
      if (seen.includes(line)) {
        clearTimeout(timer);
        resolve(true);
      }
    });
  });
  proc.child.stdin.write(`${line}\n`);
  return got;
}

import { existsSync, readFileSync, readdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveTarget } from '../../../src/target/resolve/index.js';
import { ServerProcess } from '../../../src/target/serverProcess.js';
import { asStdio, fx, tempDir, testEnv, usageError, writeFile } from './support.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function temp(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('explicit command after --', () => {
  it('finds the command on PATH and returns its absolute path; args untouched; cwd is the cwd', async () => {
    const spec = asStdio(await resolveTarget({ cwd: fx(), env: testEnv(), command: ['node', 'server.js', '--x'] }));
    expect(spec.launch.command).toMatch(/^\/.*\/node$/);
    expect(spec.launch.args).toEqual(['server.js', '--x']);
    expect(spec.launch.cwd).toBe(fx());
    expect(spec.origin).toBe('command after --');
    expect(spec.configuredEnvNames).toEqual([]);
  });

  it('searches input.env.PATH, not mcp-opt own PATH', async () => {
    const bin = temp();
    const tool = writeFile(join(bin, 'my-mcp-server'), '#!/bin/sh\n', true);
    const spec = asStdio(await resolveTarget({ cwd: fx(), env: testEnv({ PATH: `/nonexistent:${bin}` }), command: ['my-mcp-server'] }));
    expect(spec.launch.command).toBe(tool);
    await usageError(resolveTarget({ cwd: fx(), env: testEnv({ PATH: '/usr/bin' }), command: ['my-mcp-server'] }));
  });

  it('a path with a slash is taken relative to the cwd', async () => {
    const spec = asStdio(await resolveTarget({ cwd: fx(), env: testEnv(), command: ['./scripts/shebang-server', 'a'] }));
    expect(spec.launch.command).toBe(fx('scripts/shebang-server'));
  });

  it('an unknown command is "Command not found: <cmd>" (exit 2)', async () => {
    const err = await usageError(resolveTarget({ cwd: fx(), env: testEnv(), command: ['mcp-opt-no-such-command-xyz', '--stdio'] }));
    expect(err.message).toMatch(/^Command not found: mcp-opt-no-such-command-xyz \(the command after --\)/);
  });

  it('a file without the execute bit is "Permission denied", distinct from not found', async () => {
    const err = await usageError(resolveTarget({ cwd: fx(), env: testEnv(), command: ['./scripts/not-executable.sh'] }));
    expect(err.message).toContain('Permission denied');
    expect(err.message).toContain('chmod +x');
    const bin = temp();
    chmodSync(writeFile(join(bin, 'noexec-server'), '#!/bin/sh\n'), 0o644);
    const onPath = await usageError(resolveTarget({ cwd: fx(), env: testEnv({ PATH: bin }), command: ['noexec-server'] }));
    expect(onPath.message).toContain(`Permission denied: ${join(bin, 'noexec-server')} is not executable`);
  });

  it('relative PATH entries are not searched', async () => {
    await usageError(resolveTarget({ cwd: fx('scripts'), env: testEnv({ PATH: '.' }), command: ['shebang-server'] }));
  });

  it('nothing after -- is a usage error', async () => {
    const err = await usageError(resolveTarget({ cwd: fx(), env: testEnv(), command: [] }));
    expect(err.message).toContain('Nothing after --');
  });

  it('passes shell metacharacters byte for byte and runs no shell', async () => {
    const dir = temp();
    const out = join(dir, 'argv.json');
    const tricky = [
      `$(touch ${join(dir, 'pwned')})`,
      `\`touch ${join(dir, 'pwned')}\``,
      `; touch ${join(dir, 'pwned')}`,
      `| touch ${join(dir, 'pwned')}`,
      `&& touch ${join(dir, 'pwned')}`,
      '$HOME', '${PATH}', '*', '~', "it's \"quoted\"", 'back\\slash', 'new\nline', '%PATH%', '^&', '', ' spaced ',
      'ünïcødé ✓',
    ];
    const spec = asStdio(await resolveTarget({ cwd: dir, env: testEnv({ ARGV_OUT: out }), command: ['node', fx('argv-recorder.mjs'), ...tricky] }));
    expect(spec.launch.args).toEqual([fx('argv-recorder.mjs'), ...tricky]);
    const proc = await ServerProcess.start(spec.launch);
    await proc.exited;
    await proc.stop();
    expect(proc.exitInfo).toEqual({ code: 0, signal: null });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(tricky);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['argv.json']);
  });
});

describe('package runners', () => {
  it('npx is recognised and the command stays the npx link (not its realpath)', async () => {
    const spec = asStdio(await resolveTarget({ cwd: fx(), env: testEnv(), command: ['npx', '-y', '@scope/server'] }));
    expect(spec.runner).toBe('npx');
    expect(spec.launch.command.endsWith('/npx')).toBe(true);
  });

  it.each([
    [['npm', 'exec', '--', 'srv'], 'npm exec'],
    [['pnpm', 'dlx', 'srv'], 'pnpm dlx'],
    [['pnpm', 'exec', 'srv'], 'pnpm exec'],
    [['yarn', 'dlx', 'srv'], 'yarn dlx'],
    [['bunx', 'srv'], 'bunx'],
    [['uvx', 'mcp-server-time'], 'uvx'],
    [['uv', '--directory', '/srv', 'run', 'server.py'], 'uv run'],
    [['pipx', 'run', 'srv'], 'pipx run'],
    [['npm', 'start'], undefined],
    [['uv', 'pip', 'install', 'run'], undefined],
  ] as const)('%j → %s', async (argv, runner) => {
    const bin = temp();
    writeFile(join(bin, argv[0]), '#!/bin/sh\n', true);
    const spec = asStdio(await resolveTarget({ cwd: fx(), env: testEnv({ PATH: bin }), command: [...argv] }));
    expect(spec.runner).toBe(runner);
  });
});

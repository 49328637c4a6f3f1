import { copyFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveTarget } from '../../../src/target/resolve/index.js';
import { lookupCommand } from '../../../src/target/resolve/which.js';
import { asStdio, fx, tempDir, testEnv, usageError, writeFile } from './support.js';

const base = { cwd: fx(), env: testEnv() };
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function temp(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('file targets', () => {
  it('.cjs runs with this Node, from the cwd', async () => {
    const spec = asStdio(await resolveTarget({ ...base, target: 'scripts/server.cjs' }));
    expect(spec.launch).toMatchObject({ command: process.execPath, args: [fx('scripts/server.cjs')], cwd: fx() });
    expect(spec.origin).toBe('file scripts/server.cjs (node)');
  });

  it('.py runs with python3 found on PATH', async () => {
    const spec = asStdio(await resolveTarget({ ...base, target: 'scripts/server.py' }));
    const python = lookupCommand('python3', { baseDir: fx(), pathVar: process.env.PATH });
    expect(python.kind).toBe('found');
    expect(spec.launch.command).toBe(python.kind === 'found' ? python.path : '');
    expect(spec.launch.args).toEqual([fx('scripts/server.py')]);
  });

  it('.py without python3 on PATH is "Command not found: python3"', async () => {
    const err = await usageError(resolveTarget({ ...base, env: testEnv({ PATH: temp() }), target: 'scripts/server.py' }));
    expect(err.message).toContain('Command not found: python3');
  });

  it('a project .venv python is preferred over PATH (run through its symlink)', async () => {
    const dir = temp();
    const python = lookupCommand('python3', { baseDir: dir, pathVar: process.env.PATH });
    if (python.kind !== 'found') throw new Error('python3 is needed for this test');
    writeFile(join(dir, '.venv/bin/.keep'), '');
    symlinkSync(python.path, join(dir, '.venv/bin/python3'));
    writeFile(join(dir, 'server.py'), 'print(1)\n');
    const spec = asStdio(await resolveTarget({ ...base, target: dir }));
    expect(spec.launch.command).toBe(join(dir, '.venv/bin/python3'));
    expect(spec.origin).toContain('project .venv');
  });

  it('.ts without tsx anywhere says how to install tsx or compile first', async () => {
    const dir = temp();
    const file = join(dir, 'server.ts');
    copyFileSync(fx('ts-file/server.ts'), file);
    const err = await usageError(resolveTarget({ cwd: dir, env: testEnv({ PATH: '/usr/bin:/bin' }), target: file }));
    expect(err.message).toContain('tsx was not found');
    expect(err.message).toContain('npm install -D tsx');
    expect(err.message).toContain('compile first');
  });

  it('.ts runs with the nearest node_modules/.bin/tsx above the file', async () => {
    const dir = temp();
    const tsx = writeFile(join(dir, 'node_modules/.bin/tsx'), '#!/bin/sh\nexit 0\n', true);
    const file = join(dir, 'src/deep/server.ts');
    writeFile(file, 'console.log(1);\n');
    const spec = asStdio(await resolveTarget({ cwd: fx(), env: testEnv({ PATH: '/usr/bin:/bin' }), target: file }));
    expect(spec.launch.command).toBe(tsx);
    expect(spec.launch.args).toEqual([file]);
    expect(spec.origin).toContain('(tsx)');
  });

  it('.ts falls back to tsx in the cwd tree, then on PATH', async () => {
    const projectCwd = temp();
    const tsx = writeFile(join(projectCwd, 'node_modules/.bin/tsx'), '#!/bin/sh\n', true);
    const elsewhere = temp();
    const file = writeFile(join(elsewhere, 'server.mts'), 'export {};\n');
    const fromCwd = asStdio(await resolveTarget({ cwd: projectCwd, env: testEnv({ PATH: '/usr/bin:/bin' }), target: file }));
    expect(fromCwd.launch.command).toBe(tsx);
    const binDir = temp();
    const onPath = writeFile(join(binDir, 'tsx'), '#!/bin/sh\n', true);
    const fromPath = asStdio(await resolveTarget({ cwd: elsewhere, env: testEnv({ PATH: `${binDir}:/usr/bin` }), target: file }));
    expect(fromPath.launch.command).toBe(onPath);
  });

  it('an executable file with a #! line runs directly', async () => {
    const spec = asStdio(await resolveTarget({ ...base, target: 'scripts/shebang-server' }));
    expect(spec.launch).toMatchObject({ command: fx('scripts/shebang-server'), args: [] });
    expect(spec.origin).toBe('file scripts/shebang-server (#! line)');
  });

  it('a #! script without the execute bit says to chmod +x', async () => {
    const err = await usageError(resolveTarget({ ...base, target: 'scripts/not-executable.sh' }));
    expect(err.message).toContain('is not executable');
    expect(err.message).toContain('chmod +x scripts/not-executable.sh');
  });

  it('any other file is refused with the supported kinds and the -- form', async () => {
    const err = await usageError(resolveTarget({ ...base, target: 'scripts/data.txt' }));
    expect(err.message).toContain("Don't know how to run scripts/data.txt");
    expect(err.message).toContain('.js/.mjs/.cjs');
    expect(err.message).toContain('after --');
  });

  it('a JSON file suggests --mcp-config', async () => {
    const err = await usageError(resolveTarget({ ...base, target: 'configs/single.json' }));
    expect(err.message).toContain('--mcp-config configs/single.json --server <name>');
  });
});

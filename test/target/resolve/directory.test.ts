import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../../src/target/resolve/index.js';
import { asStdio, fx, testEnv, usageError } from './support.js';

const base = { cwd: fx(), env: testEnv() };
const resolveDir = async (target: string) => asStdio(await resolveTarget({ ...base, target }));

describe('directory targets: Node projects', () => {
  it('package.json "bin" as a string runs that file with this Node, from the project folder', async () => {
    const spec = await resolveDir('./node-bin-string');
    expect(spec.launch).toMatchObject({ command: process.execPath, args: [fx('node-bin-string/bin/server.js')], cwd: fx('node-bin-string') });
    expect(spec.origin).toBe('directory ./node-bin-string (package.json "bin")');
    expect(spec.runner).toBeUndefined();
  });

  it('"bin" object: the entry named like the unscoped package wins', async () => {
    const spec = await resolveDir('node-bin-named');
    expect(spec.launch.args).toEqual([fx('node-bin-named/srv.js')]);
    expect(spec.origin).toBe('directory node-bin-named (package.json "bin" "named-srv")');
  });

  it('"bin" object with several entries and none named like the package lists them and suggests -- node', async () => {
    const err = await usageError(resolveTarget({ ...base, target: 'node-bin-several' }));
    expect(err.message).toContain('several "bin" entries');
    expect(err.message).toContain('multi-a (a.js), multi-b (b.js)');
    expect(err.message).toContain('mcp-opt analyze -- node node-bin-several/a.js');
  });

  it('a "bin" that points at a missing file says to build first', async () => {
    const err = await usageError(resolveTarget({ ...base, target: 'node-bin-missing' }));
    expect(err.message).toContain('"bin" names "dist/cli.js", which does not exist');
    expect(err.message).toContain('npm run build');
  });

  it('"main" only: resolved like Node (extension added)', async () => {
    const spec = await resolveDir('node-main-only');
    expect(spec.launch.args).toEqual([fx('node-main-only/lib/server.js')]);
    expect(spec.origin).toContain('(package.json "main")');
  });

  it('a simple "start" script is split into argv (quotes honoured) and its command found on PATH', async () => {
    const spec = await resolveDir('node-start-simple');
    expect(realpathSync(spec.launch.command)).toBe(realpathSync(process.execPath));
    expect(spec.launch.args).toEqual(['src/my server.js', '--stdio', '--name', 'a b']);
    expect(spec.launch.cwd).toBe(fx('node-start-simple'));
    expect(spec.origin).toContain('"start" script');
  });

  it('a "start" script with && is refused: not a simple command, pass it after --', async () => {
    const err = await usageError(resolveTarget({ ...base, target: 'node-start-shell' }));
    expect(err.message).toContain('is not a simple command');
    expect(err.message).toContain('"&"');
    expect(err.message).toContain('after --');
  });

  it('without package.json, index.mjs is found', async () => {
    const spec = await resolveDir('node-index-only');
    expect(spec.launch.args).toEqual([fx('node-index-only/index.mjs')]);
    expect(spec.origin).toBe('directory node-index-only (index.mjs)');
  });
});

describe('directory targets: Python projects', () => {
  it('server.py runs with python3 from the project folder', async () => {
    const spec = await resolveDir('python-server');
    expect(spec.launch.args).toEqual(['server.py']);
    expect(spec.launch.cwd).toBe(fx('python-server'));
    expect(spec.launch.command).toMatch(/python3$/);
    expect(spec.origin).toBe('directory python-server (server.py, python3 on PATH)');
  });

  it('a [project.scripts] entry named like the project runs module:function via python3 -c', async () => {
    const spec = await resolveDir('python-pyproject');
    expect(spec.launch.args).toEqual(['-c', 'import sys; from weather_mcp.server import main; sys.exit(main())']);
    expect(spec.launch.cwd).toBe(fx('python-pyproject'));
    expect(spec.origin).toContain('pyproject.toml [project.scripts] "weather-mcp"');
    const run = spawnSync(spec.launch.command, spec.launch.args, { cwd: spec.launch.cwd, env: spec.launch.env, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('weather-mcp main ran in python-pyproject');
  });

  it('a src/ layout script with an attribute path (module:obj.method) runs uninstalled', async () => {
    const spec = await resolveDir('python-src-layout');
    expect(spec.launch.args[1]).toBe("import sys; sys.path.insert(0, 'src'); from srclayout.cli import app; sys.exit(app.run())");
    const run = spawnSync(spec.launch.command, spec.launch.args, { cwd: spec.launch.cwd, env: spec.launch.env, encoding: 'utf8' });
    expect(run.stdout.trim()).toBe('srclayout app.run');
    expect(run.status).toBe(0);
  });
});

describe('directory targets: nothing to launch', () => {
  it('lists everything that was looked for', async () => {
    const err = await usageError(resolveTarget({ ...base, target: 'nothing-launchable' }));
    expect(err.message).toContain('Nothing to launch in directory nothing-launchable');
    for (const what of ['package.json "bin"', '"start" script', 'index.js', 'server.js', 'dist/index.js', 'server.py', 'pyproject.toml [project.scripts]']) {
      expect(err.message).toContain(what);
    }
  });
});

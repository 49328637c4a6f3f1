/**
 * Where results go when the place cannot take them (issue 10): an output path that cannot be
 * written is refused before anything is launched (exit 2, the path named), and a save that fails
 * once measured still prints the result and says where it could not be saved (exit 2).
 * Unwritable places that hold for root too: a path whose parent is a regular file, /proc, and a
 * folder replaced by a file while the run goes on; a mode-555 folder runs as an unprivileged user.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalyzeResult } from '../../src/result/analyzeResult.js';
import { CLI_BIN, FAST, noLeftovers, parseBench, runCli, startCli } from '../helpers/cli.js';
import { fixturePath, readPids, tmpFile } from '../helpers/fixtures.js';
import { unprivilegedArgv } from '../helpers/unprivileged.js';

const MINIMAL = fixturePath('minimal.mjs');

/** A fresh folder holding a regular file named `blocker`. */
function folderWithFile(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mcpopt-out-'));
  const file = join(dir, 'blocker');
  writeFileSync(file, 'not a folder\n');
  return { dir, file };
}

/** Run mcp-opt and check it stopped with exit 2 before launching the server; returns stderr. */
async function refusedBeforeLaunch(args: string[], cwd?: string): Promise<string> {
  const pidFile = join(mkdtempSync(join(tmpdir(), 'mcpopt-pids-')), 'pids');
  const run = await runCli(args, { cwd, env: { FIXTURE_PID_FILE: pidFile } });
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).not.toMatch(/internal error|running /);
  expect(readPids(pidFile), 'the server was never started').toEqual([]);
  await noLeftovers(run.testId);
  return run.stderr;
}

describe('an output path that cannot be written is refused before anything runs', () => {
  it('bench --out under a regular file: exit 2 naming the path, nothing launched', async () => {
    const { file } = folderWithFile();
    const out = join(file, 'bench.json');
    const stderr = await refusedBeforeLaunch(['bench', MINIMAL, '--duration', '3s', '--out', out]);
    expect(stderr).toContain(`Cannot save the result at ${out}`);
    expect(stderr).toContain('is a file, not a folder');
    expect(stderr).toContain('--no-save');
  });

  it.runIf(process.platform === 'linux')('bench --out under /proc: exit 2 with the OS reason', async () => {
    const stderr = await refusedBeforeLaunch(['bench', MINIMAL, '--duration', '3s', '--out', '/proc/mcpopt-bench.json']);
    expect(stderr).toMatch(/Cannot save the result at \/proc\/mcpopt-bench\.json \(no file can be created in \/proc: .*\(E[A-Z]+\)\)/);
  });

  it('analyze with the default reports/ blocked by a file of that name in the working directory', async () => {
    const { dir } = folderWithFile();
    writeFileSync(join(dir, 'reports'), 'a file, where reports/ would go\n');
    const stderr = await refusedBeforeLaunch(['analyze', MINIMAL, ...FAST], dir);
    expect(stderr).toContain(`Cannot save the result at ${join(dir, 'reports')}/analyze-`);
    expect(stderr).toContain('The default is reports/ in the working directory');
  });

  it('tune --out under a regular file', async () => {
    const { file } = folderWithFile();
    const stderr = await refusedBeforeLaunch(['tune', MINIMAL, '--knob', 'concurrency=1,2', '--out', join(file, 'tune.json')]);
    expect(stderr).toContain(`Cannot save the result at ${join(file, 'tune.json')}`);
  });

  // Root writes into a mode-555 folder, so as root the CLI runs as nobody (setpriv), for whom folder modes hold.
  it('bench --out in a read-only folder: exit 2, permission denied (EACCES), nothing launched', () => {
    const { dir } = folderWithFile();
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    chmodSync(dir, 0o755);
    const pidFile = join(dir, 'pids');
    const [command, args] = unprivilegedArgv(process.execPath, [CLI_BIN, 'bench', MINIMAL, '--duration', '3s', '--out', join(ro, 'bench.json')]);
    const run = spawnSync(command, args, {
      encoding: 'utf8', env: { ...process.env, FIXTURE_PID_FILE: pidFile, NODE_OPTIONS: '' }, timeout: 20_000,
    });
    expect(run.status, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`Cannot save the result at ${join(ro, 'bench.json')} (no file can be created in ${ro}: permission denied (EACCES))`);
    expect(readPids(pidFile), 'the server was never started').toEqual([]);
  });
});

describe('a save that fails after measuring keeps the result', () => {
  /** Start mcp-opt with --out DIR/sub/NAME; once it is running, replace DIR/sub by a regular file. */
  async function runWithFolderPulled(args: string[], name: string): Promise<{ code: number | null; stdout: string; stderr: string; out: string; dir: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'mcpopt-pulled-'));
    const sub = join(dir, 'sub');
    const out = join(sub, name);
    mkdirSync(sub);
    // minimal.mjs answers nothing until `go` exists, so no checkpoint can be saved before the pull,
    // however late this process reads the CLI's stderr on a busy machine.
    const go = tmpFile('go');
    const started = startCli([...args, '--out', out, '--json'], { env: { WAIT_FOR_FILE: go } });
    let pulled = false;
    started.child.stderr!.on('data', (s: Buffer | string) => {
      if (!pulled && String(s).includes('mcp-opt: running ')) {
        pulled = true;
        rmSync(sub, { recursive: true, force: true });
        writeFileSync(sub, 'the folder is gone\n');
        writeFileSync(go, '');
      }
    });
    const run = await started.done;
    await noLeftovers(run.testId);
    expect(pulled, run.stderr).toBe(true);
    return { code: run.code, stdout: run.stdout, stderr: run.stderr, out, dir };
  }

  it('bench: the result is printed, one line says where it could not be saved and why, exit 2', async () => {
    const r = await runWithFolderPulled(['bench', MINIMAL, '--duration', '1500ms', '--warmup', '0s'], 'bench.json');
    expect(r.code, r.stderr).toBe(2);
    const result = parseBench(r.stdout);
    expect(result.requests.succeeded).toBeGreaterThan(0);
    expect(r.stderr).toMatch(new RegExp(`could not save the result to ${r.out.replace(/[.]/g, '\\.')} \\(.*\\(E[A-Z]+\\)\\); it was printed above but not saved \\(exit 2\\)`));
    expect(r.stderr).not.toMatch(/internal error|mcp-opt: saved /);
    expect(readdirSync(r.dir), 'no temporary file left').toEqual(['sub']);
  });

  it("a run that fails too keeps its own exit code (3) and still says where it could not be saved", async () => {
    const r = await runWithFolderPulled([
      'bench', fixturePath('crash-mid-run.mjs'), '--rps', '200', '--duration', '3s', '--warmup', '0s', '--call', 'echo={"message":"x"}', '--env', 'CRASH_AFTER_CALLS=40',
    ], 'bench.json');
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('exited with code 7');
    expect(parseBench(r.stdout).incomplete).toBe(true);
    expect(r.stderr).toMatch(/could not save the result to .*bench\.json \(.*\); it was printed above but not saved\.\n/);
  });

  it('analyze: checkpoints that fail are said once, the run goes on, and the result is printed', async () => {
    const r = await runWithFolderPulled(['analyze', MINIMAL, ...FAST], 'analyze.json');
    expect(r.code, r.stderr).toBe(2);
    const result = JSON.parse(r.stdout) as AnalyzeResult;
    expect(result.kind).toBe('analyze');
    expect(result.incomplete).toBe(false);
    expect(r.stderr.match(/could not save a checkpoint/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(r.stderr).toContain(`could not save the result to ${r.out}`);
    expect(existsSync(r.out)).toBe(false);
  });
});

describe('report --out that cannot be written', () => {
  it('is a usage error naming the output and the reason, not an internal error', async () => {
    const { dir, file } = folderWithFile();
    const result = join(dir, 'analyze.json');
    const measured = await runCli(['analyze', MINIMAL, ...FAST, '--out', result]);
    expect(measured.code, measured.stderr).toBe(0);
    const run = await runCli(['report', result, '--format', 'markdown', '--out', join(file, 'summary.md')]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`could not write markdown to ${join(file, 'summary.md').replace(/[.]/g, '\\.')} \\(.*\\(E[A-Z]+\\)\\)`));
    expect(run.stderr).not.toMatch(/internal error/);
  });
});

/**
 * The command line itself, end to end: version and help, and bad invocations, which exit 2 with a
 * message naming what is wrong and start nothing.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAST, noLeftovers, runCli, spawnCli } from '../helpers/cli.js';
import { fixturePath, readPids, repoRoot, tmpFile } from '../helpers/fixtures.js';

const EXIT_CODES_LISTED = /Exit codes:\s*\n\s*0\s.*\n\s*1\s.*\n\s*2\s.*\n\s*3\s.*\n\s*4\s.*\n\s*130\s/;

describe('version and help', () => {
  it('--version prints the package.json version and exits 0 (the real bin/mcp-opt.js, in a child process)', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const run = await spawnCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(version);
  });

  it('--help lists the commands and the exit codes 0, 1, 2, 3, 4, 130', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('analyze');
    expect(run.stdout).toMatch(EXIT_CODES_LISTED);
  });

  it('analyze --help lists its flags and the exit codes', async () => {
    const run = await runCli(['analyze', '--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--runs', '--timeout', '--budget', '--json', '--out', '--mcp-config', '--call', '--no-calls']) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).toMatch(EXIT_CODES_LISTED);
  });
});

describe('bad invocations exit 2 and start nothing', () => {
  /** Run analyze with `args`; the minimal fixture, when named, records its pid if it ever starts. */
  async function usageError(args: string[]): Promise<string> {
    const pidFile = tmpFile('pids');
    const run = await runCli(['analyze', ...args], { env: { FIXTURE_PID_FILE: pidFile } });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(readPids(pidFile)).toEqual([]);
    await noLeftovers(run.testId);
    return run.stderr;
  }
  const minimal = fixturePath('minimal.mjs');

  it('a path that does not exist', async () => {
    expect(await usageError(['no/such/server.mjs', '--no-save'])).toContain('No such file');
  });

  it('a command that is not on PATH', async () => {
    expect(await usageError(['--no-save', '--', 'definitely-not-a-command-xyz'])).toContain('Command not found');
  });

  it('no target at all', async () => {
    expect(await usageError(['--no-save'])).toContain('No server to measure');
  });

  it('--runs 0', async () => {
    expect(await usageError([minimal, '--no-save', '--runs', '0'])).toContain('--runs');
  });

  it('--timeout banana', async () => {
    expect(await usageError([minimal, '--no-save', '--timeout', 'banana'])).toContain('--timeout "banana"');
  });

  it("--call 'x={bad'", async () => {
    expect(await usageError([minimal, '--no-save', '--call', 'x={bad'])).toContain('--call');
  });

  it('an unknown flag', async () => {
    expect(await usageError([minimal, '--no-save', '--bogus'])).toContain("unknown option '--bogus'");
  });

  it('--out naming an existing directory', async () => {
    const dir = dirname(tmpFile('out-dir'));
    expect(await usageError([minimal, ...FAST, '--out', dir])).toContain('--out');
  });
});

describe('a reader that goes away', () => {
  it('`mcp-opt tune --help` into a closed pipe: no EPIPE crash, exit 0', async () => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'mcp-opt.js'), 'tune', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    // Like `head` that has had enough: the pipe's read end is closed before the help is written.
    child.stdout.destroy();
    const code = await new Promise<number | null>((ok) => child.on('close', ok));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});

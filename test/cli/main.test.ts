import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { EXIT_CODES } from '../../src/errors.js';
import { learnedSecrets, learnSecret } from '../../src/target/learnedSecrets.js';

/** A stream that keeps what is written to it; `fail` makes every write throw it instead. */
function capture(fail?: Error): Writable & { text: string } {
  const out = new Writable({
    write(chunk, _enc, done) {
      if (fail) throw fail;
      out.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  out.text = '';
  return out;
}

/** `main` with captured streams, in a fresh folder. */
async function run(args: string[], stdout = capture()): Promise<{ code: number; stdout: string; stderr: string }> {
  const stderr = capture();
  const cwd = mkdtempSync(join(tmpdir(), 'mcp-opt-main-'));
  const code = await main(['node', 'mcp-opt', ...args], { stdout, stderr, env: { PATH: process.env['PATH'] }, cwd });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('main(argv, io)', () => {
  it('returns the exit code and writes only to the streams it is given', async () => {
    const version = await run(['--version']);
    expect(version).toEqual({ code: EXIT_CODES.OK, stdout: '0.1.0\n', stderr: '' });
    const bad = await run(['--bogus']);
    expect(bad.code).toBe(EXIT_CODES.USAGE);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/unknown option '--bogus'/);
  });

  it('lists the internal-error exit code in its help', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(EXIT_CODES.OK);
    expect(help.stdout).toMatch(/\n {2}4 {4}internal error: a bug in mcp-opt/);
  });

  it('an unexpected exception (here a stdout that throws) exits 4 with a request to report it and the stack', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mcp-opt-main-'));
    writeFileSync(join(cwd, 'srv.js'), '');
    const stdout = capture(new RangeError('stdout on fire'));
    const stderr = capture();
    const broken = await main(['node', 'mcp-opt', 'tune', './srv.js', '--knob', 'concurrency=1,2', '--dry-run', '--no-save'], { stdout, stderr, env: { PATH: process.env['PATH'] }, cwd });
    expect(broken).toBe(EXIT_CODES.INTERNAL);
    expect(stderr.text).toMatch(/internal error: this is a bug in mcp-opt[^\n]*Please report it[^\n]*\(exit 4\):\nRangeError: stdout on fire\n {4}at /);
  });

  it('a command forgets the secrets a previous run in the same process learned', async () => {
    learnSecret('session-id-of-an-earlier-run');
    expect(learnedSecrets().values.size).toBeGreaterThan(0);
    // report in an empty folder: nothing to report (exit 2), but the command ran.
    expect((await run(['report'])).code).toBe(EXIT_CODES.USAGE);
    expect(learnedSecrets().values.size).toBe(0);
  });
});

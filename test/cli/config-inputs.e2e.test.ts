/**
 * Hostile or mistaken input files (issue 10): a YAML "billion laughs" document in any file mcp-opt
 * reads as YAML, an MCP client config naming one server twice, a folder given as the command after
 * "--", and a config budget whose condition is a bare number. Each is a usage error (exit 2) that
 * names the file or entry, before any server is started.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noLeftovers, runCli } from '../helpers/cli.js';
import { fixturePath, readPids } from '../helpers/fixtures.js';

const MINIMAL = fixturePath('minimal.mjs');

/** Nine-fold nesting seven deep: 9^7 ≈ 4.8 million "lol"s once expanded. */
const BILLION_LAUGHS = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
pool: { max: 1 }
`;

/** A fresh folder holding `files`. */
function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpopt-inputs-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Run mcp-opt in `dir`; it must stop with exit 2 before any server starts. Returns stderr. */
async function usageError(args: string[], dir: string): Promise<string> {
  const pidFile = join(dir, 'pids');
  const run = await runCli(args, { cwd: dir, env: { FIXTURE_PID_FILE: pidFile }, timeoutMs: 20_000 });
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).not.toMatch(/internal error|ReferenceError|    at /);
  expect(readPids(pidFile), 'no server was started').toEqual([]);
  await noLeftovers(run.testId);
  return run.stderr;
}

describe('a YAML bomb is a config error naming the file', () => {
  const bombed = (file: string): RegExp => new RegExp(`${file.replace(/[.]/g, '\\.')}: its aliases expand past \\d+ uses .*billion laughs`);

  it('--config', async () => {
    const dir = folderWith({ 'bomb.yaml': BILLION_LAUGHS });
    expect(await usageError(['analyze', MINIMAL, '--no-save', '--config', 'bomb.yaml'], dir)).toMatch(bombed(join(dir, 'bomb.yaml')));
  });

  it('--workload', async () => {
    const dir = folderWith({ 'bomb.yaml': BILLION_LAUGHS });
    expect(await usageError(['bench', MINIMAL, '--no-save', '--workload', 'bomb.yaml'], dir)).toMatch(bombed('bomb.yaml'));
  });

  it('report --budget-file', async () => {
    const dir = folderWith({ 'bomb.yaml': BILLION_LAUGHS });
    expect(await usageError(['report', '--budget-file', 'bomb.yaml', 'none.json'], dir)).toMatch(bombed(join(dir, 'bomb.yaml')));
  });

  it("a file knob's server config", async () => {
    const dir = folderWith({ 'srv.yaml': BILLION_LAUGHS });
    expect(await usageError(['tune', MINIMAL, '--knob', 'file:srv.yaml#/pool/max=1,2', '--no-save'], dir)).toMatch(bombed(join(dir, 'srv.yaml')));
  });
});

describe('an MCP client config naming one server twice', () => {
  it('is refused with the file, the position and the name, instead of running the last', async () => {
    // The first "a" would fail to start; the last one is the working server that used to run silently.
    const config = `{
  "mcpServers": {
    "a": { "command": "node", "args": ["${join(tmpdir(), 'no-such-server.mjs')}"] },
    "a": { "command": "node", "args": [${JSON.stringify(MINIMAL)}] }
  }
}
`;
    const dir = folderWith({ 'mcp.json': config });
    const stderr = await usageError(['analyze', '--mcp-config', 'mcp.json', '--no-save'], dir);
    expect(stderr).toContain('mcp.json:4:5: "a" appears twice');
    expect(stderr).toContain('Keep one');
    expect(readFileSync(join(dir, 'mcp.json'), 'utf8')).toBe(config);
  });
});

describe('messages', () => {
  it('a folder after "--" is named a folder, with what to give instead', async () => {
    const dir = folderWith({});
    const stderr = await usageError(['analyze', '--no-save', '--', dir], dir);
    expect(stderr).toContain(`${dir} (the command after --) is a folder, not a command`);
    expect(stderr).toContain(`give the folder as the target, without "--" (as in mcp-opt analyze ${dir})`);
    expect(stderr).not.toContain('No file at');
  });

  it('a config budget {"latency.p95": 100} is echoed as written, with the form to use', async () => {
    const dir = folderWith({ 'mcp-opt.config.json': '{ "budgets": { "latency.p95": 100 } }\n' });
    const stderr = await usageError(['analyze', MINIMAL, '--no-save'], dir);
    expect(stderr).toContain('"latency.p95": 100 has no comparison');
    expect(stderr).toContain('"latency.p95": "<100ms"');
    expect(stderr).not.toContain('latency.p95100');
  });
});

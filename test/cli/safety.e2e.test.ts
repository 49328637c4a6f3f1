/**
 * Side effects and secrets, end to end. mcp-opt calls on its own only tools annotated safe; the
 * server's own call log (CALL_LOG) shows which tools really ran. Values of configured environment
 * variables never appear on stdout, stderr or in the saved result, even when the server prints
 * them and returns them from a tool.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAST, noLeftovers, parseResult, runCli } from '../helpers/cli.js';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';

const UNSAFE = fixturePath('unsafe-tools.mjs');

/** Run analyze on unsafe-tools with `extra` flags; returns the run and the tools the server saw called. */
async function analyzeUnsafe(extra: string[]) {
  const log = tmpFile('calls.jsonl');
  const run = await runCli(['analyze', UNSAFE, ...FAST, '--no-save', '--json', ...extra], { env: { CALL_LOG: log } });
  await noLeftovers(run.testId);
  let lines: string[] = [];
  try {
    lines = readFileSync(log, 'utf8').split('\n').filter((l) => l.trim() !== '');
  } catch {
    /* no call at all: the log was never created */
  }
  const called = new Set(lines.map((l) => (JSON.parse(l) as { tool: string }).tool));
  return { run, called };
}

describe('which tools analyze calls (unsafe-tools.mjs, CALL_LOG)', () => {
  it('by default: only the tools annotated safe (read, and liar, which claims to be)', async () => {
    const { run, called } = await analyzeUnsafe([]);
    expect(run.code, run.stderr).toBe(0);
    expect([...called].sort()).toEqual(['liar', 'read']);
    const skipped = parseResult(run.stdout).tools!.skipped.map((s) => s.name).sort();
    expect(skipped).toEqual(['delete_all', 'fetch_url', 'no_annotations']);
  });

  it('--no-calls: no tool is called at all', async () => {
    const { run, called } = await analyzeUnsafe(['--no-calls']);
    expect(run.code, run.stderr).toBe(0);
    expect([...called]).toEqual([]);
    expect(parseResult(run.stdout).config.calls).toBe(false);
  });

  it('--call delete_all: the named tool is called too', async () => {
    const { run, called } = await analyzeUnsafe(['--call', 'delete_all']);
    expect(run.code, run.stderr).toBe(0);
    expect(called.has('delete_all')).toBe(true);
    expect(called.has('no_annotations')).toBe(false);
    expect(called.has('fetch_url')).toBe(false);
  });

  it('--call of a tool the server does not list: exit 2 naming it', async () => {
    const { run, called } = await analyzeUnsafe(['--call', 'nope']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/--call names "nope", which the server does not list/);
    expect(called.has('delete_all')).toBe(false);
  });
});

describe('secrets from an MCP client config', () => {
  it('the env value is used by the server but never printed or saved; only its name is reported', async () => {
    const canary = `canary-s3cr3t-${randomUUID()}`;
    const config = tmpFile('mcp.json');
    writeFileSync(config, JSON.stringify({
      mcpServers: { env: { command: 'node', args: [fixturePath('env-echo.mjs')], env: { CANARY: canary } } },
    }));
    const out = tmpFile('secrets.json');
    const run = await runCli(['analyze', '--mcp-config', config, '--server', 'env', ...FAST, '--json', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const saved = readFileSync(out, 'utf8');
    const r = parseResult(saved);
    expect(r.target.envNames).toContain('CANARY');
    // get_env, which returns the server's whole environment, was called.
    expect(r.latency!.operations.map((o) => o.op)).toContain('tools/call:get_env');
    expect(run.stdout).not.toContain(canary);
    expect(run.stderr).not.toContain(canary);
    expect(saved).not.toContain(canary);
    await noLeftovers(run.testId);
  });

  it('a secret passed as --api-key=<value> in args is not printed or saved', async () => {
    const canary = `canary-arg-${randomUUID()}`;
    const config = tmpFile('mcp.json');
    writeFileSync(config, JSON.stringify({
      mcpServers: { minimal: { command: 'node', args: [fixturePath('minimal.mjs'), `--api-key=${canary}`] } },
    }));
    const out = tmpFile('secrets.json');
    const run = await runCli(['analyze', '--mcp-config', config, ...FAST, '--json', '--out', out]);
    await noLeftovers(run.testId);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain(canary);
    expect(run.stderr).not.toContain(canary);
    expect(readFileSync(out, 'utf8')).not.toContain(canary);
  });
});

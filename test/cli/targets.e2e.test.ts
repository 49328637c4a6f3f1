/**
 * Ways of naming a server, end to end: a modern (2026-07-28) server, the same server forced to the
 * legacy era, a Python file, an MCP client config entry, and a project directory. Each run must
 * launch the right thing, speak the right era and leave nothing behind.
 */
import { accessSync, constants, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAST, noLeftovers, parseResult, runCli } from '../helpers/cli.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

/** `analyze ...target --json --no-save` with fast settings; expects exit 0 and no leftovers. */
async function analyzeOk(target: string[], extra: string[] = []) {
  const run = await runCli(['analyze', ...target, ...FAST, '--no-save', '--json', ...extra]);
  expect(run.code, run.stderr).toBe(0);
  await noLeftovers(run.testId);
  return parseResult(run.stdout);
}

/** First executable `name` on PATH, as the CLI (same PATH) finds it; null when absent. */
function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      /* not here */
    }
  }
  return null;
}

describe('protocol eras', () => {
  it('modern.mjs: detected as modern 2026-07-28 through server/discover; no ping in that era', async () => {
    const r = await analyzeOk([fixturePath('modern.mjs')]);
    expect(r.server?.era).toBe('modern');
    expect(r.server?.protocolVersion).toBe('2026-07-28');
    expect(r.server?.eraProbe?.evidence).toMatch(/server\/discover/);
    const ops = r.latency!.operations.map((o) => o.op);
    expect(ops).not.toContain('ping');
    expect(ops).toContain('tools/list');
  });

  it('modern.mjs with --era legacy: analysed as a legacy server (SDK v2 serves both)', async () => {
    const r = await analyzeOk([fixturePath('modern.mjs')], ['--era', 'legacy']);
    expect(r.config.era).toBe('legacy');
    expect(r.server?.era).toBe('legacy');
    expect(r.server?.protocolVersion).not.toBe('2026-07-28');
    expect(r.server?.eraProbe).toBeNull();
    expect(r.latency!.operations.map((o) => o.op)).toContain('ping');
  });
});

describe('target forms', () => {
  const python3 = onPath('python3');

  it.skipIf(python3 === null)('a .py file runs with python3 from PATH and speaks the legacy era', async () => {
    const r = await analyzeOk([fixturePath('python_minimal.py')]);
    expect(r.target.display.startsWith(`${python3} `)).toBe(true);
    expect(r.target.display).toContain('python_minimal.py');
    expect(r.server?.era).toBe('legacy');
    expect(r.server?.name).toBe('fixture-python-minimal');
    expect(r.tools!.count).toBe(1);
    expect(r.latency!.operations.map((o) => o.op)).toContain('tools/call:echo');
  });

  it('--mcp-config with a stdio entry: runs that entry and says where it came from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpopt-mcpconfig-'));
    const config = join(dir, 'mcp.json');
    writeFileSync(config, JSON.stringify({ mcpServers: { minimal: { command: 'node', args: [fixturePath('minimal.mjs')] } } }));
    const r = await analyzeOk(['--mcp-config', config, '--server', 'minimal']);
    expect(r.target.origin).toContain(config);
    expect(r.target.origin).toContain('minimal');
    expect(r.target.display).toContain('minimal.mjs');
    expect(r.server?.name).toBe('fixture-minimal');
  });

  it('a project directory: runs its package.json "bin"', async () => {
    const r = await analyzeOk([join(repoRoot, 'test', 'fixtures-targets', 'analyze-dir')]);
    expect(r.target.origin).toMatch(/package\.json "bin"/);
    expect(r.target.display).toContain('analyze-dir/server.mjs');
    expect(r.server?.name).toBe('fixture-minimal');
  });
});

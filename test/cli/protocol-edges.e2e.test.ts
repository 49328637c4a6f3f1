/**
 * Protocol edges a server may put in a client's way, end to end: a legacy server that never
 * answers `server/discover`, and `tools/list` pagination (several pages, a looping cursor, a
 * cursor refused in the middle of the walk). Real fixture processes; nothing left behind.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnalyzeResult } from '../../src/result/analyzeResult.js';
import { FAST, noLeftovers, parseResult, runCli } from '../helpers/cli.js';
import { fixturePath, readPids, tmpFile } from '../helpers/fixtures.js';

describe('a legacy server that stays silent on server/discover (SILENT_UNKNOWN=1)', () => {
  it('is analysed as legacy; the probe is timed apart from cold start and does not wait for the discover timeout', async () => {
    const pidFile = tmpFile('pids');
    const out = tmpFile('silent.json');
    // A long timeout: a probe or a handshake that waited for the unanswered discover would take 30 s.
    const timeoutMs = 30_000;
    const run = await runCli(['analyze', fixturePath('minimal-raw.mjs'), ...FAST, '--timeout', '30s', '--out', out], {
      env: { SILENT_UNKNOWN: '1', FIXTURE_PID_FILE: pidFile },
    });
    expect(run.code, run.stderr).toBe(0);
    await noLeftovers(run.testId);
    const r = JSON.parse(readFileSync(out, 'utf8')) as AnalyzeResult;
    expect(r.server?.era).toBe('legacy');
    expect(r.server?.eraProbe?.evidence).toBe('initialize answered while server/discover was not');
    // On stdio initialize goes right behind discover, so the silence costs no timeout.
    expect(r.server!.eraProbe!.durationMs).toBeLessThan(timeoutMs / 3);
    for (const s of r.coldStart!.samples) expect(s.handshakeMs).toBeLessThan(timeoutMs / 3);
    // The probe ran on its own process, which is not one of the cold-start runs: runs + probe + warm session.
    expect(r.coldStart!.samples).toHaveLength(r.config.runs);
    expect(readPids(pidFile)).toHaveLength(r.config.runs + 2);
    expect(run.stdout).toMatch(/era probe [\d.]+ ms, not counted in cold start \(initialize answered while server\/discover was not\)/);
  });
});

/** `analyze many-tools.mjs` with a paged list and `env`; fast settings and no tool calls (the list is what is tested), JSON on stdout. */
async function analyzePaged(env: Record<string, string>) {
  const run = await runCli(['analyze', fixturePath('many-tools.mjs'), ...FAST, '--runs', '1', '--samples', '10', '--no-calls', '--no-save', '--json'], {
    env: { TOOL_COUNT: '1000', PAGE_SIZE: '400', REGISTRY: 'map', ...env },
  });
  await noLeftovers(run.testId);
  return { run, r: parseResult(run.stdout) };
}

describe('tools/list pagination (many-tools.mjs, 1000 tools, PAGE_SIZE=400)', () => {
  it('walks all 3 pages, times the walk and counts every tool', async () => {
    const { run, r } = await analyzePaged({});
    expect(run.code, run.stderr).toBe(0);
    expect(r.tools!.pages).toBe(3);
    expect(r.tools!.count).toBe(1000);
    expect(r.tools!.listLatency!.n).toBeGreaterThan(0);
    expect(r.tools!.listLatency!.min).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/tools: 1000 tools, 3 page\(s\)/);
  });

  it('CURSOR_LOOP=1: a cursor that comes back is a target failure naming it, not an endless walk', async () => {
    const { run, r } = await analyzePaged({ CURSOR_LOOP: '1' });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/tools\/list returned the cursor "[^"]+" twice: the server's pagination loops/);
    expect(r.incomplete).toBe(true);
    expect(r.incompleteReason).toMatch(/^tools: .*twice/);
  });

  it('BAD_CURSOR_PAGE=2: the -32602 of page 2 is surfaced with the page and the code', async () => {
    const { run, r } = await analyzePaged({ BAD_CURSOR_PAGE: '2' });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/tools\/list page 2 failed with JSON-RPC error -32602: .*Invalid cursor/);
    expect(r.incompleteReason).toMatch(/page 2 failed with JSON-RPC error -32602/);
  });
});

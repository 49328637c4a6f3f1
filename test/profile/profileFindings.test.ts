/**
 * Findings from profiles: each rule fires at its threshold with the figures in its evidence and
 * stays quiet below it; a package a specific rule names gets no generic finding too; JSON is
 * recognised the way Node 20 shows it (callers' self time), sync I/O by `…Sync` frames outside
 * require(); start-up names the dependencies that make most of the import time.
 */
import { describe, expect, it } from 'vitest';
import { GC_PCT, HOT_FUNCTION_PCT, profileFindings, SYNC_IO_PCT } from '../../src/profile/profileFindings.js';
import { MODULE_LOADER } from '../../src/profile/startupImports.js';
import { summarizeCpu } from '../../src/profile/summarize.js';
import type { CpuSummary, StartupProfile } from '../../src/result/profileResult.js';
import type { CallFrame } from '../../src/profile/cpuProfile.js';
import { evalFn, fn, GC, IDLE, mod, native, profileOf, times } from './fakeProfile.js';

const SERVER = 'file:///srv/app/server.js';
const nm = (path: string): string => `file:///srv/app/node_modules/${path}`;
const handler = [mod(SERVER), fn('handleCall', SERVER, 12)];
/** Spread evenly over several functions of the server: no function, package or rule stands out. */
const QUIET = Array.from({ length: 10 }, (_, i) => [...handler, fn(`step${i}`, SERVER, 100 + i)]);

/** `n` samples spread over the quiet stacks (whole samples, the first stacks taking the remainder). */
function rest(n: number): Array<[CallFrame[], number]> {
  return QUIET.map((stack, i) => [stack, Math.floor(n / QUIET.length) + (i < n % QUIET.length ? 1 : 0)]);
}

/** A summary of `parts`: [stack, samples] pairs, 1 ms a sample. */
function summaryOf(parts: Array<[CallFrame[], number]>): CpuSummary {
  return summarizeCpu([profileOf(parts.flatMap(([stack, n]) => times(n, stack)))])!;
}
const ids = (s: CpuSummary | null, st: StartupProfile | null = null): string[] => profileFindings(s, st).map((f) => f.id);

describe('profileFindings on the measured window', () => {
  it('finds nothing in a profile where no function, package or kind of work stands out', () => {
    expect(profileFindings(summaryOf(rest(100)), null)).toEqual([]);
    expect(profileFindings(null, null)).toEqual([]);
  });

  it('names a hot function with its file, line and share: a warning when it dominates, advice at the threshold', () => {
    const [f] = profileFindings(summaryOf([[[...handler, fn('burnHash', SERVER, 40)], 60], ...rest(40)]), null);
    expect(f).toMatchObject({ id: 'profile-hot-function', severity: 'warning' });
    expect(f!.title).toBe('`burnHash` (/srv/app/server.js:40) runs 60.0 % of the server\'s busy CPU time');
    expect(f!.evidence).toContain('60 ms of 100 ms busy');
    expect(f!.recommendation).toContain('burnHash');
    const mild = profileFindings(summaryOf([[[...handler, fn('burnHash', SERVER, 40)], HOT_FUNCTION_PCT], ...rest(75)]), null);
    expect(mild.find((x) => x.id === 'profile-hot-function')?.severity).toBe('info');
  });

  it('names a dependency that uses a large share, but not the server\'s own code or the runtime', () => {
    const s = summaryOf([[[...handler, fn('render', nm('marked/lib/marked.cjs'), 900)], 35], ...rest(65)]);
    const f = profileFindings(s, null).find((x) => x.id === 'profile-hot-package')!;
    expect(f.title).toContain('`marked`');
    expect(f.title).toContain('35.0 %');
    expect(f.evidence).toContain('`render` 35.0 %');
  });

  it('sums validation packages and ajv\'s compiled validators into one schema-validation finding, without a hot-package one for zod', () => {
    const sdk = [mod(nm('@modelcontextprotocol/sdk/dist/esm/server/index.js')), fn('validateToolInput', nm('@modelcontextprotocol/sdk/dist/esm/server/index.js'), 50)];
    const s = summaryOf([
      [[...handler, fn('safeParse', nm('zod/v4/core/parse.js'), 40)], 32],
      [[...sdk, evalFn('validate12', 2)], 8],
      ...rest(60),
    ]);
    const found = profileFindings(s, null);
    expect(found.map((f) => f.id)).toContain('profile-schema-validation');
    expect(found.map((f) => f.id)).not.toContain('profile-hot-package');
    const f = found.find((x) => x.id === 'profile-schema-validation')!;
    expect(f.title).toContain('40.0 %');
    expect(f.evidence).toContain('`zod` 32.0 %');
    expect(f.evidence).toContain('`validate12` (eval:2) 8.0 %');
    expect(f.severity).toBe('warning');
  });

  it('recognises JSON work by the SDK\'s (de)serialisers, since JSON.parse/stringify have no frame, and not by the URL parser', () => {
    const stdio = nm('@modelcontextprotocol/sdk/dist/esm/shared/stdio.js');
    const s = summaryOf([
      [[mod(stdio), fn('serializeMessage', stdio, 37)], 15],
      [[mod(stdio), fn('deserializeMessage', stdio, 34)], 10],
      ...rest(75),
    ]);
    const f = profileFindings(s, null).find((x) => x.id === 'profile-json')!;
    expect(f.title).toContain('25.0 %');
    expect(f.evidence).toContain('`serializeMessage`');
    const url = summaryOf([[[...handler, fn('URL', 'node:internal/url', 792), native('parse')], 40], ...rest(60)]);
    expect(ids(url)).not.toContain('profile-json');
  });

  it('finds synchronous fs and crypto calls on the request path, but not the reads of require()', () => {
    const sync = summaryOf([
      [[...handler, fn('readFileSync', 'node:fs', 441), fn('openSync', 'node:fs', 570), native('open')], 6],
      [[...handler, fn('pbkdf2Sync', 'node:internal/crypto/pbkdf2', 62)], 4],
      ...rest(90),
    ]);
    const f = profileFindings(sync, null).find((x) => x.id === 'profile-sync-io')!;
    expect(f.evidence).toContain('`readFileSync` 6.0 %');
    expect(f.evidence).toContain('`pbkdf2Sync` 4.0 %');
    expect(f.title).toContain('10.0 %');
    const requireRead = [...handler, fn('require', 'node:internal/modules/helpers', 179), fn('Module._load', 'node:internal/modules/cjs/loader', 1002),
      fn('loadSource', 'node:internal/modules/cjs/loader', 1535), fn('readFileSync', 'node:fs', 441)];
    expect(ids(summaryOf([[requireRead, 20], ...rest(80)]))).not.toContain('profile-sync-io');
    expect(ids(summaryOf([[[...handler, fn('statSync', 'node:fs', 1678)], SYNC_IO_PCT - 1], ...rest(96)]))).not.toContain('profile-sync-io');
  });

  it('finds garbage collection at its threshold of busy time, idle left out', () => {
    const gc = summaryOf([[[GC], GC_PCT], [[IDLE], 500], ...rest(90)]);
    expect(gc.busyMs).toBe(100);
    expect(profileFindings(gc, null).find((x) => x.id === 'profile-gc')?.title).toContain('10.0 %');
    expect(ids(summaryOf([[[GC], 8], ...rest(92)]))).not.toContain('profile-gc');
  });

  it('orders warnings before advice', () => {
    const s = summaryOf([[[...handler, fn('burnHash', SERVER, 40)], 60], [[GC], 12], ...rest(28)]);
    expect(profileFindings(s, null).map((f) => [f.id, f.severity])).toEqual([['profile-hot-function', 'warning'], ['profile-gc', 'info']]);
  });
});

describe('profileFindings on start-up', () => {
  const startup = (over: Partial<StartupProfile>): StartupProfile => ({
    language: 'node', source: 'cpu-profile', readyMs: 406, coveredMs: 400, importMs: 260,
    packages: [{ name: 'openai', ms: 120, pct: 30 }, { name: 'zod', ms: 92, pct: 23 }, { name: '(your code)', ms: 33, pct: 8 }, { name: '@modelcontextprotocol/sdk', ms: 15, pct: 4 }],
    modules: [], ...over,
  });

  it('names the dependencies that make most of the import time and says to import them lazily', () => {
    const [f] = profileFindings(null, startup({}), 350);
    expect(f).toMatchObject({ id: 'cold-start-imports', severity: 'warning', metric: 'coldStart.ready.p50' });
    // zod and the SDK load before the handshake whatever the server does (SDK v1 imports zod): named, not deferred.
    expect(f!.title).toBe('Start-up spends 120 ms of 406 ms loading `openai` before the handshake');
    expect(f!.evidence).toContain('260 ms of the 406 ms from spawn to ready (64.0 %)');
    expect(f!.evidence).toContain('ready p50 350 ms');
    expect(f!.recommendation).toContain('Import `openai` lazily');
    expect(f!.recommendation).toContain('await import(');
    expect(f!.recommendation).toMatch(/107 ms is the MCP SDK and what it loads \(`zod`, `@modelcontextprotocol\/sdk`\), needed before the handshake/);
    expect(f!.recommendation).not.toMatch(/Import [^.]*`zod`/);
  });

  it('says how to defer a Python import, and notes ES module graph loading it cannot split', () => {
    const py = profileFindings(null, startup({ language: 'python', source: 'python -X importtime' }))[0]!;
    expect(py.recommendation).toContain('into the tool function');
    const esm = profileFindings(null, startup({ packages: [{ name: MODULE_LOADER, ms: 150, pct: 37 }, { name: 'openai', ms: 110, pct: 27 }] }))[0]!;
    expect(esm.title).toContain('110 ms of 406 ms loading `openai`');
    expect(esm.recommendation).toContain('150 ms went to resolving, reading and compiling the ES module graph');
  });

  it('stays quiet when imports are a small part of start-up', () => {
    expect(ids(null, startup({ importMs: 40 }))).toEqual([]);
    expect(ids(null, startup({ importMs: 100, readyMs: 1000 }))).toEqual([]);
  });
});

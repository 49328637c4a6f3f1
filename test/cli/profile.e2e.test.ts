/**
 * --profile against real servers over real pipes: bench names the function a fixture was built to
 * spend its time in, with the share designed into it; analyze names the heavy import that makes
 * a fixture's start slow (Node) and times a Python server's imports; the profiles are saved beside
 * the result and open as `.cpuprofile` files; nothing is left behind; a URL is refused.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalyzeResult } from '../../src/result/analyzeResult.js';
import type { CpuSummary, ProfileSection } from '../../src/result/profileResult.js';
import { parseCpuProfile } from '../../src/profile/cpuProfile.js';
import { ANY_SLO, FAST, TUNE_SHORT, noLeftovers, parseResult, runBenchJson, runCli } from '../helpers/cli.js';
import type { TuneResult } from '../../src/result/tuneResult.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

const HOT = fixturePath('hot-function.mjs');
const HEAVY = fixturePath('heavy-import.mjs');
const PYTHON = fixturePath('python_minimal.py');
const EVERYTHING = join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
/** hot-function.mjs's design: 3 parts of each hash call in burnHash, 1 in otherWork. */
const DESIGNED_BURN_PCT = 75;
/** The line of `function burnHash` in the fixture. */
const BURN_HASH_LINE = readFileSync(HOT, 'utf8').split('\n').findIndex((l) => l.startsWith('function burnHash')) + 1;

const dirs: string[] = [];
const scratch = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'mcp-opt-profile-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The profile folders mcp-opt made in the temporary directory (each run must remove its own). */
const profileFolders = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('mcp-opt-profile-') && !n.startsWith('mcp-opt-profile-test-'));

/** Categories add up to the sampled time, packages to the busy time (within rounding). */
function expectConsistent(s: CpuSummary): void {
  const categories = s.categories.reduce((a, c) => a + c.ms, 0);
  expect(Math.abs(categories - s.sampledMs)).toBeLessThan(0.05 * s.categories.length + 0.5);
  const idle = s.categories.find((c) => c.category === 'idle')?.ms ?? 0;
  expect(Math.abs(s.sampledMs - idle - s.busyMs)).toBeLessThan(0.5);
  // Packages (with '(garbage collector)' and '(program)' as entries of their own) add up to the busy time.
  const packages = s.packages.reduce((a, p) => a + p.selfMs, 0);
  expect(Math.abs(packages - s.busyMs)).toBeLessThan(0.05 * s.packages.length + 0.5);
}

/** Each saved profile is a real .cpuprofile file beside the result. */
function expectFilesBeside(p: ProfileSection, resultPath: string): void {
  expect(p.files.length).toBeGreaterThan(0);
  for (const f of p.files) {
    const path = join(dirname(resultPath), f.path);
    expect(existsSync(path), path).toBe(true);
    const profile = parseCpuProfile(readFileSync(path, 'utf8'));
    expect(profile.samples.length).toBe(f.samples);
    expect(profile.nodes.length).toBeGreaterThan(1);
  }
}

describe('bench --profile', () => {
  it('names the fixture\'s hot function first, with the share designed into it, and saves the profiles beside the result', async () => {
    const before = profileFolders();
    const out = join(scratch(), 'bench.json');
    const { run, result: r } = await runBenchJson([HOT, '--call', 'hash', '--concurrency', '1', '--duration', '2s', '--warmup', '300ms', '--profile', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const p = r.profile!;
    expect(p.method).toBe('inspector');
    expect(p.intervalUs).toBe(1000);
    expect(p.windowMs).toBeGreaterThan(1500);
    const s = p.summary!;
    const shown = JSON.stringify(s.functions.slice(0, 3));
    expect(s.functions[0]!.name, shown).toBe('burnHash');
    expect(s.functions[0]!.file).toMatch(/hot-function\.mjs$/);
    expect(s.functions[0]!.line).toBe(BURN_HASH_LINE);
    expect(Math.abs(s.functions[0]!.pct - DESIGNED_BURN_PCT), shown).toBeLessThan(10);
    expect(s.functions.find((f) => f.name === 'otherWork')?.pct ?? 0, shown).toBeGreaterThan(10);
    expect(s.flame?.totalMs).toBeGreaterThan(0);
    expectConsistent(s);
    expectFilesBeside(p, out);
    // The measured figures and the profile travel in the saved result too.
    expect((JSON.parse(readFileSync(out, 'utf8')) as { profile: ProfileSection }).profile.summary!.functions[0]!.name).toBe('burnHash');
    expect(p.findings.some((f) => f.id === 'profile-hot-function' && f.title.includes('burnHash'))).toBe(true);
    // The terminal names it too.
    const table = await runCli(['report', out]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/burnHash/);
    expect(profileFolders()).toEqual(before);
  });

  it('profiles every Node process of the tree: a wrapper (as npx) and the server it starts', async () => {
    const { run, result: r } = await runBenchJson([fixturePath('wrapper.mjs'), '--call', 'hash', '--concurrency', '1', '--duration', '1500ms', '--warmup', '300ms', '--profile'], { env: { WRAPPED: 'hot-function.mjs' } });
    expect(run.code, run.stderr).toBe(0);
    const p = r.profile!;
    expect(p.files).toHaveLength(2);
    // The wrapper and its child (wrapper.mjs again, in the server role, running hot-function.mjs in-process).
    expect(new Set(p.files.map((f) => f.pid)).size).toBe(2);
    expect(p.files.every((f) => f.title.endsWith('wrapper.mjs'))).toBe(true);
    expect(p.summary!.functions[0]!.name).toBe('burnHash');
    for (const f of p.files) rmSync(dirname(f.path), { recursive: true, force: true });
  });

  it('splits the profile by tool when requests do not overlap', async () => {
    const { run, result: r } = await runBenchJson([HOT, '--call', 'hash', '--call', 'echo={"message":"hi"}', '--concurrency', '1', '--duration', '2s', '--warmup', '300ms', '--profile']);
    expect(run.code, run.stderr).toBe(0);
    const byTool = new Map(r.profile!.byTool.map((t) => [t.op, t]));
    expect([...byTool.keys()].sort()).toEqual(['tools/call:echo', 'tools/call:hash']);
    expect(byTool.get('tools/call:hash')!.summary.functions[0]!.name).toBe('burnHash');
    expect(byTool.get('tools/call:echo')!.summary.functions.some((f) => f.name === 'burnHash' && f.pct > 20)).toBe(false);
    // --no-save: the profiles stay in mcp-opt's folder, named by absolute path.
    for (const f of r.profile!.files) {
      expect(existsSync(f.path), f.path).toBe(true);
      rmSync(dirname(f.path), { recursive: true, force: true });
    }
  });

  it('server-everything under --rps 200: the package breakdown adds up to the sampled time; the profile parses', async () => {
    const out = join(scratch(), 'everything.json');
    const { run, result: r } = await runBenchJson([EVERYTHING, '--rps', '200', '--duration', '2s', '--warmup', '500ms', '--profile', '--profile-interval', '500us', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const p = r.profile!;
    expect(p.intervalUs).toBe(500);
    const s = p.summary!;
    expect(s.samples).toBeGreaterThan(100);
    expectConsistent(s);
    // An SDK server: its time is in the SDK, zod and the runtime, not only "your code".
    expect(s.packages.map((x) => x.name)).toContain('@modelcontextprotocol/sdk');
    expectFilesBeside(p, out);
  });
});

describe('analyze --profile', () => {
  it('names the heavy import in the cold-start finding (Node)', async () => {
    const out = join(scratch(), 'analyze.json');
    const run = await runCli(['analyze', HEAVY, ...FAST, '--budget', 'coldStart.ready.p50<50ms', '--profile', '--json', '--out', out]);
    await noLeftovers(run.testId);
    expect(run.code, run.stderr).toBe(1);
    const r = parseResult(run.stdout) as AnalyzeResult;
    const st = r.profile!.startup!;
    expect(st.language).toBe('node');
    // The costliest package (Node's own ES module loader, '(module loader)', is a line of its own).
    const top = st.packages.find((p) => !p.name.startsWith('('));
    expect(top?.name, JSON.stringify(st.packages)).toBe('gpt-tokenizer');
    expect(st.importMs).toBeGreaterThan(top!.ms * 0.99);
    const cold = r.findings.find((f) => f.id === 'slow-start-before-initialize' || f.id === 'cold-start-slow')!;
    expect(cold.evidence).toMatch(/`gpt-tokenizer` \d+ ms/);
    expect(cold.recommendation).toMatch(/Import `gpt-tokenizer`.* lazily/);
    // Per operation, from one request at a time (sequential sampling): every operation the latency
    // phase sampled (a call it found slower than SLOW_CALL_MS is left out of both; on a loaded CI
    // machine count_tokens' first call once was, ci99).
    const sampled = r.latency!.operations.filter((o) => o.note === null).map((o) => o.op);
    expect(sampled).toContain('tools/list');
    expect(r.profile!.byTool.map((t) => t.op)).toEqual(expect.arrayContaining(sampled));
    expectFilesBeside(r.profile!, out);
  });

  it('times a Python server\'s imports with python -X importtime', async () => {
    const before = profileFolders();
    const run = await runCli(['analyze', PYTHON, ...FAST, '--profile', '--json', '--no-save']);
    await noLeftovers(run.testId);
    expect(run.code, run.stderr).toBe(0);
    const p = (parseResult(run.stdout) as AnalyzeResult).profile!;
    expect(p.startup).toMatchObject({ language: 'python', source: 'python -X importtime' });
    expect(p.startup!.modules.length).toBeGreaterThan(0);
    expect(p.startup!.packages.map((x) => x.name)).toContain('json');
    expect(p.files).toEqual([]);
    expect(p.notes.join(' ')).toMatch(/runs Python.*python -X importtime/);
    // No profile to name: no folder kept.
    expect(profileFolders()).toEqual(before);
  });
});

describe('tune --profile', () => {
  it('measures the recommended point once more with the profiler on, and names its hot function', async () => {
    const before = profileFolders();
    const out = join(scratch(), 'tune.json');
    const run = await runCli(['tune', HOT, '--call', 'hash={"rounds":200000}', '--knob', 'concurrency=1,2', ...TUNE_SHORT, ...ANY_SLO, '--profile', '--json', '--out', out], { timeoutMs: 60_000 });
    await noLeftovers(run.testId);
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout) as TuneResult;
    expect(r.recommendation).not.toBeNull();
    expect(r.profile!.summary!.functions[0]!.name).toBe('burnHash');
    expectFilesBeside(r.profile!, out);
    // Only the recommended point was profiled: one process, its file beside the result, no folder left.
    expect(r.profile!.files).toHaveLength(1);
    expect(profileFolders()).toEqual(before);
  });
});

describe('--profile input', () => {
  it('a URL target is refused before anything starts (exit 2), saying why and what to do', async () => {
    const run = await runCli(['bench', 'http://127.0.0.1:9/mcp', '--profile', '--no-save']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--profile samples the server's processes.*URL.*stdio launch/s);
  });

  it('a bad --profile-interval is a usage error naming the flag', async () => {
    const run = await runCli(['bench', HOT, '--profile-interval', '10us', '--no-save']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--profile-interval must be a sampling interval from 50us to 100ms/);
  });
});

/**
 * CPU summaries: categories that add up to the sampled time, packages and functions by self
 * time, hottest stacks, the folded flame tree (pruned, sorted, depth-capped), several processes
 * merged, windows, per-tool attribution that leaves out overlapping requests; and a real
 * `node --cpu-prof` profile of a program whose named function burns most of the CPU.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCpuProfile } from '../../src/profile/cpuProfile.js';
import { summarizeByTool, summarizeCpu } from '../../src/profile/summarize.js';
import type { FlameNode } from '../../src/result/profileResult.js';
import { evalFn, fn, GC, IDLE, mod, native, PROGRAM, profileOf, times } from './fakeProfile.js';

const SERVER = 'file:///srv/app/server.js';
const ZOD = 'file:///srv/app/node_modules/zod/v4/core/parse.js';
const SDK = 'file:///srv/app/node_modules/@modelcontextprotocol/sdk/dist/esm/shared/protocol.js';
const top = mod(SERVER);
const handle = fn('handle', SERVER, 10);
const hash = [top, handle, fn('hash', SERVER, 20)];
const parse = [top, fn('_onrequest', SDK, 300), fn('safeParse', ZOD, 40)];
const read = [top, handle, fn('readFileSync', 'node:fs', 441), native('read')];

/** 40 hash, 20 zod, 10 readFileSync, 10 gc, 5 program, 15 idle: 100 samples of 1 ms. */
function mixed(startTime = 0): ReturnType<typeof profileOf> {
  return profileOf([...times(40, hash), ...times(20, parse), ...times(10, read), ...times(10, [GC]), ...times(5, [PROGRAM]), ...times(15, [IDLE])], { startTime });
}

describe('summarizeCpu', () => {
  const s = summarizeCpu([mixed()])!;

  it('splits sampled time into categories that add up to sampledMs and 100 %', () => {
    expect(s.samples).toBe(100);
    expect(s.sampledMs).toBe(100);
    expect(s.busyMs).toBe(85);
    expect(Object.fromEntries(s.categories.map((c) => [c.category, c.ms]))).toEqual({ 'your code': 40, packages: 20, runtime: 10, gc: 10, idle: 15, program: 5 });
    expect(s.categories.reduce((a, c) => a + c.ms, 0)).toBeCloseTo(s.sampledMs, 6);
    expect(s.categories.reduce((a, c) => a + c.pct, 0)).toBeCloseTo(100, 6);
  });

  it('keeps categories summing to exactly 100.0 % when each share rounds down', () => {
    const thirds = summarizeCpu([profileOf([hash, parse, read])])!;
    expect(thirds.categories.map((c) => c.pct).sort()).toEqual([33.3, 33.3, 33.4]);
    expect(thirds.categories.reduce((a, c) => a + c.ms, 0)).toBeCloseTo(thirds.sampledMs, 6);
  });

  it('ranks packages by self time as a share of busy time, pseudo-frames included and idle left out', () => {
    expect(s.packages.map((p) => [p.name, p.selfMs, p.pct])).toEqual([
      ['(your code)', 40, 47.1], ['zod', 20, 23.5], ['(garbage collector)', 10, 11.8], ['(runtime)', 10, 11.8], ['(program)', 5, 5.9],
    ]);
  });

  it('lists functions by self time without pseudo-frames, with 1-based lines and their package', () => {
    expect(s.functions.map((f) => f.name)).toEqual(['hash', 'safeParse', 'read']);
    expect(s.functions[0]).toEqual({ name: 'hash', file: '/srv/app/server.js', line: 20, package: '(your code)', selfMs: 40, pct: 47.1 });
    expect(s.functions[2]).toMatchObject({ name: 'read', file: '', line: null, package: '(runtime)' });
  });

  it('lists the hottest stacks from the outermost caller, without (root)', () => {
    expect(s.stacks[0]).toEqual({ frames: ['(anonymous) (/srv/app/server.js:1)', 'handle (/srv/app/server.js:10)', 'hash (/srv/app/server.js:20)'], ms: 40, pct: 47.1 });
    expect(s.stacks).toHaveLength(3);
  });

  it('folds busy samples into a flame tree rooted at "all", widest first', () => {
    const f = s.flame!;
    expect(f.frame).toBe('all');
    expect(f.totalMs).toBe(85);
    expect(f.children.map((c) => [c.frame, c.totalMs])).toEqual([['(anonymous) (/srv/app/server.js:1)', 70], ['(garbage collector)', 10], ['(program)', 5]]);
    const handleNode = f.children[0]!.children.find((c) => c.frame.startsWith('handle'))!;
    expect(handleNode.totalMs).toBe(50);
    expect(handleNode.children.map((c) => c.frame)).toEqual(['hash (/srv/app/server.js:20)', 'readFileSync (node:fs:441)']);
    expect(handleNode.children[1]!.package).toBe('(runtime)');
    expect(handleNode.children[1]!.children[0]).toEqual({ frame: 'read (native)', package: '(runtime)', totalMs: 10, selfMs: 10, children: [] });
  });

  it('prunes flame nodes under the threshold and caps the depth', () => {
    const deep = Array.from({ length: 100 }, (_, i) => fn(`f${i}`, SERVER, i + 1));
    const p = profileOf([...times(999, hash), deep]);
    const sum = summarizeCpu([p], undefined, { flameMaxDepth: 10 })!;
    const names = (n: FlameNode): string[] => [n.frame, ...n.children.flatMap(names)];
    expect(names(sum.flame!).some((n) => n.startsWith('f0 '))).toBe(false); // 0.1 % < 0.5 %
    const kept = summarizeCpu([p], undefined, { flameMinPct: 0, flameMaxDepth: 10 })!;
    let depth = 0;
    for (let n: FlameNode | undefined = kept.flame!.children.find((c) => c.frame.startsWith('f0 ')); n; n = n.children[0]) depth++;
    expect(depth).toBe(10);
  });

  it('merges processes and counts eval\'d code where it was called', () => {
    const child = profileOf([...times(30, [mod(SDK), evalFn('validate12', 2)])], { startTime: 5_000_000 });
    const both = summarizeCpu([mixed(), child])!;
    expect(both.samples).toBe(130);
    expect(both.packages[0]).toMatchObject({ name: '(your code)', selfMs: 40 });
    expect(both.packages.find((p) => p.name === '@modelcontextprotocol/sdk')?.selfMs).toBe(30);
    expect(both.functions.find((f) => f.name === 'validate12')).toMatchObject({ file: '', line: 2, package: '@modelcontextprotocol/sdk' });
  });

  it('summarises only the samples in the windows, and nothing when none fall inside', () => {
    // mixed(): samples at 1000 … 100000 µs; the first 40 (hash) end at 40000.
    const w = summarizeCpu([mixed()], [[0, 40_500]])!;
    expect(w.samples).toBe(40);
    expect(w.functions.map((f) => f.name)).toEqual(['hash']);
    expect(summarizeCpu([mixed()], [[500_000, 600_000]])).toBeNull();
    expect(summarizeCpu([])).toBeNull();
  });

  it('has no flame and zero shares when every sample is idle', () => {
    const idle = summarizeCpu([profileOf(times(5, [IDLE]))])!;
    expect(idle.busyMs).toBe(0);
    expect(idle.flame).toBeNull();
    expect(idle.categories).toEqual([{ category: 'idle', ms: 5, pct: 100 }]);
  });
});

describe('summarizeByTool', () => {
  // 100 samples, 1 ms apart from t=1000: 1-30 hash, 31-60 parse, 61-100 read.
  const p = profileOf([...times(30, hash), ...times(30, parse), ...times(40, read)], { startTime: 0 });

  it('gives each tool the samples of its requests only', () => {
    const byTool = summarizeByTool([p], [
      { op: 'tools/call:hash', startUs: 0, endUs: 15_500 }, { op: 'tools/call:hash', startUs: 15_500, endUs: 30_500 },
      { op: 'tools/call:parse', startUs: 30_500, endUs: 60_500 },
    ]);
    expect(byTool.map((t) => [t.op, t.requests, t.summary.samples, t.summary.functions[0]!.name])).toEqual([
      ['tools/call:hash', 2, 30, 'hash'], ['tools/call:parse', 1, 30, 'safeParse'],
    ]);
  });

  it('leaves out samples where requests of different tools overlap, and tools left with none', () => {
    const byTool = summarizeByTool([p], [
      { op: 'tools/call:hash', startUs: 0, endUs: 40_500 },
      { op: 'tools/call:parse', startUs: 30_500, endUs: 60_500 },
      { op: 'tools/call:echo', startUs: 35_000, endUs: 36_000 }, // entirely inside the overlap
      { op: 'tools/call:hash', startUs: 35_000, endUs: 38_000 }, // a second hash request, also inside the overlap
    ]);
    expect(byTool.map((t) => [t.op, t.summary.samples])).toEqual([['tools/call:hash', 30], ['tools/call:parse', 20]]);
    expect(byTool[1]!.summary.functions.map((f) => f.name)).toEqual(['safeParse']);
  });

  it('keeps samples where requests of the same tool overlap', () => {
    const byTool = summarizeByTool([p], [{ op: 'a', startUs: 0, endUs: 20_500 }, { op: 'a', startUs: 10_500, endUs: 30_500 }]);
    expect(byTool[0]!.summary.samples).toBe(30);
  });
});

describe('a real profile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-opt-summarize-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the function that burns most of the CPU first, and cuts a window by the monotonic clock of another process', async () => {
    // Time-bounded loops: whatever the machine's load, burnHash holds ~3/4 of the wall time and
    // otherWork ~1/4. Pure arithmetic, so the time is the functions' own (a crypto hash would be
    // the natives' self time). The script prints otherWork's window on process.hrtime's clock.
    const script = join(dir, 'burn.cjs');
    writeFileSync(script, `
      function burnHash(ms) { let h = 0x811c9dc5; const end = Date.now() + ms; while (Date.now() < end) for (let i = 0; i < 1e4; i++) { h ^= i; h = Math.imul(h, 0x01000193) >>> 0; } return h; }
      function otherWork(ms) { let h = 0x12345678; const end = Date.now() + ms; while (Date.now() < end) for (let i = 0; i < 1e4; i++) { h ^= i; h = Math.imul(h, 0x01000193) >>> 0; } return h; }
      burnHash(450);
      const from = process.hrtime.bigint() / 1000n;
      otherWork(150);
      const to = process.hrtime.bigint() / 1000n;
      console.log(JSON.stringify({ from: Number(from), to: Number(to) }));
    `);
    const { stdout } = await promisify(execFile)(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, script]);
    const { from, to } = JSON.parse(stdout) as { from: number; to: number };
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
    const profile = parseCpuProfile(readFileSync(join(dir, file), 'utf8'));

    const all = summarizeCpu([profile])!;
    expect(all.functions[0]!.name).toBe('burnHash');
    expect(all.functions[0]!.file).toBe(script);
    expect(all.functions[0]!.line).toBe(2);
    expect(all.functions[1]!.name).toBe('otherWork');
    expect(all.packages[0]!.name).toBe('(your code)');
    expect(all.categories.reduce((a, c) => a + c.ms, 0)).toBeCloseTo(all.sampledMs, 1);

    const window = summarizeCpu([profile], [[from, to]])!;
    expect(window.functions[0]!.name).toBe('otherWork');
    expect(window.functions.some((f) => f.name === 'burnHash')).toBe(false);
  });
});

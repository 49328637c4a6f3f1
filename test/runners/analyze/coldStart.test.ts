/**
 * Cold starts are timed without perturbing them: between a server's spawn and the last timed answer
 * (first call, else ready) mcp-opt reads nothing from /proc (a tree scan costs ~1.4 ms of CPU on a
 * 2-core machine; one every 20 ms made starts read 15-25 % slow), yet peak RSS is still measured,
 * by one read after the timed stages. Real minimal.mjs processes over real pipes; only the procfs
 * module is wrapped, to log when it is called.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { resolveAnalyzeOptions } from '../../../src/options/resolveAnalyze.js';
import type { ColdStartRun } from '../../../src/result/analyzeResult.js';
import { pickFirstCall } from '../../../src/runners/analyze/callPlan.js';
import { measureColdStart } from '../../../src/runners/analyze/coldStart.js';
import { AnalyzeContext } from '../../../src/runners/analyze/context.js';
import { emptyResult } from '../../../src/runners/analyze/sections.js';
import { lookupCommand } from '../../../src/target/resolve/which.js';
import { liveCount, ServerProcess, stopAll } from '../../../src/target/serverProcess.js';
import { fixturePath, repoRoot } from '../../helpers/fixtures.js';

/** Every call into src/target/procfs.ts from other modules: which function, when (performance.now()). */
const procReads = vi.hoisted(() => [] as Array<{ fn: string; at: number }>);

vi.mock('../../../src/target/procfs.js', async (importOriginal) => {
  const real = await importOriginal<Record<string, unknown>>();
  const logged: Record<string, unknown> = { ...real };
  for (const [name, value] of Object.entries(real)) {
    if (typeof value !== 'function') continue;
    logged[name] = (...args: unknown[]) => {
      procReads.push({ fn: name, at: performance.now() });
      return (value as (...a: unknown[]) => unknown)(...args);
    };
  }
  return logged;
});

afterAll(async () => {
  await stopAll();
});

/** Spawns seen by ServerProcess.start while `body` runs, in order. */
async function recordingSpawns<T>(body: (spawned: Promise<ServerProcess>[]) => Promise<T>): Promise<T> {
  const spawned: Promise<ServerProcess>[] = [];
  const start = ServerProcess.start.bind(ServerProcess);
  const spy = vi.spyOn(ServerProcess, 'start').mockImplementation((launch) => {
    const p = start(launch);
    spawned.push(p);
    return p;
  });
  try {
    return await body(spawned);
  } finally {
    spy.mockRestore();
  }
}

/** Run analyze's cold-start phase alone, with the era given (no probe process). */
async function coldStartOf(target: string | undefined, command: string[] | undefined, flags: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  const opts = await resolveAnalyzeOptions({
    target, command, cwd: repoRoot, env: { ...process.env, ...env }, config: null,
    flags: { era: 'legacy', ...flags }, stdoutTTY: false, stderrTTY: false,
  });
  const ctx = new AnalyzeContext(opts, () => {}, new AbortController().signal, emptyResult(opts, new Date()));
  await measureColdStart(ctx, (tools) => pickFirstCall(tools, opts), () => {});
  return ctx.result.coldStart!;
}

/** /proc reads strictly between a run's spawn and its last timed answer (first call, else ready). */
function readsWhileTimed(proc: ServerProcess, s: ColdStartRun): Array<{ fn: string; at: number }> {
  const lastAnswerAt = proc.spawnedAt + (s.firstCallMs ?? s.readyMs);
  return procReads.filter((r) => r.at > proc.spawnedAt && r.at < lastAnswerAt);
}

const hasNpx = lookupCommand('npx', { baseDir: '/', pathVar: process.env.PATH }).kind === 'found';
const npmCache = mkdtempSync(join(tmpdir(), 'mcp-opt-npx-cache-'));
afterAll(() => rmSync(npmCache, { recursive: true, force: true }));

describe.runIf(process.platform === 'linux')('cold start measurement', () => {
  it('reads no /proc between spawn and the last timed answer, and still reports peak RSS', async () => {
    await recordingSpawns(async (spawned) => {
      const cs = await coldStartOf(fixturePath('minimal.mjs'), undefined, { runs: '3', warmup: '1' });
      const procs = await Promise.all(spawned);
      // One warm-up, then the three measured starts, in order.
      expect(procs).toHaveLength(4);
      expect(cs.samples).toHaveLength(3);
      expect(cs.firstCallTool).not.toBeNull();
      for (const [i, s] of cs.samples.entries()) {
        const lastAnswerAt = procs[i + 1]!.spawnedAt + s.firstCallMs!;
        expect(readsWhileTimed(procs[i + 1]!, s), `run ${s.run}: /proc read while timed`).toEqual([]);
        // The peak is read once the timed stages are over, before teardown.
        expect(procReads.some((r) => r.fn === 'peakTreeRss' && r.at >= lastAnswerAt)).toBe(true);
        // A Node server's resident set is tens of MiB; the kernel's high-water mark is at least that.
        expect(s.peakRssBytes).toBeGreaterThan(10 * 1024 * 1024);
      }
      expect(cs.peakRss?.n).toBe(3);
      expect(liveCount()).toBe(0);
    });
  });

  it.runIf(hasNpx)('through npx, finds the direct launch only after the first start\'s timed stages', async () => {
    const pkg = join(repoRoot, 'fixtures', 'packages', 'npx-minimal');
    await recordingSpawns(async (spawned) => {
      // No warm-up: the first start, which looks for the server behind npx, is a measured one.
      const cs = await coldStartOf(undefined, ['npx', '--yes', '--offline', pkg], { runs: '1', warmup: '0' },
        { npm_config_cache: npmCache, npm_config_update_notifier: 'false' });
      const procs = await Promise.all(spawned);
      expect(cs.runner?.runner).toBe('npx');
      expect(readsWhileTimed(procs[0]!, cs.samples[0]!)).toEqual([]);
      expect(liveCount()).toBe(0);
    });
  }, 60_000);
});

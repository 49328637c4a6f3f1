/**
 * Cold starts are timed without perturbing them: between a server's spawn and the last timed answer
 * (first call, else ready) mcp-opt reads nothing from /proc (a tree scan costs ~1.4 ms of CPU on a
 * 2-core machine; one every 20 ms made starts read 15-25 % slow), yet peak RSS is still measured,
 * by one read after the timed stages. Real minimal.mjs processes over real pipes; only the procfs
 * module is wrapped, to log when it is called.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { resolveAnalyzeOptions } from '../../../src/options/resolveAnalyze.js';
import { pickFirstCall } from '../../../src/runners/analyze/callPlan.js';
import { measureColdStart } from '../../../src/runners/analyze/coldStart.js';
import { AnalyzeContext } from '../../../src/runners/analyze/context.js';
import { emptyResult } from '../../../src/runners/analyze/sections.js';
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

describe('cold start measurement', () => {
  it.runIf(process.platform === 'linux')('reads no /proc between spawn and the last timed answer, and still reports peak RSS', async () => {
    const spawned: Promise<ServerProcess>[] = [];
    const start = ServerProcess.start.bind(ServerProcess);
    const spy = vi.spyOn(ServerProcess, 'start').mockImplementation((launch) => {
      const p = start(launch);
      spawned.push(p);
      return p;
    });
    try {
      const opts = await resolveAnalyzeOptions({
        target: fixturePath('minimal.mjs'), command: undefined, cwd: repoRoot, env: { ...process.env }, config: null,
        flags: { runs: '3', warmup: '1', era: 'legacy' }, stdoutTTY: false, stderrTTY: false,
      });
      const ctx = new AnalyzeContext(opts, () => {}, new AbortController().signal, emptyResult(opts, new Date()));
      await measureColdStart(ctx, (tools) => pickFirstCall(tools, opts), () => {});

      const cs = ctx.result.coldStart!;
      const procs = await Promise.all(spawned);
      // One warm-up, then the three measured starts, in order.
      expect(procs).toHaveLength(4);
      expect(cs.samples).toHaveLength(3);
      expect(cs.firstCallTool).not.toBeNull();
      for (const [i, s] of cs.samples.entries()) {
        const spawnedAt = procs[i + 1]!.spawnedAt;
        const lastAnswerAt = spawnedAt + (s.firstCallMs ?? s.readyMs);
        const inWindow = procReads.filter((r) => r.at > spawnedAt && r.at < lastAnswerAt);
        expect(inWindow, `run ${s.run}: /proc read while timed`).toEqual([]);
        // The peak is read once the timed stages are over, before teardown.
        expect(procReads.some((r) => r.fn === 'peakTreeRss' && r.at >= lastAnswerAt)).toBe(true);
        // A Node server's resident set is tens of MiB; the kernel's high-water mark is at least that.
        expect(s.peakRssBytes).toBeGreaterThan(10 * 1024 * 1024);
      }
      expect(cs.peakRss?.n).toBe(3);
      expect(liveCount()).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });
});

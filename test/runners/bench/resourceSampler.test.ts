/**
 * The resource sampler after the server died: a tree with no live process is no sample (it would
 * read 0 B and report "RSS 43 MiB → 0 B"); the summary ends at the last sample before the death.
 * A real child process, sampled through /proc.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ResourceSampler } from '../../../src/runners/bench/resourceSampler.js';

describe.runIf(process.platform === 'linux')('ResourceSampler when the server dies', () => {
  it('keeps the last sample before the death as the end of the window, not a 0-byte reading', async () => {
    // 16 MiB touched and kept, so a live sample is far from 0.
    const child = spawn(process.execPath, ['-e', `
      globalThis.keep = Buffer.alloc(16 * 1024 * 1024, 1);
      process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const sampler = new ResourceSampler([child.pid!]).start();
    try {
      // Two live samples at least (one at start, one per 250 ms): waited for, up to 5 s.
      const until = performance.now() + 5000;
      while (sampler.samples.length < 2 && performance.now() < until) await new Promise((r) => setTimeout(r, 25));
      const live = sampler.samples.length;
      expect(live).toBeGreaterThanOrEqual(2);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      child.kill('SIGKILL');
      sampler.stop();
    }
    expect(sampler.samples.length).toBeGreaterThanOrEqual(2);
    for (const s of sampler.samples) expect(s.rssBytes).toBeGreaterThan(16 * 1024 * 1024);
    const summary = sampler.summary(0)!;
    expect(summary.rssEndBytes).toBe(sampler.samples.at(-1)!.rssBytes);
    expect(summary.rssEndBytes).toBeGreaterThan(16 * 1024 * 1024);
    expect(summary.processCount).toBe(1);
  });
});

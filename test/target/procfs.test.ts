import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { peakTreeRss, readPeakRss, sampleForest, sampleKnown } from '../../src/target/procfs.js';

const vmRssBytes = (pid: number): number => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

describe.runIf(process.platform === 'linux')('peak RSS from the kernel high-water mark', () => {
  it('is at least the resident set read just before, and null for a process that does not exist', () => {
    const before = vmRssBytes(process.pid);
    const peak = readPeakRss(process.pid)!;
    expect(peak).toBeGreaterThanOrEqual(before);
    expect(readPeakRss(2 ** 22 + 12345)).toBeNull();
  });

  it('keeps a peak the process has since given back, and sums a tree', async () => {
    // The child touches 64 MiB, frees it, then idles: only a high-water mark still shows it.
    const child = spawn(process.execPath, ['--expose-gc', '-e', `
      let b = Buffer.alloc(64 * 1024 * 1024, 1); b = null; globalThis.gc();
      process.stdout.write('ready\\n'); setTimeout(() => {}, 30000);`], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      const peak = peakTreeRss(child.pid!)!;
      expect(peak).toBeGreaterThanOrEqual(64 * 1024 * 1024);
      expect(peak).toBeGreaterThanOrEqual(readPeakRss(child.pid!)!);
      // What a sample taken now would see: the 64 MiB are gone from the resident set.
      expect(vmRssBytes(child.pid!)).toBeLessThan(peak - 32 * 1024 * 1024);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
  });
});

describe.runIf(process.platform === 'linux')('samples of a tree with no live process', () => {
  it('are null, not 0 bytes: an exited process, and a zombie (its RSS reads 0)', async () => {
    // sh forks `sleep 0.5`, then execs into a process that never reaps it: the fork, ending after
    // the exec, stays a zombie. (With `sleep 0` the fork could end while sh was still a shell, which
    // reaped it: no zombie on a busy machine, CI run 25.)
    const child = spawn('/bin/sh', ['-c', 'sleep 0.5 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number(await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(String(d)))));
      for (let i = 0; i < 250 && !/\) Z /.test(statOf(zombie)); i++) await new Promise((r) => setTimeout(r, 20));
      expect(statOf(zombie)).toMatch(/\) Z /);
      expect(sampleKnown([zombie])).toBeNull();
      // The live parent alone is counted; the zombie is not a process of the sample.
      const forest = sampleForest([child.pid!])!;
      expect(forest.pids).toEqual([child.pid]);
      expect(forest.rssBytes).toBeGreaterThan(0);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    expect(sampleKnown([child.pid!])).toBeNull();
    expect(sampleForest([child.pid!])).toBeNull();
  });
});

function statOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
}

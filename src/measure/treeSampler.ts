/**
 * Samples a server's process tree (RSS, CPU) on an interval, keeping the peak RSS. One sample is a
 * /proc scan (~0.5 ms of mcp-opt CPU on this machine), so the interval stays ≥ 20 ms to leave the
 * cores to the server being measured.
 */
import { sampleTree, type TreeSample } from '../target/procfs.js';

/** Default sampling interval during cold starts, ms. */
export const COLD_START_SAMPLE_MS = 20;

export class TreeSampler {
  /** Highest summed RSS seen, bytes (null off Linux or before the first sample). */
  peakRssBytes: number | null = null;
  /** Most processes seen at once. */
  maxProcesses = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly rootPid: number) {}

  /** Take one sample now and fold it into the peak. */
  sample(): TreeSample | null {
    const s = sampleTree(this.rootPid);
    if (s && s.pids.length > 0) {
      if (this.peakRssBytes === null || s.rssBytes > this.peakRssBytes) this.peakRssBytes = s.rssBytes;
      if (s.pids.length > this.maxProcesses) this.maxProcesses = s.pids.length;
    }
    return s;
  }

  /** Start sampling every `intervalMs`. */
  start(intervalMs = COLD_START_SAMPLE_MS): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    return this;
  }

  /** Stop sampling (after one last sample). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
  }
}

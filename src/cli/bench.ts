/**
 * `mcp-opt bench`: its parts of the shared command pipeline (runCommand.ts).
 */
import type { BenchOptions } from '../options/benchOptions.js';
import { resolveBenchOptions } from '../options/resolveBench.js';
import type { BenchResult } from '../result/benchResult.js';
import type { Io } from './io.js';
import { createLiveProgress } from './liveProgress.js';
import { runCommand } from './runCommand.js';

/** Run bench; returns the exit code. */
export function benchCommand(
  target: string | undefined, command: string[] | undefined, flags: Record<string, unknown>, ownFlags: readonly string[], io: Io,
): Promise<number> {
  return runCommand<BenchOptions, BenchResult>({
    kind: 'bench',
    resolve: resolveBenchOptions,
    progress: async (_opts, redact, io) => createLiveProgress({ out: io.stderr, redact }),
    // A run without one success comes back with its failure (exit 3), stopped early or not (runBench).
    run: async (opts, emit, signal) => (await import('../runners/bench/index.js')).runBench(opts, emit, signal),
  }, target, command, flags, ownFlags, io);
}

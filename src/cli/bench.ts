/**
 * `mcp-opt bench`: its parts of the shared command pipeline (runCommand.ts).
 */
import type { BenchOptions } from '../options/benchOptions.js';
import { resolveBenchOptions } from '../options/resolveBench.js';
import type { BenchResult } from '../result/benchResult.js';
import { createLiveProgress } from './liveProgress.js';
import type { CommandParts } from './runCommand.js';

/** bench in the pipeline: a live line of totals, then the load run. */
export const benchParts: CommandParts<BenchOptions, BenchResult> = {
  kind: 'bench',
  resolve: resolveBenchOptions,
  progress: async (_opts, redact, io) => createLiveProgress({ out: io.stderr, redact }),
  // A run without one success comes back with its failure (exit 3), stopped early or not (runBench).
  run: async (opts, emit, signal, resultPath) => (await import('../runners/bench/index.js')).runBench(opts, emit, signal, resultPath),
};

/**
 * `mcp-opt analyze`: its parts of the shared command pipeline (runCommand.ts).
 */
import type { AnalyzeOptions } from '../options/analyzeOptions.js';
import { resolveAnalyzeOptions } from '../options/resolveAnalyze.js';
import type { AnalyzeResult } from '../result/analyzeResult.js';
import { createProgress } from './progress.js';
import type { CommandParts } from './runCommand.js';

/** analyze in the pipeline: spinners per phase, then the analyze runner. */
export const analyzeParts: CommandParts<AnalyzeOptions, AnalyzeResult> = {
  kind: 'analyze',
  resolve: resolveAnalyzeOptions,
  progress: (opts, redact, io) => createProgress({ spinners: opts.output.spinners, quiet: false, redact, out: io.stderr }),
  run: async (opts, emit, signal, resultPath) => (await import('../runners/analyze/index.js')).runAnalyze(opts, emit, signal, resultPath),
};

/**
 * `mcp-opt analyze`: its parts of the shared command pipeline (runCommand.ts).
 */
import type { AnalyzeOptions } from '../options/analyzeOptions.js';
import { resolveAnalyzeOptions } from '../options/resolveAnalyze.js';
import type { AnalyzeResult } from '../result/analyzeResult.js';
import type { Io } from './io.js';
import { createProgress } from './progress.js';
import { runCommand } from './runCommand.js';

/** Run analyze; returns the exit code. */
export function analyzeCommand(
  target: string | undefined, command: string[] | undefined, flags: Record<string, unknown>, ownFlags: readonly string[], io: Io,
): Promise<number> {
  return runCommand<AnalyzeOptions, AnalyzeResult>({
    kind: 'analyze',
    resolve: resolveAnalyzeOptions,
    progress: (opts, redact, io) => createProgress({ spinners: opts.output.spinners, quiet: false, redact, out: io.stderr }),
    run: async (opts, emit, signal) => (await import('../runners/analyze/index.js')).runAnalyze(opts, emit, signal),
  }, target, command, flags, ownFlags, io);
}

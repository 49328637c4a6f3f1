/**
 * `mcp-opt bench`: its parts of the shared command pipeline (runCommand.ts).
 */
import { TargetError } from '../errors.js';
import type { BenchOptions } from '../options/benchOptions.js';
import { resolveBenchOptions } from '../options/resolveBench.js';
import { renderBenchTable } from '../reporters/benchTable.js';
import type { BenchResult } from '../result/benchResult.js';
import { createLiveProgress } from './liveProgress.js';
import { runCommand } from './runCommand.js';

/** Run bench; returns the exit code. */
export function benchCommand(
  target: string | undefined, command: string[] | undefined, flags: Record<string, unknown>, ownFlags: readonly string[] = [],
): Promise<number> {
  return runCommand<BenchOptions, BenchResult>({
    kind: 'bench',
    resolve: resolveBenchOptions,
    progress: async (_opts, redact) => createLiveProgress({ tty: process.stderr.isTTY === true, redact }),
    run: async (opts, emit, signal) => {
      const out = await (await import('../runners/bench/index.js')).runBench(opts, emit, signal);
      // A run that went its whole length without one success measured no latency: the target
      // failed, budgets or not (exit 3). The result is complete and saved; its warnings say so.
      // (tune's points judge such a run themselves.)
      if (out.failure === null && out.result.requests.succeeded === 0) {
        const { noSuccessMessage } = await import('../runners/bench/resultBuild.js');
        return { result: out.result, failure: new TargetError(noSuccessMessage(out.result)) };
      }
      return out;
    },
    render: (result, opts) => renderBenchTable(result, { color: opts.output.color }),
  }, target, command, flags, ownFlags);
}

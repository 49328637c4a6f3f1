/**
 * `mcp-opt tune`: its parts of the shared command pipeline (runCommand.ts), the dry run that prints
 * the plan, `--apply` after the run, and `--apply-from` (apply a saved result without measuring).
 */
import { EXIT_CODES } from '../errors.js';
import { resolveApplyFrom } from '../options/resolveApply.js';
import type { TuneOptions } from '../options/tuneOptions.js';
import { resolveTuneOptions } from '../options/resolveTune.js';
import { writePatchFiles } from '../patch/patchFiles.js';
import type { TuneResult } from '../result/tuneResult.js';
import { settingsLabel } from '../runners/tune/recommend.js';
import { gridSize } from '../options/knobs.js';
import { createPlanner, gridPoint } from '../runners/tune/space.js';
import { reportError } from './errorSink.js';
import type { Io } from './io.js';
import { runCommand } from './runCommand.js';
import { createTuneProgress } from './tuneProgress.js';
import { applyRecommendation } from './tuneApply.js';

/** Run tune; returns the exit code. */
export function tuneCommand(
  target: string | undefined, command: string[] | undefined, flags: Record<string, unknown>, ownFlags: readonly string[], io: Io,
): Promise<number> {
  if (flags['applyFrom'] !== undefined) return applyFromCommand(target, flags, io);
  return runCommand<TuneOptions, TuneResult>({
    kind: 'tune',
    resolve: resolveTuneOptions,
    preflight: (opts, io) => (opts.dryRun ? printPlan(opts, io) : null),
    progress: async (_opts, redact, io) => createTuneProgress({ out: io.stderr, redact }),
    run: async (opts, emit, signal, resultPath) => {
      const outcome = await (await import('../runners/tune/index.js')).runTune(opts, emit, signal, resultPath);
      // The runner names the patch files beside the result; they are written here, before the result is saved.
      const unwritten = outcome.result.patch ? writePatchFiles(outcome.result.patch) : null;
      if (unwritten && !outcome.result.warnings.includes(unwritten)) outcome.result.warnings.push(unwritten);
      return outcome;
    },
    // No point met the SLO (the recommendation is only the closest): exit 1, as a failed budget.
    verdict: (result) => (result.budgets.every((b) => b.pass) ? EXIT_CODES.OK : EXIT_CODES.BUDGET_FAILED),
    after: async (result, opts, io) => {
      if (!opts.apply) return null;
      const code = applyRecommendation(result, opts.apply, io.cwd, printer(io, opts.output.json));
      return code === EXIT_CODES.OK ? null : code;
    },
  }, target, command, flags, ownFlags, io);
}

/** Output of --apply: stdout, except under --json (stdout holds only the result there). */
function printer(io: Io, json: boolean): (text: string) => void {
  return (text) => void (json ? io.stderr : io.stdout).write(text);
}

/** --dry-run: the space and the points a grid would measure (a guided search decides as it goes). */
function printPlan(opts: TuneOptions, io: Io): number {
  const size = gridSize(opts.knobs);
  const planner = createPlanner(opts.knobs, opts.maxPoints);
  const lines = [
    `Space: ${opts.knobs.map((k) => `${k.id} (${k.values.length})`).join(' × ')} = ${size} point${size === 1 ? '' : 's'}; ${planner.strategy} search, at most ${opts.maxPoints} points.`,
    `Each point: ${opts.pointWarmupMs / 1000} s warm-up, ${opts.pointDurationMs / 1000} s measured, up to ${opts.maxRepeats} runs; objective ${opts.objective.kind} with ${opts.objective.slo}.`,
  ];
  if (opts.viaProxy) {
    lines.push(`Each point runs the server through \`mcp-opt proxy\` (pool and balance are the proxy's; --affinity ${opts.viaProxy.affinity}, --max-inflight-per-instance ${opts.viaProxy.maxInflightPerInstance} unless knobs).`);
  }
  const first = planner.next([]);
  lines.push(planner.strategy === 'grid' ? 'Points:' : 'First points of the guided search (the rest depend on what they measure):');
  for (const i of first) lines.push(`  ${i}: ${settingsLabel(gridPoint(opts.knobs, i))}`);
  lines.push('Dry run: nothing was started.');
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_CODES.OK;
}

/** `tune --apply-from RESULT [FILE] [--apply FILE…]`: apply a saved recommendation without measuring. */
async function applyFromCommand(positional: string | undefined, flags: Record<string, unknown>, io: Io): Promise<number> {
  try {
    const { result, apply } = resolveApplyFrom({ target: positional, flags, cwd: io.cwd });
    return applyRecommendation(result, apply, io.cwd, printer(io, false));
  } catch (err) {
    return reportError(err, io.stderr);
  }
}

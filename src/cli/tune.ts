/**
 * `mcp-opt tune`: its parts of the shared command pipeline (runCommand.ts), the dry run that prints
 * the plan, `--apply` after the run, and `--apply-from` (apply a saved result without measuring).
 */
import { resolve } from 'node:path';
import { EXIT_CODES, UsageError } from '../errors.js';
import type { TuneOptions } from '../options/tuneOptions.js';
import { resolveTuneOptions } from '../options/resolveTune.js';
import { readTuneResult } from '../result/read.js';
import type { TuneResult } from '../result/tuneResult.js';
import { settingsLabel } from '../runners/tune/recommend.js';
import { gridSize } from '../options/knobs.js';
import { createPlanner, gridPoint } from '../runners/tune/space.js';
import { reportError } from './errorSink.js';
import { runCommand } from './runCommand.js';
import { createTuneProgress } from './tuneProgress.js';
import { applyRecommendation } from './tuneApply.js';

/** Run tune; returns the exit code. */
export function tuneCommand(
  target: string | undefined, command: string[] | undefined, flags: Record<string, unknown>, ownFlags: readonly string[] = [],
): Promise<number> {
  if (flags['applyFrom'] !== undefined) return applyFromCommand(target, flags);
  return runCommand<TuneOptions, TuneResult>({
    kind: 'tune',
    resolve: resolveTuneOptions,
    preflight: (opts) => (opts.dryRun ? printPlan(opts) : null),
    progress: async (_opts, redact) => createTuneProgress({ tty: process.stderr.isTTY === true, redact }),
    run: async (opts, emit, signal, resultPath) => (await import('../runners/tune/index.js')).runTune(opts, emit, signal, resultPath),
    // No point met the SLO (the recommendation is only the closest): exit 1, as a failed budget.
    verdict: (result) => (result.budgets.every((b) => b.pass) ? EXIT_CODES.OK : EXIT_CODES.BUDGET_FAILED),
    after: async (result, opts) => {
      if (!opts.apply) return null;
      const code = applyRecommendation(result, opts.apply, process.cwd(), printer(opts.output.json));
      return code === EXIT_CODES.OK ? null : code;
    },
  }, target, command, flags, ownFlags);
}

/** Output of --apply: stdout, except under --json (stdout holds only the result there). */
function printer(json: boolean): (text: string) => void {
  return (text) => (json ? process.stderr : process.stdout).write(text);
}

/** --dry-run: the space and the points a grid would measure (a guided search decides as it goes). */
function printPlan(opts: TuneOptions): number {
  const size = gridSize(opts.knobs);
  const planner = createPlanner(opts.knobs, opts.maxPoints);
  const lines = [
    `Space: ${opts.knobs.map((k) => `${k.id} (${k.values.length})`).join(' × ')} = ${size} point${size === 1 ? '' : 's'}; ${planner.strategy} search, at most ${opts.maxPoints} points.`,
    `Each point: ${opts.pointWarmupMs / 1000} s warm-up, ${opts.pointDurationMs / 1000} s measured, up to ${opts.maxRepeats} runs; objective ${opts.objective.kind} with ${opts.objective.slo}.`,
  ];
  const first = planner.next([]);
  lines.push(planner.strategy === 'grid' ? 'Points:' : 'First points of the guided search (the rest depend on what they measure):');
  for (const i of first) lines.push(`  ${i}: ${settingsLabel(gridPoint(opts.knobs, i))}`);
  lines.push('Dry run: nothing was started.');
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_CODES.OK;
}

/** `tune --apply-from RESULT [FILE] [--apply FILE…]`: apply a saved recommendation without measuring. */
async function applyFromCommand(positional: string | undefined, flags: Record<string, unknown>): Promise<number> {
  try {
    const { result } = readTuneResult(resolve(String(flags['applyFrom'])), '--apply-from');
    const files = [...(positional ? [positional] : []), ...((flags['apply'] as string[] | undefined) ?? [])];
    if (!files.length) throw new UsageError('--apply-from needs the file to write into: mcp-opt tune --apply-from reports/tune-….json server.json');
    const write = flags['yes'] === true || flags['write'] === true;
    return applyRecommendation(result, { files, write, force: flags['force'] === true, serverName: flags['server'] as string | undefined }, process.cwd(), printer(false));
  } catch (err) {
    return reportError(err);
  }
}

/**
 * tune: measure points of the knob space with bench's engine, choose with statistics, explain with
 * a fitted model, and express the choice as config patches. Reads as its pipeline: restore files
 * an interrupted tune left edited → plan → measure each point (relaunching the server with its
 * knob values; a file knob edits the real file for the point and restores it) → repeat unclear
 * rankings → decide → model → patches. Each finished point is saved at once (a checkpoint), so
 * Ctrl-C or a crash keeps what was measured and `--resume` continues.
 */
import { InternalError, InterruptedError, McpOptError, TargetError, UsageError, oneLine } from '../../errors.js';
import { gridSize } from '../../options/knobs.js';
import type { TuneOptions } from '../../options/tuneOptions.js';
import { recoverTuneBackups, restoreAllSync } from '../../patch/fileKnob.js';
import type { TunePoint, TuneResult } from '../../result/tuneResult.js';
import type { Emit } from '../events.js';
import { measureOnce, profilePoint } from './measurePoint.js';
import { profileSummary } from '../../profile/profiledRun.js';
import { patchSetOf } from './patchSet.js';
import { decide, EDGE_WARNING_PREFIX, edgeWarnings, modelOf, recommendationOf, settingsLabel, sloBudget } from './recommend.js';
import { createPlanner, gridPoint } from './space.js';
import { pointLine } from './pointLine.js';
import { emptyTuneResult, summaryOf } from './tuneResultBuild.js';

/** What tune returns: the result (complete or not) and the failure that stopped it, if any. */
export interface TuneOutcome {
  /** The result, marked incomplete when the run stopped early. */
  result: TuneResult;
  /** What stopped the tune (usage error, Ctrl-C, every point failed), or null. */
  failure: McpOptError | null;
}

/** Run tune. Failures of single points are recorded in them; only usage errors and Ctrl-C stop it. */
export async function runTune(opts: TuneOptions, emit: Emit<TuneResult>, signal: AbortSignal, resultPath: string | null): Promise<TuneOutcome> {
  const started = performance.now();
  const result = opts.resume ? { ...opts.resume.result, incomplete: true, incompleteReason: 'the run has not finished' } : emptyTuneResult(opts);
  // Summaries are recomputed from the runs: a saved summary's Infinity (nothing succeeded) reads back as null.
  for (const p of result.points) p.summary = summaryOf(p, result.objective);
  const warn = (message: string): void => {
    if (!result.warnings.includes(message)) result.warnings.push(message);
    emit({ type: 'warning', message });
  };
  for (const message of recoverTuneBackups(Object.values(opts.filePaths))) warn(message);
  // A crash between a file knob's edit and its restore: put the files back on the way out.
  const onExit = (): void => restoreAllSync();
  process.on('exit', onExit);
  let failure: McpOptError | null = null;
  const total = Math.min(gridSize(opts.knobs), opts.maxPoints);
  const base = { pool: opts.base.pool, concurrency: opts.base.concurrency };
  // --max-calls: an equal share per planned point; a repeat or point the rest cannot pay for is skipped.
  const share = opts.maxCalls === null ? null : Math.floor(opts.maxCalls / total);
  let spent = result.points.reduce((n, p) => n + p.runs.reduce((m, r) => m + (r.requestsSent ?? 0), 0), 0);
  const affordable = (): boolean => share === null || opts.maxCalls! - spent >= share;
  const budgetNote = (): string => `--max-calls ${opts.maxCalls}: ${spent} requests sent, too few left for another ${share}-request run`;
  try {
    const planner = createPlanner(opts.knobs, opts.maxPoints);
    result.space.strategy = planner.strategy;
    const measureNew = async (index: number): Promise<void> => {
      const settings = gridPoint(opts.knobs, index);
      const label = `point ${result.points.length + 1}/${total}: ${settingsLabel(settings)}`;
      const point: TunePoint = { index, settings, status: 'ok', error: null, runs: [], summary: null };
      await addRun(point, label);
      result.points.push(point);
      emit({ type: 'checkpoint', result });
    };
    const addRun = async (point: TunePoint, label: string): Promise<void> => {
      emit({ type: 'phase-start', phase: 'point', label });
      const run = await measureOnce(opts, point.settings, signal, (w) => warn(`${settingsLabel(point.settings)}: ${w}`), share);
      spent += run.sent;
      if (signal.aborted) throw signal.reason instanceof McpOptError ? signal.reason : new InterruptedError();
      if (run.failure instanceof UsageError) throw run.failure;
      if (run.failure) {
        point.status = 'failed';
        point.error = run.errorText;
      } else {
        point.runs.push(run.run!);
        if (!result.server && run.server) result.server = run.server;
      }
      point.summary = summaryOf(point, result.objective);
      emit({ type: 'progress', phase: 'points', done: result.points.length + (result.points.includes(point) ? 0 : 1), total });
      emit({ type: 'phase-end', phase: label, summary: pointLine(point, result), ok: point.status === 'ok' });
    };

    // The search: the planner proposes, each point is measured and saved.
    for (;;) {
      const next = planner.next(result.points.map((p) => ({
        index: p.index, ok: p.status === 'ok', throughput: p.summary?.succeededRps ?? 0,
        statUs: p.summary ? p.summary[`${result.objective.sloStat}Us` as 'p95Us'] : Infinity, meetsSlo: p.summary?.meetsSlo ?? false,
      })));
      const fresh = next.filter((i) => !result.points.some((p) => p.index === i));
      if (!fresh.length || result.points.length >= opts.maxPoints || !affordable()) break;
      for (const index of fresh) {
        if (result.points.length >= opts.maxPoints || !affordable()) break;
        await measureNew(index);
      }
    }
    result.space.skipped = planner.skipped();
    if (!affordable() && result.points.length < total) result.space.skipped.push(`${total - result.points.length} planned points: ${budgetNote()}`);

    // Nothing measured at all: the target failed, not a setting (exit 3, as bench would).
    if (result.points.length && result.points.every((p) => p.status === 'failed')) {
      throw new TargetError(`Every point failed, so there is nothing to choose from. The first: ${result.points[0]!.error ?? 'no detail'}`);
    }

    // Repeats where noise leaves the ranking unclear (hyperfine-style: more runs, not a guess).
    for (;;) {
      const choice = decide(result.space, result.objective, result.points, base, { maxRepeats: opts.maxRepeats, noisePct: opts.noisePct });
      const again = choice.repeat.map((i) => result.points.find((p) => p.index === i)!).filter((p) => p && p.runs.length < opts.maxRepeats);
      if (!again.length) break;
      if (!affordable()) {
        warn(`Ranking left within noise: ${budgetNote()}.`);
        break;
      }
      for (const p of again) {
        if (!affordable()) break;
        await addRun(p, `repeat ${p.runs.length + 1}/${opts.maxRepeats}: ${settingsLabel(p.settings)} (ranking within noise)`);
        emit({ type: 'checkpoint', result });
      }
    }
  } catch (err) {
    failure = err instanceof McpOptError ? err : new InternalError(err);
    result.incomplete = true;
    result.incompleteReason = `${result.points.length} of ${total} points measured: ${oneLine(failure.message)}`;
  } finally {
    process.off('exit', onExit);
  }
  if (!failure) {
    result.incomplete = false;
    result.incompleteReason = null;
  }
  finish(opts, result, resultPath);
  if (opts.profile && result.recommendation && !failure && !signal.aborted) {
    const settings = result.recommendation.settings;
    emit({ type: 'phase-start', phase: 'profile', label: `CPU profile of the recommended point (${settingsLabel(settings)}), measured once more with the profiler on` });
    result.profile = await profilePoint(opts, settings, signal, warn, resultPath);
    emit({ type: 'phase-end', phase: 'profile', summary: result.profile ? profileSummary(result.profile) : 'the profiled run failed', ok: result.profile !== null });
  }
  result.durationMs = Math.round(performance.now() - started) + (opts.resume?.result.durationMs ?? 0);
  return { result, failure };
}

/** Decide, model and patch with what was measured (also for an incomplete tune: marked so). */
function finish(opts: TuneOptions, result: TuneResult, resultPath: string | null): void {
  const base = { pool: opts.base.pool, concurrency: opts.base.concurrency };
  const choice = decide(result.space, result.objective, result.points, base, { maxRepeats: 0, noisePct: opts.noisePct });
  const winner = result.points.find((p) => p.index === choice.winner);
  result.model = modelOf(result.space, result.objective, result.points, winner);
  result.recommendation = recommendationOf(choice, result.points, result.model);
  result.warnings = [...result.warnings.filter((w) => !w.startsWith(EDGE_WARNING_PREFIX)), ...edgeWarnings(result.space, winner)];
  result.patch = result.recommendation ? patchSetOf(opts, result, resultPath) : null;
  result.budgets = [sloBudget(result.objective, winner, choice.meetsSlo)];
}

/**
 * Measure one point once: edit the file knobs' files for the point (restored byte for byte in
 * `finally`, whatever happens), run bench with the point's options, and keep its figures. A point
 * whose server does not start or dies is a failed point with the server's own words (stderr); the
 * search goes on.
 */
import { McpOptError, TargetError, oneLine } from '../../errors.js';
import type { TuneOptions } from '../../options/tuneOptions.js';
import { FileKnobSession } from '../../patch/fileKnob.js';
import type { ValueChange } from '../../patch/valueChange.js';
import type { ServerSection } from '../../result/header.js';
import type { PointRun } from '../../result/tuneResult.js';
import { runBench, type BenchOutcome } from '../bench/index.js';
import type { ProfileSection } from '../../result/profileResult.js';
import { pointBenchOptions, pointRunOf } from './pointBench.js';
import type { Settings } from './space.js';

/** One measurement of a point. */
export interface PointMeasurement {
  /** The figures, or null when the run failed. */
  run: PointRun | null;
  /** The server's identity, when it answered. */
  server: ServerSection | null;
  /** Why it failed, or null. */
  failure: McpOptError | null;
  /** The failure for the result: first line and the server's last stderr lines. */
  errorText: string | null;
  /** Requests sent, warm-up included (also by a run that failed). */
  sent: number;
}

/** Stderr lines kept with a failed point. */
const STDERR_LINES = 5;

/** Measure `settings` once. Bench warnings go to `warn`. */
export async function measureOnce(opts: TuneOptions, settings: Settings, signal: AbortSignal, warn: (message: string) => void, requests: number | null = null): Promise<PointMeasurement> {
  const { result, failure } = await benchAt(opts, settings, signal, warn, requests, undefined);
  const run = pointRunOf(result);
  if (failure) return { run: null, server: result.server, failure, errorText: errorTextOf(failure), sent: run.requestsSent };
  return { run, server: result.server, failure: null, errorText: null, sent: run.requestsSent };
}

/** tune --profile: measure the recommended point once more with the profiler on; its profile section (null if the run failed). */
export async function profilePoint(opts: TuneOptions, settings: Settings, signal: AbortSignal, warn: (message: string) => void, resultPath: string | null): Promise<ProfileSection | null> {
  const { result } = await benchAt(opts, settings, signal, warn, null, resultPath);
  return result.profile ?? null;
}

/** One bench run at `settings`, file knobs set for its length; profiled when `profileTo` is given (the result path, or null). */
async function benchAt(opts: TuneOptions, settings: Settings, signal: AbortSignal, warn: (message: string) => void, requests: number | null, profileTo: string | null | undefined): Promise<BenchOutcome> {
  const sessions: FileKnobSession[] = [];
  try {
    for (const [path, changes] of fileChanges(opts, settings)) {
      const session = FileKnobSession.open(path);
      sessions.push(session);
      session.set(changes);
    }
    const base = pointBenchOptions(opts, settings, requests);
    const profiled = profileTo !== undefined && opts.profile ? Object.freeze({ ...base, profile: opts.profile }) : base;
    return await runBench(profiled, (e) => {
      if (e.type === 'warning') warn(e.message);
    }, signal, profileTo ?? null);
  } finally {
    for (const s of sessions.reverse()) s.restore();
  }
}

/** File knob values grouped by file. */
function fileChanges(opts: TuneOptions, settings: Settings): Map<string, ValueChange[]> {
  const byFile = new Map<string, ValueChange[]>();
  for (const k of opts.knobs) {
    if (k.kind !== 'file' || settings[k.id] === undefined) continue;
    const path = opts.filePaths[k.id]!;
    byFile.set(path, [...(byFile.get(path) ?? []), { pointer: k.name, value: settings[k.id] }]);
  }
  return byFile;
}

/** First line of the failure, and the server's last stderr lines when it ended. */
function errorTextOf(failure: McpOptError): string {
  const tail = failure instanceof TargetError && failure.exit ? failure.exit.stderrTail.slice(-STDERR_LINES) : [];
  const first = oneLine(failure.message);
  const extra = tail.filter((l) => l.trim() && !first.includes(l.trim()));
  return extra.length ? `${first}\nstderr: ${extra.join('\n')}` : first;
}

/**
 * bench --profile: the server's instances start with the profiler loaded (profile/collector.ts),
 * every Node process of their trees samples from its first line, and once the load has stopped
 * the profiles are cut to the measured window (end of warm-up → end of sending) and summarised.
 * With several tools in the mix, each measured answer's window is kept so the summary splits by
 * tool where windows of different tools do not overlap.
 */
import type { ProfileOptions } from '../../options/profileOptions.js';
import type { ProfileSection } from '../../result/profileResult.js';
import type { StdioSpec } from '../../target/launchSpec.js';
import { ProfileCollector, monoUs } from '../../profile/collector.js';
import { finishProfile, profiledSpec } from '../../profile/profiledRun.js';
import type { ToolWindow } from '../../profile/profileSection.js';
import type { Operation } from '../../workload/operations.js';
import type { EngineOutcome } from './engine.js';

/** Per-request windows kept at most (a long fast run would otherwise hold millions). */
const MAX_TOOL_WINDOWS = 200_000;

/** A profiled bench run between its launch and its collection. */
export interface BenchProfiling {
  /** The spec to launch the instances with. */
  spec: StdioSpec;
  /** The engine's hook recording each measured answer's window, when the mix has several operations. */
  toolWindowsFor(ops: readonly Operation[]): ((op: string, sentAt: number, doneAt: number) => void) | undefined;
  /** Collect the profiles and build the section (once). */
  finish(load: Pick<EngineOutcome, 'timelineOrigin' | 'measuredMs'>, warmupMs: number, resultPath: string | null, runnerPids: readonly number[]): Promise<ProfileSection>;
  /** Close without collecting (a run that failed before its load ended). */
  abandon(): void;
}

/** Start the collector and make the profiled spec. */
export async function startProfiling(spec: StdioSpec, options: ProfileOptions): Promise<BenchProfiling> {
  const collector = await ProfileCollector.start(options.intervalUs);
  const windows: ToolWindow[] = [];
  let done = false;
  return {
    spec: profiledSpec(spec, collector),
    toolWindowsFor(ops) {
      if (new Set(ops.map((o) => o.op)).size < 2) return undefined;
      return (op, sentAt, doneAt) => {
        if (windows.length < MAX_TOOL_WINDOWS) windows.push({ op, startUs: monoUs(sentAt), endUs: monoUs(doneAt) });
      };
    },
    async finish(load, warmupMs, resultPath, runnerPids) {
      done = true;
      const from = load.timelineOrigin + warmupMs;
      const notes = windows.length >= MAX_TOOL_WINDOWS ? [`Per-tool summaries use the first ${MAX_TOOL_WINDOWS} measured requests.`] : [];
      return finishProfile(collector, {
        windows: [[monoUs(from), monoUs(from + load.measuredMs)]], toolWindows: windows, startup: null, resultPath, notes, runnerPids,
      });
    },
    abandon() {
      if (!done) collector.close(true);
      done = true;
    },
  };
}

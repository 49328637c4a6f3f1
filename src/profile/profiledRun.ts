/**
 * The two ends of a profiled run, for the runners: the launch that loads the profiler into the
 * server's processes, and the collection that turns what they wrote into the result's section.
 */
import type { ProfileSection } from '../result/profileResult.js';
import type { StdioSpec } from '../target/launchSpec.js';
import type { ProfileCollector } from './collector.js';
import { profileSection, type ProfileRun } from './profileSection.js';

/** A stdio spec whose Node processes load the profiler; `pythonImports` also times a Python server's imports (stderr). */
export function profiledSpec(spec: StdioSpec, collector: ProfileCollector, pythonImports = false): StdioSpec {
  const env = collector.launchEnv(spec.launch.env);
  if (pythonImports) env['PYTHONPROFILEIMPORTTIME'] = '1';
  return { ...spec, launch: { ...spec.launch, env, keepStderrHead: pythonImports || spec.launch.keepStderrHead } };
}

/** Stop the profilers, read the profiles and build the section; the collector is closed either way. */
export async function finishProfile(collector: ProfileCollector, run: Omit<ProfileRun, 'collected' | 'intervalUs'>): Promise<ProfileSection> {
  let keep = false;
  try {
    const collected = await collector.collect();
    // Without a result file the profiles are named by their path in the collector's folder: keep it
    // (unless there is none to name: a Python server's start-up is read from stderr).
    keep = run.resultPath === null && collected.length > 0;
    return profileSection({ ...run, collected, intervalUs: collector.intervalUs });
  } finally {
    collector.close(!keep);
  }
}

/** True when the launch runs Python (python3 itself, or uvx / uv run / pipx run): its start-up is timed by import. */
export function isPythonLaunch(spec: StdioSpec): boolean {
  const exe = spec.launch.command.split('/').pop() ?? '';
  return /^python[0-9.]*$/.test(exe) || spec.runner === 'uvx' || spec.runner === 'uv run' || spec.runner === 'pipx run';
}

/** One line for the phase's end: busy time and the hottest function. */
export function profileSummary(p: ProfileSection): string {
  const s = p.summary;
  if (!s) return `${p.files.length} profile(s), nothing sampled in the window`;
  const top = s.functions[0];
  return `${p.files.length} process(es), ${s.busyMs.toFixed(0)} ms busy of ${s.sampledMs.toFixed(0)} ms sampled` +
    (top ? `; hottest: ${top.name} ${top.pct.toFixed(1)} %` : '');
}

/**
 * Collected profiles → the result's `profile` section: the files saved beside the result, the
 * measured window summarised (and per tool), the start-up window folded by import, and notes on
 * what could not be profiled.
 */
import { copyFileSync, renameSync } from 'node:fs';
import { basename } from 'node:path';
import type { CpuSummary, ProfileFile, ProfileSection, StartupProfile } from '../result/profileResult.js';
import { selfArgv } from '../selfCommand.js';
import type { CollectedProfile } from './collector.js';
import { profileFindings } from './profileFindings.js';
import { startupImports } from './startupImports.js';
import { summarizeByTool, summarizeCpu } from './summarize.js';

/** Busy samples below which shares are too uncertain for findings: a 50 % share from 200 samples is ±7 % (two standard errors). */
const MIN_BUSY_SAMPLES = 200;

/** One tool request's time window on the monotonic clock, µs. */
export interface ToolWindow {
  /** Operation label ('tools/call:search'). */
  op: string;
  /** When it was sent, µs. */
  startUs: number;
  /** When its answer arrived, µs. */
  endUs: number;
}

/** What a profiled run hands over. */
export interface ProfileRun {
  /** The profiles read back from the preloads. */
  collected: CollectedProfile[];
  /** Sampling interval, µs. */
  intervalUs: number;
  /** Measured windows on the monotonic clock, µs ([] when only start-up was profiled). */
  windows: Array<[number, number]>;
  /** Per-request windows by operation, for per-tool summaries ([] to skip them). */
  toolWindows: ToolWindow[];
  /** The start-up to fold by import (from each profile's first sample to the initialize answer), or null. */
  startup: {
    /** When the initialize answer arrived, monotonic µs. */
    readyAtUs: number;
    /** Spawn → initialize answered in that start, ms. */
    readyMs: number;
  } | null;
  /** A start-up profile from elsewhere (python -X importtime), used when no Node profile covers start-up. */
  otherStartup?: StartupProfile | null;
  /** Where the result is saved (profiles go beside it), or null (--no-save: they stay in the collector's folder). */
  resultPath: string | null;
  /** Notes gathered while profiling. */
  notes: string[];
  /** Processes mcp-opt launched that are a package runner (npx…) in front of the server: saved, left out of the summaries. */
  runnerPids?: readonly number[];
  /** The cold start's measured ready p50, ms (analyze), for the start-up finding. */
  coldStartReadyMs?: number | undefined;
}

/** Build the section, saving the profiles beside the result. */
export function profileSection(run: ProfileRun): ProfileSection {
  const notes = [...run.notes];
  // tune --via-proxy puts `mcp-opt proxy` between bench and the server, and it is a Node process of
  // the tree too: its file is saved, but its samples would be read as the server's.
  const own = run.collected.filter((c) => c.process.title === selfArgv()[1]);
  if (own.length) notes.push(`mcp-opt's own process (pid ${own.map((c) => c.process.pid).join(', ')}: mcp-opt proxy) is left out of the summaries; its profile is saved with the others.`);
  // A package runner's own node (npx → npm exec) loads npm's modules before the server starts: its
  // start-up is the package-runner-overhead finding's, not an import the server could defer (found
  // on @modelcontextprotocol/server-memory through npx: "import libnpmexec lazily"). Only when the
  // server's own process registered too.
  const runner = run.collected.filter((c) => run.runnerPids?.includes(c.process.pid) && !own.includes(c));
  const kept = run.collected.filter((c) => !own.includes(c) && !runner.includes(c));
  if (runner.length && kept.length) {
    notes.push(`The package runner mcp-opt launched (pid ${runner.map((c) => c.process.pid).join(', ')}) is left out of the summaries: its cost is the package-runner-overhead finding's; its profile is saved with the others.`);
  }
  const profiles = (kept.length ? kept : run.collected.filter((c) => !own.includes(c))).map((c) => c.profile);
  const files = saveProfiles(run.collected, run.resultPath);
  const windowMs = run.windows.reduce((ms, [a, b]) => ms + (b - a) / 1000, 0);
  const summary = profiles.length && run.windows.length ? summarizeCpu(profiles, run.windows) : null;
  const byTool = profiles.length && run.toolWindows.length ? summarizeByTool(profiles, run.toolWindows) : [];
  let startup: StartupProfile | null = run.otherStartup ?? null;
  if (!startup && run.startup && profiles.length) {
    const from = Math.min(...profiles.map((p) => p.startTime));
    startup = startupImports(profiles, [from, run.startup.readyAtUs], run.startup.readyMs);
  }
  if (run.collected.length === 0) {
    notes.push(run.otherStartup
      ? `The server runs Python: its start-up imports were timed (${run.otherStartup.source}); CPU profiles of its requests are for Node servers (for Python, sample it with py-spy).`
      : 'No Node process of the server registered with the profiler: --profile samples Node servers (node, a package runner\'s node child, tsx) and times the imports of Python servers at start-up (analyze).');
  }
  return {
    method: run.collected.length ? 'inspector' : 'python-importtime',
    intervalUs: run.intervalUs,
    windowMs: Math.round(windowMs * 100) / 100,
    files,
    summary,
    byTool,
    startup,
    notes,
    findings: profileFindings(enoughToJudge(summary, run.intervalUs, notes), startup, run.coldStartReadyMs),
  };
}

/**
 * The summary, when it holds enough busy samples to judge shares by; else null and a note. A share
 * p from n samples has a standard error of √(p(1−p)/n): with 33 busy samples (a light server
 * sampled one request at a time by analyze) a function read 58 % of busy time, ±17 %.
 */
function enoughToJudge(summary: CpuSummary | null, intervalUs: number, notes: string[]): CpuSummary | null {
  if (!summary) return null;
  const busySamples = Math.round(summary.busyMs / (intervalUs / 1000));
  if (busySamples >= MIN_BUSY_SAMPLES) return summary;
  notes.push(`Only ${summary.busyMs.toFixed(0)} ms of busy CPU (about ${busySamples} samples) in the window: too little to judge shares by, so no CPU finding is drawn from it. Profile under load (bench --profile, a longer --duration) or sample more often (--profile-interval).`);
  return null;
}

/**
 * Copy each profile beside the result as `<result stem>.<pid>.cpuprofile` (a temporary name, then
 * a rename: a reader never sees half a file); paths in the result are then relative to its folder.
 * Without a result file they stay where the preloads wrote them, named by absolute path.
 */
export function saveProfiles(collected: readonly CollectedProfile[], resultPath: string | null): ProfileFile[] {
  return collected.map((c) => {
    let path = c.file;
    if (resultPath) {
      const dest = `${resultPath.replace(/\.json$/, '')}.${c.process.pid}.cpuprofile`;
      copyFileSync(c.file, `${dest}.tmp`);
      renameSync(`${dest}.tmp`, dest);
      path = basename(dest);
    }
    return { path, pid: c.process.pid, title: c.process.title, samples: c.profile.samples.length };
  });
}

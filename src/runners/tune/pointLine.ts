/**
 * The progress line of a finished tune run. A repeat shows its own figures first, then the median
 * over the point's runs that ranks it, each labelled: the median alone would read as if the repeat
 * had measured it (and hides how far the runs disagree, which is why the point was repeated).
 */
import type { PointRun, TunePoint, TuneResult } from '../../result/tuneResult.js';
import { oneLine } from '../../errors.js';

/** One line for the progress display after `p`'s latest run. */
export function pointLine(p: TunePoint, r: Pick<TuneResult, 'objective'>): string {
  if (p.status === 'failed') return `failed: ${oneLine(p.error ?? '')}`;
  const stat = r.objective.sloStat;
  const s = p.summary!;
  const misses = s.meetsSlo ? '' : ' (misses the SLO)';
  const median = `${rps(s.succeededRps)}, ${stat} ${ms(s[`${stat}Us`])}, errors ${s.errorRatePct.toFixed(2)}%`;
  const last = p.runs[p.runs.length - 1];
  if (p.runs.length < 2 || !last) return `${median}${misses}`;
  return `run ${p.runs.length}: ${runFigures(last, stat)}; median of ${p.runs.length} runs: ${median}${misses}`;
}

function runFigures(run: PointRun, stat: TuneResult['objective']['sloStat']): string {
  const us = run.latency && run.latency.n > 0 ? run.latency[stat] : Infinity;
  return `${rps(run.succeededRps)}, ${stat} ${ms(us)}, errors ${run.errorRatePct.toFixed(2)}%`;
}

const rps = (v: number): string => `${v.toFixed(1)} req/s`;
const ms = (us: number): string => (Number.isFinite(us) ? `${(us / 1000).toFixed(1)} ms` : '–');

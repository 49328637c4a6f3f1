/**
 * The latency percentile spectrum (HdrHistogram's "percentile distribution" plot): x is the
 * percentile on a log scale of 1/(1−p), so the tail (99 %, 99.9 %, 99.99 %) gets as much room as
 * the median, where the interesting behaviour of a server is. Points come from the encoded HDR
 * histogram when it decodes; otherwise from the Distribution's summary percentiles.
 */
import { decodeHistogram, type Distribution } from '../../measure/histogram.js';
import { fmtUs } from '../format.js';
import { xyChart, type XYPoint } from './charts.js';
import { linearAxis, fmtAxisNumber, type Axis } from './svg.js';

/** Position of percentile p (0–100) on the spectrum's x axis: log10(1 / (1 − p)). */
export function percentileX(p: number): number {
  return Math.log10(1 / (1 - Math.min(p, 99.9999) / 100));
}

/** The x axis reaches 99.99 %: 4 decades of 1/(1−p). */
const X_MAX = 4;
/** Grid step in decades: 41 points from p0 to p99.99, smooth enough for a step-shaped tail. */
const GRID_STEP = 0.1;

/** The spectrum's x axis, ticked at 0, 50, 90, 99, 99.9 and 99.99 %. */
export function spectrumXAxis(): Axis {
  const ticks = [0, 50, 90, 99, 99.9, 99.99].map((p) => ({ value: percentileX(p), label: `${p} %` }));
  return { label: 'percentile', min: 0, max: X_MAX, ticks };
}

const pLabel = (p: number): string => `p${Number(p.toFixed(p < 99 ? 1 : 3))}`;

/** Spectrum points of a distribution (y in ms); [] when null. */
export function spectrumPoints(d: Distribution | null): XYPoint[] {
  if (!d || d.n === 0) return [];
  const fromHdr = hdrPoints(d);
  if (fromHdr) return fromHdr;
  // No usable histogram (hdr '' or undecodable): the summary percentiles, max at the right edge.
  const summary: Array<[number, number, string]> = [[50, d.p50, 'p50'], [90, d.p90, 'p90'], [95, d.p95, 'p95'], [99, d.p99, 'p99'], [99.9, d.p999, 'p99.9']];
  const pts = summary.map(([p, us, label]) => ({ x: percentileX(p), y: us / 1000, tip: `${label}: ${fmtUs(us)}` }));
  pts.push({ x: X_MAX, y: d.max / 1000, tip: `max: ${fmtUs(d.max)}` });
  return pts;
}

function hdrPoints(d: Distribution): XYPoint[] | null {
  if (!d.hdr) return null;
  try {
    const h = decodeHistogram(d.hdr);
    if (h.totalCount === 0) return null;
    const pts: XYPoint[] = [];
    for (let i = 0; i * GRID_STEP <= X_MAX + 1e-9; i++) {
      const t = i * GRID_STEP;
      const p = 100 * (1 - 10 ** -t);
      const us = h.getValueAtPercentile(p);
      pts.push({ x: t, y: us / 1000, tip: `${pLabel(p)}: ${fmtUs(us)}` });
    }
    h.destroy();
    return pts;
  } catch {
    return null;
  }
}

/** One line of a spectrum chart. */
export interface SpectrumLine {
  /** Legend name (e.g. 'corrected latency'). */
  name: string;
  /** Colour class: s0…s3. */
  cls: string;
  /** The distribution drawn (µs, shown in ms); null or empty draws no line. */
  dist: Distribution | null;
  /** Draw the line dashed (default false). */
  dashed?: boolean;
}

/** A spectrum chart of several distributions, or '' when none has samples. */
export function spectrumChart(chart: string, title: string, caption: string, lines: readonly SpectrumLine[]): string {
  const series = lines.map((l) => ({ name: l.name, cls: l.cls, dashed: l.dashed, points: spectrumPoints(l.dist) })).filter((s) => s.points.length);
  if (!series.length) return '';
  const ys = series.flatMap((s) => s.points.map((p) => p.y ?? 0));
  return xyChart({ chart, title, caption, x: spectrumXAxis(), y: linearAxis('latency (ms)', ys, fmtAxisNumber), series });
}

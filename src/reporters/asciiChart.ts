/**
 * A small text chart of a few series against categorical x values (a swept knob's values, in
 * order). Each series is scaled to its own maximum, so series in different units (req/s, ms)
 * share one plot; the legend gives each maximum so the scale can be read back. Pure and
 * deterministic: the same input gives the same string, and no ANSI when colour is off.
 */
import type { ChalkInstance } from 'chalk';
import { painter, safe } from './format.js';

/** One line of the chart: its label (with unit) and a value per x (null: not measured or failed). */
export interface ChartSeries {
  /** Label shown in the legend, e.g. 'req/s' or 'p95 ms'. */
  label: string;
  /** One value per x label, in the same order; null draws nothing and marks 'x' under the axis. */
  values: ReadonlyArray<number | null>;
}

/** Options of the chart. */
export interface AsciiChartOptions {
  /** Rows of the plot area (default 10, at least 2). */
  height?: number;
  /** Index of the x column to mark under the axis, e.g. the winner. */
  highlight?: number;
  /** Legend text of the highlight mark (default 'winner'). */
  highlightLabel?: string;
  /** ANSI colour. */
  color: boolean;
}

/** Marker of each series, in order. */
export const CHART_MARKERS = ['●', '▲', '■', '◆'] as const;

const DEFAULT_HEIGHT = 10;
/** Longest x label shown, characters (longer ones are cut with '…'). */
const MAX_X_LABEL = 12;
/** Width of the y-axis gutter: '100%' plus one space. */
const GUTTER = 5;

/** Render the chart: plot rows, axis, x labels, the mark row (when needed) and the legend. */
export function renderAsciiChart(xLabels: readonly string[], series: readonly ChartSeries[], opts: AsciiChartOptions): string {
  if (series.length > CHART_MARKERS.length) throw new RangeError(`renderAsciiChart draws at most ${CHART_MARKERS.length} series, got ${series.length}`);
  if (xLabels.length === 0) return '(no points to chart)';
  const c = painter(opts.color);
  const height = Math.max(2, Math.floor(opts.height ?? DEFAULT_HEIGHT));
  const labels = xLabels.map((l) => safe(l, MAX_X_LABEL));
  // Each column is wide enough for its label and one marker per series side by side, plus a gap,
  // so markers of different series never overwrite each other.
  const colWidth = Math.max(3, series.length, ...labels.map((l) => l.length)) + 2;
  const width = colWidth * labels.length;
  const markerStart = Math.floor((colWidth - series.length) / 2);
  const centre = Math.floor((colWidth - 1) / 2);

  const grid: string[][] = Array.from({ length: height }, () => Array<string>(width).fill(' '));
  const maxes = series.map((s) => seriesMax(s.values));
  series.forEach((s, si) => {
    const max = maxes[si] ?? null;
    labels.forEach((_, xi) => {
      const v = finite(s.values[xi]);
      if (v === null) return;
      const level = max !== null && max > 0 ? Math.round((Math.max(0, v) / max) * (height - 1)) : 0;
      grid[height - 1 - level]![xi * colWidth + markerStart + si] = paint(c, si, CHART_MARKERS[si]!);
    });
  });

  const lines = grid.map((row, r) => {
    const level = height - 1 - r;
    const yLabel = level === height - 1 ? '100%' : level === 0 ? '0%' : '';
    return `${yLabel.padStart(GUTTER - 1)} ${yLabel ? '┤' : '│'}${row.join('')}`.trimEnd();
  });
  lines.push(`${' '.repeat(GUTTER)}└${'─'.repeat(width)}`);
  lines.push(`${' '.repeat(GUTTER + 1)}${labels.map((l) => centreIn(l, colWidth)).join('')}`.trimEnd());

  const failed = labels.map((_, xi) => series.some((s) => finite(s.values[xi]) === null));
  const hi = opts.highlight !== undefined && opts.highlight >= 0 && opts.highlight < labels.length ? opts.highlight : null;
  if (hi !== null || failed.some(Boolean)) {
    const marks = labels.map((_, xi) => {
      const cell = Array<string>(colWidth).fill(' ');
      if (xi === hi) cell[centre] = c.green.bold('^');
      else if (failed[xi]) cell[centre] = c.red('x');
      return cell.join('');
    });
    lines.push(`${' '.repeat(GUTTER + 1)}${marks.join('')}`.trimEnd());
  }

  const legend = series.map((s, si) => `${paint(c, si, CHART_MARKERS[si]!)} ${safe(s.label, 40)} (max ${fmtChartNumber(maxes[si] ?? null)})`);
  if (hi !== null) legend.push(`${c.green.bold('^')} ${safe(opts.highlightLabel ?? 'winner', 40)}`);
  if (failed.some(Boolean)) legend.push(`${c.red('x')} failed`);
  lines.push(`${' '.repeat(GUTTER + 1)}${legend.join('   ')}`);
  return lines.join('\n');
}

/** A chart figure, no exponent: whole from 1000, else up to one decimal from 10 and two below ('1502', '134.9', '900', '0.42'). */
export function fmtChartNumber(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '–';
  const abs = Math.abs(v);
  if (abs >= 1000) return v.toFixed(0);
  if (abs >= 10) return String(Number(v.toFixed(1)));
  return String(Number(v.toFixed(2)));
}

function seriesMax(values: ReadonlyArray<number | null>): number | null {
  let max: number | null = null;
  for (const raw of values) {
    const v = finite(raw);
    if (v !== null && (max === null || v > max)) max = v;
  }
  return max;
}

function finite(v: number | null | undefined): number | null {
  return v === null || v === undefined || !Number.isFinite(v) ? null : v;
}

function centreIn(text: string, width: number): string {
  const left = Math.floor((width - text.length) / 2);
  return `${' '.repeat(left)}${text}`.padEnd(width);
}

function paint(c: ChalkInstance, seriesIndex: number, text: string): string {
  return seriesIndex === 0 ? c.cyan(text) : seriesIndex === 1 ? c.magenta(text) : seriesIndex === 2 ? c.yellow(text) : c.blue(text);
}

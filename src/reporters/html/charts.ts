/**
 * The three chart shapes of the report, drawn from plain numbers: x/y lines (percentile spectra,
 * timelines, the tune curve), horizontal grouped bars (per-operation latency) and strip plots
 * (cold starts, one dot per run). Data marks carry class "mark" and a <title> with their value,
 * which the browser shows on hover; axes and grid are <line>s so marks are countable.
 */
import type { Distribution } from '../../measure/histogram.js';
import { fmtUs } from '../format.js';
import { escapeHtml as esc } from './escape.js';
import {
  CHART_WIDTH, figure, fmtAxisNumber, legendSvg, linearAxis, linePath, px, scaleOf, xAxisSvg, yAxisSvg,
  type Axis, type Box, type LegendItem, type LegendShape,
} from './svg.js';

/** One point of an x/y series; `y` null = not measured (a gap). */
export interface XYPoint {
  /** Position on the x axis, in its data units. */
  x: number;
  /** Value on the series' y axis, in its data units, or null (a gap in the line). */
  y: number | null;
  /** Hover text. */
  tip: string;
  /** 'dot' (default), 'winner' (ringed) or 'cross' (a failed point, drawn on the x axis). */
  shape?: 'dot' | 'winner' | 'cross';
}

/** One series of an x/y chart. */
export interface XYSeries {
  /** Legend name, also the line's hover text. */
  name: string;
  /** Colour class: s0…s3. */
  cls: string;
  /** Which y axis it is read on. */
  axis?: 'y' | 'y2';
  /** Draw the connecting line (default true). */
  line?: boolean;
  /** Draw each point's mark: dot, ring or cross (default true). */
  dots?: boolean;
  /** Draw the line, and its legend swatch, dashed (default false). */
  dashed?: boolean;
  /** The points; the line joins them in this order, skipping crosses and breaking at a null y. */
  points: XYPoint[];
}

/** An x/y chart. */
export interface XYSpec {
  /** The figure's data-chart name, for tools and tests (e.g. 'tune-curve'). */
  chart: string;
  /** The SVG's <title>: its accessible name. */
  title: string;
  /** What the chart shows, in words (the title when absent). */
  caption?: string;
  /** The x axis. */
  x: Axis;
  /** The left y axis. */
  y: Axis;
  /** A right y axis (e.g. latency beside throughput); none when absent. */
  y2?: Axis;
  /** The series drawn, each read on y or y2. */
  series: XYSeries[];
  /** Shaded x ranges (e.g. warm-up seconds), with their legend name. */
  bands?: {
    /** Legend name of the ranges (e.g. 'warm-up'). */
    name: string;
    /** The shaded ranges, full height. */
    ranges: Array<{
      /** Start, in x data units. */
      from: number;
      /** End, in x data units. */
      to: number;
      /** Hover text. */
      tip: string;
    }>;
  };
  /** Horizontal reference lines (e.g. an SLO). */
  rules?: Array<{
    /** The y axis its value is read on. */
    axis: 'y' | 'y2';
    /** Height, in that axis's data units. */
    value: number;
    /** Text at the line's right end (e.g. 'SLO p95<200ms'). */
    label: string;
  }>;
  /** Extra legend entries (winner, failed…). */
  legendExtra?: LegendItem[];
}

const XY_HEIGHT = 330;

/** An x/y line chart in a figure. */
export function xyChart(spec: XYSpec): string {
  const box: Box = { left: 72, right: CHART_WIDTH - (spec.y2 ? 72 : 24), top: 44, bottom: XY_HEIGHT - 52 };
  const sx = scaleOf(spec.x, box.left, box.right);
  const sy = scaleOf(spec.y, box.bottom, box.top);
  const sy2 = spec.y2 ? scaleOf(spec.y2, box.bottom, box.top) : sy;
  const out: string[] = [];
  const legend: LegendItem[] = [];
  if (spec.bands?.ranges.length) {
    for (const b of spec.bands.ranges) {
      out.push(`<rect class="band" x="${px(sx(b.from))}" y="${px(box.top)}" width="${px(Math.max(1, sx(b.to) - sx(b.from)))}" height="${px(box.bottom - box.top)}"><title>${esc(b.tip)}</title></rect>`);
    }
    legend.push({ name: spec.bands.name, cls: 'band', shape: 'band' });
  }
  out.push(xAxisSvg(spec.x, sx, box), yAxisSvg(spec.y, sy, box, 'left'));
  if (spec.y2) out.push(yAxisSvg(spec.y2, sy2, box, 'right'));
  for (const r of spec.rules ?? []) {
    const y = px((r.axis === 'y2' ? sy2 : sy)(r.value));
    out.push(`<line class="rule" x1="${px(box.left)}" y1="${y}" x2="${px(box.right)}" y2="${y}"/>`,
      `<text class="rule-label" x="${px(box.right - 4)}" y="${y}" dy="-0.4em" text-anchor="end">${esc(r.label)}</text>`);
  }
  for (const s of spec.series) {
    const syS = s.axis === 'y2' ? sy2 : sy;
    const cls = esc(s.cls);
    const measured = s.points.filter((p) => p.shape !== 'cross');
    if (s.line !== false) {
      const d = linePath(measured.map((p) => [p.x, p.y] as const), sx, syS);
      if (d) out.push(`<path class="mark line ${cls}${s.dashed ? ' dashed' : ''}" d="${d}"><title>${esc(s.name)}</title></path>`);
    }
    if (s.dots !== false) {
      const r = measured.length > 30 ? 2.5 : 4;
      for (const p of s.points) out.push(pointSvg(p, sx(p.x), p.y === null ? null : syS(p.y), box, r, cls));
    }
    const shape: LegendShape = s.line === false ? 'dot' : s.dashed ? 'dashed' : 'line';
    legend.push({ name: s.name, cls: s.cls, shape });
  }
  legend.push(...(spec.legendExtra ?? []));
  out.push(legendSvg(legend, box));
  return figure(spec.chart, spec.title, XY_HEIGHT, out.join(''), spec.caption);
}

function pointSvg(p: XYPoint, x: number, y: number | null, box: Box, r: number, cls: string): string {
  const tip = `<title>${esc(p.tip)}</title>`;
  if (p.shape === 'cross') {
    // A failed point has no y: it is marked on the x axis at its setting.
    return `<path class="mark cross failed" d="M${px(x - 5)} ${px(box.bottom - 5)}l10 10m0 -10l-10 10">${tip}</path>`;
  }
  if (y === null) return '';
  if (p.shape === 'winner') {
    return `<circle class="winner" cx="${px(x)}" cy="${px(y)}" r="${r + 5}"/><circle class="mark dot ${cls}" cx="${px(x)}" cy="${px(y)}" r="${r + 1}">${tip}</circle>`;
  }
  return `<circle class="mark dot ${cls}" cx="${px(x)}" cy="${px(y)}" r="${r}">${tip}</circle>`;
}

/** One group of horizontal bars (e.g. an operation with p50, p95, p99). */
export interface BarGroup {
  /** Group name left of its bars (e.g. the operation), cut to 24 characters; hover shows it whole. */
  label: string;
  /** Its bars, top to bottom. */
  bars: Array<{
    /** Legend name (e.g. 'p95'): bars of the same name share one legend entry. */
    name: string;
    /** Colour class: s0…s3. */
    cls: string;
    /** Length, in the x axis's data units. */
    value: number;
    /** Hover text. */
    tip: string;
  }>;
}

/** Characters of a group label shown (the full label is in its <title>). */
const MAX_LABEL_CHARS = 24;

/** Horizontal grouped bars in a figure; `x` is the value axis. */
export function barChart(spec: { chart: string; title: string; caption?: string; x: Axis; groups: BarGroup[] }): string {
  const barH = 9;
  const groupH = (n: number): number => n * barH + 12;
  const top = 44;
  const height = top + spec.groups.reduce((a, g) => a + groupH(g.bars.length), 0) + 52;
  const box: Box = { left: 180, right: CHART_WIDTH - 24, top, bottom: height - 52 };
  const sx = scaleOf(spec.x, box.left, box.right);
  const out = [xAxisSvg(spec.x, sx, box)];
  const legend = new Map<string, LegendItem>();
  let y = box.top + 6;
  for (const g of spec.groups) {
    const label = g.label.length > MAX_LABEL_CHARS ? `${g.label.slice(0, MAX_LABEL_CHARS - 1)}…` : g.label;
    const mid = y + (g.bars.length * barH) / 2;
    out.push(`<text class="tick" x="${px(box.left - 8)}" y="${px(mid)}" dy="0.32em" text-anchor="end">${esc(label)}<title>${esc(g.label)}</title></text>`);
    for (const b of g.bars) {
      const w = Math.max(1, sx(Math.max(spec.x.min, b.value)) - box.left);
      out.push(`<path class="mark bar ${esc(b.cls)}" d="M${px(box.left)} ${px(y)}h${px(w)}v${barH - 1}h${px(-w)}Z"><title>${esc(b.tip)}</title></path>`);
      legend.set(b.name, { name: b.name, cls: b.cls, shape: 'bar' });
      y += barH;
    }
    y += 12;
  }
  out.push(`<line class="axis" x1="${px(box.left)}" y1="${px(box.top)}" x2="${px(box.left)}" y2="${px(box.bottom)}"/>`);
  out.push(legendSvg([...legend.values()], box));
  return figure(spec.chart, spec.title, height, out.join(''), spec.caption);
}

/** One row of a strip plot: a dot per sample and vertical markers (p50, p95). */
export interface StripRow {
  /** Row name left of it (e.g. 'ready'). */
  label: string;
  /** One dot per sample, jittered up and down the row. */
  dots: Array<{
    /** Position, in the x axis's data units. */
    value: number;
    /** Hover text. */
    tip: string;
    /** Drawn in the outlier colour (default false). */
    outlier?: boolean;
  }>;
  /** Vertical lines across the row (e.g. p50, p95). */
  markers: Array<{
    /** Position, in the x axis's data units. */
    value: number;
    /** Legend name: markers of the same name share one legend entry. */
    name: string;
    /** Colour class (e.g. 'p50', 'p95'). */
    cls: string;
    /** Hover text. */
    tip: string;
  }>;
}

/** A strip (dot) plot in a figure: one row per quantity, every sample shown. */
export function stripChart(spec: { chart: string; title: string; caption?: string; x: Axis; rows: StripRow[] }): string {
  const rowH = 56;
  const top = 44;
  const height = top + spec.rows.length * rowH + 52;
  const box: Box = { left: 120, right: CHART_WIDTH - 24, top, bottom: height - 52 };
  const sx = scaleOf(spec.x, box.left, box.right);
  const out = [xAxisSvg(spec.x, sx, box)];
  const legend: LegendItem[] = [{ name: 'run', cls: 's0', shape: 'dot' }, { name: 'outlier', cls: 'outlier', shape: 'dot' }];
  spec.rows.forEach((row, r) => {
    const mid = box.top + r * rowH + rowH / 2;
    out.push(`<text class="tick" x="${px(box.left - 8)}" y="${px(mid)}" dy="0.32em" text-anchor="end">${esc(row.label)}</text>`);
    row.dots.forEach((d, i) => {
      // Deterministic jitter (no randomness: the same result renders the same file).
      const jitter = (((i * 7919) % 13) / 12 - 0.5) * rowH * 0.5;
      out.push(`<circle class="mark dot ${d.outlier ? 'outlier' : 's0'}" cx="${px(sx(d.value))}" cy="${px(mid + jitter)}" r="3.5"><title>${esc(d.tip)}</title></circle>`);
    });
    for (const m of row.markers) {
      const x = px(sx(m.value));
      out.push(`<path class="mark marker ${esc(m.cls)}" d="M${x} ${px(mid - rowH * 0.42)}V${px(mid + rowH * 0.42)}"><title>${esc(m.tip)}</title></path>`);
      if (!legend.some((l) => l.name === m.name)) legend.push({ name: m.name, cls: m.cls, shape: 'line' });
    }
  });
  out.push(`<line class="axis" x1="${px(box.left)}" y1="${px(box.top)}" x2="${px(box.left)}" y2="${px(box.bottom)}"/>`);
  out.push(legendSvg(legend, box));
  return figure(spec.chart, spec.title, height, out.join(''), spec.caption);
}

/** Bars of p50, p95 and p99 per operation (latency in ms on the axis, µs in the tips); '' when no operation has a distribution. */
export function percentileBars(spec: { chart: string; title: string; caption: string; ops: ReadonlyArray<{ op: string; dist: Distribution | null }> }): string {
  const groups: BarGroup[] = [];
  for (const { op, dist } of spec.ops) {
    if (!dist) continue;
    const bar = (name: string, cls: string, us: number) => ({ name, cls, value: us / 1000, tip: `${op} ${name}: ${fmtUs(us)}` });
    groups.push({ label: op, bars: [bar('p50', 's0', dist.p50), bar('p95', 's1', dist.p95), bar('p99', 's2', dist.p99)] });
  }
  if (!groups.length) return '';
  return barChart({ chart: spec.chart, title: spec.title, caption: spec.caption, x: linearAxis('latency (ms)', groups.flatMap((g) => g.bars.map((b) => b.value)), fmtAxisNumber), groups });
}

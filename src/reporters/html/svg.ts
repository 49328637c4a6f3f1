/**
 * SVG building blocks of the report's charts: scales, "nice" ticks, axes, legend and the figure
 * around a chart. The charts are written by hand, in Node, rather than drawn in the browser by a
 * charting library, because then the page needs no script at all: its CSP can forbid scripts
 * entirely (script-src 'none'), so no string from an untrusted server can ever reach a script
 * context; the file stays small (no 40 KB+ library inlined), opens from disk offline, and prints
 * exactly as shown. Colours come from classes in the page's one <style> (never style attributes,
 * which the CSP would block).
 */
import { escapeHtml as esc } from './escape.js';

/** One labelled tick of an axis, in data units. */
export interface Tick {
  /** Position, in the axis's data units. */
  value: number;
  /** Text shown at it. */
  label: string;
}

/** An axis: its label, its domain in data units, its ticks, and whether it is logarithmic. */
export interface Axis {
  /** Axis title, with its unit (e.g. 'latency (ms)'). */
  label: string;
  /** Low end of the domain, in data units. */
  min: number;
  /** High end of the domain, in data units. */
  max: number;
  /** Labelled ticks, each with a grid line (none on a right y axis). */
  ticks: Tick[];
  /** Log scale (domain must be > 0). */
  log?: boolean;
}

/** Data value → pixel. */
export type Scale = (v: number) => number;

/** The plotting area inside the SVG, in px. */
export interface Box {
  /** Left edge (the y axis), px from the SVG's left. */
  left: number;
  /** Right edge (a right y axis, if any), px from the SVG's left. */
  right: number;
  /** Top edge, px from the SVG's top (the legend sits above it). */
  top: number;
  /** Bottom edge (the x axis), px from the SVG's top. */
  bottom: number;
}

/** Width of every chart's viewBox, px (scaled to the page width by CSS). */
export const CHART_WIDTH = 760;

/** A pixel coordinate written with one decimal (enough at this size, and keeps the file small). */
export const px = (v: number): string => (Math.round(v * 10) / 10).toString();

/** The scale of an axis onto the pixel range [r0, r1]. */
export function scaleOf(axis: Axis, r0: number, r1: number): Scale {
  const f = axis.log ? Math.log : (v: number) => v;
  const d0 = f(axis.min);
  const span = f(axis.max) - d0 || 1;
  return (v) => r0 + ((f(v) - d0) / span) * (r1 - r0);
}

/** Step of about `count` intervals over `span`: 1, 2 or 5 × 10^k (Heckbert's "nice numbers"). */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

/** A linear axis covering `values` (and 0 when `zero`), widened to nice bounds, with ~5 ticks. */
export function linearAxis(label: string, values: readonly number[], fmt: (v: number) => string, zero = true): Axis {
  const finite = values.filter(Number.isFinite);
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (zero) lo = Math.min(0, lo);
  if (hi <= lo) hi = lo + (Math.abs(lo) || 1);
  const step = niceStep(hi - lo, 5);
  const min = Math.floor(lo / step) * step;
  const max = Math.ceil(hi / step) * step;
  const ticks: Tick[] = [];
  // Index-based so float steps (0.1, 0.2…) do not accumulate error.
  for (let i = 0; min + i * step <= max + step / 1e6; i++) {
    const v = Math.round((min + i * step) / step) * step;
    ticks.push({ value: v, label: fmt(v) });
  }
  return { label, min, max, ticks };
}

/** Tick labels for milliseconds: no trailing zeros, at most 3 decimals. */
export const fmtAxisNumber = (v: number): string => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : String(Number(v.toFixed(3))));

/** The x axis: line, ticks, grid lines and labels along the bottom of `box`. */
export function xAxisSvg(axis: Axis, sx: Scale, box: Box): string {
  const out = [`<line class="axis" x1="${px(box.left)}" y1="${px(box.bottom)}" x2="${px(box.right)}" y2="${px(box.bottom)}"/>`];
  for (const t of axis.ticks) {
    const x = px(sx(t.value));
    out.push(`<line class="grid" x1="${x}" y1="${px(box.top)}" x2="${x}" y2="${px(box.bottom)}"/>`,
      `<line class="axis" x1="${x}" y1="${px(box.bottom)}" x2="${x}" y2="${px(box.bottom + 5)}"/>`,
      `<text class="tick" x="${x}" y="${px(box.bottom + 18)}" text-anchor="middle">${esc(t.label)}</text>`);
  }
  out.push(`<text class="axis-label" x="${px((box.left + box.right) / 2)}" y="${px(box.bottom + 38)}" text-anchor="middle">${esc(axis.label)}</text>`);
  return out.join('');
}

/** A y axis on the left (with grid lines) or the right of `box`. */
export function yAxisSvg(axis: Axis, sy: Scale, box: Box, side: 'left' | 'right' = 'left'): string {
  const x = side === 'left' ? box.left : box.right;
  const dir = side === 'left' ? -1 : 1;
  const anchor = side === 'left' ? 'end' : 'start';
  const out = [`<line class="axis" x1="${px(x)}" y1="${px(box.top)}" x2="${px(x)}" y2="${px(box.bottom)}"/>`];
  for (const t of axis.ticks) {
    const y = px(sy(t.value));
    if (side === 'left') out.push(`<line class="grid" x1="${px(box.left)}" y1="${y}" x2="${px(box.right)}" y2="${y}"/>`);
    out.push(`<line class="axis" x1="${px(x)}" y1="${y}" x2="${px(x + 5 * dir)}" y2="${y}"/>`,
      `<text class="tick" x="${px(x + 8 * dir)}" y="${y}" dy="0.32em" text-anchor="${anchor}">${esc(t.label)}</text>`);
  }
  const lx = x + dir * 50;
  const ly = (box.top + box.bottom) / 2;
  out.push(`<text class="axis-label" x="${px(lx)}" y="${px(ly)}" text-anchor="middle" transform="rotate(${side === 'left' ? -90 : 90} ${px(lx)} ${px(ly)})">${esc(axis.label)}</text>`);
  return out.join('');
}

/** How a legend entry is drawn. */
export type LegendShape = 'line' | 'dashed' | 'dot' | 'bar' | 'band' | 'cross' | 'winner';

/** One legend entry; `cls` is the series' colour class (s0…s3, band, failed…). */
export interface LegendItem {
  /** Text shown (cut to 40 characters). */
  name: string;
  /** Colour class of its swatch. */
  cls: string;
  /** How its swatch is drawn. */
  shape: LegendShape;
}

/** The legend, one row above the plotting area. */
export function legendSvg(items: readonly LegendItem[], box: Box): string {
  let x = box.left;
  const y = box.top - 16;
  const out: string[] = ['<g class="legend">'];
  for (const it of items) {
    const name = it.name.length > 40 ? `${it.name.slice(0, 39)}…` : it.name;
    const sw = swatch(it, x, y);
    out.push(sw, `<text class="legend-text" x="${px(x + 20)}" y="${px(y)}" dy="0.32em">${esc(name)}</text>`);
    // No text metrics in Node: ~6.6 px per character at the 11 px legend font.
    x += 30 + name.length * 6.6;
  }
  out.push('</g>');
  return out.join('');
}

function swatch(it: LegendItem, x: number, y: number): string {
  const c = esc(it.cls);
  switch (it.shape) {
    case 'line': return `<line class="swatch-line ${c}" x1="${px(x)}" y1="${px(y)}" x2="${px(x + 14)}" y2="${px(y)}"/>`;
    case 'dashed': return `<line class="swatch-line dashed ${c}" x1="${px(x)}" y1="${px(y)}" x2="${px(x + 14)}" y2="${px(y)}"/>`;
    case 'dot': return `<circle class="swatch-dot ${c}" cx="${px(x + 7)}" cy="${px(y)}" r="4"/>`;
    case 'winner': return `<circle class="winner" cx="${px(x + 7)}" cy="${px(y)}" r="5"/>`;
    case 'cross': return `<path class="swatch-cross ${c}" d="M${px(x + 3)} ${px(y - 4)}l8 8m0 -8l-8 8"/>`;
    case 'band': return `<rect class="${c}" x="${px(x)}" y="${px(y - 5)}" width="14" height="10"/>`;
    default: return `<rect class="swatch-bar ${c}" x="${px(x)}" y="${px(y - 5)}" width="14" height="10"/>`;
  }
}

/** A polyline path through points; a null y breaks the line (a gap where nothing was measured). */
export function linePath(points: ReadonlyArray<readonly [number, number | null]>, sx: Scale, sy: Scale): string {
  let d = '';
  let pen = false;
  for (const [x, y] of points) {
    if (y === null || !Number.isFinite(y)) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${px(sx(x))} ${px(sy(y))}`;
    pen = true;
  }
  return d;
}

/**
 * The figure around a chart: `data-chart` names it for tools and tests; the SVG's <title> is its
 * accessible name; the caption says what it shows in words.
 */
export function figure(chart: string, title: string, height: number, body: string, caption?: string): string {
  return `<figure class="chart" data-chart="${esc(chart)}">` +
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART_WIDTH} ${px(height)}" role="img">` +
    `<title>${esc(title)}</title>${body}</svg>` +
    `<figcaption>${esc(caption ?? title)}</figcaption></figure>`;
}

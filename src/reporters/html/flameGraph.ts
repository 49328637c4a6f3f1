/**
 * The flame graph of a profile's folded call tree, as one self-contained SVG: no script, no
 * external resource, no <style> and no style attribute (the page's CSP forbids both), so it opens
 * alone as well as inside the report. Drawn as an icicle, top-down: the root ('all', busy time) is
 * the top row and each row below holds the callees of the row above, so a frame sits under its
 * caller. A frame's width is its inclusive time (totalMs) over the root's; callees are laid out
 * left to right, widest first, as the result lists them.
 *
 * Colours are SVG presentation attributes (fill="hsl(…)"), as Brendan Gregg's flamegraph.pl
 * writes them, rather than classes of the page's style sheet: the SVG must carry its own colours
 * to stand alone, and a presentation attribute is not a style attribute, so the CSP allows it.
 * Every colour is computed from numbers here; no server string reaches an attribute.
 */
import type { FlameNode } from '../../result/profileResult.js';
import { stripControl } from '../../util/controlChars.js';
import { fmtNum } from '../format.js';
import { escapeHtml as esc } from './escape.js';
import { CHART_WIDTH, px } from './svg.js';

/** Rows drawn at most; deeper frames are left out (results keep up to 64 levels; a deep recursion would make the graph a tower). */
export const FLAME_GRAPH_MAX_DEPTH = 32;
/** Height of one row, px of the viewBox. */
export const FLAME_ROW_HEIGHT = 18;
/** Frames narrower than this are not drawn (nor their callees), px: below it nothing is visible or hoverable. */
export const FLAME_MIN_WIDTH_PX = 0.5;
/** Width of one label character at the 11 px font, px (no text metrics in Node; as legendSvg assumes). */
const CHAR_PX = 6.6;
/** Space kept free at each side of a label, px. */
const LABEL_PAD_PX = 3;
/** Fewest characters worth a label; a narrower frame is left for its tooltip. */
const MIN_LABEL_CHARS = 3;

/** How the flame graph is drawn. */
export interface FlameGraphOptions {
  /** Width of the viewBox, px (the SVG scales to 100 % of its container); default CHART_WIDTH. */
  width?: number;
  /** Height of one row, px; default FLAME_ROW_HEIGHT. */
  rowHeight?: number;
  /** Rows drawn at most (the root is row 1); default FLAME_GRAPH_MAX_DEPTH. */
  maxDepth?: number;
  /** Frames narrower than this are not drawn, px; default FLAME_MIN_WIDTH_PX. */
  minWidthPx?: number;
  /** The SVG's <title>, its accessible name; default 'CPU flame graph'. */
  title?: string;
}

/** What a frame's package is, for its colour: the server's code, Node, a V8 pseudo-frame, the root, or a dependency. */
export type FrameKind = 'yours' | 'runtime' | 'pseudo' | 'root' | 'package';

/** The kind of a FlameNode's `package`: '(your code)', '(runtime)', '(garbage collector)'…, '' (the root), or an npm name. */
export function frameKind(pkg: string): FrameKind {
  if (pkg === '(your code)') return 'yours';
  if (pkg === '(runtime)') return 'runtime';
  if (pkg === '') return 'root';
  return pkg.startsWith('(') ? 'pseudo' : 'package';
}

/** 32-bit FNV-1a of a string: the same package gets the same hue in every report. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Fill of a frame of package `pkg`: your code warm orange, Node grey, V8 pseudo-frames a darker
 * grey, the root a pale grey, and each dependency a hue of its own from its name's hash, kept out
 * of the orange–red band (330°–90°) so no package reads as your code.
 */
export function frameFill(pkg: string): string {
  switch (frameKind(pkg)) {
    case 'yours': return 'hsl(28,90%,62%)';
    case 'runtime': return 'hsl(0,0%,74%)';
    case 'pseudo': return 'hsl(0,0%,62%)';
    case 'root': return 'hsl(220,12%,88%)';
    default: return `hsl(${90 + (fnv1a(pkg) % 240)},55%,68%)`;
  }
}

/** A number from a result that may be damaged: finite and not negative, else 0. */
const ms = (v: number): number => (Number.isFinite(v) && v > 0 ? v : 0);

/** A label that fits `widthPx`: the whole frame, or its start and '…'; '' when too narrow for MIN_LABEL_CHARS. */
function label(frame: string, widthPx: number): string {
  const room = Math.floor((widthPx - 2 * LABEL_PAD_PX) / CHAR_PX);
  if (room < MIN_LABEL_CHARS) return '';
  // Code points, so a cut never splits a surrogate pair.
  const chars = Array.from(stripControl(frame));
  return chars.length <= room ? chars.join('') : `${chars.slice(0, room - 1).join('')}…`;
}

/** Rows the tree needs: its depth, at most `cap`. */
function depthOf(node: FlameNode, cap: number): number {
  if (cap <= 1 || !node.children.length) return 1;
  return 1 + Math.max(...node.children.map((c) => depthOf(c, cap - 1)));
}

/**
 * The flame graph of `root` as an SVG string (icicle, root on top). Each frame is a
 * <g class="fg-frame fg-<kind>"> holding a <title> tooltip ('frame — X ms (Y %)', Y of the root's
 * time), its <rect> and, when wide enough, a clipped <text> label. Every frame name and package
 * is escaped; the graph is at most `maxDepth` rows tall.
 */
export function flameGraphSvg(root: FlameNode, opts: FlameGraphOptions = {}): string {
  const width = opts.width ?? CHART_WIDTH;
  const rowH = opts.rowHeight ?? FLAME_ROW_HEIGHT;
  const maxDepth = Math.max(1, Math.floor(opts.maxDepth ?? FLAME_GRAPH_MAX_DEPTH));
  const minW = opts.minWidthPx ?? FLAME_MIN_WIDTH_PX;
  const total = ms(root.totalMs);
  const rows = total > 0 ? depthOf(root, maxDepth) : 1;
  const height = rows * rowH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="flame-graph" viewBox="0 0 ${px(width)} ${px(height)}" width="100%" role="img" font-family="system-ui,sans-serif" font-size="11">`,
    `<title>${esc(opts.title ?? 'CPU flame graph')}</title>`,
  ];
  if (total <= 0) {
    out.push(`<text x="${px(width / 2)}" y="${px(height / 2)}" dy="0.32em" text-anchor="middle">No busy samples to draw.</text></svg>`);
    return out.join('');
  }
  const scale = width / total;
  const draw = (node: FlameNode, depth: number, x: number, w: number): void => {
    const kind = frameKind(node.package);
    const pct = (ms(node.totalMs) / total) * 100;
    const tip = `${node.frame} — ${fmtNum(ms(node.totalMs))} ms (${fmtNum(pct, 1)} %)\n${node.package || 'all samples'}, self ${fmtNum(ms(node.selfMs))} ms`;
    const y = depth * rowH;
    const text = label(node.frame, w);
    out.push(`<g class="fg-frame fg-${kind}"><title>${esc(tip)}</title>` +
      `<rect x="${px(x)}" y="${px(y)}" width="${px(w)}" height="${px(rowH - 1)}" fill="${frameFill(node.package)}" stroke="#fff" stroke-width="0.5"/>` +
      (text ? `<text x="${px(x + LABEL_PAD_PX)}" y="${px(y + (rowH - 1) / 2)}" dy="0.32em" fill="#111827">${esc(text)}</text>` : '') + '</g>');
    if (depth + 1 >= maxDepth) return;
    let cursor = x;
    for (const child of node.children) {
      // Rounding (results keep 0.01 ms) can make callees add up to a hair more than their caller: never past its right edge.
      const cw = Math.min(ms(child.totalMs) * scale, x + w - cursor);
      if (cw >= minW) draw(child, depth + 1, cursor, cw);
      cursor += Math.max(0, cw);
    }
  };
  draw(root, 0, 0, width);
  out.push('</svg>');
  return out.join('');
}

/**
 * The flame graph SVG, parsed back: each frame's rectangle is as wide as its share of the root's
 * time, sits under its caller one row down, carries its tooltip and its package's colour; the
 * graph stays within its depth cap; and a hostile frame name or package stays text.
 */
import { describe, expect, it } from 'vitest';
import type { FlameNode } from '../../src/result/profileResult.js';
import { FLAME_ROW_HEIGHT, flameGraphSvg, frameFill } from '../../src/reporters/html/flameGraph.js';
import { CHART_WIDTH } from '../../src/reporters/html/svg.js';
import { flameFixture, HOSTILE, hostileProfile, node } from './fixtures/profile.js';

/** One drawn frame, read back from the SVG. */
interface Drawn {
  tip: string;
  cls: string;
  x: number;
  y: number;
  width: number;
  fill: string;
  label: string | null;
}

/** Every <g class="fg-frame …"> of the SVG, in document order. */
function frames(svg: string): Drawn[] {
  const re = /<g class="([^"]+)"><title>([^<]*)<\/title><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="[\d.]+" fill="([^"]+)"[^>]*\/>(?:<text[^>]*>([^<]*)<\/text>)?<\/g>/g;
  return [...svg.matchAll(re)].map((m) => ({ cls: m[1]!, tip: m[2]!, x: Number(m[3]), y: Number(m[4]), width: Number(m[5]), fill: m[6]!, label: m[7] ?? null }));
}

/** Every node of a tree with its depth, depth-first in drawing order. */
function walk(n: FlameNode, depth = 0): Array<{ n: FlameNode; depth: number }> {
  return [{ n, depth }, ...n.children.flatMap((c) => walk(c, depth + 1))];
}

describe('flameGraphSvg', () => {
  const root = flameFixture();
  const svg = flameGraphSvg(root);
  const drawn = frames(svg);

  it('draws every frame with a width proportional to its totalMs, one row per depth, root on top', () => {
    const nodes = walk(root);
    expect(drawn).toHaveLength(nodes.length);
    nodes.forEach(({ n, depth }, i) => {
      const d = drawn[i]!;
      expect(d.tip.startsWith(`${n.frame} — `)).toBe(true);
      // px() keeps one decimal: within 0.05 px of the exact width.
      expect(Math.abs(d.width - (n.totalMs / root.totalMs) * CHART_WIDTH)).toBeLessThanOrEqual(0.051);
      expect(d.y).toBe(depth * FLAME_ROW_HEIGHT);
    });
    expect(drawn[0]).toMatchObject({ x: 0, y: 0, width: CHART_WIDTH });
    expect(svg).toContain(`viewBox="0 0 ${CHART_WIDTH} ${5 * FLAME_ROW_HEIGHT}"`);
    expect(svg).toContain('width="100%"');
  });

  it('lays callees left to right inside their caller', () => {
    // main (3000 ms) then processTicksAndRejections (800) then GC (200) across the second row.
    const row1 = drawn.filter((d) => d.y === FLAME_ROW_HEIGHT);
    expect(row1.map((d) => d.x)).toEqual([0, 570, 722]);
    const serialize = drawn.find((d) => d.tip.startsWith('serializeMessage'))!;
    const handle = drawn.find((d) => d.tip.startsWith('handleCall'))!;
    expect(serialize.x).toBeCloseTo(handle.x + handle.width, 1);
  });

  it("titles each frame 'frame — X ms (Y %)', Y of the root's time", () => {
    expect(drawn.find((d) => d.tip.startsWith('searchIndex'))!.tip).toBe('searchIndex (/srv/app/src/search.js:42) — 1500 ms (37.5 %)\n(your code), self 1300 ms');
    expect(drawn[0]!.tip).toBe('all — 4000 ms (100 %)\nall samples, self 0 ms');
  });

  it('colours your code one hue, the runtime grey, and each package a stable hue of its own', () => {
    const fillOf = (prefix: string): string[] => drawn.filter((d) => d.tip.startsWith(prefix)).map((d) => d.fill);
    expect(new Set(fillOf('ZodObject._parse'))).toEqual(new Set([frameFill('zod')]));
    expect(fillOf('ZodObject._parse')).toHaveLength(2);
    expect(fillOf('searchIndex')).toEqual(fillOf('main'));
    expect(fillOf('writeSync')[0]).toMatch(/^hsl\(0,0%,\d+%\)$/);
    expect(frameFill('zod')).not.toBe(frameFill('@modelcontextprotocol/sdk'));
    expect(frameFill('zod')).toBe(frameFill('zod'));
    expect(drawn.find((d) => d.tip.startsWith('main'))!.cls).toBe('fg-frame fg-yours');
  });

  it('labels a wide frame in full and cuts a narrower one with an ellipsis', () => {
    expect(drawn[0]!.label).toBe('all');
    expect(drawn.find((d) => d.tip.startsWith('main'))!.label).toBe('main (/srv/app/src/server.js:10)');
    // GC is 38 px wide: 4 characters and an ellipsis.
    expect(drawn.find((d) => d.tip.startsWith('(garbage collector)'))!.label).toBe('(ga…');
    const narrow = flameGraphSvg(node('all', '', 1000, 0, [node('tiny (x.js:1)', '(your code)', 20, 20)]));
    expect(frames(narrow)[1]!.label).toBeNull();
  });

  it('stays within its depth cap and leaves out frames too narrow to see', () => {
    let deep = node('leaf', '(your code)', 100, 100);
    for (let i = 0; i < 200; i++) deep = node(`f${i}`, '(your code)', 100, 0, [deep]);
    const capped = flameGraphSvg(node('all', '', 100, 0, [deep]), { maxDepth: 10 });
    expect(frames(capped)).toHaveLength(10);
    expect(capped).toContain(`viewBox="0 0 ${CHART_WIDTH} ${10 * FLAME_ROW_HEIGHT}"`);
    const thin = flameGraphSvg(node('all', '', 1_000_000, 0, [node('wide', 'x', 999_000, 999_000), node('thin', 'x', 100, 100, [node('under', 'x', 100, 100)])]));
    expect(frames(thin).map((d) => d.tip.split(' — ')[0])).toEqual(['all', 'wide']);
  });

  it('says so when nothing was busy', () => {
    expect(flameGraphSvg(node('all', '', 0, 0))).toContain('No busy samples to draw.');
  });

  it('keeps hostile frame names and packages as escaped text', () => {
    const out = flameGraphSvg(hostileProfile().summary!.flame!);
    expect(frames(out).length).toBeGreaterThan(5);
    expect(out).not.toContain(HOSTILE.script);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;onload=&quot;alert(2)a&amp;b');
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e]/);
    // Every tag is one the graph writes, with only quoted, tag-free attribute values.
    for (const tag of out.match(/<[^>]*>/g)!) {
      expect(tag).toMatch(/^<\/?(svg|title|g|rect|text)(\s+[a-zA-Z-]+="[^"<>]*")*\s*\/?>$/);
      expect(tag).not.toMatch(/\son\w+=/i);
    }
  });
});

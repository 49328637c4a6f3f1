import { describe, expect, it } from 'vitest';
import { renderAsciiChart } from '../../src/reporters/asciiChart.js';

const ANSI = /\u001b\[/;
const rps = { label: 'req/s', values: [412, 799, 1422, 1502] };
const p95 = { label: 'p95 ms', values: [61.4, 66.2, 81.7, 134.9] };

/** Row (0 = top) of the first line holding `marker` in column `x`. */
function rowOf(chart: string, marker: string): number {
  return chart.split('\n').findIndex((l) => l.includes(marker));
}

describe('renderAsciiChart', () => {
  it('draws each series scaled to its own max, with a legend giving each max', () => {
    const out = renderAsciiChart(['1', '2', '4', '8'], [rps, p95], { color: false });
    const lines = out.split('\n');
    expect(lines).toHaveLength(10 + 3); // plot rows, axis, x labels, legend
    expect(lines[0]).toContain('100%');
    expect(lines[0]).toContain('●'); // 1502 is rps' max
    expect(lines[0]).toContain('▲'); // 134.9 is p95's max
    expect(lines[9]).toContain('0%');
    expect(lines.at(-1)).toBe('      ● req/s (max 1502)   ▲ p95 ms (max 134.9)');
    expect(lines[11]!.trim().split(/\s+/)).toEqual(['1', '2', '4', '8']);
  });

  it('honours the height', () => {
    expect(renderAsciiChart(['a', 'b'], [rps], { color: false, height: 4 }).split('\n')).toHaveLength(4 + 3);
  });

  it('marks the highlighted column under the axis', () => {
    const lines = renderAsciiChart(['1', '2', '4', '8'], [rps, p95], { color: false, highlight: 2 }).split('\n');
    const labels = lines[11]!;
    const marks = lines[12]!;
    expect(marks.indexOf('^')).toBe(labels.indexOf('4'));
    expect(lines.at(-1)).toContain('^ winner');
  });

  it('draws nothing for a null and marks it x under the axis', () => {
    const out = renderAsciiChart(['1', '2', '4'], [{ label: 'req/s', values: [10, null, 20] }], { color: false, highlightLabel: 'best' });
    const lines = out.split('\n');
    expect(out.match(/●/g)).toHaveLength(2 + 1); // two points plus the legend
    expect(lines[12]!.indexOf('x')).toBe(lines[11]!.indexOf('2'));
    expect(lines.at(-1)).toContain('x failed');
  });

  it('draws a single point at the top', () => {
    const out = renderAsciiChart(['4'], [{ label: 'req/s', values: [900] }], { color: false, highlight: 0 });
    expect(rowOf(out, '●')).toBe(0);
    expect(out).toContain('(max 900)');
  });

  it('draws an all-zero series on the bottom row', () => {
    const out = renderAsciiChart(['1', '2'], [{ label: 'errors %', values: [0, 0] }], { color: false });
    expect(rowOf(out, '●')).toBe(9);
    expect(out).toContain('(max 0)');
  });

  it('shows an all-null series with no max', () => {
    const out = renderAsciiChart(['1', '2'], [{ label: 'req/s', values: [null, null] }], { color: false });
    expect(out).toContain('(max –)');
    expect(out.match(/●/g)).toHaveLength(1);
  });

  it('keeps markers of two series in the same cell apart', () => {
    const out = renderAsciiChart(['1'], [{ label: 'a', values: [5] }, { label: 'b', values: [7] }], { color: false });
    expect(out.split('\n')[0]).toContain('●▲');
  });

  it('strips escape sequences from labels', () => {
    const out = renderAsciiChart(['\u001b[31m4\u0007'], [{ label: 'r\u001b[1mps', values: [1] }], { color: false });
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(out).toContain('rps (max 1)');
  });

  it('uses ANSI only when colour is on, and is deterministic', () => {
    const args = [['1', '2'], [rps, p95], { highlight: 1 }] as const;
    expect(renderAsciiChart(args[0], args[1], { ...args[2], color: true })).toMatch(ANSI);
    const a = renderAsciiChart(args[0], args[1], { ...args[2], color: false });
    expect(a).not.toMatch(ANSI);
    expect(renderAsciiChart(args[0], args[1], { ...args[2], color: false })).toBe(a);
  });

  it('refuses more series than it has markers', () => {
    const s = { label: 's', values: [1] };
    expect(() => renderAsciiChart(['1'], [s, s, s, s, s], { color: false })).toThrow(RangeError);
  });
});

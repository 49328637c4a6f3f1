/**
 * The .cpuprofile reader: shape checks that say what is wrong, sample timestamps and weights
 * (time to the next sample, the median interval for the last), and selection by time windows
 * ([start, end), merged, any order).
 */
import { describe, expect, it } from 'vitest';
import { callTree, inWindows, mergeWindows, parseCpuProfile, sampleTimes, samplesInWindows, stackOf } from '../../src/profile/cpuProfile.js';
import { fn, mod, profileOf } from './fakeProfile.js';

const A = [mod('file:///srv/a.js'), fn('a', 'file:///srv/a.js', 3)];
const B = [mod('file:///srv/a.js'), fn('b', 'file:///srv/a.js', 9)];

describe('parseCpuProfile', () => {
  it('reads what V8 writes, numeric scriptIds and missing children included', () => {
    const text = JSON.stringify({
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', scriptId: 0, url: '', lineNumber: -1, columnNumber: -1 }, hitCount: 0, children: [2] },
        { id: 2, callFrame: { functionName: 'work', scriptId: '12', url: 'file:///srv/x.js', lineNumber: 4, columnNumber: 2 }, hitCount: 2 },
      ],
      startTime: 100, endTime: 400, samples: [2, 2], timeDeltas: [50, 100],
    });
    const p = parseCpuProfile(text);
    expect(p.nodes[0]!.callFrame.scriptId).toBe('0');
    expect(p.nodes[1]!.children).toEqual([]);
    expect(p.nodes[1]!.hitCount).toBe(2);
    expect(p.samples).toEqual([2, 2]);
  });

  it('round-trips a built profile', () => {
    const p = profileOf([A, B]);
    expect(parseCpuProfile(JSON.stringify(p))).toEqual(p);
  });

  it.each([
    ['not json', /not JSON/],
    ['[]', /expected a JSON object/],
    ['{"traceEvents":[]}', /"nodes" is missing/],
    ['{"nodes":[{"id":1}],"startTime":0,"endTime":1,"samples":[],"timeDeltas":[]}', /node 0 has no id or no callFrame/],
    ['{"nodes":[{"id":1,"callFrame":{"functionName":"","url":"","lineNumber":0}}],"startTime":0,"endTime":1,"samples":[1],"timeDeltas":[]}', /differ in length/],
    ['{"nodes":[{"id":1,"callFrame":{"functionName":"","url":"","lineNumber":0}}],"startTime":0,"endTime":1,"samples":[2],"timeDeltas":[1]}', /unknown node 2/],
    ['{"nodes":[{"id":1,"callFrame":{"functionName":"","url":"","lineNumber":0},"children":[5]}],"startTime":0,"endTime":1}', /unknown child 5/],
    ['{"nodes":[{"id":1,"callFrame":{"functionName":"","url":"","lineNumber":0}}],"startTime":"0","endTime":1}', /"startTime" and "endTime"/],
  ])('rejects %s with a clear message', (text, message) => {
    expect(() => parseCpuProfile(text)).toThrow(message);
    expect(() => parseCpuProfile(text)).toThrow(/CPU profile/);
  });
});

describe('sampleTimes', () => {
  it('stamps each sample at start + the running sum of deltas and weighs it by the gap to the next one', () => {
    const p = profileOf([{ stack: A, deltaUs: 500 }, { stack: B, deltaUs: 1000 }, { stack: A, deltaUs: 3000 }, { stack: B, deltaUs: 1000 }], { startTime: 10_000 });
    const s = sampleTimes(p);
    expect(s.map((x) => x.atUs)).toEqual([10_500, 11_500, 14_500, 15_500]);
    // The last sample has no successor: it weighs the median of the intervals between samples (1000, 3000, 1000).
    expect(s.map((x) => x.weightUs)).toEqual([1000, 3000, 1000, 1000]);
  });

  it('weighs a reordered sample (negative delta) as nothing instead of subtracting time', () => {
    const p = profileOf([{ stack: A, deltaUs: 100 }, { stack: B, deltaUs: -20 }, { stack: A, deltaUs: 200 }]);
    expect(sampleTimes(p).map((x) => x.weightUs)).toEqual([0, 200, 90]);
  });
});

describe('windows', () => {
  const p = profileOf([A, A, A, A, A, A, A, A, A, A], { startTime: 0, intervalUs: 1000 }); // samples at 1000 … 10000

  it('keeps samples at the start of a window and drops those at its end', () => {
    const at = samplesInWindows(p, [[2000, 4000]]).map((s) => s.atUs);
    expect(at).toEqual([2000, 3000]);
  });

  it('merges overlapping windows and accepts them in any order', () => {
    expect(mergeWindows([[7000, 9000], [1000, 3000], [2500, 4000], [5000, 5000]])).toEqual([[1000, 4000], [7000, 9000]]);
    const at = samplesInWindows(p, [[7000, 9000], [1000, 3000], [2500, 4000]]).map((s) => s.atUs);
    expect(at).toEqual([1000, 2000, 3000, 7000, 8000]);
  });

  it('selects every sample without windows and none with an empty list', () => {
    expect(samplesInWindows(p)).toHaveLength(10);
    expect(samplesInWindows(p, [])).toHaveLength(0);
  });

  it('finds a time among thousands of windows', () => {
    const many = mergeWindows(Array.from({ length: 5000 }, (_, i) => [i * 10, i * 10 + 5] as [number, number]));
    expect(inWindows(12_343, many)).toBe(true);
    expect(inWindows(12_346, many)).toBe(false);
    expect(inWindows(-1, many)).toBe(false);
  });
});

describe('callTree', () => {
  it('gives a sample\'s stack from the root down', () => {
    const p = profileOf([A]);
    const tree = callTree(p);
    expect(stackOf(tree, p.samples[0]!).map((f) => f.functionName)).toEqual(['(root)', '', 'a']);
  });
});

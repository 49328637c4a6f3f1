import { describe, expect, it } from 'vitest';
import { choose, meets, summarize, type Candidate, type ChoiceObjective } from '../../../src/runners/tune/choose.js';

const objective = (kind: ChoiceObjective['kind'] = 'max-throughput'): ChoiceObjective => ({ kind, thresholdUs: 100_000, statLabel: 'p95', maxErrorPct: 1 });
const opts = { maxRepeats: 3, noiseFloorPct: 3 };

/** A candidate at pool 1 and `concurrency` with one run per throughput given (p95 and errors fixed). */
function cand(index: number, concurrency: number, throughputs: number[], statUs = 50_000, errorRatePct = 0, ok = true): Candidate {
  return {
    index,
    ok,
    runs: throughputs.map((throughput) => ({ throughput, statUs, errorRatePct })),
    cost: [1, concurrency],
    label: `pool 1, concurrency ${concurrency}`,
  };
}

describe('summarize and meets', () => {
  it('takes medians over runs', () => {
    expect(summarize([
      { throughput: 100, statUs: 5, errorRatePct: 0 },
      { throughput: 300, statUs: 9, errorRatePct: 2 },
      { throughput: 200, statUs: 7, errorRatePct: 1 },
    ])).toEqual({ throughput: 200, statUs: 7, errorRatePct: 1 });
    expect(summarize([{ throughput: 100, statUs: 4, errorRatePct: 0 }, { throughput: 200, statUs: 8, errorRatePct: 1 }])).toEqual({ throughput: 150, statUs: 6, errorRatePct: 0.5 });
  });

  it('needs an ok point within the SLO and the error limit', () => {
    expect(meets(cand(0, 1, [100]), objective())).toBe(true);
    expect(meets(cand(0, 1, [100], 100_001), objective())).toBe(false);
    expect(meets(cand(0, 1, [100], 50_000, 1.5), objective())).toBe(false);
    expect(meets(cand(0, 1, [100], 50_000, 0, false), objective())).toBe(false);
    expect(meets(cand(0, 1, []), objective())).toBe(false);
  });
});

describe('choose: max-throughput', () => {
  it('picks a clear winner, separated, and explains the margin over the noise', () => {
    const c = choose([cand(0, 2, [500]), cand(1, 4, [1230]), cand(2, 8, [1000])], objective(), opts);
    expect(c).toMatchObject({ winner: 1, runnerUp: 2, meetsSlo: true, separated: true, repeat: [] });
    expect(c.explanation[0]).toBe('pool 1, concurrency 4 gives the highest throughput meeting "p95 ≤ 100 ms" with errors ≤ 1%: 1,230 req/s at p95 50 ms.');
    expect(c.explanation[1]).toBe('+23% throughput over the runner-up pool 1, concurrency 8, beyond the ±3% noise.');
  });

  it('asks for repeats when the top two are within noise', () => {
    const c = choose([cand(0, 4, [1000]), cand(1, 8, [1020]), cand(2, 2, [500])], objective(), opts);
    expect(c.separated).toBe(false);
    expect(c.repeat).toEqual([1, 0]);
    expect(c.explanation.join(' ')).toMatch(/within the measured noise \(±3%\); both are measured again/);
  });

  it('uses the spread between runs as the noise when it exceeds the floor', () => {
    // concurrency 8 beats 4 by 8%, but its own runs spread by 20%: not a clear win.
    const c = choose([cand(0, 4, [1000, 1000]), cand(1, 8, [1080, 980, 1180])], objective(), opts);
    expect(c.repeat).toEqual([1, 0]);
  });

  it('after maxRepeats, recommends the cheapest point within noise of the best and says so', () => {
    const c = choose([cand(0, 4, [1000, 990, 1010]), cand(1, 8, [1020, 1030, 1010]), cand(2, 16, [1025, 1020, 1030]), cand(3, 2, [600, 600, 600])], objective(), opts);
    expect(c).toMatchObject({ winner: 0, runnerUp: 2, separated: false, repeat: [], meetsSlo: true });
    expect(c.explanation.join(' ')).toMatch(/pool 1, concurrency 16, pool 1, concurrency 8 and pool 1, concurrency 4 are within the measured noise \(±3%\); the cheapest, pool 1, concurrency 4, is recommended/);
  });

  it('says "the cheaper one" when two points tie', () => {
    const c = choose([cand(0, 8, [1000, 1000, 1000]), cand(1, 4, [990, 990, 990])], objective(), opts);
    expect(c.winner).toBe(1);
    expect(c.explanation.join(' ')).toMatch(/pool 1, concurrency 8 and pool 1, concurrency 4 are within the measured noise \(±3%\); the cheaper one is recommended/);
  });

  it('never chooses a failed point, however fast', () => {
    const c = choose([cand(0, 4, [1000]), cand(1, 8, [9000], 50_000, 0, false)], objective(), opts);
    expect(c.winner).toBe(0);
    expect(c.explanation.join(' ')).toMatch(/only point that met/);
    expect(c.explanation.join(' ')).toMatch(/Of 2 points, 1 failed and 0 missed/);
  });

  it('returns no winner when every point failed', () => {
    const c = choose([cand(0, 4, [], 0, 0, false), cand(1, 8, [100], 1, 0, false)], objective(), opts);
    expect(c).toMatchObject({ winner: null, meetsSlo: false, repeat: [] });
    expect(c.explanation[0]).toMatch(/No point completed/);
  });

  it('when none meets the SLO, names the closest by latency with meetsSlo false', () => {
    const c = choose([cand(0, 4, [1000], 180_000), cand(1, 8, [1500], 130_000), cand(2, 16, [2000], 250_000)], objective(), opts);
    expect(c).toMatchObject({ winner: 1, meetsSlo: false, repeat: [] });
    expect(c.explanation[0]).toMatch(/^No point met "p95 ≤ 100 ms" with errors ≤ 1%; the closest is pool 1, concurrency 8 at p95 130 ms/);
  });

  it('when every point breaks the error limit, names the one with fewest errors', () => {
    const c = choose([cand(0, 4, [1000], 10_000, 5), cand(1, 8, [1500], 9_000, 2.5)], objective(), opts);
    expect(c).toMatchObject({ winner: 1, meetsSlo: false });
    expect(c.explanation[0]).toMatch(/the closest is pool 1, concurrency 8 at 2.5% errors/);
  });
});

describe('choose: min-p95', () => {
  it('ranks by the lowest statistic and explains the margin', () => {
    const c = choose([cand(0, 4, [500], 40_000), cand(1, 8, [500], 30_000), cand(2, 2, [500], 60_000)], objective('min-p95'), opts);
    expect(c).toMatchObject({ winner: 1, runnerUp: 0, separated: true, meetsSlo: true });
    expect(c.explanation[0]).toMatch(/lowest p95, 30 ms/);
    expect(c.explanation[1]).toBe('p95 25% lower than the runner-up pool 1, concurrency 4, beyond the ±3% noise.');
  });

  it('reports meetsSlo false when even the lowest p95 is over the threshold', () => {
    const c = choose([cand(0, 4, [500], 140_000), cand(1, 8, [500], 120_000)], objective('min-p95'), opts);
    expect(c).toMatchObject({ winner: 1, meetsSlo: false });
  });
});

describe('choose: min-instances', () => {
  it('picks the cheapest point meeting the SLO, however fast the others are', () => {
    const c = choose([cand(0, 8, [2000], 20_000), cand(1, 2, [600], 90_000), cand(2, 1, [300], 150_000)], objective('min-instances'), opts);
    expect(c).toMatchObject({ winner: 1, runnerUp: 0, separated: true, meetsSlo: true, repeat: [] });
    expect(c.explanation[0]).toMatch(/pool 1, concurrency 2 is the cheapest setting meeting "p95 ≤ 100 ms"/);
  });

  it('breaks cost ties by the lower statistic and flags a winner at the edge of the SLO', () => {
    const a = { ...cand(0, 2, [600], 98_000), cost: [1, 2] };
    const b = { ...cand(1, 2, [600], 80_000), cost: [1, 2] };
    const c = choose([a, b], objective('min-instances'), opts);
    expect(c.winner).toBe(1);
    const edge = choose([a, cand(2, 4, [900], 50_000)], objective('min-instances'), opts);
    expect(edge.winner).toBe(0);
    expect(edge.explanation.join(' ')).toMatch(/within the measured noise \(±3%\) of the SLO/);
  });
});

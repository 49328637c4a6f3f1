import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TuneResult } from '../../src/result/tuneResult.js';
import { describeSettings, renderTuneTable } from '../../src/reporters/tuneTable.js';
import { incompleteTune, knob, noSloTune, okPoint, oneKnobTune, twoKnobTune } from './tuneResults.js';
import { expectGolden as expectGoldenFile } from '../helpers/golden.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');

/** Compare with golden/<name>.txt. */
function expectGolden(name: string, actual: string): void {
  expectGoldenFile(join(GOLDEN_DIR, `${name}.txt`), actual);
}

const plain = (r: TuneResult): string => renderTuneTable(r, { color: false });

describe('renderTuneTable golden output (color off)', () => {
  it('renders a one-knob grid tune with a USL model and a winner', () => expectGolden('tune-one-knob', plain(oneKnobTune())));
  it('renders a two-knob tune, charting the swept knob at the recommended pool', () => expectGolden('tune-two-knobs', plain(twoKnobTune())));
  it('renders a tune where no point meets the SLO and one point failed', () => expectGolden('tune-no-slo', plain(noSloTune())));
  it('renders an incomplete guided tune', () => expectGolden('tune-incomplete', renderTuneTable(incompleteTune(), { color: false, resultFile: 'mcp-opt-results/tune.json' })));
});

describe('renderTuneTable', () => {
  it('marks the recommended row with a star', () => {
    const row = plain(oneKnobTune()).split('\n').find((l) => l.includes('│ ★'));
    expect(row).toContain('1422');
  });

  it('says so in words when the recommendation is met', () => {
    expect(plain(twoKnobTune())).toContain('Recommended: pool 2, concurrency 4 (781 req/s, p95 9.10 ms)');
    expect(plain(oneKnobTune())).toContain('Recommended: env WORKERS=4');
  });

  it('names the closest point when no point meets the SLO', () => {
    expect(plain(noSloTune())).toContain('No point met p99 < 50 ms with errors ≤ 1%; closest: file server.json#/pool/max=8');
  });

  it('shows a failed point with the first line of its error, cut to 40 characters at a word boundary', () => {
    const out = plain(noSloTune());
    expect(out).toContain('failed: server exited with code 1 before…');
    expect(out).not.toContain('openSync');
  });

  it('shows the swept knob over the other knobs at the recommended values', () => {
    const out = plain(twoKnobTune());
    expect(out).toContain('Throughput and p95 by concurrency');
    expect(out).toContain('(other knobs at the recommended values)');
  });

  it('skips the chart when fewer than two points share the recommended settings', () => {
    const r = oneKnobTune();
    r.points = r.points.slice(2, 3);
    expect(plain(r)).not.toContain('Throughput and');
  });

  it('says unsaved patches were not saved', () => {
    expect(plain(twoKnobTune())).toContain('mcp-opt config: not saved (--no-save)');
  });

  it('tells how to resume an incomplete tune', () => {
    expect(plain(incompleteTune())).toContain('INCOMPLETE: interrupted (Ctrl-C) after point 3 of 10 — finish it with mcp-opt tune --resume <result file>');
  });

  it('lists at most 5 skipped lines, then how many more', () => {
    const out = plain(incompleteTune());
    expect(out.match(/ {4}skipped: /g)).toHaveLength(5);
    expect(out).toContain('    … 2 more');
  });

  it('renders a result with no points, no model and no recommendation', () => {
    const r = incompleteTune();
    r.points = [];
    const out = plain(r);
    expect(out).toContain('No points measured.');
    expect(out).toContain('Model: not fitted');
    expect(out).toContain('No recommendation: nothing was measured.');
  });

  it('strips escape sequences and control characters from server- and user-provided text', () => {
    const evil = '\u001b[31mred\u001b[0m\u0007\u0000\u001b]8;;http://x\u0007';
    const r = oneKnobTune();
    r.target.display = `node ${evil}server.js`;
    r.config.workload = [`tools/call ${evil}search`];
    r.space.knobs = [knob(`env:${evil}WORKERS`, ['1', `4${evil}`])];
    r.points = [okPoint(0, { [`env:${evil}WORKERS`]: '1' }, { rps: 400, p50Ms: 10, p95Ms: 20, p99Ms: 30, meets: true }),
      okPoint(1, { [`env:${evil}WORKERS`]: `4${evil}` }, { rps: 800, p50Ms: 10, p95Ms: 20, p99Ms: 30, meets: true })];
    r.recommendation = { pointIndex: 1, settings: { [`env:${evil}WORKERS`]: `4${evil}` }, meetsSlo: true, runnerUpIndex: null, explanation: [`because ${evil}`] };
    r.points.push({ index: 2, settings: {}, status: 'failed', error: `boom ${evil}`, runs: [], summary: null });
    const out = plain(r);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(out).toContain('Recommended: env redWORKERS=4red');
    expect(out).toContain('node redserver.js');
  });

  it('uses ANSI colour only when asked', () => {
    const ansi = /\u001b\[/;
    expect(renderTuneTable(oneKnobTune(), { color: true })).toMatch(ansi);
    expect(renderTuneTable(oneKnobTune(), { color: false })).not.toMatch(ansi);
  });

  it('puts settings in words in the order of the knobs', () => {
    expect(describeSettings({ 'env:WORKERS': '4', concurrency: 4, pool: 2 }, ['pool', 'concurrency', 'env:WORKERS'])).toBe('pool 2, concurrency 4, env WORKERS=4');
  });
});

describe('renderTuneTable SLO stat', () => {
  it('charts the SLO percentile: p90 for a p90 SLO', () => {
    const r = oneKnobTune();
    r.objective = { ...r.objective, slo: 'p90<100ms', sloStat: 'p90' };
    expect(plain(r)).toContain('Throughput and p90 by env:WORKERS');
  });

  it('quotes no σ, κ or peak for a fit too poor to predict, and a negative R² with a minus sign', () => {
    const r = oneKnobTune();
    r.model = { ...r.model!, sigma: 1, kappa: 0, r2: -0.22, peakN: null, peakThroughput: null, predictive: false,
      reading: 'Throughput does not follow the Universal Scalability Law against WORKERS (best fit R² −0.22, below 0.8), so no peak or trend is predicted.' };
    const out = plain(r);
    expect(out).toContain('  R² −0.220: too poor a fit to predict, so no σ, κ or peak is quoted');
    expect(out).not.toMatch(/σ \(contention\)|keeps rising|predicted peak/);
  });
});

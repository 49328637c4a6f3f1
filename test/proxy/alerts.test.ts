import { describe, expect, it } from 'vitest';
import { parseAlert } from '../../src/budgets/alertMetrics.js';
import { AlertWatch } from '../../src/proxy/alerts.js';
import { LiveWindow } from '../../src/proxy/liveWindow.js';
import type { LogEvent } from '../../src/proxy/proxyLog.js';

/** Alerts judged against a window on a fake clock, with every log line kept. */
function setup(expressions: string[], windowS = 2): { w: LiveWindow; watch: AlertWatch; at: (ms: number) => void; logged: LogEvent[]; lines: string[] } {
  let now = 0;
  const w = new LiveWindow(windowS, () => now);
  const logged: LogEvent[] = [];
  const lines: string[] = [];
  const watch = new AlertWatch(expressions.map((e) => parseAlert(e, '--alert')), (line, e) => { lines.push(line); logged.push(e); }, () => 1_000_000 + now);
  return { w, watch, logged, lines, at: (ms) => { now = ms; w.tick(); } };
}

/** `n` requests answered in `ms` each. */
function answer(w: LiveWindow, n: number, ms: number, outcome: 'result' | 'jsonrpc_error' = 'result'): void {
  for (let i = 0; i < n; i++) w.answered('tools/call', 'work', outcome, 0, ms / 1000);
}

describe('AlertWatch', () => {
  it('fires once when a breach starts and clears once when it ends, however often it is judged', () => {
    const { w, watch, at, logged, lines } = setup(['p95<100ms']);
    at(0);
    answer(w, 30, 150);
    watch.judge(w.figures());
    watch.judge(w.figures());
    expect(logged.map((e) => e.event)).toEqual(['alert_firing']);
    expect(logged[0]).toMatchObject({ level: 'warn', alert: 'p95<100ms', metric: 'latency.p95', threshold: 100, unit: 'ms', samples: 30, windowS: 2 });
    expect(lines[0]).toMatch(/^! alert p95<100ms firing: p95 150 ms over the last 2 s \(30 samples\)$/);
    expect(watch.all[0]).toMatchObject({ firing: true, sinceMs: 1_000_000 });
    expect(watch.firing()).toEqual(['p95<100ms']);

    at(1_000);
    answer(w, 1000, 5); // 30 slow of 1030: under 5 %
    watch.judge(w.figures());
    at(1_500);
    watch.judge(w.figures());
    expect(logged.map((e) => e.event)).toEqual(['alert_firing', 'alert_cleared']);
    expect(logged[1]).toMatchObject({ alert: 'p95<100ms', reason: 'recovered', samples: 1030 });
    expect(logged[1]!['level']).toBeUndefined();
    expect(watch.all[0]).toMatchObject({ firing: false, sinceMs: null });
    expect(watch.firing()).toEqual([]);
  });

  it('does not fire below its minimum of samples: 20, or a percentile\'s own floor (p99: 100)', () => {
    const { w, watch, at, logged } = setup(['p95<100ms', 'p99<100ms']);
    at(0);
    answer(w, 19, 500);
    watch.judge(w.figures());
    expect(logged).toEqual([]);
    expect(watch.all.map((s) => [s.samples, s.minSamples, s.firing])).toEqual([[19, 20, false], [19, 100, false]]);
    answer(w, 1, 500);
    watch.judge(w.figures());
    expect(logged.map((e) => `${e.event} ${e['alert']}`)).toEqual(['alert_firing p95<100ms']);
    answer(w, 80, 500);
    watch.judge(w.figures());
    expect(logged.map((e) => `${e.event} ${e['alert']}`)).toEqual(['alert_firing p95<100ms', 'alert_firing p99<100ms']);
  });

  it('clears a firing alert whose window falls below its minimum, saying so', () => {
    const { w, watch, at, logged, lines } = setup(['p95<100ms']);
    at(0);
    answer(w, 25, 200);
    watch.judge(w.figures());
    at(2_000); // the slow second has left the 2 s window; nothing since
    watch.judge(w.figures());
    expect(logged.map((e) => e.event)).toEqual(['alert_firing', 'alert_cleared']);
    expect(logged[1]).toMatchObject({ reason: 'too_few_samples', samples: 0, value: null });
    expect(lines[1]).toBe('alert p95<100ms cleared: only 0 samples in the last 2 s, fewer than the 20 it needs to judge');
  });

  it('judges errors in percent of the requests finished', () => {
    const { w, watch, at, logged } = setup(['errors<5%']);
    at(0);
    answer(w, 95, 1);
    answer(w, 5, 1, 'jsonrpc_error'); // exactly 5 %: not < 5 %
    watch.judge(w.figures());
    expect(logged[0]).toMatchObject({ event: 'alert_firing', metric: 'errors', value: 5, unit: 'pct', threshold: 5, samples: 100 });
    answer(w, 100, 1);
    watch.judge(w.figures());
    expect(logged[1]).toMatchObject({ event: 'alert_cleared', reason: 'recovered', value: 2.5 });
  });
});

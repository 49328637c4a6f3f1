import { describe, expect, it } from 'vitest';
import { dashboardData } from '../../src/proxy/dashboardData.js';
import { LiveWindow } from '../../src/proxy/liveWindow.js';
import type { Pool } from '../../src/proxy/pool.js';

/** A pool as the dashboard reads it: slots with state, pid, served and the first one's initialize result. */
const pool = {
  slots: [
    { state: 'ready', pid: 11, served: 7, warm: { era: 'legacy', initializeResult: { serverInfo: { name: 'docs\u202e\u001b[31m', version: 3 } }, startMs: 1 } },
    { state: 'draining', pid: 12, served: 2, warm: null },
    null,
  ],
} as unknown as Pool;

describe('dashboardData', () => {
  it('reads the window, the pool and the alerts; cleans server-chosen strings; rates as ratios', () => {
    let now = 0;
    const w = new LiveWindow(10, () => now);
    now = 500;
    w.tick();
    w.received('tools/call', 'a\u001b]0;x\u0007b');
    w.answered('tools/call', 'a\u001b]0;x\u0007b', 'tool_error', 0, 0.01);
    for (let i = 0; i < 3; i++) w.answered('tools/list', null, 'result', 0, 0.001);
    w.cacheEvent('tools/list', 'hit', 3);
    w.cacheEvent('tools/list', 'miss', 1);
    const d = dashboardData(w.figures(), pool, [], new Date(0));
    expect(d).toMatchObject({ version: 1, at: '1970-01-01T00:00:00.000Z', server: { name: 'docs', version: null, era: 'legacy' }, errorPct: 14.29, cacheHitRatio: 0.75, alerts: [] });
    expect(d.window.tools.map((t) => t.tool)).toEqual(['ab']);
    expect(d.instances).toEqual([
      { slot: 0, state: 'ready', pid: 11, served: 7 },
      { slot: 1, state: 'draining', pid: 12, served: 2 },
      { slot: 2, state: 'starting', pid: null, served: 0 },
    ]);
  });

  it('gives no ratio without the reads or requests it divides by', () => {
    const d = dashboardData(new LiveWindow(10, () => 0).figures(), { slots: [] } as unknown as Pool, []);
    expect([d.errorPct, d.cacheHitRatio, d.server]).toEqual([null, null, { name: null, version: null, era: null }]);
  });
});

/**
 * Lines of the bench and analyze terminal reports that once said something untrue or unreadable:
 * requests per connection, RSS growth against its trend, outlier run numbers read as a count,
 * skip reasons cut mid-word.
 */
import { describe, expect, it } from 'vitest';
import { renderAnalyzeTable } from '../../src/reporters/analyzeTable.js';
import { connectionsCell, renderBenchTable } from '../../src/reporters/benchTable.js';
import { clip, fmtNum, fmtPct, fmtSignedBytes } from '../../src/reporters/format.js';
import { analyzeWithFindings, benchWithBudgets } from './reportResults.js';

const MIB = 1024 * 1024;

describe('format', () => {
  it('prints a number without a float tail', () => {
    expect(fmtNum(3.8900000000000006)).toBe('3.89');
    expect(fmtNum(0.1 + 0.2)).toBe('0.3');
    expect(fmtNum(200)).toBe('200');
    expect(fmtNum(0.001)).toBe('0.001');
    expect(fmtNum(0.000123456)).toBe('0.000123');
    expect(fmtNum(0.0500000001)).toBe('0.05');
    expect(fmtNum(null)).toBe('–');
    expect(fmtPct(0.10000000000000009)).toBe('0.1%');
  });

  it('signs a change in bytes with a true minus', () => {
    expect(fmtSignedBytes(8 * MIB)).toBe('+8.0 MiB');
    expect(fmtSignedBytes(-1229)).toBe('−1.2 KiB');
    expect(fmtSignedBytes(0)).toBe('0 B');
  });

  it('cuts long text at a word boundary with an ellipsis, a single long word where it must', () => {
    const reason = 'not annotated readOnlyHint; openWorldHint not false (may reach the outside world)';
    expect(clip(reason, 80)).toBe('not annotated readOnlyHint; openWorldHint not false (may reach the outside…');
    expect(clip(reason, 200)).toBe(reason);
    expect(clip('/a/very/long/path/without/any/space/at/all', 20)).toBe('/a/very/long/path/w…');
  });
});

describe('bench table', () => {
  it('says requests per connection on average, and counts autocannon\'s connections when it made the load', () => {
    const own = { index: 0, pid: null, sent: 7_687, succeeded: 7_687, failed: 0, serviceTime: null, alive: true, connections: { opened: 2, requests: 7_689 }, sessionReinits: 0 };
    expect(connectionsCell(own, null)).toBe('2 (3845 req per connection on average)');
    // With autocannon, mcp-opt's own session only set up (2 connections, 4 requests): its figures would say "2 req each" for 7,687 requests.
    const setup = { ...own, connections: { opened: 2, requests: 4 } };
    const ac = { connections: 8, pipelining: 1, statusCounts: { 200: 7_687 }, perConnection: Array.from({ length: 8 }, (_, index) => ({ index, sent: index < 7 ? 961 : 960, answered: 960 })) };
    expect(connectionsCell(setup, ac)).toBe('8 by autocannon (961 req per connection on average)');
  });

  it('shows RSS growth end to end and its trend, each signed and labelled, when they disagree', () => {
    const r = benchWithBudgets();
    r.resources = { sampleIntervalMs: 250, rssStartBytes: 50 * MIB, rssEndBytes: 58 * MIB, rssPeakBytes: 61 * MIB, rssGrowthBytes: 8 * MIB, rssSlopeBytesPerSec: -1_229,
      cpuPctMean: 40.25, cpuPctMax: 85, processCount: 1 };
    const line = renderBenchTable(r, { color: false }).split('\n').find((l) => l.includes('server: RSS'))!;
    expect(line).toContain('RSS 50.0 MiB → 58.0 MiB over the measured window (+8.0 MiB; least-squares trend −1.2 KiB/s), peak 61.0 MiB');
    expect(line).not.toMatch(/ -\d/);
  });
});

describe('analyze table', () => {
  it('names outlier runs by number, out of how many, instead of a bare figure that reads as a count', () => {
    const r = analyzeWithFindings();
    r.coldStart!.samples = Array.from({ length: 10 }, (_, i) => ({ run: i + 1, readyMs: i === 9 ? 900 : 600, handshakeMs: 500, firstByteMs: null, firstCallMs: null, peakRssBytes: null, outlier: i === 9 }) as never);
    const out = renderAnalyzeTable(r, { color: false });
    expect(out).toContain('outliers (MAD): 1 of 10 runs (run #10), kept in the figures');
    expect(out).not.toContain('outlier runs (MAD): 10');
  });

  it('keeps whole skip reasons, and RSS growth per request consistent in sign with the growth', () => {
    const r = analyzeWithFindings();
    r.tools!.skipped = [{ name: 'fetch', reason: 'not annotated readOnlyHint; openWorldHint not false (may reach the outside world)' }];
    r.resources = { idleRssBytes: 40 * MIB, afterRssBytes: 48 * MIB, rssGrowthBytes: 8 * MIB, rssBytesPerRequest: -300, requestsBetween: 2_000, cpuUsPerRequest: 120, processCount: 1, stderrBytes: 0, stderrLines: 0 };
    const out = renderAnalyzeTable(r, { color: false });
    expect(out).toContain('1 not annotated readOnlyHint; openWorldHint not false (may reach the outside world).');
    expect(out).toContain('(+8.0 MiB, +4.1 KiB/request end to end; least-squares trend during the requests −300 B/request)');
  });
});

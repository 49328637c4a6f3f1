/**
 * `mcp-opt report` on results saved by real runs (issue 5): the newest result by default, every
 * format to its --out, the budget gate on a saved run (exit 1 / 2), --merge of two generators,
 * --format json as one versioned document, $GITHUB_STEP_SUMMARY, and refusals of files it cannot read.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/result/benchResult.js';
import type { ComparisonDocument, MergeDocument, ResultsDocument } from '../../src/result/reportDocument.js';
import type { TuneResult } from '../../src/result/tuneResult.js';
import { ANY_SLO, FAST, runCli, TUNE_SHORT } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'mcpopt-report-'));
const reports = join(work, 'reports');
const file = (name: string): string => join(reports, name);

beforeAll(async () => {
  mkdirSync(reports);
  const runs = [
    ['analyze', fixturePath('minimal.mjs'), ...FAST, '--out', file('analyze.json')],
    ['bench', fixturePath('fixed-service.mjs'), '--call', 'work', '--rps', '100', '--duration', '2s', '--warmup', '500ms', '--out', file('bench-1.json')],
    ['bench', fixturePath('fixed-service.mjs'), '--call', 'work', '--rps', '100', '--duration', '2s', '--warmup', '500ms', '--out', file('bench-2.json')],
    ['tune', fixturePath('tunable.mjs'), '--knob', 'env:WORKERS=2,4', ...ANY_SLO, ...TUNE_SHORT, '--out', file('tune.json')],
  ];
  for (const args of runs) {
    const run = await runCli(args, { cwd: work, timeoutMs: 60_000 });
    expect(run.code, `${args.join(' ')}\n${run.stderr}`).toBe(0);
  }
}, 180_000);

describe('mcp-opt report', () => {
  it('with nothing named, renders the newest result in reports/ as tables', async () => {
    const run = await runCli(['report'], { cwd: work });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(file('tune.json'));
    // The saved recommendation, as saved (which of 2 and 4 won is the tune's measurement, tune.e2e's
    // business; on a busy machine they can be within noise, and then the cheaper 2 wins).
    const saved = JSON.parse(readFileSync(file('tune.json'), 'utf8')) as TuneResult;
    const workers = saved.recommendation?.settings['env:WORKERS'];
    expect([2, 4]).toContain(workers);
    expect(run.stdout).toContain(`Recommended: env WORKERS=${String(workers)}`);
  });

  it('writes every format of a folder to its --out: markdown, html, json, junit', async () => {
    const out = (n: string): string => join(work, n);
    const run = await runCli(['report', 'reports/', '--format', 'markdown', '--out', out('r.md'), '--format', 'html', '--out', out('r.html'),
      '--format', 'json', '--out', out('r.json'), '--format', 'junit', '--out', out('r.xml')], { cwd: work });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out('r.md'), 'utf8')).toMatch(/bench/);
    expect(readFileSync(out('r.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    const doc = JSON.parse(readFileSync(out('r.json'), 'utf8')) as ResultsDocument;
    expect([doc.mcpOpt, doc.schemaVersion, doc.kind, doc.results.length]).toEqual(['report', 1, 'results', 4]);
    expect(readFileSync(out('r.xml'), 'utf8')).toMatch(/<testsuites/);

    // The acceptance: the folder's HTML opens in a real browser with every chart of the three kinds.
    const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
    expect(existsSync(CHROMIUM), `Chromium missing at ${CHROMIUM}: run apt-get install -y chromium`).toBe(true);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(out('r.html')).href, { waitUntil: 'load' });
      for (const chart of ['cold-start', 'steady-latency', 'latency-spectrum', 'latency-timeline', 'throughput-timeline', 'operations', 'tune-curve']) {
        const svg = page.locator(`figure[data-chart="${chart}"] svg`).first();
        expect(await svg.isVisible(), chart).toBe(true);
        expect((await svg.boundingBox())!.height, chart).toBeGreaterThan(50);
      }
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('gates a saved run: a failing budget exits 1, a malformed one or an unknown metric 2', async () => {
    // The limits straddle the saved p95 (the fixture's 5 ms service time plus whatever the machine
    // added while beforeAll measured it): the gate judges the saved figure, it does not re-measure.
    const savedP95Ms = (JSON.parse(readFileSync(file('bench-1.json'), 'utf8')) as BenchResult).latency!.p95 / 1000;
    expect(savedP95Ms).toBeGreaterThanOrEqual(5);
    const above = `p95<${Math.ceil(savedP95Ms) + 1}ms`;
    const below = `p95<${Math.floor(savedP95Ms * 0.9)}ms`;
    const pass = await runCli(['report', file('bench-1.json'), '--budget', above, '--budget', 'errors<1%'], { cwd: work });
    expect(pass.code, pass.stderr).toBe(0);
    const fail = await runCli(['report', file('bench-1.json'), '--budget', below], { cwd: work });
    expect(fail.code, fail.stderr).toBe(1);
    expect(fail.stdout).toContain(below);
    expect(fail.stdout).toMatch(/FAIL/);
    const bad = await runCli(['report', file('bench-1.json'), '--budget', 'p95<<1ms'], { cwd: work });
    expect(bad.code).toBe(2);
    const unknown = await runCli(['report', file('bench-1.json'), '--budget', 'warpFactor<9'], { cwd: work });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/warpFactor/);
  });

  it('--merge adds up two generators: counts summed, rates added, percentiles from the merged histograms', async () => {
    const run = await runCli(['report', file('bench-1.json'), file('bench-2.json'), '--merge', '--format', 'json'], { cwd: work });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as MergeDocument;
    expect([doc.mcpOpt, doc.schemaVersion, doc.kind, doc.files]).toEqual(['report', 1, 'merge', [file('bench-1.json'), file('bench-2.json')]]);
    const merged = doc.result;
    const [a, b] = ['bench-1.json', 'bench-2.json'].map((n) => JSON.parse(readFileSync(file(n), 'utf8')) as BenchResult);
    expect(merged.requests.succeeded).toBe(a!.requests.succeeded + b!.requests.succeeded);
    expect(merged.latency!.n).toBe(a!.latency!.n + b!.latency!.n);
    expect(merged.throughput.succeededRps).toBeCloseTo(a!.throughput.succeededRps + b!.throughput.succeededRps, 0);
    expect(merged.latency!.max).toBe(Math.max(a!.latency!.max, b!.latency!.max));
  });

  it('--format json prints one versioned document: one result exactly as saved; two results, a merge and a comparison in the envelope', async () => {
    const one = await runCli(['report', file('bench-1.json'), '--format', 'json'], { cwd: work });
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toBe(readFileSync(file('bench-1.json'), 'utf8'));
    const docs = [
      ['results', ['report', file('bench-1.json'), file('analyze.json'), '--format', 'json']],
      ['merge', ['report', file('bench-1.json'), file('bench-2.json'), '--merge', '--format', 'json']],
      ['comparison', ['report', file('bench-2.json'), '--compare', file('bench-1.json'), '--format', 'json']],
    ] as const;
    for (const [kind, args] of docs) {
      const run = await runCli([...args], { cwd: work });
      expect(run.code, run.stderr).toBe(0);
      const doc = JSON.parse(run.stdout) as ResultsDocument | MergeDocument | ComparisonDocument;
      expect([doc.mcpOpt, doc.schemaVersion, doc.kind], kind).toEqual(['report', 1, kind]);
    }
  });

  it('appends markdown to $GITHUB_STEP_SUMMARY', async () => {
    const summary = join(work, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const run = await runCli(['report', file('bench-1.json'), '--format', 'markdown'], { cwd: work, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(run.code, run.stderr).toBe(0);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n')).toBe(true);
    expect(text.slice('# earlier step\n'.length)).toBe(run.stdout);
  });

  it('--compare refuses a verdict between a closed-loop run and an open-loop one (exit 2) unless --force, which prints the difference', async () => {
    // Saved outside reports/ so the other tests' "newest result" stays the tune.
    const closed = join(work, 'bench-closed.json');
    const run = await runCli(['bench', fixturePath('fixed-service.mjs'), '--call', 'work', '--concurrency', '2', '--duration', '2s', '--warmup', '500ms', '--out', closed], { cwd: work, timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    const refused = await runCli(['report', closed, '--compare', file('bench-1.json')], { cwd: work });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('were not measured the same way (load model: baseline open loop at 100 req/s (uniform arrivals), current closed loop at concurrency 2)');
    expect(refused.stderr).toContain('pass --force');
    const forced = await runCli(['report', closed, '--compare', file('bench-1.json'), '--force', '--format', 'json'], { cwd: work });
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout).differences).toEqual([{ what: 'load model', baseline: 'open loop at 100 req/s (uniform arrivals)', current: 'closed loop at concurrency 2' }]);
    const table = await runCli(['report', closed, '--compare', file('bench-1.json'), '--force'], { cwd: work });
    expect(table.stdout).toContain('! Compared under --force although measured differently (load model: baseline open loop at 100 req/s');
    // Two open-loop runs of the same settings need no --force.
    const same = await runCli(['report', file('bench-2.json'), '--compare', file('bench-1.json'), '--format', 'json'], { cwd: work });
    expect(same.code, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout).differences).toEqual([]);
  }, 60_000);

  it('refuses a result of a newer schema with exit 2 and says to upgrade', async () => {
    const newer = join(work, 'newer.json');
    copyFileSync(file('bench-1.json'), newer);
    writeFileSync(newer, readFileSync(newer, 'utf8').replace('"schemaVersion": 1', '"schemaVersion": 99'));
    const run = await runCli(['report', newer], { cwd: work });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/newer mcp-opt .*Upgrade/);
    expect(existsSync(join(work, 'report.html'))).toBe(false);
  });
});

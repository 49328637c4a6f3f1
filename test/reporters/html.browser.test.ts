/**
 * The HTML report in a real headless browser (Debian's Chromium driven by playwright-core): it
 * renders every chart, logs no error, loads nothing but itself, and a hostile server's strings
 * stay inert text (a profile's frame names and paths among them). Chromium missing is a failure,
 * not a skip: this is the only test that sees the report as users do.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/reporters/html/index.js';
import type { ReportInput } from '../../src/reporters/reportInput.js';
import { realAnalyze, realBench, realComparison, XSS, xssAnalyze } from './htmlResults.js';
import { single } from './reportResults.js';
import { HOSTILE, hostileProfile, profileFixture } from './fixtures/profile.js';
import { noSloTune, oneKnobTune } from './tuneResults.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run \`apt-get install -y chromium\` (or set CHROMIUM_PATH to a Chromium binary).`);
  }
  // CI runs as root, where Chromium refuses its sandbox.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  dir = await mkdtemp(join(tmpdir(), 'mcp-opt-html-'));
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** What the page did while it loaded. */
interface Observed {
  page: Page;
  errors: string[];
  requests: string[];
  dialogs: string[];
}

let pages = 0;

/** The one browser function the profile case reads (test files compile without the DOM library). */
interface ComputedStyleWindow {
  getComputedStyle(el: unknown): { fill: string };
}

/** Render `input`, write it to a file and open it, recording errors, requests and dialogs. */
async function open(input: ReportInput): Promise<Observed> {
  const file = join(dir, `report-${pages++}.html`);
  await writeFile(file, renderHtml(input));
  const page = await browser.newPage();
  const seen: Observed = { page, errors: [], requests: [], dialogs: [] };
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') seen.errors.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => seen.errors.push(`page error: ${e.message}`));
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('dialog', (d) => { seen.dialogs.push(d.message()); void d.dismiss(); });
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: 'load' });
  expect(seen.requests).toEqual([url]);
  return seen;
}

/** The chart is in the page, visible, sized, with at least `marks` data marks (paths and circles). */
async function expectChart(page: Page, chart: string, marks: number): Promise<void> {
  const svg = page.locator(`figure[data-chart="${chart}"] svg`).first();
  await expect.poll(() => svg.isVisible(), { message: `${chart} visible` }).toBe(true);
  const box = await svg.boundingBox();
  expect(box?.width, `${chart} width`).toBeGreaterThan(100);
  expect(box?.height, `${chart} height`).toBeGreaterThan(50);
  expect(await svg.locator('title').first().textContent(), `${chart} title`).toBeTruthy();
  expect(await svg.locator('path.mark, circle.mark').count(), `${chart} marks`).toBeGreaterThanOrEqual(marks);
  // Axes: at least two ticks labelled.
  expect(await svg.locator('text.tick').count(), `${chart} ticks`).toBeGreaterThanOrEqual(2);
}

describe('HTML report in Chromium', () => {
  it('renders a bench result: spectrum, timelines and per-operation bars', async () => {
    const { page, errors } = await open(single('reports/bench.json', realBench()));
    await expectChart(page, 'latency-spectrum', 2 * 41 + 2);
    await expectChart(page, 'latency-timeline', 2 * 30);
    await expectChart(page, 'throughput-timeline', 2 * 33);
    await expectChart(page, 'operations', 9);
    // The warm-up is shaded, and the budgets table shows a failure.
    expect(await page.locator('figure[data-chart="latency-timeline"] svg > rect.band').count()).toBe(1);
    expect(await page.locator('table.budgets .badge.fail').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders an analyze result: cold-start strip plot, steady latency, findings', async () => {
    const { page, errors } = await open(single('reports/analyze.json', realAnalyze()));
    await expectChart(page, 'cold-start', 3 * 10 + 6);
    await expectChart(page, 'steady-latency', 9);
    expect(await page.locator('figure[data-chart="cold-start"] circle.mark.outlier').count()).toBe(3);
    expect(await page.locator('.finding .badge.critical').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders a tune result: the curve with the USL fit and the winner, failed points marked', async () => {
    const { page, errors } = await open(single('reports/tune.json', oneKnobTune()));
    await expectChart(page, 'tune-curve', 4 + 4 + 3);
    const curve = page.locator('figure[data-chart="tune-curve"] svg');
    expect(await page.locator('figure[data-chart="tune-curve"] svg > circle.winner').count()).toBe(1);
    expect(await curve.locator('path.mark.s3').count()).toBe(1);
    expect(await page.locator('table.points tbody tr').count()).toBe(4);
    expect(errors).toEqual([]);
    await page.close();
    const failed = await open(single('reports/tune-failed.json', noSloTune()));
    await expectChart(failed.page, 'tune-curve', 3 + 3);
    expect(await failed.page.locator('figure[data-chart="tune-curve"] path.cross').count()).toBe(1);
    expect(failed.errors).toEqual([]);
    await failed.page.close();
  });

  it('renders a comparison: baseline and current spectra overlaid, verdict badges', async () => {
    const { page, errors } = await open(realComparison());
    await expectChart(page, 'comparison-spectrum', 2 * 41 + 2);
    await expectChart(page, 'latency-spectrum', 2 * 41 + 2);
    const verdicts = page.locator('table.comparison .badge');
    expect(await verdicts.filter({ hasText: 'regressed' }).count()).toBe(1);
    expect(await verdicts.filter({ hasText: 'improved' }).count()).toBe(1);
    expect(await verdicts.filter({ hasText: 'unchanged' }).count()).toBe(1);
    // Only the current result is shown in full; the baseline is in the comparison.
    expect(await page.locator('section.result').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps a hostile server\'s strings as inert, visible text', async () => {
    const { page, errors, dialogs } = await open(single('reports/xss.json', xssAnalyze()));
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    const scripts = await page.locator('script').evaluateAll((els) => els.map((e) => `${e.getAttribute('type')}#${e.id}`));
    expect(scripts).toEqual(['application/json#mcp-opt-data']);
    expect(await page.locator('[onerror], [onclick], [onload], a[href], [src]').count()).toBe(0);
    await expect.poll(() => page.getByText(XSS.tool, { exact: true }).first().isVisible()).toBe(true);
    await expect.poll(() => page.getByText(XSS.server, { exact: true }).first().isVisible()).toBe(true);
    await expect.poll(() => page.getByText(XSS.finding, { exact: true }).first().isVisible()).toBe(true);
    // The data block still holds the strings exactly, for tools.
    const data = JSON.parse((await page.locator('#mcp-opt-data').textContent())!) as ReportInput;
    expect(data.results[0]!.result.server?.name).toBe(XSS.server);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders a profile section: the flame graph drawn to size, bars, and hostile frames as text', async () => {
    const { page, errors } = await open(single('reports/bench-profile.json', { ...realBench(), profile: profileFixture() }));
    const svg = page.locator('figure[data-chart="flame-graph"] svg');
    await expect.poll(() => svg.isVisible()).toBe(true);
    const box = await svg.boundingBox();
    expect(box?.width).toBeGreaterThan(500);
    // The presentation attributes apply under the CSP: the root row spans the graph, your code is orange.
    const root = svg.locator('g.fg-root rect');
    // Within the half-pixel stroke round each rectangle.
    expect(Math.abs((await root.boundingBox())!.width - box!.width)).toBeLessThan(2);
    expect(await svg.locator('g.fg-yours rect').first().evaluate((el) => (globalThis as unknown as ComputedStyleWindow).getComputedStyle(el).fill)).toBe('rgb(245, 152, 71)');
    expect(await svg.locator('g.fg-frame').count()).toBe(11);
    expect(await page.locator('svg.share-bar').count()).toBe(17);
    expect(errors).toEqual([]);
    await page.close();
    const hostile = await open(single('reports/xss-profile.json', { ...realBench(), profile: hostileProfile() }));
    await hostile.page.waitForTimeout(200);
    expect(hostile.dialogs).toEqual([]);
    expect(await hostile.page.locator('script').count()).toBe(1);
    expect(await hostile.page.locator('[onload], [onerror], a[href], [src]').count()).toBe(0);
    expect(await hostile.page.locator('table.profile-functions td').first().textContent()).toContain(`${HOSTILE.script}${HOSTILE.attr}${HOSTILE.amp}`);
    expect(hostile.errors).toEqual([]);
    await hostile.page.close();
  });
});

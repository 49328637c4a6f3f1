/**
 * The live dashboard and the alerts of `mcp-opt proxy`, in-process against real relay.mjs
 * instances: /dashboard in headless Chromium (figures that move with traffic, no console error,
 * nothing loaded but its own JSON, a hostile tool name shown as text); --dashboard beside the stdio
 * front; an alert that fires when latency rises and clears when it falls, seen in the log, the
 * /metrics gauge and /readyz (--alert-degrades). One proxy per test, stopped in afterEach.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { launchChromium, watchPage } from '../helpers/browser.js';
import { fixturePath } from '../helpers/fixtures.js';
import { HttpProxyHarness } from '../helpers/httpClient.js';
import { logged, RpcClient, StdioProxies } from '../helpers/proxy.js';

const RELAY = fixturePath('relay.mjs');
/** A tool name that would run script if the page ever inserted it as markup. */
const HOSTILE = '<img src=x onerror=alert(1)>';
const http = new HttpProxyHarness();
const stdio = new StdioProxies();
afterEach(async () => {
  await http.stop();
  await stdio.stop();
});

/** The proxy's log lines of these events, parsed (--log-format json). */
function events(stderr: string, names: readonly string[]): Array<Record<string, unknown>> {
  return stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => names.includes(String(e['event'])));
}

describe('mcp-opt proxy dashboard', () => {
  it('shows figures in Chromium that follow the traffic, loads only its own JSON, and shows a hostile tool name as text', async () => {
    const run = await http.start(['--pool', '1', '--', process.execPath, RELAY]);
    const dashboard = new URL('/dashboard', run.url).href;
    expect(run.stderr()).toContain(`dashboard at ${dashboard}`);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const seen = watchPage(page);
      await page.goto(dashboard, { waitUntil: 'load' });
      await expect.poll(() => page.locator('#server').textContent()).toMatch(/^fixture-relay /);
      const received = async (): Promise<number> => Number((await page.locator('#received').textContent())?.replace(/,/g, ''));
      const before = await received();
      expect(before).toBeGreaterThanOrEqual(0);

      const { client } = await http.client();
      for (let i = 0; i < 5; i++) await client.callTool({ name: 'echo', arguments: { message: `m${i}` } });
      // An unknown tool: answered with an error, and counted under the name the client sent.
      await expect(client.callTool({ name: HOSTILE, arguments: {} })).rejects.toThrow();
      await expect.poll(received, { timeout: 5000 }).toBeGreaterThanOrEqual(before + 6);
      await expect.poll(() => page.locator('#p95').textContent()).toMatch(/^\d/);

      const hostileCell = page.locator('#tools td', { hasText: HOSTILE });
      await expect.poll(() => hostileCell.count(), { timeout: 5000 }).toBe(1);
      expect(await hostileCell.textContent()).toBe(HOSTILE);
      expect(await hostileCell.innerHTML()).toBe('&lt;img src=x onerror=alert(1)&gt;');
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('#tools td', { hasText: 'echo' }).count()).toBe(1);
      expect(await page.locator('#instances td.ready').count()).toBe(1);

      expect(seen.dialogs).toEqual([]);
      expect(seen.errors).toEqual([]);
      expect(new Set(seen.requests)).toEqual(new Set([dashboard, `${dashboard}.json`]));
      await page.close();
    } finally {
      await browser.close();
    }
  });

  it('--dashboard serves the page, its JSON, /metrics, /healthz and /readyz beside the stdio front', async () => {
    const run = await stdio.start(['--dashboard', '127.0.0.1:0', '--', process.execPath, RELAY]);
    const url = /dashboard at (\S+)/.exec(await logged(run, /dashboard at \S+/))![1]!;
    await run.client.initialize();
    RpcClient.text(await run.client.call('echo', { message: 'hi' }));

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; connect-src 'self'.*frame-ancestors 'none'$/);
    expect(await page.text()).toContain('<meta http-equiv="Content-Security-Policy"');
    const data = await (await fetch(`${url}.json`)).json() as { version: number; server: { name: string }; window: { received: number; tools: Array<{ tool: string; requests: number }> }; instances: unknown[] };
    expect(data.version).toBe(1);
    expect(data.server.name).toBe('fixture-relay');
    expect(data.window.tools).toEqual([expect.objectContaining({ tool: 'echo', requests: 1 })]);
    expect(data.instances).toHaveLength(1);
    for (const path of ['/metrics', '/healthz', '/readyz']) expect((await fetch(new URL(path, url))).status, path).toBe(200);
    expect((await fetch(new URL('/nothing', url))).status).toBe(404);
  });

  it('an alert fires once when latency rises and clears once when it falls: log, /metrics gauge, /readyz with --alert-degrades', async () => {
    const run = await stdio.start([
      '--dashboard', '127.0.0.1:0', '--window', '2s', '--alert', 'p95<100ms', '--alert-degrades', '--log-format', 'json', '--', process.execPath, RELAY,
    ]);
    await logged(run, /"event":"dashboard_serving"/);
    const at = (path: string): URL => new URL(path, String(events(run.stderr(), ['dashboard_serving'])[0]!['url']));
    const gauge = async (): Promise<string | undefined> => /^mcpopt_proxy_alert_firing\{alert="p95<100ms"\} (\d)$/m.exec(await (await fetch(at('/metrics'))).text())?.[1];
    expect(await gauge()).toBe('0');
    expect((await fetch(at('/readyz'))).status).toBe(200);
    const { client } = run;
    await client.initialize();

    // 25 calls of 150 ms at once (relay runs them side by side): p95 over the bound, 25 ≥ 20 samples.
    const slow = await Promise.all(Array.from({ length: 25 }, () => client.call('slow', { ms: 150 })));
    expect(slow.map(RpcClient.text)).toEqual(Array(25).fill('slept 150'));
    await expect.poll(gauge, { timeout: 3000 }).toBe('1');
    const degraded = await fetch(at('/readyz'));
    expect(degraded.status).toBe(503);
    expect(await degraded.text()).toMatch(/^degraded: p95<100ms /);

    // Fast calls until the slow ones are under 5 % of the window (or have left it): it clears.
    const until = performance.now() + 8000;
    while ((await gauge()) !== '0' && performance.now() < until) {
      await Promise.all(Array.from({ length: 20 }, () => client.call('echo', { message: 'fast' })));
    }
    expect(await gauge()).toBe('0');
    expect((await fetch(at('/readyz'))).status).toBe(200);

    const alerts = events(run.stderr(), ['alert_firing', 'alert_cleared']);
    expect(alerts.map((e) => e['event'])).toEqual(['alert_firing', 'alert_cleared']);
    expect(alerts[0]).toMatchObject({ level: 'warn', alert: 'p95<100ms', metric: 'latency.p95', threshold: 100, unit: 'ms', windowS: 2 });
    expect(alerts[0]!['value']).toBeGreaterThanOrEqual(100);
    expect(alerts[0]!['samples']).toBeGreaterThanOrEqual(20);
    // Cleared by fast calls (hundreds in the window), not by the window running dry.
    expect(alerts[1]).toMatchObject({ level: 'info', alert: 'p95<100ms', reason: 'recovered' });
    expect(alerts[1]!['value']).toBeLessThan(100);
    expect(alerts[1]!['samples']).toBeGreaterThanOrEqual(20);
  });
});

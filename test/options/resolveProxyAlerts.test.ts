import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandInputs } from '../../src/options/commandInputs.js';
import { resolveProxyOptions } from '../../src/options/resolveProxy.js';
import { runCli } from '../helpers/cli.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

/** The inputs of `mcp-opt proxy [flags] -- node relay.mjs`, with a config holding `proxy` when given. */
const inputs = (flags: Record<string, unknown>, proxy?: Record<string, unknown>): CommandInputs => ({
  target: undefined, command: [process.execPath, fixturePath('relay.mjs')], flags, cwd: repoRoot, env: {},
  config: proxy === undefined ? null : { path: join(repoRoot, 'mcp-opt.config.json'), data: { proxy } }, stdoutTTY: false, stderrTTY: false,
});

describe('resolveProxyOptions: dashboard, alerts, window', () => {
  it('takes --alert (repeatable), --alert-degrades and --window; defaults to no alert and 10 s', async () => {
    const o = await resolveProxyOptions(inputs({ alert: ['p95<100ms', 'errors<1%'], alertDegrades: true, window: '30s' }));
    expect(o.alerts.map((a) => [a.spec.expression, a.metric.id, a.threshold])).toEqual([['p95<100ms', 'latency.p95', 100], ['errors<1%', 'errors', 1]]);
    expect([o.alertDegrades, o.windowS]).toEqual([true, 30]);
    const d = await resolveProxyOptions(inputs({}));
    expect([d.alerts, d.alertDegrades, d.windowS, d.metrics]).toEqual([[], false, 10, null]);
  });

  it('takes the same from the config section (alert, alertDegrades, window, dashboard)', async () => {
    const o = await resolveProxyOptions(inputs({}, { alert: ['p99<1s'], alertDegrades: true, window: 5000, dashboard: '127.0.0.1:9464' }));
    expect(o.alerts.map((a) => a.threshold)).toEqual([1000]);
    expect([o.alertDegrades, o.windowS, o.metrics]).toEqual([true, 5, { host: '127.0.0.1', port: 9464, path: '/metrics' }]);
    await expect(resolveProxyOptions(inputs({}, { alert: ['rps>1'] }))).rejects.toThrow(/^config "proxy\.alert" "rps>1": unknown metric/);
  });

  it('--dashboard is the server --metrics starts; either is refused with --listen, and two addresses are refused', async () => {
    expect((await resolveProxyOptions(inputs({ dashboard: '9464' }))).metrics).toEqual({ host: '127.0.0.1', port: 9464, path: '/metrics' });
    expect((await resolveProxyOptions(inputs({ dashboard: '9464', metrics: '127.0.0.1:9464' }))).metrics?.port).toBe(9464);
    await expect(resolveProxyOptions(inputs({ dashboard: '9464', listen: 'http://127.0.0.1:0/mcp' }))).rejects.toThrow(/^--dashboard serves .*drop --dashboard\.$/);
    await expect(resolveProxyOptions(inputs({ dashboard: '9464', metrics: '9465' }))).rejects.toThrow(/give one of them/);
    await expect(resolveProxyOptions(inputs({ dashboard: '10.0.0.1:9464' }))).rejects.toThrow(/^--dashboard 10\.0\.0\.1:9464: the proxy listens on loopback only/);
  });

  it('refuses --alert-degrades without an alert, the same alert twice, and a window not in whole seconds from 1 s to 60 s', async () => {
    await expect(resolveProxyOptions(inputs({ alertDegrades: true }))).rejects.toThrow(/no --alert is given/);
    await expect(resolveProxyOptions(inputs({ alert: ['p95<1s', 'p95<1s'] }))).rejects.toThrow(/--alert "p95<1s" is given twice/);
    for (const window of ['1500ms', '0.5s', '61s']) await expect(resolveProxyOptions(inputs({ window }))).rejects.toThrow(/^--window .*whole seconds, from 1s to 60s/);
  });

  it('bad --alert text exits 2 with a message naming the flag, before any server starts', async () => {
    const r = await runCli(['proxy', '--alert', 'p95 is slow', '--', process.execPath, fixturePath('relay.mjs')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--alert "p95 is slow" is not an alert/);
    const unit = await runCli(['proxy', '--alert', 'errors<3ms', '--', process.execPath, fixturePath('relay.mjs')]);
    expect(unit.code).toBe(2);
    expect(unit.stderr).toMatch(/--alert "errors<3ms": errors is a percentage/);
  });
});

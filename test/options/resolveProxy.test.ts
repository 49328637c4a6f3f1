import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { CommandInputs } from '../../src/options/commandInputs.js';
import { PROXY_DEFAULTS } from '../../src/options/proxyOptions.js';
import { resolveProxyOptions } from '../../src/options/resolveProxy.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

const CONFIG_PATH = join(repoRoot, 'mcp-opt.config.json');

/** The inputs of `mcp-opt proxy [flags] -- node relay.mjs` with a config holding `proxy`. */
const inputs = (flags: Record<string, unknown>, proxy?: Record<string, unknown>): CommandInputs => ({
  target: undefined, command: [process.execPath, fixturePath('relay.mjs')], flags, cwd: repoRoot, env: {},
  config: proxy === undefined ? null : { path: CONFIG_PATH, data: { proxy } }, stdoutTTY: false, stderrTTY: false,
});

describe('resolveProxyOptions: the config\'s "proxy" section', () => {
  it('takes pool, affinity, balance, maxInflightPerInstance and the timeouts from the config', async () => {
    const o = await resolveProxyOptions(inputs({}, {
      pool: 4, affinity: 'none', balance: 'round-robin', maxInflightPerInstance: 1, queue: 10, queueTimeout: '2s', recycleAfter: 100, maxRss: '64MiB',
    }));
    expect(o).toMatchObject({ pool: 4, affinity: 'none', balance: 'round-robin', maxInflightPerInstance: 1, queue: 10, queueTimeoutMs: 2000, recycleAfter: 100, maxRssBytes: 64 * 1024 * 1024 });
    expect(o.healthIntervalMs).toBe(PROXY_DEFAULTS.healthIntervalMs);
  });

  it('flags win over the config, key by key', async () => {
    const o = await resolveProxyOptions(inputs({ pool: '2', affinity: 'session' }, { pool: 4, affinity: 'none', balance: 'latency-ewma' }));
    expect(o).toMatchObject({ pool: 2, affinity: 'session', balance: 'latency-ewma' });
  });

  it('a bad value or an unknown key is a usage error naming the config key', async () => {
    await expect(resolveProxyOptions(inputs({}, { pool: 0 }))).rejects.toThrow(/"proxy\.pool"/);
    await expect(resolveProxyOptions(inputs({}, { affinity: 'sticky' }))).rejects.toThrow(/--affinity must be one of none, session, client/);
    const err = await resolveProxyOptions(inputs({}, { pools: 2 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/unknown key "proxy\.pools"/);
  });
});

import { describe, expect, it } from 'vitest';
import { launchArgv, parseWrapped, proxyFlags, type ProxySettings } from '../../src/patch/proxyWrap.js';

const LAUNCHER = ['/opt/node/bin/node', '/opt/mcp-opt/bin/mcp-opt.js'];
const S4: ProxySettings = { pool: 4, affinity: 'none', balance: 'least-inflight', maxInflightPerInstance: 0 };

describe('proxyFlags', () => {
  it('writes pool, affinity and balance, and the per-instance cap only when there is one', () => {
    expect(proxyFlags(S4)).toEqual(['--pool', '4', '--affinity', 'none', '--balance', 'least-inflight']);
    expect(proxyFlags({ ...S4, maxInflightPerInstance: 1 }).slice(-2)).toEqual(['--max-inflight-per-instance', '1']);
  });
});

describe('parseWrapped', () => {
  it('recognises mcp-opt launched by its bin, by name, or by npx', () => {
    for (const launcher of [LAUNCHER, ['mcp-opt'], ['npx', '-y', 'mcp-opt@0.1.0'], ['npx', 'mcp-opt'], ['C:\\node\\node.exe', 'C:\\mcp\\bin\\mcp-opt.js']]) {
      expect(parseWrapped([...launcher, 'proxy', '--pool', '2', '--', 'node', 'server.js'], 'x')).toEqual({
        launcher, flags: ['--pool', '2'], server: ['node', 'server.js'],
      });
    }
  });

  it('an argv that only mentions proxy is not a wrapper', () => {
    expect(parseWrapped(['node', 'server.js', 'proxy', '--', 'x'], 'x')).toBeNull();
    expect(parseWrapped(['npx', '-y', 'other-server', 'proxy', '--', 'x'], 'x')).toBeNull();
  });

  it('a wrapper without `--` is refused rather than guessed', () => {
    expect(() => parseWrapped(['mcp-opt', 'proxy', '--pool', '2', './server'], 'c.json: server "s"')).toThrow(/c\.json: server "s" already runs `mcp-opt proxy`.*`--`/);
  });
});

describe('launchArgv', () => {
  const server = ['node', 'server.js', '--port', '0'];

  it('wraps for a pool above 1, and leaves a bare argv alone for pool 1 or no proxy settings', () => {
    expect(launchArgv(server, null, S4, LAUNCHER)).toEqual([...LAUNCHER, 'proxy', '--pool', '4', '--affinity', 'none', '--balance', 'least-inflight', '--', ...server]);
    expect(launchArgv(server, null, { ...S4, pool: 1 }, LAUNCHER)).toEqual(server);
    expect(launchArgv(server, null, null, LAUNCHER)).toEqual(server);
  });

  it('updates a wrapper in place: its launcher and other flags kept, both flag spellings set', () => {
    const existing = { launcher: ['npx', '-y', 'mcp-opt'], flags: ['--pool=2', '--metrics', '127.0.0.1:9464', '--affinity', 'none'], server };
    expect(launchArgv(server, existing, { ...S4, balance: 'round-robin' }, LAUNCHER)).toEqual([
      'npx', '-y', 'mcp-opt', 'proxy', '--pool=4', '--metrics', '127.0.0.1:9464', '--affinity', 'none', '--balance', 'round-robin', '--', ...server,
    ]);
    // A cap from an earlier apply goes back to 0 (none) when this tune measured without one.
    const capped = { ...existing, flags: [...proxyFlags({ ...S4, maxInflightPerInstance: 2 })] };
    expect(launchArgv(server, capped, S4, LAUNCHER)).toContain('0');
    // No proxy settings (a tune of env knobs only): the wrapper stays, the server's argv is the new one.
    expect(launchArgv(['node', 'server.js', '--port', '1'], existing, null, LAUNCHER).slice(-4)).toEqual(['node', 'server.js', '--port', '1']);
  });

  it('unwraps for pool 1', () => {
    const existing = { launcher: LAUNCHER, flags: proxyFlags(S4), server };
    expect(launchArgv(server, existing, { ...S4, pool: 1 }, LAUNCHER)).toEqual(server);
  });
});

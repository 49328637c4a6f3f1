/**
 * `mcp-opt proxy --config FILE -- …` runs with the config's "proxy" section (what `tune --apply`
 * writes there after --via-proxy), and a flag given beside it wins.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noLeftovers } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { logged, RpcClient, startProxy } from '../helpers/proxy.js';

const RELAY = fixturePath('relay.mjs');

describe('mcp-opt proxy --config', () => {
  it('starts the pool the config describes (spread with affinity none); --pool beside it wins', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpopt-proxy-config-'));
    const config = join(dir, 'mcp-opt.config.json');
    writeFileSync(config, '{\n  // written by tune --apply\n  "proxy": { "pool": 2, "affinity": "none", "balance": "round-robin" }\n}\n');

    const run = await startProxy(['--config', config, '--', process.execPath, RELAY]);
    expect(await logged(run, /\d+ instances? ready.*/)).toMatch(/^2 instances ready .*affinity none, balance round-robin$/);
    await run.client.initialize();
    const pids = new Set<number>();
    for (let i = 0; i < 4; i++) pids.add((JSON.parse(RpcClient.text(await run.client.call('whoami'))) as { pid: number }).pid);
    // Round-robin over two instances, one request at a time: both answered.
    expect(pids.size).toBe(2);
    expect(await run.end()).toBe(0);
    await noLeftovers(run.testId);

    const one = await startProxy(['--config', config, '--pool', '1', '--', process.execPath, RELAY]);
    expect(await logged(one, /\d+ instances? ready.*/)).toMatch(/^1 instance ready .*affinity none, balance round-robin$/);
    expect(await one.end()).toBe(0);
    await noLeftovers(one.testId);
  });
});

/**
 * `mcp-opt proxy` under faults: a killed instance under load is replaced and no request hangs;
 * a full queue, a queue timeout and a request timeout give clear JSON-RPC errors at once; an
 * instance that stops answering is ejected; --recycle-after replaces an instance; --log-format json
 * tells each of these as one JSON object per line.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/cli.js';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';
import { logged, RpcClient, StdioProxies, type ProxyRun } from '../helpers/proxy.js';

const RELAY = fixturePath('relay.mjs');
const proxies = new StdioProxies();
let run: ProxyRun | null = null;
afterEach(() => proxies.stop());

const pidOf = async (c: RpcClient): Promise<number> => (JSON.parse(RpcClient.text(await c.call('whoami'))) as { pid: number }).pid;

describe('supervision', () => {
  it('--log-format json: every stderr line is one event object (time, level, event, msg, fields); a crash is instance_exited, then instance_restarted', async () => {
    run = await proxies.start(['--log-format', 'json', '--pool', '1', '--', process.execPath, RELAY]);
    await run.client.initialize();
    const pid = await pidOf(run.client);
    expect((await run.client.call('crash', { code: 9 })).error).toMatchObject({ code: -32003 });
    await logged(run, /"event":"instance_restarted"/);
    const events = run.stderr().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const e of events) expect(Object.keys(e).slice(0, 4)).toEqual(['time', 'level', 'event', 'msg']);
    expect(events.map((e) => e['event'])).toEqual(['starting', 'pool_ready', 'serving', 'instance_exited', 'instance_restarted']);
    expect(events[1]).toMatchObject({ level: 'info', instances: 1, era: 'legacy', pids: [pid] });
    expect(events[3]).toMatchObject({ level: 'warn', slot: 0, pid, exitCode: 9, reason: 'the server process exited' });
    expect(events[4]).toMatchObject({ slot: 0, pid: expect.any(Number) });
    expect(events[4]!['pid']).not.toBe(pid);
  });

  it('an instance that dies under load: its requests fail at once with -32003, the others succeed, and a new instance takes its place', async () => {
    run = await proxies.start(['--pool', '2', '--affinity', 'none', '--balance', 'round-robin', '--', process.execPath, RELAY]);
    const c = run.client;
    await c.initialize();
    const before = new Set([await pidOf(c), await pidOf(c)]);
    expect(before.size).toBe(2);
    // Ten slow calls spread over both instances, then one instance crashes.
    const slow = Array.from({ length: 10 }, () => c.call('slow', { ms: 1500 }));
    await new Promise((r) => setTimeout(r, 100));
    const crashAt = performance.now();
    void c.call('crash', { code: 9 });
    const answers = await Promise.all(slow);
    const failed = answers.filter((a) => a.error);
    // The crashed instance's share failed, and as soon as it died, not when the call would have ended.
    expect(failed.length).toBeGreaterThanOrEqual(4);
    expect(failed.length).toBeLessThanOrEqual(6);
    for (const f of failed) expect(f.error).toMatchObject({ code: -32003, message: expect.stringMatching(/instance handling this request ended/) });
    expect(answers.filter((a) => !a.error).every((a) => RpcClient.text(a) === 'slept 1500')).toBe(true);
    expect(performance.now() - crashAt).toBeLessThan(10_000);
    await logged(run, /instance \d \(pid \d+\) ended: the server process exited \(exit code 9\)/);
    // Respawned: two live instances again, one of them new.
    await logged(run, /ready in \d+ ms \(restarted\)/);
    const after = new Set<number>();
    const until = performance.now() + 10_000;
    while (after.size < 2 && performance.now() < until) after.add(await pidOf(c));
    expect(after.size).toBe(2);
    expect([...after].filter((p) => !before.has(p))).toHaveLength(1);
    expect(c.pending).toBe(0);
  });

  it('a full queue is refused at once (-32004), a request that waits too long gets -32005, and --request-timeout answers -32001 and cancels it on the server', async () => {
    const cancelLog = tmpFile('cancel.log');
    run = await proxies.start(['--pool', '1', '--max-inflight-per-instance', '1', '--queue', '1', '--queue-timeout', '300ms', '--request-timeout', '1s', '--', process.execPath, RELAY], { CANCEL_LOG: cancelLog });
    const c = run.client;
    await c.initialize();
    const first = c.call('slow', { ms: 5000 });
    await new Promise((r) => setTimeout(r, 50));
    const queued = c.call('echo', { message: 'queued' });
    const t0 = performance.now();
    const refused = await c.call('echo', { message: 'one too many' });
    expect(performance.now() - t0).toBeLessThan(200);
    expect(refused.error).toMatchObject({ code: -32004, message: expect.stringMatching(/queue is full \(1 requests waiting/) });
    expect((await queued).error).toMatchObject({ code: -32005, message: expect.stringMatching(/no instance was free for 300 ms/) });
    const timedOut = await first;
    expect(timedOut.error).toMatchObject({ code: -32001, message: expect.stringMatching(/did not answer within 1000 ms/) });
    expect(await waitFor(() => readIfExists(cancelLog) !== '', 3000)).toBe(true);
    // The instance is free again.
    expect(RpcClient.text(await c.call('echo', { message: 'free' }))).toBe('free');
  });

  it('--recycle-after 3 replaces an instance after three requests, between requests', async () => {
    run = await proxies.start(['--pool', '1', '--recycle-after', '3', '--', process.execPath, RELAY]);
    const c = run.client;
    await c.initialize();
    const pids = [];
    for (let k = 0; k < 4; k++) pids.push(await pidOf(c));
    expect(new Set(pids.slice(0, 3)).size).toBe(1);
    expect(pids[3]).not.toBe(pids[0]);
    expect(run.stderr()).toMatch(/replaced: served 3 requests \(--recycle-after 3\)/);
  });

  it('an instance that stops reading its input is ejected by the health probe and replaced', async () => {
    // minimal-raw answers its first 3 requests (initialize, then 2), then never reads stdin again.
    run = await proxies.start(['--pool', '1', '--health-interval', '300ms', '--health-timeout', '300ms', '--', process.execPath, fixturePath('minimal-raw.mjs')], { STOP_READING_AFTER: '3' });
    const c = run.client;
    await c.initialize();
    expect((await c.request('tools/list', {})).result).toBeDefined();
    await logged(run, /did not answer a health probe within 300 ms: ejected/, 10_000);
    // A fresh instance answers (it too stops after 3 requests: one is enough here).
    await logged(run, /ready in \d+ ms \(restarted\)/);
    expect((await c.request('tools/list', {})).result).toBeDefined();
  });
});

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

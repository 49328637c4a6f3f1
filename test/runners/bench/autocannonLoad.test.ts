/**
 * The autocannon closed loop against the real HTTP fixtures: request/answer pairing with a mix and
 * with pipelining, JSON and SSE answers, the 2026-07-28 era, failures by class, bailout, Ctrl-C,
 * session expiry and a server that dies.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { runAutocannonClosedLoop, type AutocannonLoadOptions } from '../../../src/runners/bench/http/autocannonLoad.js';
import { runAutocannonOnTarget } from '../../../src/runners/bench/http/autocannonTarget.js';
import { openTarget, type Target } from '../../../src/target/target.js';
import type { Era } from '../../../src/target/protocol.js';
import type { Operation } from '../../../src/workload/operations.js';
import { Mix } from '../../../src/workload/mix.js';
import { httpSpec, startHttpFixture, type HttpFixture } from '../../target/httpFixture.js';

const client = { name: 'mcp-opt-test', version: '0' };
const call = (name: string, args: (seq: number) => string, weight = 1): Operation => ({
  op: `tools/call:${name}`, method: 'tools/call', name, weight, argsSource: 'template',
  params: (seq) => `{"name":"${name}","arguments":${args(seq)}}`,
});
const ECHO = call('echo', (seq) => `{"text":"t${seq}"}`);
const ADD = call('add', (seq) => `{"a":${seq},"b":1}`);
const LIST: Operation = { op: 'tools/list', method: 'tools/list', weight: 1, argsSource: 'none', params: () => undefined };

let fixture: HttpFixture | null = null;
let target: Target | null = null;
afterEach(async () => {
  await target?.close();
  await fixture?.stop();
  target = fixture = null;
});

async function open(mode: string, env: Record<string, string> = {}, era: Era = 'legacy'): Promise<Target> {
  fixture = await startHttpFixture(mode, env);
  target = await openTarget(httpSpec(fixture.url), { era, startTimeoutMs: 5000, requestTimeoutMs: 5000, client });
  return target;
}

function load(t: Target, ops: Operation[], over: Partial<Omit<AutocannonLoadOptions, 'url' | 'headersFor' | 'envelope'>>) {
  const mix = new Mix(ops, 1);
  return runAutocannonOnTarget(t, client, {
    connections: 2, pipelining: 1, nextOp: () => mix.next(), opLabels: ops.map((o) => o.op), warmupMs: 0,
    durationMs: null, requests: null, timeoutMs: 5000, bailout: null, giveUpMs: null, signal: new AbortController().signal, ...over,
  });
}

describe.each(['json', 'streamable'])('autocannon closed loop (MODE=%s)', (mode) => {
  it('pairs every answer with its request across a mix and stops at --requests with nothing abandoned', async () => {
    const t = await open(mode);
    const o = await load(t, [ECHO, ADD, LIST], { connections: 3, requests: 300 });
    expect(o.stopReason).toBe('done');
    expect(o.total).toMatchObject({ requests: 300, succeeded: 300, failed: 0 });
    expect(o.abandoned).toBe(0);
    const per = Object.fromEntries([...o.byOp].map(([op, s]) => [op, s.succeeded]));
    expect(Object.keys(per).sort()).toEqual(['tools/call:add', 'tools/call:echo', 'tools/list']);
    expect(Object.values(per).reduce((a, b) => a + b, 0)).toBe(300);
    expect(o.byOp.get('tools/list')!.corrected.n).toBe(per['tools/list']);
    expect(o.autocannon.perConnection.reduce((a, c) => a + c.sent, 0)).toBe(o.autocannon.sent);
    expect(o.hygiene.totalViolations).toBe(0);
  });

  it('pipelines: 4 requests in flight per connection, answers paired in order', async () => {
    const t = await open(mode);
    const o = await load(t, [ECHO, ADD], { connections: 2, pipelining: 4, requests: 400 });
    expect(o.total.failed).toBe(0);
    expect(o.hygiene.totalViolations).toBe(0);
    // The last answer on each connection closes it; up to 3 pipelined behind it are abandoned.
    expect(o.abandoned).toBeLessThanOrEqual(2 * 3);
    expect(o.total.succeeded).toBe(400 - o.abandoned);
  });
});

it('speaks the 2026-07-28 era: Mcp-Method/Mcp-Name headers and the _meta envelope on every request', async () => {
  const t = await open('modern', {}, 'modern');
  const before = await fixture!.stats();
  const o = await load(t, [ECHO, LIST], { requests: 200 });
  expect(o.total).toMatchObject({ succeeded: 200, failed: 0 });
  const after = await fixture!.stats();
  const methodHeaders = (s: Record<string, any>, m: string): number => s.methodHeaders[m] ?? 0;
  expect(methodHeaders(after, 'tools/call') - methodHeaders(before, 'tools/call') + methodHeaders(after, 'tools/list') - methodHeaders(before, 'tools/list'))
    .toBe(o.autocannon.sent);
});

it('counts failures by class apart from latencies, and bails out', async () => {
  const t = await open('json');
  const nope: Operation = { op: 'nope', method: 'no/such/method', weight: 1, argsSource: 'none', params: () => undefined };
  const o = await load(t, [ECHO, nope], { durationMs: 5000, bailout: 30 });
  expect(o.stopReason).toBe('bailout');
  expect(o.byOp.get('nope')!.errors).toEqual({ 'jsonrpc:-32601': o.byOp.get('nope')!.failed });
  expect(o.byOp.get('nope')!.corrected.n).toBe(0);
  expect(o.total.failed).toBeGreaterThanOrEqual(30);
  expect(o.total.corrected.n).toBe(o.total.succeeded);
  expect(o.measuredMs).toBeLessThan(2000);
});

it('without one success, stops early at the default bailout ("no-success")', async () => {
  const t = await open('json');
  const nope: Operation = { op: 'nope', method: 'no/such/method', weight: 1, argsSource: 'none', params: () => undefined };
  const o = await load(t, [nope], { durationMs: 30_000, giveUpMs: 300 });
  expect(o.stopReason).toBe('no-success');
  expect(o.total.succeeded).toBe(0);
  expect(o.total.failed).toBeGreaterThan(0);
  expect(o.measuredMs).toBeLessThan(20_000);
});

it('stops on Ctrl-C within the drain allowance', async () => {
  const t = await open('json', { SERVICE_MS: '5' });
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 300);
  const started = performance.now();
  const o = await load(t, [ECHO], { durationMs: 10_000, signal: ac.signal });
  expect(o.stopReason).toBe('interrupted');
  expect(performance.now() - started).toBeLessThan(1500);
  expect(o.total.succeeded).toBeGreaterThan(20);
});

// Before: autocannon's path stopped at the first expiry ("cannot re-initialize"); the own engine re-initialized.
it('re-initializes the session when the server expires it (404), as the own engine does, and the run goes on', async () => {
  const t = await open('json', { EXPIRE_SESSION_AFTER: '40' });
  const before = await fixture!.stats();
  const o = await load(t, [ECHO], { durationMs: 1500 });
  expect(o.stopReason).toBe('done');
  expect(o.failure).toBeNull();
  const after = await fixture!.stats();
  expect(after.sessionsExpired - before.sessionsExpired).toBe(1);
  expect(after.initializes - before.initializes).toBe(1);
  expect(t.session.transport.connectionStats?.sessionReinits).toBe(1);
  // Only requests caught in the expiry fail, as session_expired, out of the latencies.
  expect(Object.keys(o.total.errors)).toEqual(['session_expired']);
  expect(o.total.corrected.n).toBe(o.total.succeeded);
  expect(o.total.succeeded).toBeGreaterThan(40);
  expect(o.total.succeeded + o.total.failed + o.abandoned).toBe(o.total.requests);
});

it('a second expiry ends the run with a clear failure (one re-initialize per run, as the own engine)', async () => {
  const t = await open('json', { EXPIRE_SESSION_AFTER: '30', EXPIRE_ALWAYS: '1' });
  const o = await load(t, [ECHO], { durationMs: 5000 });
  expect(o.stopReason).toBe('target-failed');
  expect(o.failure?.message).toMatch(/expired the MCP session .* could not be re-initialized: the server expired the session again/);
  expect(Object.keys(o.total.errors)).toEqual(['session_expired']);
});

it('stops when the server dies mid-run: lost requests are closed, the run is target-failed', async () => {
  const t = await open('json', { SERVICE_MS: '5' });
  const started = performance.now();
  setTimeout(() => void fixture!.stop(), 400);
  const o = await load(t, [ECHO], { durationMs: 10_000 });
  expect(o.stopReason).toBe('target-failed');
  expect(o.failure?.message).toMatch(/could not connect to http:\/\/127\.0\.0\.1:\d+\/mcp \(ECONNREFUSED\): the server is no longer listening/);
  expect(performance.now() - started).toBeLessThan(3000);
  expect(o.total.succeeded).toBeGreaterThan(20);
});

it('refuses https:// targets: autocannon would skip certificate verification', async () => {
  const o = runAutocannonClosedLoop({
    url: new URL('https://user:secret@127.0.0.1:1/mcp'), headersFor: () => ({}), connections: 1, pipelining: 1, nextOp: () => ECHO,
    warmupMs: 0, durationMs: 100, requests: null, timeoutMs: 1000, bailout: null, giveUpMs: null, signal: new AbortController().signal,
  });
  await expect(o).rejects.toThrow(UsageError);
  await expect(o).rejects.toThrow(/does not verify TLS certificates/);
  await expect(o).rejects.not.toThrow(/secret/);
});

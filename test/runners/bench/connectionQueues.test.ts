/**
 * Pairing autocannon answers with requests (connectionQueues.ts), with fake clients that emit
 * 'request' the way autocannon 9's lib/httpClient.js does: the first send of a connection reuses
 * the request built in its constructor (reqsMade 0, nothing built); later ones build after it.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ConnectionQueues, type ClientInternals, type Sent } from '../../../src/runners/bench/http/connectionQueues.js';
import type { Operation } from '../../../src/workload/operations.js';

const OP: Operation = { op: 'ping', method: 'ping', weight: 1, argsSource: 'none', params: () => undefined };
const sent = (id: number): Sent => ({ id, op: OP, stats: null, sentAt: id, done: false, gen: 0 });
const reply = (id: number) => ({ jsonrpc: '2.0', id, result: {} });

/** A fake connection: constructed (first request built, then setupClient), then `send(id)` per later request. */
function connect(q: ConnectionQueues, firstId: number) {
  const client = Object.assign(new EventEmitter(), { reqsMade: 0, responseMax: undefined }) as unknown as ClientInternals;
  q.add(sent(firstId)); // built in the constructor's RequestIterator
  const c = q.attach(client); // setupClient
  client.emit('request'); // first _doRequest: no build
  client.reqsMade++;
  return {
    c,
    send(id: number) {
      client.emit('request');
      q.add(sent(id)); // setupRequest, synchronously after 'request'
      client.reqsMade++;
    },
  };
}

describe('ConnectionQueues', () => {
  it('queues each request on the connection that sends it, first requests included', () => {
    const q = new ConnectionQueues();
    const a = connect(q, 1);
    const b = connect(q, 2);
    a.send(3);
    b.send(4);
    a.send(5);
    expect(a.c.queue.map((s) => s.id)).toEqual([1, 3, 5]);
    expect(b.c.queue.map((s) => s.id)).toEqual([2, 4]);
    expect(q.size).toBe(5);
  });

  it('pairs answers in order, id-less answers with the head, and skips settled requests', () => {
    const q = new ConnectionQueues();
    const a = connect(q, 1);
    a.send(2);
    a.send(3);
    const m1 = q.match(a.c, [reply(1)]);
    expect(m1).toMatchObject({ inOrder: true, lost: [] });
    q.settle(m1.sent!);
    const m2 = q.match(a.c, []); // an HTTP error without a JSON-RPC id
    expect(m2.sent?.id).toBe(2);
    q.settle(m2.sent!);
    expect(q.shift(a.c)?.id).toBe(3); // a timeout takes the oldest
    expect(q.match(a.c, [])).toMatchObject({ sent: undefined });
    expect(a.c.answered).toBe(3);
  });

  it('treats requests skipped by an answer as lost, and says the answer was out of order', () => {
    const q = new ConnectionQueues();
    const a = connect(q, 1);
    a.send(2);
    a.send(3);
    const m = q.match(a.c, [reply(3)]);
    expect(m.sent?.id).toBe(3);
    expect(m.inOrder).toBe(false);
    expect(m.lost.map((s) => s.id)).toEqual([1, 2]);
    expect(a.c.queue).toEqual([]);
  });

  it('ignores ids it did not send', () => {
    const q = new ConnectionQueues();
    const a = connect(q, 1);
    const m = q.match(a.c, [reply(99)]);
    expect(m).toMatchObject({ inOrder: true, lost: [] });
    expect(m.sent?.id).toBe(1);
  });
});

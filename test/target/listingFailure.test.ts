import { describe, expect, it } from 'vitest';
import { TargetError } from '../../src/errors.js';
import type { Reply } from '../../src/target/session.js';
import { listingFailure } from '../../src/target/toolList.js';

const reply = (outcome: Reply['outcome'], error?: Reply['error']): Reply =>
  ({ id: 1, method: 'tools/list', sentAt: 0, doneAt: 1, outcome, result: outcome === 'result' ? { tools: [] } : undefined, error });

describe('listingFailure', () => {
  it('a JSON-RPC error or an HTTP error status on tools/list is a target failure naming the error', () => {
    const rpc = listingFailure(reply('error', { code: -32603, message: 'Internal error: registry down' }), { tools: {} });
    expect(rpc).toBeInstanceOf(TargetError);
    expect(rpc!.exitCode).toBe(3);
    expect(rpc!.message).toMatch(/^tools\/list failed: the server answered with error -32603: "Internal error: registry down"/);
    const http = listingFailure(reply('error', { code: -32000, message: 'HTTP 400 (application/json): "Bad Request"' }), null);
    expect(http!.message).toContain('HTTP 400');
  });

  it('-32601 means "no tools" only from a server that declares no tools capability', () => {
    const notFound = reply('error', { code: -32601, message: 'Method not found' });
    expect(listingFailure(notFound, { prompts: {} })).toBeNull();
    expect(listingFailure(notFound, null)).toBeNull();
    expect(listingFailure(notFound, { tools: {} })).toBeInstanceOf(TargetError);
  });

  it('a result is no failure, and control characters in the message are not echoed', () => {
    expect(listingFailure(reply('result'), { tools: {} })).toBeNull();
    const text = listingFailure(reply('error', { code: 1, message: 'bad\u001b[31m red\u0007' }), null)!.message;
    expect(text).not.toMatch(/[\u0000-\u001f]/);
  });
});

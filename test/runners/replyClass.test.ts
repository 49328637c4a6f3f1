import { describe, expect, it } from 'vitest';
import { ARGUMENT_REJECTED, classifyReply, cleanText, ErrorLog, errorText, isRejectionText, looksLikeError } from '../../src/runners/replyClass.js';
import { failureClass } from '../../src/runners/bench/recording.js';
import { serverErrorRatePct } from '../../src/runners/bench/resultBuild.js';
import type { Reply } from '../../src/target/session.js';

const base = { id: 1, sentAt: 0, doneAt: 1, result: undefined, error: undefined };
const call = (result: unknown): Reply => ({ ...base, method: 'tools/call', outcome: 'result', result });
const callError = (code: number, message: string, data?: unknown): Reply => ({ ...base, method: 'tools/call', outcome: 'error', error: { code, message, data } });
const text = (t: string, isError = false): unknown => ({ content: [{ type: 'text', text: t }], ...(isError ? { isError: true } : {}) });
const params = (args: Record<string, unknown>): string => JSON.stringify({ name: 'read', arguments: args });

describe('classifyReply', () => {
  it('a result without isError is a success', () => {
    expect(classifyReply(call(text('ok')))).toBeNull();
  });

  it('JSON-RPC invalid params (-32602) on a tools/call is an argument rejection, other codes are jsonrpc:<code>', () => {
    expect(classifyReply(callError(-32602, 'Invalid params'))).toBe(ARGUMENT_REJECTED);
    expect(classifyReply(callError(-32603, 'Internal error'))).toBe('jsonrpc:-32603');
    // Not a tools/call: the arguments were not mcp-opt's synthesis.
    expect(classifyReply({ ...callError(-32602, 'bad cursor'), method: 'tools/list' })).toBe('jsonrpc:-32602');
  });

  it.each([
    'Access denied - path outside allowed directories: /tmp/x not in /home/u/allowed',
    'MCP error -32602: Input validation error: Invalid arguments for tool echo: expected string',
    'Invalid argument: limit must be positive',
    'Validation error: query is required',
    'Writing to /etc is not allowed',
  ])('an isError result saying "%s" is an argument rejection', (t) => {
    expect(classifyReply(call(text(t, true)))).toBe(ARGUMENT_REJECTED);
  });

  it('an isError result from the server\'s own failure stays isError', () => {
    expect(classifyReply(call(text('Error: upstream unavailable (HTTP 503)', true)))).toBe('isError');
    expect(classifyReply(call({ isError: true }))).toBe('isError');
  });

  it('ENOENT is the arguments\' fault only when it names a value that was sent', () => {
    const missing = call(text("ENOENT: no such file or directory, stat '/srv/allowed/mcp-opt'", true));
    expect(classifyReply(missing, params({ path: 'mcp-opt' }))).toBe(ARGUMENT_REJECTED);
    // The server's own config file is missing: a server failure.
    const config = call(text("ENOENT: no such file or directory, open '/etc/server/config.json'", true));
    expect(classifyReply(config, params({ path: 'mcp-opt' }))).toBe('isError');
    // A directory where a file was wanted (server-filesystem's read_file of a directory): always the arguments.
    expect(isRejectionText('EISDIR: illegal operation on a directory, read', params({ path: '/srv' }))).toBe(true);
  });

  it('outcomes without an answer keep their name; bench adds HTTP classes first', () => {
    expect(classifyReply({ ...base, method: 'ping', outcome: 'timeout' })).toBe('timeout');
    expect(failureClass(callError(-32602, 'Invalid params'))).toBe(ARGUMENT_REJECTED);
    expect(failureClass(callError(-32000, 'Not found', { httpStatus: 404 }))).toBe('http:404');
  });
});

describe('error texts', () => {
  it('errorText reads the JSON-RPC message (with string data) or the first text of an isError result', () => {
    expect(errorText(callError(-32603, 'Internal error', 'db down'))).toBe('Internal error: db down');
    expect(errorText(call({ content: [{ type: 'image', data: '' }, { type: 'text', text: 'boom' }], isError: true }))).toBe('boom');
    expect(errorText({ ...base, method: 'ping', outcome: 'timeout' })).toBeNull();
  });

  it('cleanText strips control characters and escape sequences, folds whitespace and cuts long texts', () => {
    expect(cleanText('bad\u001b[31m red\u0007\n\n  line')).toBe('bad red line');
    const long = cleanText('x'.repeat(1000));
    expect(long).toHaveLength(300);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('looksLikeError (heuristic on successful results)', () => {
  it.each([
    'Error fetching https://example.com/: fetch failed',
    'error: connection refused',
    'Traceback (most recent call last):',
    'Request to upstream failed',
    'Unhandled exception in handler',
  ])('flags "%s"', (t) => {
    expect(looksLikeError(call(text(t)))).toBe(true);
  });

  it.each([
    'The weather in Paris is sunny',
    '12 passed, 0 failed',
    `A long report that mentions one failed deploy among many: ${'details '.repeat(80)}`,
    'errors are listed below: none',
  ])('does not flag "%s"', (t) => {
    expect(looksLikeError(call(text(t.slice(0, 700))))).toBe(false);
  });

  it('reads only tools/call results, and only the first content item', () => {
    expect(looksLikeError({ ...call(text('Error: x')), method: 'tools/list' })).toBe(false);
    expect(looksLikeError(call({ content: [{ type: 'text', text: 'fine' }, { type: 'text', text: 'Error: x' }] }))).toBe(false);
  });
});

describe('ErrorLog', () => {
  it('keeps the first reply of each class, with arguments only when synthesised, and counts error-like successes', () => {
    const log = new ErrorLog();
    log.note('isError', call(text('Error: first', true)), 'tools/call:a', params({ q: 'mcp-opt' }), true);
    log.note('isError', call(text('Error: second', true)), 'tools/call:a', params({ q: 'x' }), true);
    log.note('jsonrpc:-32603', callError(-32603, 'Internal error'), 'tools/call:b', params({ token: 'given' }), false);
    log.note(null, call(text('Error: fetch failed')), 'tools/call:c', undefined, false);
    log.note(null, call(text('Error: fetch failed again')), 'tools/call:c', undefined, false);
    log.note(null, call(text('fine')), 'tools/call:c', undefined, false);
    expect(log.samples).toEqual({
      isError: { op: 'tools/call:a', message: 'Error: first', args: { q: 'mcp-opt' } },
      'jsonrpc:-32603': { op: 'tools/call:b', message: 'Internal error', args: null },
    });
    expect(log.errorLike).toEqual({ count: 2, sample: { op: 'tools/call:c', message: 'Error: fetch failed', args: null } });
  });
});

describe('serverErrorRatePct', () => {
  it('leaves argument rejections out of both the failures and the requests judged', () => {
    // 90 successes, 10 server failures, 100 rejected: 10 % (not 55 %, not 5 %).
    expect(serverErrorRatePct(90, 110, { isError: 10, [ARGUMENT_REJECTED]: 100 })).toBe(10);
    expect(serverErrorRatePct(0, 30, { [ARGUMENT_REJECTED]: 30 })).toBe(0);
    expect(serverErrorRatePct(0, 30, { 'jsonrpc:-32603': 30 })).toBe(100);
  });
});

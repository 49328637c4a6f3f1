import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/errorSink.js';
import { EXIT_CODES, InternalError, TargetError, UsageError } from '../../src/errors.js';
import { Redactor } from '../../src/result/redact.js';

describe('reportError', () => {
  /** A stderr that records each write. */
  const capture = (): { out: Writable; writes: string[] } => {
    const writes: string[] = [];
    const out = new Writable({
      write(chunk, _enc, done) {
        writes.push(String(chunk));
        done();
      },
    });
    return { out, writes };
  };

  it('returns the error class exit code and prints its message once', () => {
    const { out, writes } = capture();
    expect(reportError(new UsageError('bad flag'), out)).toBe(2);
    expect(reportError(new TargetError('server died'), out)).toBe(3);
    expect(writes).toEqual(['mcp-opt: bad flag\n', 'mcp-opt: server died\n']);
  });

  it('strips escape sequences a server put in the message (HTTP body, SSE event, stderr)', () => {
    const { out, writes } = capture();
    reportError(new TargetError('initialize failed: HTTP 500: \u001b[2J\u001b]0;pwned\u0007body\nnext line'), out);
    expect(writes[0]).toBe('mcp-opt: initialize failed: HTTP 500: body\nnext line\n');
  });

  it('redacts secrets in the message', () => {
    const { out, writes } = capture();
    reportError(new TargetError('stderr said token=s3cr3t-value-123'), out, new Redactor(['s3cr3t-value-123']));
    expect(writes[0]).toBe('mcp-opt: stderr said token=***\n');
  });

  it('an unexpected exception is an internal error: its own exit code (not a target failure), a request to report it, and its stack', () => {
    const { out, writes } = capture();
    const bug = new TypeError('boom');
    expect(reportError(bug, out)).toBe(EXIT_CODES.INTERNAL);
    expect(EXIT_CODES.INTERNAL).toBe(4);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^mcp-opt: internal error: this is a bug in mcp-opt[^\n]*Please report it[^\n]*stack below \(exit 4\):\nTypeError: boom\n    at /);
  });

  it('a bug caught by a runner that saved what it measured (InternalError) is reported like any unexpected exception', () => {
    const { out, writes } = capture();
    expect(reportError(new InternalError(new TypeError('undefined is not a function')), out)).toBe(EXIT_CODES.INTERNAL);
    expect(writes[0]).toMatch(/^mcp-opt: internal error: this is a bug in mcp-opt[^\n]*\(exit 4\):\nTypeError: undefined is not a function\n {4}at /);
  });
});

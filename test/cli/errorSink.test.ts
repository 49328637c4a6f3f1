import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportError } from '../../src/cli/errorSink.js';
import { TargetError, UsageError } from '../../src/errors.js';
import { Redactor } from '../../src/result/redact.js';

describe('reportError', () => {
  const writes: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    writes.length = 0;
  });
  const capture = (): void => {
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
  };

  it('returns the error class exit code and prints its message once', () => {
    capture();
    expect(reportError(new UsageError('bad flag'))).toBe(2);
    expect(reportError(new TargetError('server died'))).toBe(3);
    expect(writes).toEqual(['mcp-opt: bad flag\n', 'mcp-opt: server died\n']);
  });

  it('strips escape sequences a server put in the message (HTTP body, SSE event, stderr)', () => {
    capture();
    reportError(new TargetError('initialize failed: HTTP 500: \u001b[2J\u001b]0;pwned\u0007body\nnext line'));
    expect(writes[0]).toBe('mcp-opt: initialize failed: HTTP 500: body\nnext line\n');
  });

  it('redacts secrets in the message', () => {
    capture();
    reportError(new TargetError('stderr said token=s3cr3t-value-123'), new Redactor(['s3cr3t-value-123']));
    expect(writes[0]).toBe('mcp-opt: stderr said token=***\n');
  });

  it('an unexpected exception is an internal error, exit 3, with its stack', () => {
    capture();
    expect(reportError(new Error('boom'))).toBe(3);
    expect(writes[0]).toMatch(/unexpected internal error[\s\S]*boom/);
  });
});

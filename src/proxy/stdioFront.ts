/**
 * The stdio front: the proxy is the server an MCP client launched. One client session; messages
 * are read from stdin with the same decoder mcp-opt reads servers with (newline-delimited JSON,
 * 2025-11-25 basic/transports), and answers written to stdout, coalesced per tick. stdout carries
 * nothing else: logs go to stderr.
 */
import { Hygiene } from '../target/hygiene.js';
import { StdioDecoder } from '../target/stdioDecoder.js';
import type { Router } from './router.js';

const NEWLINE = Buffer.from('\n');

/** A running stdio front. */
export interface StdioFront {
  /** Resolves when the client closed stdin (the spec's stdio shutdown: the client closes the server's input). */
  readonly ended: Promise<void>;
  /** Stop reading; the session's requests in flight are cancelled. */
  close(): void;
}

/** Serve one client over `stdin`/`stdout`. */
export function startStdioFront(router: Router, stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream): StdioFront {
  let out = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (out.length === 0) return;
    const data = out;
    out = '';
    stdout.write(data);
  };
  const session = router.openSession({
    send(json: string): void {
      out += json;
      out += '\n';
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    },
    sendBytes(parts: readonly Buffer[]): void {
      // What was sent before goes first; one write of the whole message (a copy is cheaper than a syscall per piece).
      flush();
      stdout.write(Buffer.concat([...parts, NEWLINE]));
    },
  });
  const decoder = new StdioDecoder(new Hygiene(), (m, raw) => router.receive(session, m, raw));
  const onData = (chunk: Buffer | string): void => decoder.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  let resolveEnded!: () => void;
  const ended = new Promise<void>((r) => (resolveEnded = r));
  const onEnd = (): void => {
    decoder.end();
    resolveEnded();
  };
  stdin.on('data', onData);
  stdin.once('end', onEnd);
  stdin.once('close', onEnd);
  return {
    ended,
    close() {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('close', onEnd);
      // A stdin still open would keep the process alive after a signal stopped the proxy.
      (stdin as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      flush();
      router.closeSession(session);
    },
  };
}

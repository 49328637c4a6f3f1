/**
 * The one place that turns an error into a message and an exit code (hyperfine's main, the
 * Inspector's error-handler). An unexpected exception is a bug: it prints its stack and exits 4.
 */
import { EXIT_CODES, InternalError, McpOptError, type ExitCode } from '../errors.js';
import type { Redactor } from '../result/redact.js';
import { scrubText } from '../target/argvSecrets.js';
import { stripControl } from '../util/controlChars.js';
import { writeTo, type OutStream } from './io.js';

/** Print `err` to `stderr` and return the exit code to use. */
export function reportError(err: unknown, stderr: OutStream, redactor?: Redactor): ExitCode {
  const { message, code } = describeError(err, redactor);
  writeTo(stderr, `mcp-opt: ${message}\n`);
  return code;
}

/** What reportError prints for `err` (without its `mcp-opt: ` prefix), and the exit code: for a sink of another format (the proxy's --log-format json). */
export function describeError(err: unknown, redactor?: Redactor): { message: string; code: ExitCode } {
  // Messages can quote server output (HTTP bodies, SSE events, stderr): no escape sequences reach the
  // terminal. Before the target is resolved there is no redactor, but secret-shaped text is still masked.
  const scrub = (s: string): string => stripControl(redactor ? redactor.text(s) : scrubText(s).text);
  if (err instanceof McpOptError && !(err instanceof InternalError)) return { message: scrub(err.message), code: err.exitCode };
  const bug = err instanceof InternalError ? err.cause : err;
  const text = bug instanceof Error ? bug.stack ?? bug.message : String(bug);
  const message = 'internal error: this is a bug in mcp-opt, not a problem with your server or flags. ' +
    `Please report it (an issue in mcp-opt's repository) with the command you ran, \`mcp-opt --version\` and the stack below (exit ${EXIT_CODES.INTERNAL}):\n${scrub(text)}`;
  return { message, code: EXIT_CODES.INTERNAL };
}

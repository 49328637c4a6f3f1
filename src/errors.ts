/**
 * Exit codes and the error classes that carry them. One sink (src/cli/errorSink.ts) prints an
 * error and picks its code; only bin/mcp-opt.js ends the process with it.
 * The codes are documented in README.md and `mcp-opt --help`.
 */
export const EXIT_CODES = {
  /** Everything ran and every user budget passed. */
  OK: 0,
  /** The run finished but at least one budget failed. */
  BUDGET_FAILED: 1,
  /** Bad flags, bad config, nothing to launch, command not found, a result that cannot be saved: fix the invocation or the environment. */
  USAGE: 2,
  /** The target failed: could not start, connect or complete the handshake, died mid-run, or answered no request successfully. */
  TARGET_FAILED: 3,
  /** A bug in mcp-opt: an unexpected exception, not one of the failures above (please report it). */
  INTERNAL: 4,
  /** Interrupted by SIGINT, SIGTERM, SIGHUP or SIGQUIT (128 + 2, as shells report Ctrl-C, for each). */
  INTERRUPTED: 130,
} as const;

/** One of the EXIT_CODES values. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** Base class: a message for the user, already phrased as "what went wrong; what to do". */
export class McpOptError extends Error {
  /** Process exit code this error maps to. */
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Invalid flags, config, budgets, or a target that names nothing runnable. Exit 2. */
export class UsageError extends McpOptError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT_CODES.USAGE, options);
  }
}

/** Details of a server process that ended, attached to target failures. */
export interface ExitInfo {
  /** Exit code, or null when ended by a signal. */
  code: number | null;
  /** Signal name, or null when it exited by itself. */
  signal: string | null;
  /** Last lines the server wrote to stderr (already redacted). */
  stderrTail: string[];
}

/** The server could not be started, reached, or handshaken with, or died. Exit 3. */
export class TargetError extends McpOptError {
  /** How the server process ended, when it did. */
  readonly exit: ExitInfo | undefined;
  constructor(message: string, exit?: ExitInfo, options?: { cause?: unknown }) {
    super(message, EXIT_CODES.TARGET_FAILED, options);
    this.exit = exit;
  }
}

/** The user pressed Ctrl-C (or the process got SIGTERM, SIGHUP or SIGQUIT). Exit 130. */
export class InterruptedError extends McpOptError {
  constructor(message = 'Interrupted.') {
    super(message, EXIT_CODES.INTERRUPTED);
  }
}

/**
 * A bug in mcp-opt caught where a run can still save what it measured (e.g. tune between points);
 * the error sink reports its cause as any unexpected exception. Exit 4.
 */
export class InternalError extends McpOptError {
  constructor(cause: unknown) {
    super(`internal error: ${cause instanceof Error ? cause.message : String(cause)}`, EXIT_CODES.INTERNAL, { cause });
  }
}

/** Format an ExitInfo for a one-paragraph error message. */
export function describeExit(exit: ExitInfo): string {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const tail = exit.stderrTail.length
    ? ` Its last stderr lines:\n    ${exit.stderrTail.slice(-10).join('\n    ')}`
    : ' It wrote nothing to stderr.';
  return `The server ${how}.${tail}`;
}

/** The first line of an error message, for a one-line reason (the stderr tail that follows it is dropped). */
export function oneLine(message: string): string {
  return message.split('\n')[0]!.replace(/\s*Its last stderr lines:$/, '').replace(/\.$/, '');
}

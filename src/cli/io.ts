/**
 * What one run of the CLI may touch of the world outside its arguments: its output streams, its
 * environment and working directory, and (the real process only) how to end the process at once.
 * The bin shim passes the process's own; tests pass captured streams and run `main` in-process.
 */

/** An output stream: a terminal, a pipe or file, or a test's capture. */
export interface OutStream extends NodeJS.WritableStream {
  /** True when a terminal (colour, spinners, in-place progress lines). */
  isTTY?: boolean;
  /** The terminal's width, characters (undefined when unknown or not a terminal). */
  columns?: number;
}

/** The streams, environment and process hooks of one CLI run. */
export interface Io {
  /** Results and reports (with --json, only the result JSON). */
  stdout: OutStream;
  /** Progress, notes and error messages. */
  stderr: OutStream;
  /** Input: `mcp-opt proxy`'s stdio front reads its client's requests here (default: the process's stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Environment: NO_COLOR, placeholders in configs, and the base of launched servers' environment. */
  env: NodeJS.ProcessEnv;
  /** Working directory that relative paths (targets, --out, configs, reports/) resolve against. */
  cwd: string;
  /**
   * Ends the process at once with a code. Given only by the real process (bin/mcp-opt.js): with it
   * the run installs SIGINT/SIGTERM/SIGHUP/SIGQUIT handlers, without it (in-process tests) none.
   */
  exit?: (code: number) => void;
  /** Stops the run as a first SIGTERM would (graceful), for in-process callers, which get no signal handlers. */
  signal?: AbortSignal;
}

/** Write `text` to a stream that may be gone (a terminal that hung up, a reader that went away). */
export function writeTo(out: OutStream, text: string): void {
  try {
    out.write(text);
  } catch {
    /* the stream is gone */
  }
}

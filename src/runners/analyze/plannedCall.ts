/**
 * A tool call analyze will make: which tool, with which arguments, and where the arguments came from.
 */
export interface PlannedCall {
  /** Tool name. */
  name: string;
  /** Arguments object. */
  args: Record<string, unknown>;
  /** 'given with --call' or 'synthesised from inputSchema' (with notes when it had to guess). */
  argsSource: string;
  /** Position of the tool in tools/list (0-based), or -1 when unknown. */
  index: number;
  /** The tool's inputSchema, for other arguments when the server rejects synthesised ones (absent: none tried). */
  schema?: unknown;
}

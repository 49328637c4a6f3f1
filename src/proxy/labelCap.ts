/**
 * Label values of bounded cardinality for /metrics: a client chooses the method and tool names it
 * sends, and every distinct label value is a series Prometheus keeps, so names beyond a bound
 * share one value.
 */
import { CLIENT_REQUEST_METHODS } from '../target/protocol.js';

/** Tool names with a label value of their own at most; later ones count as "other". */
export const MAX_TOOL_LABELS = 200;
/** Label value of a method outside the MCP request methods, and of tools beyond MAX_TOOL_LABELS. */
export const OTHER_LABEL = 'other';

/** MCP request methods keep their name; the first MAX_TOOL_LABELS tool names seen keep theirs; the rest are "other". */
export class LabelCap {
  private readonly methods = new Set(CLIENT_REQUEST_METHODS);
  private readonly tools = new Set<string>();

  /** The method's label value. */
  method(method: string): string {
    return this.methods.has(method) ? method : OTHER_LABEL;
  }

  /** The tool's label value ('' for none). */
  tool(tool: string | null): string {
    if (tool === null) return '';
    if (this.tools.has(tool)) return tool;
    if (this.tools.size >= MAX_TOOL_LABELS) return OTHER_LABEL;
    this.tools.add(tool);
    return tool;
  }
}

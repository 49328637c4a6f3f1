/**
 * Which tools mcp-opt may call on its own. A call can change the world (delete files, send mail,
 * spend money), so without an explicit user choice only tools that declare themselves read-only
 * and closed-world are called.
 *
 * Annotations are hints from the server and are NOT trusted as a security boundary:
 * "Clients MUST consider tool annotations to be untrusted unless they come from trusted servers"
 * (spec `server/tools.mdx`). They only decide what mcp-opt calls *by default*; a server that lies
 * (claims readOnlyHint on a destructive tool) defeats them, which is why `--no-calls` exists and
 * why a report lists every tool that was called.
 */
import type { Tool } from '../target/protocol.js';

/** Whether mcp-opt may call a tool unasked, and a short phrase saying why (for reports). */
export interface ToolSafety {
  /** True when the annotations declare read-only, non-destructive and closed-world. */
  safe: boolean;
  /** Short phrase for reports, e.g. "destructiveHint: true". */
  reason: string;
}

/** The reason given for a tool that passes every check. */
export const SAFE_REASON = 'annotated read-only, non-destructive and closed-world';

/**
 * Judge a tool by its annotations. Missing hints take the spec defaults (readOnlyHint false,
 * destructiveHint true, openWorldHint true; schema/2025-11-25 `ToolAnnotations`), so a tool
 * without annotations is unsafe. Only the boolean `true`/`false` counts: a hostile server's
 * `"true"` string is not a declaration.
 */
export function safetyOf(tool: Tool): ToolSafety {
  const raw: unknown = tool.annotations;
  const a = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (a.readOnlyHint !== true) {
    problems.push(a.readOnlyHint === false ? 'readOnlyHint: false' : 'not annotated readOnlyHint');
  }
  // The spec says destructiveHint matters only when readOnlyHint is false; a tool that claims
  // both is contradicting itself, and the cautious reading wins.
  if (a.destructiveHint === true) problems.push('destructiveHint: true');
  if (a.openWorldHint !== false) problems.push('openWorldHint not false (may reach the outside world)');
  return problems.length === 0
    ? { safe: true, reason: SAFE_REASON }
    : { safe: false, reason: problems.join('; ') };
}

/** What the user asked for when choosing tools to call. */
export interface CallSelectionOptions {
  /** Tool names the user named (e.g. with `--call`): callable whatever their annotations. */
  named: string[];
  /** `--no-calls`: call nothing, only list. */
  noCalls: boolean;
}

/** The tools to call, the ones left out with reasons, and named tools the server lacks. */
export interface CallSelection {
  /** Tools to call, in the server's order. */
  callable: Tool[];
  /** Tools not called, each with the reason. */
  skipped: Array<{
    /** Tool name. */
    name: string;
    /** Why it is not called. */
    reason: string;
  }>;
  /** Names the user gave that the server's tool list does not contain, in the user's order. */
  unknownNamed: string[];
}

/**
 * Split a tool list into callable and skipped. Naming a tool is the user's consent, so it
 * overrides the annotations; every other tool must pass `safetyOf`. `--no-calls` wins over both.
 */
export function selectCallableTools(tools: readonly Tool[], opts: CallSelectionOptions): CallSelection {
  const named = new Set(opts.named);
  const present = new Set(tools.map((t) => t.name));
  const unknownNamed = [...named].filter((n) => !present.has(n));
  const callable: Tool[] = [];
  const skipped: CallSelection['skipped'] = [];
  for (const tool of tools) {
    if (opts.noCalls) {
      skipped.push({ name: tool.name, reason: 'calls disabled (--no-calls)' });
    } else if (named.has(tool.name)) {
      callable.push(tool);
    } else {
      const { safe, reason } = safetyOf(tool);
      if (safe) callable.push(tool);
      else skipped.push({ name: tool.name, reason });
    }
  }
  return { callable, skipped, unknownNamed };
}

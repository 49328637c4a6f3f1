/**
 * The proxy's tool registry and gate: which tools the instances have (learned from complete
 * tools/list answers as they pass, a Set per group of alike instances: the pool with affinity
 * none, else each instance), and which ones clients may see and call (--allow-tools/--deny-tools).
 * A call of a tool that its instance does not have is answered by the proxy with the spec's error
 * for an unknown tool (-32602 "Unknown tool: …", 2025-11-25 server/tools "Error Handling") and
 * the closest names, without reaching a server; a denied tool is answered the same way, and left
 * out of tools/list. The registry of a group is dropped by its server's tools/list_changed and
 * its instance's end: until a new list is seen, calls pass through (a server that added a tool
 * is never refused it).
 */
import type { JsonRpcMessage } from '../target/protocol.js';
import { suggestTools, unknownToolMessage, type ToolFilter } from '../util/toolNames.js';

/** The error a refused call gets. */
export interface ToolRefusal {
  /** 'unknown_tool' or 'denied_tool' (the /metrics failure class). */
  cls: 'unknown_tool' | 'denied_tool';
  /** JSON-RPC error code (-32602, as servers answer an unknown tool). */
  code: number;
  /** The message, with suggestions. */
  message: string;
  /** Suggested names. */
  suggestions: string[];
}

/** Tool names known per group, and the allow/deny filter. */
export class ToolGate {
  /** Names per group ('pool' or a slot number), from the last complete tools/list. */
  private readonly known = new Map<string, Set<string>>();

  constructor(
    /** Tools clients may see and call (null: all). */
    private readonly filter: ToolFilter | null,
    /** False: calls of unknown tools go to the server (--pass-unknown-tools). */
    private readonly refuseUnknown: boolean,
  ) {}

  /** The refusal of a call of `name` that `group`'s instances would serve, or null to send it on. */
  check(name: string | null, group: string): ToolRefusal | null {
    if (name === null) return null;
    if (this.filter !== null && !this.filter(name)) {
      return { cls: 'denied_tool', code: -32602, message: `${unknownToolMessage(name, [])} (not allowed through this proxy: --allow-tools/--deny-tools)`, suggestions: [] };
    }
    const names = this.refuseUnknown ? this.known.get(group) : undefined;
    if (names === undefined || names.has(name)) return null;
    const allowed = this.filter === null ? [...names] : [...names].filter(this.filter);
    const suggestions = suggestTools(name, allowed);
    return { cls: 'unknown_tool', code: -32602, message: unknownToolMessage(name, suggestions), suggestions };
  }

  /**
   * A tools/list answer for `group` passes (`cursor`: whether the request asked for a later page):
   * learn it when it is the whole list, and take out the tools clients may not see. True when the
   * result was changed (its text must be written anew).
   */
  listed(m: JsonRpcMessage, group: string, cursor: boolean): boolean {
    const r = m.result as { tools?: unknown; nextCursor?: unknown } | undefined;
    if (r === undefined || r === null || !Array.isArray(r.tools)) return false;
    const tools = r.tools as Array<{ name?: unknown } | null>;
    if (!cursor && r.nextCursor === undefined) {
      this.known.set(group, new Set(tools.map((t) => t?.name).filter((n): n is string => typeof n === 'string')));
    }
    if (this.filter === null) return false;
    const filter = this.filter;
    const kept = tools.filter((t) => typeof t?.name === 'string' && filter(t.name));
    if (kept.length === tools.length) return false;
    r.tools = kept;
    return true;
  }

  /** `group`'s tools changed or its instance ended: what was learned of it goes. */
  forget(group: string): void {
    this.known.delete(group);
  }

  /** Every group's tools may have changed (an instance of an alike pool announced it). */
  forgetAll(): void {
    this.known.clear();
  }
}

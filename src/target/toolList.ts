/**
 * The whole tool list: every page of tools/list, with the loops a server can get wrong bounded.
 */
import { TargetError } from '../errors.js';
import { METHODS, type ServerCapabilities, type Tool } from './protocol.js';
import type { Reply, Session } from './session.js';
import { abortable } from './target.js';

/** Most pages walked before giving up (a cursor loop must not run forever). */
export const MAX_PAGES = 1000;

/** One walk of tools/list across pages. */
export interface ToolWalk {
  /** Every tool listed, in order, across pages. */
  tools: Tool[];
  /** Pages read. */
  pages: number;
  /** Wall time of the whole walk, ms. */
  elapsedMs: number;
  /** The -32601 error of the first page from a server that declares no tools capability (tools is then []). */
  firstPageError: Reply | null;
  /** True when pages remained after MAX_PAGES. */
  truncated: boolean;
}

/**
 * Why a first tools/list page that answered with an error is a failure of the target, or null when
 * it means "no tools": -32601 (method not found) from a server that did not declare the tools
 * capability (2025-11-25 server/tools: servers that support tools MUST declare it). Any other
 * error, an HTTP error status among them, is a listing that failed, never an empty list.
 */
export function listingFailure(reply: Reply, capabilities: ServerCapabilities | null | undefined): TargetError | null {
  if (reply.outcome !== 'error') return null;
  const code = reply.error?.code;
  if (code === -32601 && !(capabilities && 'tools' in capabilities)) return null;
  const message = String(reply.error?.message ?? '').replace(/[\p{Cc}\p{Cf}]+/gu, ' ').slice(0, 300);
  return new TargetError(
    `tools/list failed: the server answered with error ${code}: "${message}". A server whose tool list fails cannot be measured ` +
      "(it is not the same as a server without tools): look at its log and fix the listing, then run mcp-opt again.",
  );
}

/**
 * Walk every page. Throws TargetError on a failing first page (see listingFailure), a lost
 * connection, a failing later page or a cursor loop. `capabilities` are the server's, from its handshake.
 */
export async function walkTools(session: Session, signal?: AbortSignal, capabilities?: ServerCapabilities | null): Promise<ToolWalk> {
  const started = performance.now();
  const tools: Tool[] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const reply = await abortable(session.request(METHODS.toolsList, cursor === undefined ? {} : { cursor }), signal);
    if (reply.outcome === 'error') {
      if (pages === 0) {
        const failure = listingFailure(reply, capabilities);
        if (failure) throw failure;
        return { tools: [], pages: 0, elapsedMs: performance.now() - started, firstPageError: reply, truncated: false };
      }
      throw new TargetError(`tools/list page ${pages + 1} failed with JSON-RPC error ${reply.error?.code}: ${String(reply.error?.message).slice(0, 200)}`);
    }
    if (reply.outcome !== 'result') throw new TargetError(`tools/list page ${pages + 1} got no answer (${reply.outcome}).`);
    pages++;
    const result = reply.result as { tools?: unknown; nextCursor?: unknown };
    if (Array.isArray(result.tools)) tools.push(...(result.tools as Tool[]));
    cursor = typeof result.nextCursor === 'string' && result.nextCursor !== '' ? result.nextCursor : undefined;
    if (cursor !== undefined) {
      if (cursors.has(cursor)) throw new TargetError(`tools/list returned the cursor "${cursor.slice(0, 40)}" twice: the server's pagination loops. Fix its nextCursor.`);
      cursors.add(cursor);
    }
  } while (cursor !== undefined && pages < MAX_PAGES);
  return { tools, pages, elapsedMs: performance.now() - started, firstPageError: null, truncated: cursor !== undefined };
}

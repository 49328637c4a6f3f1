/**
 * The whole tool list: every page of tools/list, with the loops a server can get wrong bounded.
 */
import { TargetError } from '../errors.js';
import { METHODS, type Tool } from './protocol.js';
import type { Reply, Session } from './session.js';
import { abortable } from './target.js';

/** Most pages walked before giving up (a cursor loop must not run forever). */
export const MAX_PAGES = 1000;

/** One walk of tools/list across pages. */
export interface ToolWalk {
  tools: Tool[];
  pages: number;
  /** Wall time of the whole walk, ms. */
  elapsedMs: number;
  /** The JSON-RPC error of the first page, when the server has no tools/list (tools is then []). */
  firstPageError: Reply | null;
  /** True when pages remained after MAX_PAGES. */
  truncated: boolean;
}

/** Walk every page. Throws TargetError on a lost connection, a failing later page or a cursor loop. */
export async function walkTools(session: Session, signal?: AbortSignal): Promise<ToolWalk> {
  const started = performance.now();
  const tools: Tool[] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const reply = await abortable(session.request(METHODS.toolsList, cursor === undefined ? {} : { cursor }), signal);
    if (reply.outcome === 'error') {
      if (pages === 0) return { tools: [], pages: 0, elapsedMs: performance.now() - started, firstPageError: reply, truncated: false };
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

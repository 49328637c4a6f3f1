/**
 * Tool list cost on a warm session: the full list (every page), how long a full walk takes, its
 * size in bytes and estimated model tokens, the largest tools, and which tools mcp-opt may call.
 */
import { TargetError, UsageError } from '../../errors.js';
import { Recorder } from '../../measure/histogram.js';
import { toolListCost } from '../../measure/toolListCost.js';
import type { ToolsSection } from '../../result/analyzeResult.js';
import { METHODS, type Tool } from '../../target/protocol.js';
import type { Session } from '../../target/session.js';
import { abortable } from '../../target/target.js';
import { selectCallableTools } from '../../workload/safety.js';
import type { AnalyzeContext } from './context.js';

/** Most pages walked before giving up (a cursor loop must not run forever). */
export const MAX_PAGES = 1000;
/** Timed repeats of the full walk, and the time cap on them, ms. */
const WALK_REPEATS = 30;
const WALK_CAP_MS = 1500;

/** One walk of tools/list across pages. */
export interface ToolWalk {
  tools: Tool[];
  pages: number;
  /** Wall time of the whole walk, ms. */
  elapsedMs: number;
}

/** Walk every page of tools/list. Throws TargetError on a lost connection or a cursor loop. */
export async function walkTools(session: Session, ctx: AnalyzeContext): Promise<ToolWalk> {
  const started = performance.now();
  const tools: Tool[] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const reply = await abortable(session.request(METHODS.toolsList, cursor === undefined ? {} : { cursor }), ctx.signal);
    if (reply.outcome === 'error') {
      ctx.noteUnexpected(reply);
      if (pages === 0) return { tools: [], pages: 0, elapsedMs: performance.now() - started };
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
  if (cursor !== undefined) ctx.emit({ type: 'warning', message: `tools/list still had pages after ${MAX_PAGES}; the rest were not read.` });
  return { tools, pages, elapsedMs: performance.now() - started };
}

/** Measure the tool list and decide what may be called. */
export async function measureTools(ctx: AnalyzeContext, session: Session): Promise<ToolWalk> {
  const walk = await walkTools(session, ctx);
  const rec = new Recorder('us');
  const deadline = performance.now() + WALK_CAP_MS;
  for (let i = 0; i < WALK_REPEATS && performance.now() < deadline; i++) {
    ctx.throwIfAborted();
    rec.recordMs((await walkTools(session, ctx)).elapsedMs);
  }
  const cost = await toolListCost(walk.tools);
  const named = ctx.opts.calls.map((c) => c.name);
  checkNamedCalls(named, walk.tools);
  const selection = selectCallableTools(walk.tools, { named, noCalls: ctx.opts.noCalls });
  const section: ToolsSection = {
    count: cost.count,
    pages: walk.pages,
    listLatency: rec.toDistribution(),
    bytes: cost.bytes,
    bytesPerTool: cost.bytesPerTool,
    tokens: cost.tokens,
    tokenizer: cost.tokenizer,
    largest: cost.largest,
    callable: selection.callable.map((t) => t.name),
    skipped: selection.skipped,
  };
  ctx.result.tools = section;
  ctx.checkpoint();
  return walk;
}

/** Fail (exit 2) when --call names a tool the server does not list. */
export function checkNamedCalls(named: readonly string[], tools: readonly Tool[]): void {
  const listed = new Set(tools.map((t) => t.name));
  const unknown = named.filter((n) => !listed.has(n));
  if (unknown.length > 0) {
    throw new UsageError(
      `--call names ${unknown.map((n) => `"${n}"`).join(', ')}, which the server does not list. ` +
        `Its tools: ${tools.slice(0, 30).map((t) => t.name).join(', ') || '(none)'}.`,
    );
  }
}

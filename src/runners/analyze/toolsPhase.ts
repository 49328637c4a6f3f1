/**
 * Tool list cost on a warm session: the full list (every page), how long a full walk takes, its
 * size in bytes and estimated model tokens, the largest tools, and which tools mcp-opt may call.
 */
import { UsageError } from '../../errors.js';
import { Recorder } from '../../measure/histogram.js';
import { toolListCost } from '../../measure/toolListCost.js';
import type { ToolsSection } from '../../result/analyzeResult.js';
import type { Tool } from '../../target/protocol.js';
import type { Session } from '../../target/session.js';
import { MAX_PAGES, walkTools, type ToolWalk } from '../../target/toolList.js';
import { selectCallableTools } from '../../workload/safety.js';
import type { AnalyzeContext } from './context.js';

/** Timed repeats of the full walk, and the time cap on them, ms. */
const WALK_REPEATS = 30;
const WALK_CAP_MS = 1500;

/** Walk every page of tools/list, noting a first-page error and a truncated list for the report. */
async function walkAll(ctx: AnalyzeContext, session: Session): Promise<ToolWalk> {
  const w = await walkTools(session, ctx.signal, ctx.handshake?.capabilities);
  if (w.firstPageError) ctx.noteUnexpected(w.firstPageError);
  if (w.truncated) ctx.emit({ type: 'warning', message: `tools/list still had pages after ${MAX_PAGES}; the rest were not read.` });
  return w;
}

/** Measure the tool list and decide what may be called. */
export async function measureTools(ctx: AnalyzeContext, session: Session): Promise<ToolWalk> {
  const walk = await walkAll(ctx, session);
  const rec = new Recorder('us');
  const deadline = performance.now() + WALK_CAP_MS;
  for (let i = 0; i < WALK_REPEATS && performance.now() < deadline; i++) {
    ctx.throwIfAborted();
    rec.recordMs((await walkTools(session, ctx.signal, ctx.handshake?.capabilities)).elapsedMs);
  }
  const cost = await toolListCost(walk.tools, { signal: ctx.signal });
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

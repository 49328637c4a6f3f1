/**
 * The first call of a tool analyze chose by itself, before its latency is sampled: one call with a
 * short limit (a long-running tool is skipped, not sampled for minutes), and, when the server
 * rejects the synthesised arguments, a few other arguments taken from the schema or from the
 * server's own error (betterArgs.ts). Only tools mcp-opt may call anyway get here (safe ones).
 */
import type { Reply } from '../../target/session.js';
import type { Target } from '../../target/target.js';
import { betterArgs } from '../../workload/betterArgs.js';
import { ARGUMENT_REJECTED, classifyReply, errorText } from '../replyClass.js';
import type { PlannedCall } from './plannedCall.js';
import type { RequestKind } from './sampleLoop.js';

/** Other arguments tried per tool after a rejection, at most. */
export const MAX_ARG_RETRIES = 3;

/** One retry: why those arguments, what they were, and the class of the answer (null: success). */
export interface ArgRetry {
  /** Why these arguments might pass where the previous ones did not. */
  why: string;
  /** The arguments sent. */
  args: Record<string, unknown>;
  /** Failure class of the answer; null: success. */
  class: string | null;
}

/** How the first call went. */
export interface FirstCallOutcome {
  /** 'answered': sample `kind`; 'slow': no answer within the limit; 'rejected': every argument set was rejected. */
  outcome: 'answered' | 'slow' | 'rejected';
  /** What to sample: the original request, or the one whose arguments the server accepted. */
  kind: RequestKind;
  /** The retry whose arguments were accepted, or null. */
  accepted: ArgRetry | null;
  /** Every retry made, in order. */
  retries: ArgRetry[];
  /** Requests sent. */
  requests: number;
}

/**
 * Make the first call of `plan` (sent as `kind`) with limit `slowMs`; `seen` gets every answered
 * reply with its class and the params it answered (not timeouts of this short limit).
 */
export async function firstCall(
  target: Target, plan: PlannedCall, kind: RequestKind, slowMs: number,
  seen: (cls: string | null, reply: Reply, paramsJson: string | undefined) => void,
): Promise<FirstCallOutcome> {
  const send = (k: RequestKind): Promise<Reply> => new Promise((resolve) => target.session.send(k.method, k.paramsJson, resolve, slowMs, k.name));
  const first = await send(kind);
  const out: FirstCallOutcome = { outcome: 'answered', kind, accepted: null, retries: [], requests: 1 };
  if (first.outcome === 'timeout') return { ...out, outcome: 'slow' };
  const cls = classifyReply(first, kind.paramsJson);
  seen(cls, first, kind.paramsJson);
  if (cls !== ARGUMENT_REJECTED) return out;
  for (const cand of betterArgs(plan.schema, plan.args, errorText(first) ?? '').slice(0, MAX_ARG_RETRIES)) {
    const k: RequestKind = { ...kind, paramsJson: JSON.stringify({ name: plan.name, arguments: cand.args }) };
    const reply = await send(k);
    out.requests++;
    if (reply.outcome === 'timeout') {
      out.retries.push({ why: cand.why, args: cand.args, class: 'timeout' });
      return { ...out, outcome: 'slow' };
    }
    const c = classifyReply(reply, k.paramsJson);
    seen(c, reply, k.paramsJson);
    const retry = { why: cand.why, args: cand.args, class: c };
    out.retries.push(retry);
    if (c === null) return { ...out, kind: k, accepted: retry };
  }
  return { ...out, outcome: 'rejected' };
}

/**
 * The part of autocannon 9's API (README "autocannon(opts[, cb])", "Client API") mcp-opt uses;
 * the package ships no types. Fields autocannon documents only by its own use of them are typed
 * where they are used (autocannonLoad.ts, ClientInternals), so each reliance on them is visible.
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  /** One entry of `requests`: what to send, rebuilt by `setupRequest` before every send. */
  export interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Called before each send with the request to mutate and the connection's context; must return it. */
    setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
    /** Called when a response is complete: status, body (decoded chunk by chunk), context, headers as received. */
    onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string | string[]>) => void;
  }

  /** One connection. Events: 'response' (status, resBytes, responseTimeMs), 'headers', 'body', 'reset'. */
  export interface AutocannonClient extends EventEmitter {}

  export interface AutocannonOptions {
    url: string;
    connections?: number;
    pipelining?: number;
    /** Seconds. */
    duration?: number;
    amount?: number;
    /** Seconds without an answer on a connection before its requests count as timed out (≥ 1). */
    timeout?: number;
    /** Milliseconds between autocannon's own samples; also how often it notices that it should stop. */
    sampleInt?: number;
    method?: string;
    headers?: Record<string, string>;
    requests?: AutocannonRequest[];
    setupClient?: (client: AutocannonClient) => void;
    skipAggregateResult?: boolean;
  }

  /** Totals of a run (a subset). */
  export interface AutocannonResult {
    errors: number;
    timeouts: number;
    non2xx: number;
    totalRequests: number;
    totalCompletedRequests: number;
    statusCodeStats: Record<string, { count: number }>;
  }

  /** A running instance: an EventEmitter ('response', 'done', 'error'…) that is also a promise of the result. */
  export interface AutocannonInstance extends EventEmitter, PromiseLike<AutocannonResult> {
    /** Stop: autocannon destroys its connections at its next sample tick and resolves. */
    stop(): void;
  }

  function autocannon(options: AutocannonOptions): AutocannonInstance;
  export default autocannon;
}

/**
 * JSON-RPC errors the proxy answers itself, in the implementation-defined server-error range
 * (-32000 to -32099, JSON-RPC 2.0 §5.1). Every message starts "mcp-opt proxy:" and says what to do.
 */
export const PROXY_ERRORS = {
  /** A forwarded request got no answer within --request-timeout (the SDK's RequestTimeout code). */
  requestTimeout: { code: -32001, label: 'timeout' },
  /** The instance holding the request exited or was ejected. */
  instanceExited: { code: -32003, label: 'instance_exit' },
  /** --queue requests were already waiting. */
  queueFull: { code: -32004, label: 'queue_full' },
  /** The request waited --queue-timeout without an instance free. */
  queueTimeout: { code: -32005, label: 'queue_timeout' },
  /** No instance can take this session (affinity client, all taken). */
  unavailable: { code: -32006, label: 'unavailable' },
  /** The proxy is stopping (SIGTERM) and no longer takes or finishes requests. */
  shuttingDown: { code: -32007, label: 'shutdown' },
  /** A call of a tool its instance does not have (toolGate.ts): the spec's code for an unknown tool. */
  unknownTool: { code: -32602, label: 'unknown_tool' },
  /** A call of a tool --allow-tools/--deny-tools keeps from clients. */
  deniedTool: { code: -32602, label: 'denied_tool' },
  /** A server's request came when no client could answer it. */
  noClient: { code: -32601, label: 'no_client' },
} as const;

/** Classes of failures counted in /metrics (mcpopt_proxy_failures_total{class}). */
export type FailureClass = (typeof PROXY_ERRORS)[keyof typeof PROXY_ERRORS]['label'] | 'cancelled';

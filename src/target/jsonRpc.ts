/**
 * JSON-RPC 2.0 messages as mcp-opt writes them: by string concatenation, since the session's hot
 * path sends thousands of requests a second and params may come pre-serialised. Every request or
 * notification mcp-opt writes, and its answers to a server's requests, go through here (the session, the HTTP transports, and load
 * generators that own their sockets, such as the autocannon path).
 */

/**
 * One request. `methodJson` is the method already JSON-encoded (callers cache it), `paramsJson`
 * the serialised params object or undefined, `envelopeJson` the serialised 2026-07-28 `_meta`
 * envelope merged in first, or undefined in the legacy era.
 */
export function encodeRequest(id: number, methodJson: string, paramsJson: string | undefined, envelopeJson: string | undefined): string {
  let params = paramsJson;
  if (envelopeJson !== undefined) {
    params = paramsJson === undefined || paramsJson === '{}' ? `{"_meta":${envelopeJson}}` : `{"_meta":${envelopeJson},${paramsJson.slice(1)}`;
  }
  return params === undefined
    ? `{"jsonrpc":"2.0","id":${id},"method":${methodJson}}`
    : `{"jsonrpc":"2.0","id":${id},"method":${methodJson},"params":${params}}`;
}

/** One notification (no id); `params` is serialised here. */
export function encodeNotification(method: string, params?: object): string {
  return params === undefined
    ? `{"jsonrpc":"2.0","method":${JSON.stringify(method)}}`
    : `{"jsonrpc":"2.0","method":${JSON.stringify(method)},"params":${JSON.stringify(params)}}`;
}

/** A response with a result, `resultJson` already serialised (e.g. the answer to a server's ping). */
export function encodeResult(id: unknown, resultJson: string): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${resultJson}}`;
}

/** An error response (e.g. "method not found" to a server's request mcp-opt does not serve), with `data` when given. */
export function encodeError(id: unknown, code: number, message: string, data?: unknown): string {
  const extra = data === undefined ? '' : `,"data":${JSON.stringify(data)}`;
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"error":{"code":${code},"message":${JSON.stringify(message)}${extra}}}`;
}

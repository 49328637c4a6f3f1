/** What the autocannon path's requests of one operation carry, computed once per operation. */
import type { Operation } from '../../../workload/operations.js';

/** What requests of one operation carry: its headers, its method serialised, whether it carries a session id (a 404 then means expiry). */
export interface OpWire {
  /** HTTP headers of its requests (headersFor: the user's, content negotiation, session and era headers). */
  headers: Record<string, string>;
  /** Its JSON-RPC method as a JSON string, spliced into each request body. */
  methodJson: string;
  /** True when the headers carry Mcp-Session-Id (a 404 then means the session expired). */
  session: boolean;
}

/** Per operation, computed once (OpWire). */
export function wireCache(headersFor: (op: Operation) => Record<string, string>): (op: Operation) => OpWire {
  const cache = new WeakMap<Operation, OpWire>();
  return (op) => {
    let w = cache.get(op);
    if (!w) {
      const headers = headersFor(op);
      w = { headers, methodJson: JSON.stringify(op.method), session: Object.keys(headers).some((h) => h.toLowerCase() === 'mcp-session-id') };
      cache.set(op, w);
    }
    return w;
  };
}


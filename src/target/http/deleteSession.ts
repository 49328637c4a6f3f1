/**
 * Ending a Streamable HTTP session: DELETE with its Mcp-Session-Id (MCP 2025-11-25
 * basic/transports, session management: the client SHOULD; the server MAY answer 405).
 */
import type { Hygiene } from '../hygiene.js';
import type { HttpPool } from './pool.js';
import type { HeaderFields } from './streamableHeaders.js';

/** How long close() waits for the DELETE that ends the session. */
const DELETE_TIMEOUT_MS = 2000;

/**
 * DELETE the session at `url` with `headers`; resolves once answered, failed, or after
 * DELETE_TIMEOUT_MS. An answer other than 2xx, 404 (already gone) or 405 (not allowed) counts in hygiene.
 */
export function deleteSession(pool: HttpPool, url: URL, headers: HeaderFields, hygiene: Hygiene): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      handle.abort();
      hygiene.violation('http', `DELETE of the session got no answer in ${DELETE_TIMEOUT_MS} ms`);
      resolve();
    }, DELETE_TIMEOUT_MS);
    const done = (): void => resolve(clearTimeout(timer));
    const handle = pool.request(url, 'DELETE', headers, undefined, {
      onResponse: (res) => {
        const status = res.status;
        // 405: the server does not let clients end sessions (allowed); 404: already gone.
        if (!(status >= 200 && status < 300) && status !== 404 && status !== 405) {
          hygiene.violation('http', `DELETE of the session answered HTTP ${status}`);
        }
        res.read({ onData() {}, onEnd: done });
      },
      onError: done,
    });
  });
}

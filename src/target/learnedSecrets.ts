/**
 * Secrets a server hands out during a run: the Mcp-Session-Id of Streamable HTTP and the
 * sessionId in a legacy HTTP+SSE endpoint URL. They are credentials (whoever holds one can act in
 * the session: MCP 2025-11-25 basic/transports, session management; security best practices,
 * session hijacking), and a server may quote them in an error text or a log line mcp-opt shows
 * and saves. The transports learn them deep inside a run, long after the Redactor that cleans
 * every output was built, so they are collected here and the Redactor reads them on every use.
 */

const learned = new Set<string>();
/** Bumped on every new secret, so readers can cache what they derived from the set. */
let version = 0;

/** Remember `value` as a secret of this run (kept until the next run forgets them all). */
export function learnSecret(value: string): void {
  if (value === '' || learned.has(value)) return;
  learned.add(value);
  version++;
}

/** The secrets learned so far and a version number that changes whenever one is added. */
export function learnedSecrets(): { values: ReadonlySet<string>; version: number } {
  return { values: learned, version };
}

/** Forget every learned secret: each CLI run (src/cli/main.ts) starts with none. */
export function forgetLearnedSecrets(): void {
  if (learned.size === 0) return;
  learned.clear();
  version++;
}

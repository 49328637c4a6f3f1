/**
 * Wording shared by resolution errors: the accepted target forms, and how names are quoted.
 */

/** The ways to name a target, appended to errors about a missing or ambiguous one. */
export const TARGET_FORMS = [
  'Name the server one of these ways:',
  '  mcp-opt analyze ./server                              (a project directory or a script file)',
  '  mcp-opt analyze http://127.0.0.1:3000/mcp             (an http(s) URL)',
  '  mcp-opt analyze -- npx -y @scope/server               (an explicit command after --)',
  '  mcp-opt analyze --mcp-config mcp.json --server name   (an entry of an MCP client config)',
].join('\n');

/** Quote a user-supplied name inside a message (JSON quoting keeps control characters visible). */
export function q(text: string): string {
  return JSON.stringify(text);
}

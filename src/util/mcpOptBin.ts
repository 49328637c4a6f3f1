/** Telling an argv word that launches mcp-opt itself (a server entry wrapped in `mcp-opt proxy`). */

/** The last path segment, lower-cased, for either separator (a Windows client config names `C:\…\node.exe`). */
export function baseName(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1).toLowerCase();
}

/** True for mcp-opt's bin as a command (`mcp-opt`, `.cmd`, `.exe`) or as node's script (`bin/mcp-opt.js`). */
export function isMcpOptBin(p: string): boolean {
  return /^mcp-opt(\.cmd|\.exe|\.js|\.mjs|\.cjs)?$/.test(baseName(p));
}

/** True for the package as npx names it: `mcp-opt`, `mcp-opt@0.1.0`. */
export function isMcpOptSpec(word: string): boolean {
  return /^mcp-opt(@[^/\s]+)?$/.test(word);
}

/**
 * Read `[project] name` and the `[project.scripts]` table of a pyproject.toml.
 *
 * Hand-written on purpose: no TOML library is installed (the project may not add one), and only
 * these two spots are needed, both of which PEP 621 fills with plain `key = "string"` lines.
 * Other TOML (arrays, multi-line strings, the inline-table spelling `scripts = {…}`) is skipped,
 * not misread: a line this parser does not understand is ignored.
 */

/** What resolution needs from pyproject.toml. */
export interface PyprojectScripts {
  /** `[project] name`, when present. */
  projectName?: string;
  /** `[project.scripts]` entries in file order: [script name, "module:function"]. */
  scripts: Array<[string, string]>;
}

/** Parse the parts of pyproject.toml that name console scripts. */
export function readPyprojectScripts(text: string): PyprojectScripts {
  const result: PyprojectScripts = { scripts: [] };
  let table = '';
  let inMultiline: string | null = null;
  for (const rawLine of text.split(/\r?\n/)) {
    // Skip the body of a multi-line string so that a `[x]` inside it is not taken as a header.
    if (inMultiline) {
      if (rawLine.includes(inMultiline)) inMultiline = null;
      continue;
    }
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[\s*([^\][]+?)\s*\]\s*(#.*)?$/.exec(line);
    if (header) {
      table = header[1]!.replace(/\s*\.\s*/g, '.').replace(/"/g, '');
      continue;
    }
    if (line.startsWith('[[')) {
      table = '[[array]]';
      continue;
    }
    const delim = /=\s*("""|''')/.exec(line)?.[1];
    if (delim && line.indexOf(delim) === line.lastIndexOf(delim)) {
      inMultiline = delim;
      continue;
    }
    const pair = parsePair(line);
    if (!pair) continue;
    if (table === 'project' && pair[0] === 'name') result.projectName = pair[1];
    if (table === 'project.scripts') result.scripts.push(pair);
  }
  return result;
}

/** `key = "value"` with a bare or quoted key and a basic or literal string value. */
function parsePair(line: string): [string, string] | null {
  const m = /^("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*')\s*(#.*)?$/.exec(line);
  if (!m) return null;
  return [unquote(m[1]!), unquote(m[2]!)];
}

/** Remove TOML quotes; basic strings get the common escapes (enough for names and paths). */
function unquote(token: string): string {
  if (token.startsWith("'")) return token.slice(1, -1);
  if (!token.startsWith('"')) return token;
  return token.slice(1, -1).replace(/\\(["\\nt])/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);
}

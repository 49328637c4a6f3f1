/**
 * The layout habits of a text file (line endings, indentation, final newline), detected so that
 * text mcp-opt inserts looks like the text around it and a diff shows only the changed values.
 */

/** Line ending used by the file: CRLF if any line has one (Windows-edited configs), else LF. */
export function detectEol(text: string): '\r\n' | '\n' {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** One level of indentation: a tab, or the smallest run of leading spaces (2 when nothing is indented). */
export function detectIndent(text: string): string {
  let minSpaces = Infinity;
  for (const line of text.split('\n')) {
    const m = /^([ \t]+)\S/.exec(line);
    if (!m) continue;
    if (m[1]!.startsWith('\t')) return '\t';
    minSpaces = Math.min(minSpaces, m[1]!.length);
  }
  return ' '.repeat(Number.isFinite(minSpaces) ? minSpaces : 2);
}

/** Whether the text ends with a line break. */
export function hasFinalNewline(text: string): boolean {
  return text.endsWith('\n');
}

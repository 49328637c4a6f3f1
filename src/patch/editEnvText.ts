/**
 * Edits of .env text, line by line: the value on a variable's line is replaced in place (its
 * `export ` prefix, quotes and inline comment kept), or a `NAME=value` line is appended.
 */
import { UsageError } from '../errors.js';
import { parseEnvLine, parseEnvText } from './formats.js';
import { parsePointer, targetOf } from './jsonPointer.js';
import type { EditContext, ValueChange } from './valueChange.js';

/** Apply `changes` in order to .env text (no BOM); pointers are "/NAME". */
export function editEnvText(text: string, changes: readonly ValueChange[], { style, path, allowCreate }: EditContext): string {
  // Each line keeps its own ending, so a file with mixed endings is left as it was.
  const lines = text.split('\n');
  for (const change of changes) {
    const tokens = parsePointer(change.pointer, path);
    const name = tokens[0];
    if (tokens.length !== 1 || !name || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
      throw new UsageError(`${path}: a .env file holds NAME=value lines; use a pointer like /NAME (got "${change.pointer}")`);
    }
    const v = change.value;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new UsageError(`${path}: ${name} must be set to a string, number or boolean in a .env file (got ${JSON.stringify(v)})`);
    }
    const value = String(v);
    // The last definition is the one dotenv keeps, so that is the one to change.
    let at = -1;
    let parsed = null;
    for (let i = 0; i < lines.length; i++) {
      const p = parseEnvLine(lines[i]!.replace(/\r$/, ''), i + 1, path);
      if (p?.key === name) [at, parsed] = [i, p];
    }
    if (at >= 0 && parsed) {
      const line = lines[at]!;
      lines[at] = line.slice(0, parsed.valueStart) + renderEnvValue(value, parsed.quote) + line.slice(parsed.valueEnd);
      continue;
    }
    targetOf(parseEnvText(lines.join('\n'), path), tokens, path, allowCreate);
    const added = `${name}=${renderEnvValue(value, '')}`;
    const cr = style.eol === '\r\n' ? '\r' : '';
    if (lines.at(-1) === '') lines.splice(lines.length - 1, 0, added + cr);
    else {
      lines[lines.length - 1] += cr;
      lines.push(added);
    }
  }
  return lines.join('\n');
}

/** The value as it should appear after `NAME=`, in the quote style the line had when it can. */
export function renderEnvValue(value: string, quote: '' | "'" | '"'): string {
  const multiline = /[\r\n]/.test(value);
  if (quote === "'" && !value.includes("'") && !multiline) return `'${value}'`;
  // Unquoted text ends at " #" and breaks `source .env` at a space or "$"; quotes keep it whole.
  const needsQuotes = /\s|^#|["'\\`$]/.test(value) || multiline || (quote === "'" && value !== '');
  // "$" expands inside double quotes (dotenv-expand, shells), so unquoted text with one goes in single quotes.
  if (quote === '' && value.includes('$') && !value.includes("'") && !multiline) return `'${value}'`;
  if (quote === '"' || needsQuotes) {
    const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
    return `"${escaped}"`;
  }
  return value;
}

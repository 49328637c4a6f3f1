/**
 * Edits of JSON/JSONC text that change only the edited values: jsonc-parser's `modify` for
 * replacements (its edit covers just the old value), and a line-wise insertion for new keys,
 * because `modify`'s formatter re-lays-out the previous sibling when it inserts after it.
 */
import { applyEdits, findNodeAtLocation, modify, parseTree, type FormattingOptions, type JSONPath } from 'jsonc-parser';
import { UsageError } from '../errors.js';
import { parseConfigText } from './formats.js';
import { arrayIndex, parsePointer, targetOf } from './jsonPointer.js';
import type { EditContext, ValueChange } from './valueChange.js';

/** Apply `changes` in order to JSONC text (no BOM); `eol` and `indent` are the file's own. */
export function editJsonText(text: string, changes: readonly ValueChange[], { style, path, allowCreate }: EditContext): string {
  const fo: FormattingOptions = {
    insertSpaces: style.indent !== '\t',
    tabSize: style.indent === '\t' ? 1 : style.indent.length,
    eol: style.eol,
  };
  let cur = text;
  for (const change of changes) {
    if (change.value === undefined) throw new UsageError(`${path}: no value given for ${change.pointer}`);
    const tokens = parsePointer(change.pointer, path);
    const doc = parseConfigText(cur, 'jsonc', path);
    const target = targetOf(doc, tokens, path, allowCreate);
    const jsonPath = toJsonPath(doc, tokens);
    if (target.kind === 'replace') {
      cur = applyEdits(cur, modify(cur, jsonPath, change.value, { formattingOptions: fo }));
      continue;
    }
    // Build the missing objects as one nested value placed in the deepest existing container.
    const d = target.existingDepth;
    let value: unknown = change.value;
    for (let i = tokens.length - 1; i > d; i--) value = { [tokens[i]!]: value };
    const inserted = insertEntry(cur, jsonPath.slice(0, d), jsonPath[d]!, value, style);
    cur = inserted ?? applyEdits(cur, modify(cur, jsonPath.slice(0, d + 1), value, { formattingOptions: fo }));
  }
  return cur;
}

/** jsonc-parser's path: numbers where the document holds an array (-1 appends, for "-"). */
function toJsonPath(doc: unknown, tokens: readonly string[]): JSONPath {
  const out: JSONPath = [];
  let cur: unknown = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      const i = t === '-' ? -1 : arrayIndex(t, cur.length);
      out.push(i);
      cur = cur[i];
    } else {
      out.push(t);
      cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[t] : undefined;
    }
  }
  return out;
}

/**
 * Insert `key: value` (or an array item) on a new line after the container's last entry, indented
 * like it, keeping a trailing comma if the file uses one; in a container written on one line, on
 * that line. Null for an empty multi-line container: then `modify`'s own layout is the better guess.
 */
function insertEntry(
  text: string,
  containerPath: JSONPath,
  key: string | number,
  value: unknown,
  style: { eol: string; indent: string },
): string | null {
  const root = parseTree(text, [], { allowTrailingComma: true });
  const container = root && (containerPath.length ? findNodeAtLocation(root, containerPath) : root);
  if (!container) return null;
  const closeAt = container.offset + container.length - 1;
  const inline = (typeof key === 'string' ? `${JSON.stringify(key)}: ` : '') + JSON.stringify(value);
  const last = container.children?.at(-1);
  if (!last) {
    // An empty container on one line (`{}`, `[ ]`): fill it in place; a multi-line one is left to modify.
    return text.slice(container.offset, closeAt).includes('\n') ? null : `${text.slice(0, container.offset + 1)} ${inline} ${text.slice(closeAt)}`;
  }
  const end = last.offset + last.length;
  const comma = commaAfter(text, end);
  const anchor = comma >= 0 ? comma + 1 : end;
  let lineEnd = text.indexOf('\n', anchor);
  if (lineEnd < 0 || lineEnd > closeAt) {
    // The container closes on its last entry's line (`{ "LOG": "info" }`): add the entry on that
    // line, compact, so nothing around it is re-laid-out (modify would reflow the whole object).
    return comma >= 0 ? `${text.slice(0, comma + 1)} ${inline},${text.slice(comma + 1)}` : `${text.slice(0, end)}, ${inline}${text.slice(end)}`;
  }
  if (text[lineEnd - 1] === '\r') lineEnd--;
  const lineStart = text.lastIndexOf('\n', last.offset) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const body = JSON.stringify(value, null, style.indent).split('\n').join(style.eol + indent);
  const entry = (typeof key === 'string' ? `${JSON.stringify(key)}: ` : '') + body;
  const line = `${style.eol}${indent}${entry}${comma >= 0 ? ',' : ''}`;
  const withLine = text.slice(0, lineEnd) + line + text.slice(lineEnd);
  return comma >= 0 ? withLine : withLine.slice(0, end) + ',' + withLine.slice(end);
}

/** Offset of a comma following `from` past whitespace and comments, or -1. */
function commaAfter(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
    else if (text.startsWith('//', i)) i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    else if (text.startsWith('/*', i)) i = text.indexOf('*/', i) < 0 ? text.length : text.indexOf('*/', i) + 2;
    else return c === ',' ? i : -1;
  }
  return -1;
}

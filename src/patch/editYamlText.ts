/**
 * Edits of YAML text. A scalar replaced by a scalar is spliced into the source at the node's range
 * in its own quoting style, so nothing else in the file moves; the result is re-parsed and kept only
 * if it means exactly the intended document. Anything else (new keys, collections, aliases, block
 * scalars) goes through the Document API (`setIn`, `toString`), which keeps comments and anchors
 * but may re-space flow collections.
 */
import { Document, isScalar, isSeq, parseDocument, Scalar, type ToStringOptions } from 'yaml';
import { isDeepStrictEqual } from 'node:util';
import { UsageError } from '../errors.js';
import { parseConfigText } from './formats.js';
import { arrayIndex, parsePointer, targetOf } from './jsonPointer.js';
import type { EditContext, ValueChange } from './valueChange.js';

const SPLICEABLE = new Set(['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE']);

/** Apply `changes` in order to YAML text (no BOM); `eol` and `indent` are the file's own. */
export function editYamlText(text: string, changes: readonly ValueChange[], { style, path, allowCreate }: EditContext): string {
  if (style.indent === '\t') style = { ...style, indent: '  ' }; // YAML forbids tab indentation
  let cur = text;
  for (const change of changes) {
    if (change.value === undefined) throw new UsageError(`${path}: no value given for ${change.pointer}`);
    const tokens = parsePointer(change.pointer, path);
    const before = parseConfigText(cur, 'yaml', path);
    targetOf(before, tokens, path, allowCreate);
    const expected = withValue(before, tokens, change.value);
    cur = splice(cur, tokens, change.value, expected) ?? rewrite(cur, tokens, change.value, style);
  }
  return cur;
}

/** A copy of `doc` with `value` set at `tokens` (missing objects created), as the edit should read back. */
function withValue(doc: unknown, tokens: readonly string[], value: unknown): unknown {
  const root = structuredClone(doc);
  if (tokens.length === 0) return structuredClone(value);
  let cur = root as Record<string, unknown>;
  for (const t of tokens.slice(0, -1)) {
    const next = Array.isArray(cur) ? cur[arrayIndex(t, cur.length)] : cur[t];
    if (next === undefined || next === null || typeof next !== 'object') cur[t] = {};
    cur = (Array.isArray(cur) ? next : cur[t]) as Record<string, unknown>;
  }
  const last = tokens.at(-1)!;
  if (Array.isArray(cur)) {
    if (last === '-') cur.push(structuredClone(value));
    else cur[arrayIndex(last, cur.length)] = structuredClone(value);
  } else cur[last] = structuredClone(value);
  return root;
}

/** Replace the scalar's source text in its own style; null when that is not possible or not exact. */
function splice(text: string, tokens: readonly string[], value: unknown, expected: unknown): string | null {
  if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) return null;
  const node = parseDocument(text).getIn(tokens, true);
  if (!isScalar(node) || !node.range || !SPLICEABLE.has(node.type ?? '')) return null;
  const scalar = new Scalar(value);
  // A number or boolean keeps its type only unquoted; a string keeps the quotes it had.
  scalar.type = typeof value === 'string' ? (node.type as Scalar.Type) : 'PLAIN';
  const rendered = new Document(scalar).toString({ lineWidth: 0 }).replace(/\n$/, '');
  if (rendered.includes('\n')) return null;
  const out = text.slice(0, node.range[0]) + rendered + text.slice(node.range[1]);
  const check = parseDocument(out);
  return check.errors.length === 0 && isDeepStrictEqual(check.toJS({ maxAliasCount: 1000 }), expected) ? out : null;
}

/** Set the value through the Document API and print the document in the file's layout. */
function rewrite(text: string, tokens: readonly string[], value: unknown, style: { eol: string; indent: string }): string {
  const doc = parseDocument(text);
  if (tokens.at(-1) === '-') {
    const seq = doc.getIn(tokens.slice(0, -1), true);
    if (!isSeq(seq)) throw new UsageError(`cannot append with "-": ${tokens.slice(0, -1).join('/')} is not a YAML sequence`);
    seq.add(doc.createNode(value));
  } else if (tokens.length === 0) {
    doc.contents = doc.createNode(value) as typeof doc.contents;
  } else {
    doc.setIn(tokens, doc.createNode(value));
  }
  const options: ToStringOptions = {
    indent: style.indent.length,
    lineWidth: 0,
    // Match the file's habits where the printer has a switch for them.
    flowCollectionPadding: /[[{] \S/.test(text),
    indentSeq: !/^([ \t]*)[^\s#-][^\n]*:[ \t]*\r?\n\1- /m.test(text),
  };
  let out = doc.toString(options);
  if (style.eol === '\r\n') out = out.replace(/\r?\n/g, '\r\n');
  if (!text.endsWith('\n')) out = out.replace(/\r?\n$/, '');
  return out;
}

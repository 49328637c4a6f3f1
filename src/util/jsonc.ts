/**
 * JSON with comments and trailing commas (JSONC: VS Code's config files, mcp-opt's own) parsed into
 * plain data, strictly: keys that would reach an object's prototype (`__proto__`, `constructor`,
 * `prototype`) are refused — jsonc-parser's `parse` assigns `__proto__` and so hands a crafted
 * prototype to every later property read — and duplicate keys are refused or last-wins on request
 * (JSON.parse keeps the last one silently).
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { lineColumn } from './textPosition.js';

/** Keys refused anywhere in a document. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a document was refused, with where. */
export interface JsoncIssue {
  /** 'syntax' (not valid JSONC), 'forbidden-key' (a key in FORBIDDEN_KEYS) or 'duplicate-key'. */
  kind: 'syntax' | 'forbidden-key' | 'duplicate-key';
  /** The key concerned (forbidden or duplicate keys). */
  key?: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** Short description (the parser's error code for syntax errors). */
  detail: string;
}

/** Parse `text`; `duplicates: 'error'` refuses a repeated key, `'last'` keeps the last like JSON.parse. */
export function parseJsonc(text: string, duplicates: 'error' | 'last'): { value: unknown } | { issue: JsoncIssue } {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !root) {
    const e = errors[0];
    return { issue: { kind: 'syntax', ...lineColumn(text, e?.offset ?? 0), detail: e ? printParseErrorCode(e.error) : 'empty document' } };
  }
  let issue: JsoncIssue | null = null;
  const toValue = (node: Node): unknown => {
    if (node.type === 'array') return (node.children ?? []).map(toValue);
    if (node.type !== 'object') return node.value;
    const out: Record<string, unknown> = {};
    for (const prop of node.children ?? []) {
      const [k, v] = prop.children ?? [];
      const key = String(k?.value);
      if (FORBIDDEN_KEYS.has(key)) {
        issue ??= { kind: 'forbidden-key', key, ...lineColumn(text, prop.offset), detail: 'not allowed' };
        continue;
      }
      if (duplicates === 'error' && Object.prototype.hasOwnProperty.call(out, key)) {
        issue ??= { kind: 'duplicate-key', key, ...lineColumn(text, prop.offset), detail: 'appears twice' };
      }
      out[key] = v ? toValue(v) : null;
    }
    return out;
  };
  const value = toValue(root);
  return issue ? { issue } : { value };
}

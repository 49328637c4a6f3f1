/**
 * Which config formats mcp-opt can patch, and how each parses into plain data. Parsing here only
 * validates and reads values; edits go through editText.ts so the file's own text is kept.
 */
import { basename, extname } from 'node:path';
import { parseDocument } from 'yaml';
import { UsageError } from '../errors.js';
import { parseJsonc } from '../util/jsonc.js';
import { yamlToData } from '../util/yamlData.js';

/** A config file format mcp-opt can patch. */
export type ConfigFormat = 'json' | 'jsonc' | 'yaml' | 'env';

/** The format of `path` by name; JSON is read as JSONC (a superset that jsonc-parser handles). */
export function formatOf(path: string): ConfigFormat {
  const base = basename(path).toLowerCase();
  const ext = extname(base);
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.env' || base.startsWith('.env')) return 'env';
  if (ext === '.json' || ext === '.jsonc') return 'jsonc';
  throw new UsageError(
    `${path}: cannot tell the config format from the file name; supported: .json, .jsonc, .yaml, .yml, .env (or a name starting with ".env")`,
  );
}

/** The text without a leading byte-order mark, and whether it had one. */
export function splitBom(text: string): { bom: string; body: string } {
  return text.startsWith('\uFEFF') ? { bom: '\uFEFF', body: text.slice(1) } : { bom: '', body: text };
}

/** Parse a config file's text into plain data; syntax errors become UsageErrors with line:column. */
export function parseConfigText(text: string, format: ConfigFormat, path: string): unknown {
  const { body } = splitBom(text);
  if (format === 'json' || format === 'jsonc') {
    // Duplicate keys are refused: an edit could not tell which of the two the user means.
    const parsed = parseJsonc(body, 'error');
    if ('issue' in parsed) {
      const i = parsed.issue;
      const what = i.kind === 'syntax' ? `syntax error (${i.detail})` : `key "${i.key}" ${i.detail}`;
      throw new UsageError(`${path}:${i.line}:${i.column}: ${what}; fix the file and run again`);
    }
    return parsed.value;
  }
  if (format === 'yaml') {
    const doc = parseDocument(body, { uniqueKeys: true });
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      const where = pos ? `${pos.line}:${pos.col}` : '1:1';
      throw new UsageError(`${path}:${where}: YAML error: ${err.message.split('\n')[0]}; fix the file and run again`);
    }
    // Server configs may share settings through anchors more than mcp-opt's own files do.
    return yamlToData(doc, path, 1000);
  }
  return parseEnvText(body, path);
}

/** One `KEY=VALUE` line of a .env file, with the offsets an editor needs to replace only the value. */
export interface EnvLine {
  /** The variable name. */
  key: string;
  /** The decoded value. */
  value: string;
  /** Quote character used around the value ('' when unquoted). */
  quote: '' | "'" | '"';
  /** Offset in the line where the raw value (including quotes) starts. */
  valueStart: number;
  /** Offset in the line just after the raw value (before spaces and an inline comment). */
  valueEnd: number;
}

/** Parse one .env line; null for blank lines and comments; a UsageError names the line otherwise. */
export function parseEnvLine(line: string, lineNo: number, path: string): EnvLine | null {
  const m = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*=\s*)/.exec(line);
  if (!m) {
    if (/^\s*(#.*)?$/.test(line)) return null;
    throw new UsageError(`${path}:${lineNo}: expected KEY=VALUE, a # comment or a blank line; fix the line and run again`);
  }
  const key = m[2]!;
  const valueStart = m[0].length;
  const rest = line.slice(valueStart);
  const q = rest[0];
  if (q === '"' || q === "'") {
    // Find the closing quote; in double quotes a backslash escapes the next character.
    let i = 1;
    let value = '';
    for (; i < rest.length && rest[i] !== q; i++) {
      if (q === '"' && rest[i] === '\\' && i + 1 < rest.length) {
        const c = rest[++i]!;
        value += c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c;
      } else value += rest[i];
    }
    if (i >= rest.length) throw new UsageError(`${path}:${lineNo}: unterminated ${q} quote for ${key}; close the quote`);
    return { key, value, quote: q, valueStart, valueEnd: valueStart + i + 1 };
  }
  // Unquoted: an inline comment starts at " #" (as dotenv reads it); trailing spaces are not value.
  const hash = rest.search(/(^|\s)#/);
  const raw = (hash < 0 ? rest : rest.slice(0, hash)).replace(/\s+$/, '');
  return { key, value: raw, quote: '', valueStart, valueEnd: valueStart + raw.length };
}

/** Parse .env text into name → value (a later line for the same name wins, as dotenv does). */
export function parseEnvText(text: string, path: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  text.split(/\r?\n/).forEach((line, i) => {
    const parsed = parseEnvLine(line, i + 1, path);
    if (parsed) out[parsed.key] = parsed.value;
  });
  return { ...out };
}

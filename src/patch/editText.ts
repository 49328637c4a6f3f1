/**
 * One entry point for editing a config file's text: only the changed values change. Comments, key
 * order, indentation, line endings, a byte-order mark and the (missing) final newline survive, so
 * `tune --apply` shows a diff of just the tuned lines and a user's hand-written file stays theirs.
 */
import type { ConfigFormat } from './formats.js';
import { splitBom } from './formats.js';
import { detectEol, detectIndent } from './textStyle.js';
import { editJsonText } from './editJsonText.js';
import { editYamlText } from './editYamlText.js';
import { editEnvText } from './editEnvText.js';

/** Set the value at a JSON Pointer (RFC 6901). */
export interface ValueChange {
  /** Where, e.g. "/server/port"; in .env files "/NAME". */
  pointer: string;
  /** The new value (any JSON value; strings, numbers and booleans in .env files). */
  value: unknown;
}

/**
 * Apply `changes` in order to `text`. A pointer whose key or parent is missing is a UsageError
 * unless `allowCreate` (then missing objects are created; "-" appends to an array).
 */
export function editConfigText(
  text: string,
  format: ConfigFormat,
  changes: readonly ValueChange[],
  opts: { path: string; allowCreate?: boolean },
): string {
  const { bom, body } = splitBom(text);
  const allowCreate = opts.allowCreate ?? false;
  const style = { eol: detectEol(body), indent: detectIndent(body) };
  if (format === 'env') return bom + editEnvText(body, changes, style.eol, opts.path, allowCreate);
  if (format === 'yaml') return bom + editYamlText(body, changes, style, opts.path, allowCreate);
  return bom + editJsonText(body, changes, style, opts.path, allowCreate);
}

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
import type { ValueChange } from './valueChange.js';

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
  const ctx = { style: { eol: detectEol(body), indent: detectIndent(body) }, path: opts.path, allowCreate: opts.allowCreate ?? false };
  if (format === 'env') return bom + editEnvText(body, changes, ctx);
  if (format === 'yaml') return bom + editYamlText(body, changes, ctx);
  return bom + editJsonText(body, changes, ctx);
}

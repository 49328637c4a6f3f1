/**
 * Server-argument knobs (`arg:--flag=…`): how tune sets a flag in the server's command line for
 * one point.
 */
import type { KnobValue } from '../../options/knobs.js';

/**
 * Server arguments with `flag` set to `value`: `flag=x` becomes `flag=value`; `flag x` gets its x
 * replaced (a trailing bare `flag` gets the value appended); an absent flag is appended as
 * `flag=value`. Every occurrence is set, so first-wins and last-wins parsers agree.
 */
export function applyArgKnob(args: readonly string[], flag: string, value: KnobValue): string[] {
  const out = [...args];
  const text = String(value);
  let found = false;
  for (let i = 0; i < out.length; i++) {
    if (out[i] === '--') break; // after '--' everything is positional
    if (out[i]!.startsWith(`${flag}=`)) {
      out[i] = `${flag}=${text}`;
      found = true;
    } else if (out[i] === flag) {
      if (i + 1 < out.length) out[i + 1] = text;
      else out.push(text);
      found = true;
      i++;
    }
  }
  if (!found) {
    const end = out.indexOf('--');
    if (end < 0) out.push(`${flag}=${text}`);
    else out.splice(end, 0, `${flag}=${text}`);
  }
  return out;
}

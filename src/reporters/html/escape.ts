/**
 * Escaping for the HTML report. Every string that reaches the page, above all the ones a server
 * chose (tool names, descriptions, server name, error messages), goes through `escapeHtml`; the
 * report never puts result data in an href, src, style or event attribute, so escaping text and
 * quoted attribute values is the whole defence (OWASP XSS cheat sheet, rules #1 and #2).
 */
import { stripControl } from '../../util/controlChars.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text or attribute value made safe: control characters, terminal escapes and bidi overrides
 * (U+202A–202E, U+2066–2069, which can make a name read backwards: "Trojan Source") removed, then
 * & < > " ' escaped, so the same function is right inside elements and inside quoted attributes.
 */
export function escapeHtml(text: unknown): string {
  const s = text === null || text === undefined ? '' : String(text);
  return stripControl(s).replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

/**
 * JSON for a `<script type="application/json">` data block. `<` (and `>`, `&`) become \u003c…,
 * so no `</script>` or `<!--` inside a string can end or alter the block; U+2028/2029 are escaped
 * because older JavaScript parsers treat them as line ends. The block is never executed (CSP
 * script-src 'none'); tools read it with JSON.parse(element.textContent).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

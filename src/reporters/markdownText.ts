/**
 * The two primitives of the Markdown reports: text made inert (mdText) and a GFM table of cells
 * already made so (mdTable). Kept apart from markdown.ts so the parts it calls (the profile's
 * lines) use the same escaping without importing the report that imports them.
 */
import { stripControl } from '../util/controlChars.js';
import { clip } from './format.js';

/**
 * Text made inert in GitHub Markdown and safe in a table cell: control characters and ANSI escapes
 * stripped, whitespace (newlines included) collapsed to one space, cut to `max` characters, HTML
 * special characters as entities and Markdown punctuation backslash-escaped.
 */
export function mdText(text: string | null | undefined, max = 200): string {
  if (text === null || text === undefined) return '–';
  const flat = stripControl(String(text)).replace(/\s+/g, ' ').trim();
  const cut = clip(flat, max);
  // `@` as an entity: a server-provided "@team" must not notify anyone from a pull-request comment.
  return cut.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/@/g, '&#64;').replace(/[\\`*_[\]|~$]/g, '\\$&');
}

/** A GFM table; cells must already be escaped. */
export function mdTable(head: string[], align: Array<'l' | 'r'>, rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(align.map((a) => (a === 'r' ? '--:' : '---'))), ...rows.map(line)].join('\n');
}

/**
 * Every reporter, by format (hyperfine's exporters: one interface, one file per format, one
 * registry). A reporter is a pure function of its input: the same input always gives the same
 * text. The measuring commands print their terminal table and --json through it; `report` prints
 * each --format through it.
 */
import type { ReportFormat } from './formats.js';
import { renderHtml } from './html/index.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { ReporterInput } from './reportInput.js';
import { renderTable } from './table.js';

export { REPORT_FORMATS, type ReportFormat } from './formats.js';

/** What every reporter is told besides its input. */
export interface ReporterOptions {
  /** ANSI colour (only the terminal table uses it). */
  color: boolean;
}

/** A reporter: the input (a result, results, a merge or a comparison) as one format's text. */
export type Reporter = (input: ReporterInput, options: ReporterOptions) => string;

/** The reporter of each format. */
export const REPORTERS: Readonly<Record<ReportFormat, Reporter>> = Object.freeze({
  table: renderTable,
  markdown: renderMarkdown,
  html: renderHtml,
  json: renderJson,
  junit: renderJunit,
});

/** Render `input` in `format`. */
export function render(format: ReportFormat, input: ReporterInput, options: ReporterOptions): string {
  return REPORTERS[format](input, options);
}

/**
 * `--json` and `--format json`: always one versioned document (result/reportDocument.ts). One
 * result prints as itself, exactly as saved; several results, a merge and a comparison print in
 * the `"mcpOpt": "report"` envelope.
 */
import type { ReportDocument } from '../result/reportDocument.js';
import { SCHEMA_VERSION } from '../result/header.js';
import { serializeResult } from '../result/write.js';
import type { ReporterInput } from './reportInput.js';

/** Render `input` as its JSON document (2-space indent, trailing newline, as results are saved). */
export function renderJson(input: ReporterInput): string {
  return serializeResult(reportDocument(input));
}

/** The one document `input` prints as. */
export function reportDocument(input: ReporterInput): ReportDocument {
  if ('measured' in input) return input.measured;
  if (input.comparison) return { mcpOpt: 'report', ...input.comparison };
  if (input.merged) return { mcpOpt: 'report', schemaVersion: SCHEMA_VERSION, kind: 'merge', files: input.merged.files, result: input.results[0].result };
  if (input.results.length === 1) return input.results[0]!.result;
  return { mcpOpt: 'report', schemaVersion: SCHEMA_VERSION, kind: 'results', results: input.results.map(({ file, result }) => ({ file, result })) };
}

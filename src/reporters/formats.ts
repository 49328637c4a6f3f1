/**
 * The output formats a reporter exists for (the keys of the registry, registry.ts), in a file of
 * their own so options can check --format without loading any reporter.
 */

/** Every format, as named by `--format`. */
export const REPORT_FORMATS = ['table', 'markdown', 'html', 'json', 'junit'] as const;
/** One output format. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * What `--json` and `report --format json` print: always one versioned document. One result is
 * printed as itself (it carries its own schemaVersion and kind); several results, a merge or a
 * comparison come in an envelope marked `"mcpOpt": "report"`, whose `kind` says which it holds.
 * The envelope follows the results' SCHEMA_VERSION: an incompatible change to it bumps that.
 */
import type { AnyResult } from './anyResult.js';
import type { BenchResult } from './benchResult.js';
import type { ComparisonReport } from './comparison.js';
import type { SCHEMA_VERSION } from './header.js';

/** Fields every envelope starts with. */
export interface ReportEnvelopeHeader<K extends string> {
  /** Marks an envelope written by `mcp-opt report` (a result has no such field). */
  mcpOpt: 'report';
  /** Version of the envelope and of the results it holds (the results' SCHEMA_VERSION). */
  schemaVersion: typeof SCHEMA_VERSION;
  /** What it holds: 'results', 'merge' or 'comparison'. */
  kind: K;
}

/** Several results read by `report`, in the order they were read. */
export interface ResultsDocument extends ReportEnvelopeHeader<'results'> {
  /** Each result with the file it was read from (absolute path). */
  results: Array<{
    /** The file it was read from (absolute path). */
    file: string;
    /** The result as read. */
    result: AnyResult;
  }>;
}

/** Bench results added up by `report --merge`. */
export interface MergeDocument extends ReportEnvelopeHeader<'merge'> {
  /** The files merged (absolute paths), in the order read. */
  files: string[];
  /** The merged bench result (histograms merged, counts summed, rates added); `report` reads a saved merge back as it. */
  result: BenchResult;
}

/** A comparison (`report --compare`): the comparison's own fields (schemaVersion, kind "comparison", …) in the envelope. */
export type ComparisonDocument = Pick<ReportEnvelopeHeader<'comparison'>, 'mcpOpt'> & ComparisonReport;

/** Any document `--json` or `report --format json` prints. */
export type ReportDocument = AnyResult | ResultsDocument | MergeDocument | ComparisonDocument;

/**
 * Any result `mcp-opt report` reads: the kinds share the versioned header (result/header.ts), and
 * `kind` tells them apart.
 */
import type { AnalyzeResult } from './analyzeResult.js';
import type { BenchResult } from './benchResult.js';
import type { TuneResult } from './tuneResult.js';

/** A result of analyze, bench or tune, discriminated by `kind`. */
export type AnyResult = AnalyzeResult | BenchResult | TuneResult;

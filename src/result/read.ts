/**
 * Reading saved results for `mcp-opt report`: files, folders (every result in it) or the newest
 * result in reports/. A result file is untrusted input (it may come from another machine or a CI
 * artifact), so it is bounded in size and depth, keys that could pollute prototypes are refused,
 * and its schemaVersion and kind are checked before any field is used (test/result/read.test.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { AnyResult } from './anyResult.js';
import { SCHEMA_VERSION } from './header.js';
import type { TuneResult } from './tuneResult.js';

/** A result and the file it came from. */
export interface LoadedResult {
  /** Path of the file read. */
  file: string;
  /** The parsed result, its schemaVersion and kind checked. */
  result: AnyResult;
}

/** Largest result file read, bytes: a long bench with per-operation histograms is a few MiB. */
export const MAX_RESULT_BYTES = 64 * 1024 * 1024;
/** Deepest nesting accepted (results nest about 6 levels). */
export const MAX_DEPTH = 64;
const KINDS = ['analyze', 'bench', 'tune'] as const;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
/** Files beside results that are not results (tune's patch files). */
const NOT_RESULTS = /\.(json-patch|merge-patch)\.json$/;
/** Fields each kind must have for the reporters to read it. */
const REQUIRED: Record<(typeof KINDS)[number], string[]> = {
  analyze: ['target', 'budgets', 'findings'],
  bench: ['target', 'requests', 'throughput', 'timeline', 'budgets'],
  tune: ['target', 'space', 'objective', 'points'],
};

/** Read and check one result file. `where` names it in errors (e.g. "--compare"). */
export function readResult(path: string, where = 'report'): LoadedResult {
  const file = resolve(path);
  if (!existsSync(file)) throw new UsageError(`${where}: no such file ${file}. Give a result saved by mcp-opt analyze, bench or tune (reports/*.json).`);
  const size = statSync(file).size;
  if (size > MAX_RESULT_BYTES) throw new UsageError(`${where}: ${file} is ${size} bytes, more than the ${MAX_RESULT_BYTES} a result can be; it is not an mcp-opt result.`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${where}: ${file} is not valid JSON (${(err as Error).message}). Give a result file mcp-opt saved.`);
  }
  checkShape(data, file, where, 0);
  const r = mergedResult(data as Record<string, unknown>);
  if (typeof r['schemaVersion'] !== 'number' || typeof r['kind'] !== 'string') {
    throw new UsageError(`${where}: ${file} has no schemaVersion and kind: it is not an mcp-opt result.`);
  }
  if (r['schemaVersion'] > SCHEMA_VERSION) {
    throw new UsageError(`${where}: ${file} was written by a newer mcp-opt (result schema ${r['schemaVersion']}; this one reads ${SCHEMA_VERSION}). Upgrade mcp-opt to read it.`);
  }
  if (r['schemaVersion'] !== SCHEMA_VERSION) throw new UsageError(`${where}: ${file} has result schema ${r['schemaVersion']}, which this mcp-opt does not read (it reads ${SCHEMA_VERSION}).`);
  const kind = r['kind'] as (typeof KINDS)[number];
  if (!KINDS.includes(kind)) throw new UsageError(`${where}: ${file} is a "${String(r['kind'])}" file; report reads analyze, bench and tune results.`);
  const missing = REQUIRED[kind].filter((k) => !(k in r));
  if (missing.length) throw new UsageError(`${where}: ${file} is a ${kind} result without ${missing.join(', ')}: it is damaged or not from mcp-opt.`);
  return { file, result: r as unknown as AnyResult };
}

/**
 * The merged result of a merge saved by `report --merge --format json` (reportDocument.ts), so a
 * merged run reads as the bench result it was before the envelope (e.g. as a --compare baseline);
 * any other document as is.
 */
function mergedResult(data: Record<string, unknown>): Record<string, unknown> {
  const inner = data['result'];
  const merge = data['mcpOpt'] === 'report' && data['kind'] === 'merge' && inner !== null && typeof inner === 'object' && !Array.isArray(inner);
  return merge ? inner as Record<string, unknown> : data;
}

/** Read and check a tune result (for --resume and --apply-from): readResult's checks, and kind "tune". */
export function readTuneResult(path: string, where: string): { file: string; result: TuneResult } {
  const { file, result } = readResult(path, where);
  if (result.kind !== 'tune') throw new UsageError(`${where}: ${file} is a ${result.kind} result; give the reports/tune-….json a tune saved.`);
  return { file, result };
}

/** Refuse prototype keys and runaway nesting before anything reads the data. */
function checkShape(value: unknown, file: string, where: string, depth: number): void {
  if (value === null || typeof value !== 'object') return;
  if (depth > MAX_DEPTH) throw new UsageError(`${where}: ${file} nests deeper than ${MAX_DEPTH} levels: it is not an mcp-opt result.`);
  for (const key of Object.keys(value)) {
    if (FORBIDDEN.has(key)) throw new UsageError(`${where}: ${file} holds a "${key}" key, which no mcp-opt result has; refusing to read it.`);
    checkShape((value as Record<string, unknown>)[key], file, where, depth + 1);
  }
}

/** The result files of a folder (not its sub-folders), oldest first by createdAt. */
export function resultsInFolder(dir: string, where = 'report'): LoadedResult[] {
  const names = readdirSync(dir).filter((n) => n.endsWith('.json') && !NOT_RESULTS.test(n) && !n.startsWith('.'));
  const loaded = names.map((n) => readResult(join(dir, n), where));
  return loaded.sort((a, b) => a.result.createdAt.localeCompare(b.result.createdAt));
}

/**
 * What the user named: each file as is, each folder as every result in it; with nothing named, the
 * newest result in `reportsDir`.
 */
export function loadInputs(paths: readonly string[], cwd: string, reportsDir: string): LoadedResult[] {
  if (paths.length === 0) {
    if (!existsSync(reportsDir)) throw new UsageError(`No result to report: ${reportsDir} does not exist. Run mcp-opt analyze, bench or tune first, or name result files.`);
    const all = resultsInFolder(reportsDir);
    if (!all.length) throw new UsageError(`No result to report in ${reportsDir}. Run mcp-opt analyze, bench or tune first, or name result files.`);
    return [all.at(-1)!];
  }
  return paths.flatMap((p) => {
    const full = resolve(cwd, p);
    if (existsSync(full) && statSync(full).isDirectory()) {
      const found = resultsInFolder(full);
      if (!found.length) throw new UsageError(`report: ${full} holds no mcp-opt result (*.json).`);
      return found;
    }
    return [readResult(full)];
  });
}

/** The baseline of --compare: a file, or the newest result of `kind` in a folder. */
export function loadBaseline(path: string, cwd: string, kind: AnyResult['kind']): LoadedResult {
  const full = resolve(cwd, path);
  if (existsSync(full) && statSync(full).isDirectory()) {
    const same = resultsInFolder(full, '--compare').filter((r) => r.result.kind === kind);
    if (!same.length) throw new UsageError(`--compare ${full}: no ${kind} result in that folder to compare with.`);
    return same.at(-1)!;
  }
  return readResult(full, '--compare');
}

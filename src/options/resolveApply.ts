/**
 * `tune --apply-from RESULT [FILE] [--apply FILE…]`: the saved tune result and the apply options,
 * resolved from the flags before anything is read or written.
 */
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { readTuneResult } from '../result/read.js';
import type { TuneResult } from '../result/tuneResult.js';
import type { ApplyOptions } from './tuneOptions.js';

/** What --apply-from applies, and where. */
export interface ApplyFromOptions {
  /** The saved tune result whose recommendation is applied. */
  readonly result: TuneResult;
  /** The files to write into (the positional, then each --apply) and how. */
  readonly apply: ApplyOptions;
}

/** Resolve --apply-from: read the result (relative to `cwd`) and collect the files to write. */
export function resolveApplyFrom(i: { target: string | undefined; flags: Record<string, unknown>; cwd: string }): ApplyFromOptions {
  const f = i.flags;
  const { result } = readTuneResult(resolve(i.cwd, String(f['applyFrom'])), '--apply-from');
  const files = [...(i.target ? [i.target] : []), ...((f['apply'] as string[] | undefined) ?? [])];
  if (!files.length) throw new UsageError('--apply-from needs the file to write into: mcp-opt tune --apply-from reports/tune-….json server.json');
  const write = f['yes'] === true || f['write'] === true;
  return Object.freeze({ result, apply: { files, write, force: f['force'] === true, serverName: f['server'] as string | undefined } });
}

/** Run `mcp-opt tune` as the tune e2e tests do. */
import { expect } from 'vitest';
import type { TuneResult } from '../../src/result/tuneResult.js';
import { runCli, TUNE_SHORT } from './cli.js';

/** `tune …args` with short points and `--json` to completion; the result parsed from stdout. */
export async function tuneJson(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<{ code: number | null; stderr: string; result: TuneResult; testId: string }> {
  const run = await runCli(['tune', ...args, ...TUNE_SHORT, '--json'], { env, timeoutMs });
  let result: TuneResult;
  try {
    result = JSON.parse(run.stdout) as TuneResult;
  } catch {
    throw new Error(`stdout is not a result (exit ${run.code}):\n${run.stdout}\n--- stderr:\n${run.stderr}`);
  }
  expect(result.kind).toBe('tune');
  return { code: run.code, stderr: run.stderr, result, testId: run.testId };
}

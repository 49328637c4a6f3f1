/**
 * Shared bits of the resolution tests: fixture paths, a test environment, temporary folders,
 * and an assertion that a promise fails with a UsageError (exit 2).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import type { LaunchSpec, StdioSpec } from '../../../src/target/launchSpec.js';

/** test/fixtures-targets. */
export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures-targets');

/** Absolute path of a fixture. */
export function fx(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

/** A canary standing in for a secret: it must never appear in an error message. */
export const CANARY = 'canary-secret-value-1234';

/** mcp-opt's environment in tests: the real one plus a token the configs refer to. */
export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MCPOPT_TEST_TOKEN: CANARY, ...extra };
  delete env.MCPOPT_UNSET_VAR;
  return env;
}

/** Await `p` and return the UsageError it rejects with (fails the test otherwise). */
export async function usageError(p: Promise<unknown>): Promise<UsageError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  expect((err as UsageError).exitCode).toBe(2);
  return err as UsageError;
}

/** Narrow a LaunchSpec to stdio (fails the test otherwise). */
export function asStdio(spec: LaunchSpec): StdioSpec {
  expect(spec.kind).toBe('stdio');
  return spec as StdioSpec;
}

/** A fresh temporary folder; call the returned cleanup in afterEach/finally. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mcpopt-resolve-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Write a file (creating folders), optionally executable. */
export function writeFile(path: string, text: string, executable = false): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  if (executable) chmodSync(path, 0o755);
  return path;
}

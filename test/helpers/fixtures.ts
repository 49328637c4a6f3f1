/**
 * Helpers to start the fixture servers of fixtures/servers/ and to check, through /proc, that no
 * process they started outlives a test.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StdioSpec } from '../../src/target/launchSpec.js';

/** The repository root (two levels above this file). */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of fixtures/servers/<name>. */
export function fixturePath(name: string): string {
  return join(repoRoot, 'fixtures', 'servers', name);
}

/** A StdioSpec that runs `node <file> ...args` with the test's environment plus `env`. */
export function stdioSpec(file: string, env?: Record<string, string>, args: string[] = []): StdioSpec {
  return {
    kind: 'stdio',
    launch: { command: process.execPath, args: [file, ...args], cwd: repoRoot, env: { ...process.env, ...env } },
    origin: 'test fixture',
    configuredEnvNames: Object.keys(env ?? {}),
  };
}

/** Pids appended (one per line) to a FIXTURE_PID_FILE; [] when the file does not exist. */
export function readPids(file: string): number[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((l) => l.trim() !== '').map(Number);
}

/** True when `pid` exists and is not a zombie (an exited, unreaped process counts as dead). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses and may contain anything.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Pids of live processes whose environment holds MCPOPT_TEST_ID=<id> (unreadable ones skipped). */
export function processesWithTestId(id: string): number[] {
  const needle = `MCPOPT_TEST_ID=${id}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (environ.split('\0').includes(needle)) found.push(Number(entry));
  }
  return found;
}

/** A path for a new file inside a fresh temporary directory (the file itself is not created). */
export function tmpFile(prefix: string): string {
  return join(mkdtempSync(join(tmpdir(), `mcpopt-${prefix}-`)), prefix);
}

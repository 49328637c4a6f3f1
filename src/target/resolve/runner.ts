/**
 * Recognise package runners (npx, uvx…): they download or locate the real server and start it
 * as a child, so their own start-up cost is measured separately (see directLaunch.ts).
 */
import { basename } from 'node:path';
import type { PackageRunner } from '../launchSpec.js';

/**
 * Global options that take a separate value, per tool, so that `uv --directory /srv run x`
 * (the form most MCP READMEs give for uv) still finds `run` as the subcommand.
 */
const OPTIONS_WITH_VALUE: Record<string, ReadonlySet<string>> = {
  npm: new Set(['--prefix', '-C', '--workspace', '-w', '--userconfig', '--cache', '--registry']),
  pnpm: new Set(['--dir', '-C', '--filter', '-F', '--workspace-dir', '--config-dir']),
  yarn: new Set(['--cwd']),
  bun: new Set(['--cwd', '--config', '-c']),
  uv: new Set(['--directory', '--project', '--python', '-p', '--config-file', '--cache-dir', '--color', '--index-url', '--with']),
  pipx: new Set(['--python', '--spec']),
};

/** Subcommands that make a tool a runner, keyed `tool subcommand…`. */
const SUBCOMMAND_RUNNERS: Record<string, PackageRunner> = {
  'npm exec': 'npm exec',
  // `npm x` is npm's documented alias of `npm exec`.
  'npm x': 'npm exec',
  'pnpm dlx': 'pnpm dlx',
  'pnpm exec': 'pnpm exec',
  'yarn dlx': 'yarn dlx',
  'bun x': 'bunx',
  'uv run': 'uv run',
  // uvx is an alias of `uv tool run`.
  'uv tool run': 'uvx',
  'pipx run': 'pipx run',
};

/** Tools that are runners whatever their arguments. */
const PLAIN_RUNNERS: Record<string, PackageRunner> = { npx: 'npx', bunx: 'bunx', uvx: 'uvx' };

/** The package runner `command args…` invokes, or undefined for anything else. */
export function detectRunner(command: string, args: readonly string[]): PackageRunner | undefined {
  // Windows shims (npx.cmd) name the same tools.
  const tool = basename(command).replace(/\.(cmd|exe|ps1|bat)$/i, '');
  const plain = PLAIN_RUNNERS[tool];
  if (plain) return plain;
  const words = positionals(tool, args);
  for (const n of [2, 1]) {
    const runner = SUBCOMMAND_RUNNERS[[tool, ...words.slice(0, n)].join(' ')];
    if (runner) return runner;
  }
  return undefined;
}

/** Leading non-option arguments (the subcommand words), skipping global options and their values. */
function positionals(tool: string, args: readonly string[]): string[] {
  const withValue = OPTIONS_WITH_VALUE[tool] ?? new Set<string>();
  const words: string[] = [];
  for (let i = 0; i < args.length && words.length < 2; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      if (withValue.has(arg)) i++;
      continue;
    }
    words.push(arg);
  }
  return words;
}

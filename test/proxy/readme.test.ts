/**
 * The README's proxy section names only flags `mcp-opt proxy --help` lists, and the help lists
 * only flags the README's proxy section explains: the user's door stays true.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';

/** Flags shared by every command that the section need not explain again. */
const SHARED = new Set(['--help', '--mcp-config', '--server', '--env', '--config', '--timeout']);

describe("README's proxy section", () => {
  it('names the flags the proxy has, and explains each of them', async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const start = readme.indexOf('## `mcp-opt proxy`');
    expect(start).toBeGreaterThan(-1);
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const help = await runCli(['proxy', '--help']);
    expect(help.code).toBe(0);
    const known = new Set(help.stdout.match(/--[a-z][a-z-]*/g));
    const named = new Set(section.match(/--[a-z][a-z-]*/g));
    for (const flag of named) expect(known, `README names ${flag}`).toContain(flag);
    for (const flag of known) if (!SHARED.has(flag)) expect(named, `${flag} is not explained in the README's proxy section`).toContain(flag);
  });
});

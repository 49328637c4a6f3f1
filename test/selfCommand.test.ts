import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selfArgv } from '../src/selfCommand.js';
import { repoRoot } from './helpers/fixtures.js';

describe('selfArgv', () => {
  it('is the node running mcp-opt and the absolute path of its bin/mcp-opt.js', () => {
    const [node, bin] = selfArgv();
    expect(node).toBe(process.execPath);
    expect(isAbsolute(bin!)).toBe(true);
    expect(bin).toBe(join(repoRoot, 'bin', 'mcp-opt.js'));
    expect(existsSync(bin!)).toBe(true);
  });
});

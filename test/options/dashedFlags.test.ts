/** mcp-opt's own flags after `--`: named in a warning, unless the server is launched through mcp-opt itself. */
import { describe, expect, it } from 'vitest';
import { ownFlagsAfterDashes } from '../../src/options/dashedFlags.js';

const BENCH_FLAGS = ['--rps', '--duration', '--pool'];

describe('ownFlagsAfterDashes', () => {
  it('names the flags mcp-opt would have read, and never quotes the other words', () => {
    const w = ownFlagsAfterDashes(['node', 's.js', '--rps', '100', '--token=SECRET'], BENCH_FLAGS, 'bench');
    expect(w).toContain('--rps after -- was passed to the server');
    expect(w).toContain('mcp-opt bench --rps … -- <server command>');
    expect(w).not.toContain('SECRET');
    expect(ownFlagsAfterDashes(['node', 's.js', '--port', '1'], BENCH_FLAGS, 'bench')).toBeNull();
  });

  it('a server launched through mcp-opt proxy: its flags are that mcp-opt\'s, no warning', () => {
    for (const bin of ['mcp-opt', '/usr/lib/node_modules/mcp-opt/bin/mcp-opt.js', 'mcp-opt@0.1.0']) {
      const launcher = bin.endsWith('.js') ? ['node', bin] : bin.includes('@') ? ['npx', '-y', bin] : [bin];
      expect(ownFlagsAfterDashes([...launcher, 'proxy', '--pool', '2', '--', 'node', 's.js'], BENCH_FLAGS, 'bench'), bin).toBeNull();
    }
    // A flag before the inner mcp-opt still counts (it went to node, not to either mcp-opt).
    expect(ownFlagsAfterDashes(['node', '--rps', 'bin/mcp-opt.js', 'proxy'], BENCH_FLAGS, 'bench')).toContain('--rps');
    // A file merely named like it is not it.
    expect(ownFlagsAfterDashes(['node', 'mcp-opt-server.js', '--pool', '2'], BENCH_FLAGS, 'bench')).toContain('--pool');
  });
});

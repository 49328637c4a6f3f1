/**
 * mcp-opt itself SIGKILLed (it can clean nothing up then): a server that ignores stdin EOF keeps
 * running. README's Safety section says how to find and stop it: bench prints each server's pid
 * on its `open` line, and that pid leads the server's own process group, so `kill -- -<pid>`
 * stops it with its children. This test does exactly that.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { killTestProcesses, noLeftovers, startCli, waitFor } from '../helpers/cli.js';
import { alive, fixturePath } from '../helpers/fixtures.js';

/** The process group of `pid`, from /proc/<pid>/stat (the field after the parent pid). */
function processGroup(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

describe('mcp-opt SIGKILLed with a server that ignores stdin EOF', () => {
  it('leaves the server running, in its own group led by the pid bench printed; kill -- -<pid> stops it', async () => {
    const cli = startCli(['bench', fixturePath('minimal.mjs'), '--rps', '20', '--duration', '60s', '--warmup', '0s', '--no-save'], {
      env: { IGNORE_EOF: '1' }, timeoutMs: 40_000,
    });
    try {
      let stderr = '';
      cli.child.stderr!.on('data', (s: string) => (stderr += s));
      expect(await waitFor(() => /✓ open: 1 ready, pid \d+/.test(stderr), 25_000), `stderr so far:\n${stderr}`).toBe(true);
      const pid = Number(/✓ open: 1 ready, pid (\d+)/.exec(stderr)![1]);
      cli.child.kill('SIGKILL');
      await cli.done;
      // Its stdin is closed now; an EOF-honouring server would be gone well within a second.
      await new Promise((r) => setTimeout(r, 1000));
      expect(alive(pid), `server ${pid} still running`).toBe(true);
      expect(processGroup(pid)).toBe(pid);
      process.kill(-pid, 'SIGTERM');
      expect(await waitFor(() => !alive(pid), 5000)).toBe(true);
      await noLeftovers(cli.testId);
    } finally {
      killTestProcesses(cli.testId);
    }
  });
});

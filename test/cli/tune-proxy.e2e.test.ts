/**
 * `tune --via-proxy`: each point runs the server through `mcp-opt proxy` (a child process, the
 * engine users run), and `--apply` into an MCP client config wraps the server's entry in it, or
 * unwraps it for a pool of 1, the file's comments and layout kept byte for byte. The server is
 * relay.mjs with SERIAL=1 (one `work` at a time, 10 ms each): only more instances raise its
 * throughput, and bench drives a single proxy process, so a doubling shows the proxy's pool.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TuneResult } from '../../src/result/tuneResult.js';
import { allRecordedDead, ANY_SLO, CLI_BIN, noLeftovers, runCli } from '../helpers/cli.js';
import { fixturePath, readPids, tmpFile } from '../helpers/fixtures.js';
import { tuneJson } from '../helpers/tune.js';

const RELAY = fixturePath('relay.mjs');

describe('tune --via-proxy', () => {
  it('measures pool 1 and 2 through the proxy, chooses 2, leaves nothing running; --apply wraps, re-applies and unwraps a client entry', async () => {
    const out = tmpFile('tune.json');
    const pidFile = tmpFile('pids');
    const { code, stderr, result, testId } = await tuneJson(
      [RELAY, '--via-proxy', '--call', 'work', '--knob', 'pool=1,2', '--concurrency', '2', ...ANY_SLO, '--out', out],
      { SERIAL: '1', SERVICE_MS: '10', FIXTURE_PID_FILE: pidFile },
    );
    expect(code, stderr).toBe(0);
    expect(result.config.viaProxy).toEqual({ affinity: 'none', maxInflightPerInstance: 0 });
    expect(result.config.base.balance).toBe('least-inflight');
    expect(result.points.map((p) => [p.settings['pool'], p.status])).toEqual([[1, 'ok'], [2, 'ok']]);
    const [one, two] = result.points.map((p) => p.summary!.succeededRps);
    expect(two).toBeGreaterThan(one! * 1.4);
    expect(result.recommendation?.settings).toEqual({ pool: 2 });
    // Every instance the proxies started (one, then two, plus any repeat) is gone, and so are the proxies.
    expect(readPids(pidFile).length).toBeGreaterThanOrEqual(3);
    await allRecordedDead(pidFile);
    await noLeftovers(testId);
    // Its points cannot be continued without the proxy.
    const resumed = await runCli(['tune', RELAY, '--call', 'work', '--knob', 'pool=1,2', '--resume', out]);
    expect(resumed.code, resumed.stderr).toBe(2);
    expect(resumed.stderr).toMatch(/that tune ran with --via-proxy/);

    // The patches: the client entry launches the proxy; mcp-opt's config gets a "proxy" section.
    const entry = result.patch!.files.find((f) => f.target.startsWith('server entry'))!.mergePatch as { command: string; args: string[] };
    // The node running mcp-opt (absent from the merge patch when the server's own command is that node).
    expect([undefined, process.execPath]).toContain(entry.command);
    expect(entry.args.slice(0, 9)).toEqual([CLI_BIN, 'proxy', '--pool', '2', '--affinity', 'none', '--balance', 'least-inflight', '--']);
    expect(entry.args.at(-1)).toBe(RELAY);
    expect(result.patch!.files.find((f) => f.target.startsWith('mcp-opt config'))!.mergePatch).toEqual({
      proxy: { pool: 2, affinity: 'none', balance: 'least-inflight', maxInflightPerInstance: 0 },
    });

    const dir = mkdtempSync(join(tmpdir(), 'mcpopt-wrap-'));
    const claude = `{
  // Claude Desktop
  "mcpServers": {
    "relay": {
      "command": "node",
      "args": ["relay.mjs"], // serial
      "cwd": "/srv/relay",
      "env": { "SERIAL": "1" }
    }
  }
}
`;
    const wrapped = claude
      .replace('"command": "node"', `"command": ${JSON.stringify(process.execPath)}`)
      .replace('["relay.mjs"]', `[${JSON.stringify(CLI_BIN)}, "proxy", "--pool", "2", "--affinity", "none", "--balance", "least-inflight", "--", "node", "relay.mjs"]`);
    const file = join(dir, 'claude_desktop_config.json');
    writeFileSync(file, claude);
    const apply = (from: string, ...more: string[]): ReturnType<typeof runCli> => runCli(['tune', '--apply-from', from, 'claude_desktop_config.json', ...more], { cwd: dir, timeoutMs: 20_000 });

    const dry = await apply(out);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`+      "command": ${JSON.stringify(process.execPath)},`);
    expect(dry.stdout).toMatch(/--affinity none\): right for a server that keeps no state/);
    expect(dry.stdout).toMatch(/dry run: nothing was written/);
    expect(readFileSync(file, 'utf8')).toBe(claude);

    const wrote = await apply(out, '--yes');
    expect(wrote.code, wrote.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(wrapped);
    const again = await apply(out, '--yes');
    expect(again.stdout).toMatch(/already holds the recommended values/);
    expect(readFileSync(file, 'utf8')).toBe(wrapped);

    // Another pool updates the flag in place; a pool of 1 removes the wrapper, giving back the original bytes.
    const withPool = (pool: number): string => {
      const saved = JSON.parse(readFileSync(out, 'utf8')) as TuneResult;
      saved.recommendation!.settings = { pool };
      const path = join(dir, `tune-pool${pool}.json`);
      writeFileSync(path, JSON.stringify(saved));
      return path;
    };
    expect((await apply(withPool(4), '--yes')).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(wrapped.replace('"--pool", "2"', '"--pool", "4"'));
    const unwrap = await apply(withPool(1), '--yes');
    expect(unwrap.code, unwrap.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(claude);
  });

  it('proxy settings need --via-proxy, and a URL target cannot go through it (exit 2, nothing started); --dry-run says the points run through the proxy', async () => {
    const plan = await runCli(['tune', RELAY, '--via-proxy', '--knob', 'maxInflightPerInstance=1,2', '--dry-run']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Each point runs the server through `mcp-opt proxy` (pool and balance are the proxy\'s; --affinity none, --max-inflight-per-instance 0 unless knobs).');
    expect(plan.stdout).toMatch(/maxInflightPerInstance 1\n.*maxInflightPerInstance 2/);
    for (const [args, said] of [
      [[RELAY, '--knob', 'affinity=none,session'], /--knob affinity is a setting of mcp-opt proxy: add --via-proxy/],
      [[RELAY, '--max-inflight-per-instance', '1'], /--max-inflight-per-instance is a setting of mcp-opt proxy/],
      [['http://127.0.0.1:9/mcp', '--via-proxy', '--knob', 'pool=1,2'], /--via-proxy starts an mcp-opt proxy .* with a URL target it is not supported yet/],
    ] as const) {
      const r = await runCli(['tune', ...args, '--no-save']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(said);
    }
  });
});

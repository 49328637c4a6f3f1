/**
 * Start fixtures/servers/http-server.mjs for a test: one child process on a random loopback port,
 * with the mode and behaviour env vars given; its /_stats side channel; and teardown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { HttpSpec } from '../../src/target/launchSpec.js';
import { fixturePath, repoRoot } from '../helpers/fixtures.js';

/** A running fixture. */
export interface HttpFixture {
  /** The MCP endpoint it printed. */
  url: string;
  child: ChildProcess;
  /** Its /_stats counters. */
  stats(): Promise<Record<string, any>>;
  /** End it (stdin EOF and SIGTERM) and wait for its exit. */
  stop(): Promise<void>;
}

/** Start the fixture with MODE=`mode` and `env`; resolves once it prints its URL. */
export async function startHttpFixture(mode: string, env: Record<string, string> = {}): Promise<HttpFixture> {
  const child = spawn(process.execPath, [fixturePath('http-server.mjs')], {
    cwd: repoRoot, env: { ...process.env, MODE: mode, PORT: '0', ...env }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stderr!.resume();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`http fixture (MODE=${mode}) exited with ${code}`)));
  });
  const url = (JSON.parse(line) as { url: string }).url;
  return {
    url,
    child,
    async stats() {
      return (await fetch(new URL('/_stats', url))).json() as Promise<Record<string, any>>;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin!.end();
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** An HttpSpec for `url`. */
export function httpSpec(url: string, transport: HttpSpec['transport'] = 'auto'): HttpSpec {
  return { kind: 'http', url, headers: {}, transport, origin: 'test' };
}

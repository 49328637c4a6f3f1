/**
 * Where a URL target is and whether it can be trusted, end to end against http-server.mjs:
 * a host that is not loopback is named with its address before any load (127.0.0.1 gets no
 * note), and a certificate mcp-opt cannot verify is named as a certificate problem (a self-signed
 * one, generated here with openssl; a host name it was not issued for) with NODE_EXTRA_CA_CERTS as
 * the way out, not "check that the server is running".
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST, noLeftovers, runCli, spawnCli } from '../helpers/cli.js';
import { startHttpFixture, type HttpFixture } from '../target/httpFixture.js';

const fixtures: HttpFixture[] = [];
afterAll(async () => {
  await Promise.all(fixtures.map((f) => f.stop()));
});

async function fixture(env: Record<string, string>): Promise<HttpFixture> {
  const fx = await startHttpFixture('streamable', env);
  fixtures.push(fx);
  return fx;
}

/** A short bench: the note comes before any load, so the load itself can be brief. */
const SHORT_BENCH = ['--duration', '1s', '--warmup', '0s', '--no-save'];

/** This machine's first IPv4 address that is not loopback, or undefined. */
const ownAddress = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('a URL target that is not loopback', () => {
  it.skipIf(ownAddress === undefined)('is named with its address before the load starts, and the bench still runs', async () => {
    const fx = await fixture({ HOST: '0.0.0.0' });
    const url = fx.url.replace('127.0.0.1', ownAddress!);
    const run = await runCli(['bench', url, ...SHORT_BENCH]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.split('\n');
    const note = lines.findIndex((l) => l.startsWith(`mcp-opt: ${ownAddress}: not loopback`));
    expect(note, run.stderr).toBeGreaterThan(-1);
    expect(lines[note - 1]).toMatch(/^mcp-opt: connecting to /);
    expect(note).toBeLessThan(lines.findIndex((l) => /✓ load/.test(l)));
    await noLeftovers(run.testId);
  }, 40_000);

  it('127.0.0.1 gets no note', async () => {
    const fx = await fixture({});
    const run = await runCli(['bench', fx.url, ...SHORT_BENCH]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/not loopback|remote host|resolves to/);
  }, 40_000);
});

/** True when openssl can be run (it makes the test certificate). */
function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasOpenssl())('an HTTPS target whose certificate cannot be verified', () => {
  let cert = '';
  let key = '';
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpopt-tls-'));
    cert = join(dir, 'cert.pem');
    key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  });

  it('self-signed: names the certificate problem and NODE_EXTRA_CA_CERTS (exit 3), and works once the CA is given', async () => {
    const fx = await fixture({ TLS_CERT: cert, TLS_KEY: key });
    expect(fx.url).toMatch(/^https:/);
    const run = await runCli(['analyze', ...FAST, '--no-save', fx.url]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/certificate is self-signed, so it is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
    expect(run.stderr).toContain('NODE_EXTRA_CA_CERTS=');
    expect(run.stderr).not.toMatch(/server is running/);

    // Node reads NODE_EXTRA_CA_CERTS once, when a process starts: these runs are child processes.
    const trusted = await spawnCli(['bench', fx.url, ...SHORT_BENCH], { env: { NODE_EXTRA_CA_CERTS: cert } });
    expect(trusted.code, trusted.stderr).toBe(0);
  }, 60_000);

  it('issued for another name: says the certificate does not name this host', async () => {
    const fx = await fixture({ TLS_CERT: cert, TLS_KEY: key });
    const run = await spawnCli(['bench', fx.url.replace('127.0.0.1', 'localhost'), ...SHORT_BENCH], { env: { NODE_EXTRA_CA_CERTS: cert } });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/certificate is not issued for this host name \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
    expect(run.stderr).not.toMatch(/server is running/);
  }, 60_000);

  it('--era legacy (no probe): the first request names the certificate problem too', async () => {
    const fx = await fixture({ TLS_CERT: cert, TLS_KEY: key });
    const run = await runCli(['bench', fx.url, '--era', 'legacy', ...SHORT_BENCH]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/DEPTH_ZERO_SELF_SIGNED_CERT/);
    expect(run.stderr).not.toMatch(/server is running/);
  }, 60_000);
});

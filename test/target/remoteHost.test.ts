import { describe, expect, it } from 'vitest';
import { hostNote, isLoopback, LOOKUP_TIMEOUT_MS } from '../../src/target/remoteHost.js';
import { certificateProblem } from '../../src/target/http/wire.js';

const resolvesTo = (...addresses: string[]) => async () => addresses;
const NO_OWN = new Map<string, string>();

describe('hostNote', () => {
  it('names a remote host with the address it resolved to', async () => {
    expect(await hostNote('https://example.com/mcp', resolvesTo('93.184.215.14'), NO_OWN))
      .toBe('example.com resolves to 93.184.215.14: a remote host; its figures include the network between here and there.');
    expect(await hostNote('http://10.1.2.3:8080/mcp', resolvesTo(), NO_OWN)).toBe('10.1.2.3: a remote host; its figures include the network between here and there.');
    expect(await hostNote('http://[2001:db8::1]:8080/mcp', resolvesTo(), NO_OWN)).toMatch(/^2001:db8::1: a remote host/);
  });

  it("says when the address is this machine's own interface", async () => {
    const own = new Map([['192.0.2.2', 'eth0']]);
    expect(await hostNote('http://myhost:3000/mcp', resolvesTo('192.0.2.2'), own)).toBe("myhost resolves to 192.0.2.2: not loopback but this machine's own address (eth0); the server runs here, reached through that interface.");
  });

  it('says nothing for loopback, localhost, or a name that does not resolve (the connection reports that)', async () => {
    const never = async () => { throw new Error('lookup must not be called'); };
    expect(await hostNote('http://127.0.0.1:3000/mcp', never, NO_OWN)).toBeNull();
    expect(await hostNote('http://127.8.9.10:3000/mcp', never, NO_OWN)).toBeNull();
    expect(await hostNote('http://[::1]:3000/mcp', never, NO_OWN)).toBeNull();
    expect(await hostNote('http://localhost:3000/mcp', never, NO_OWN)).toBeNull();
    expect(await hostNote('http://vm:3000/mcp', resolvesTo('127.0.0.1'), NO_OWN)).toBeNull();
    expect(await hostNote('http://typo.invalid/mcp', async () => { throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }); }, NO_OWN)).toBeNull();
  });

  it('gives up on a resolver that does not answer', async () => {
    expect(LOOKUP_TIMEOUT_MS).toBeGreaterThan(0);
    expect(await hostNote('http://slow.example/mcp', () => new Promise(() => {}), NO_OWN, 50)).toBeNull();
  });

  it('isLoopback covers 127/8, ::1 and IPv4-mapped loopback', () => {
    expect(['127.0.0.1', '127.255.0.1', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['10.0.0.1', '192.0.2.2', '::', 'fd00::2', '::ffff:10.0.0.1'].some(isLoopback)).toBe(false);
  });
});

describe('certificateProblem', () => {
  it('names each certificate problem with what to do, never a verification bypass', () => {
    for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']) {
      const text = certificateProblem(code)!;
      expect(text).toContain(`(${code})`);
      expect(text).toContain('NODE_EXTRA_CA_CERTS=');
      expect(text).not.toMatch(/NODE_TLS_REJECT_UNAUTHORIZED|rejectUnauthorized|insecure/i);
    }
    expect(certificateProblem('CERT_HAS_EXPIRED')).toMatch(/has expired \(CERT_HAS_EXPIRED\)\. Renew it/);
    expect(certificateProblem('ERR_TLS_CERT_ALTNAME_INVALID')).toMatch(/not issued for this host name/);
    expect(certificateProblem('ERR_SSL_WRONG_VERSION_NUMBER')).toMatch(/did not answer in TLS .* try http:\/\//);
    expect(certificateProblem('ERR_SSL_SOMETHING_ELSE')).toMatch(/TLS handshake failed/);
    expect(certificateProblem('ECONNREFUSED')).toBeNull();
  });
});

/**
 * Finding the server process of a URL on this machine: the /proc/net/tcp line parser (IPv4 and
 * IPv6 hex formats), loopback hosts, and, on Linux, the owner of a real listening socket.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { listeningSockets, parseTcpLine, socketOwners } from '../../src/target/procNet.js';
import { procfsAvailable } from '../../src/target/procfs.js';
import { isLoopbackHost, listeningProcess } from '../../src/target/serverPid.js';

describe('parseTcpLine', () => {
  it('reads an IPv4 LISTEN line: address words in host (little-endian) order, port big-endian', () => {
    const line = '   0: 0100007F:9567 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 9305 1 000000006d5d54d0 100 0 0 10 0';
    expect(parseTcpLine(line)).toEqual({ localAddress: '127.0.0.1', localPort: 0x9567, state: 0x0a, uid: 1000, inode: 9305 });
    expect(parseTcpLine('   1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1147 1 0 100 0 0 10 0'))
      .toMatchObject({ localAddress: '0.0.0.0', localPort: 2024, inode: 1147 });
  });

  it('reads IPv6 lines: four 32-bit words, each in host order', () => {
    const v6 = (addr: string, port = '1F90'): string =>
      `   2: ${addr}:${port} 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0 100 0 0 10 0`;
    expect(parseTcpLine(v6('00000000000000000000000001000000'))).toEqual({ localAddress: '::1', localPort: 8080, state: 10, uid: 1000, inode: 4242 });
    expect(parseTcpLine(v6('00000000000000000000000000000000'))?.localAddress).toBe('::');
    expect(parseTcpLine(v6('0000000000000000FFFF00000100007F'))?.localAddress).toBe('::ffff:127.0.0.1');
    expect(parseTcpLine(v6('000080FE000000000000000001000000'))?.localAddress).toBe('fe80::1');
    expect(parseTcpLine(v6('B80D0120000000000000000000000000', '0050'))).toMatchObject({ localAddress: '2001:db8::', localPort: 80 });
  });

  it('skips the header line and garbage', () => {
    expect(parseTcpLine('  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode')).toBeNull();
    expect(parseTcpLine('')).toBeNull();
    expect(parseTcpLine('   0: 7F000001 00000000:0000 0A 0 0 0 0 0 0')).toBeNull();
  });
});

describe('isLoopbackHost', () => {
  it('accepts 127.0.0.0/8, ::1 and localhost, and nothing else', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', 'api.localhost', '[::1]', '::1', '[::ffff:127.0.0.1]']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['10.0.0.1', '0.0.0.0', 'example.com', '[::]', '128.0.0.1', 'localhost.example.com', '[fe80::1]']) expect(isLoopbackHost(h), h).toBe(false);
    // As URL spells them.
    expect(isLoopbackHost(new URL('http://[::ffff:127.0.0.1]:3000/mcp').hostname)).toBe(true);
    expect(isLoopbackHost(new URL('http://[::ffff:10.0.0.1]:3000/mcp').hostname)).toBe(false);
    expect(isLoopbackHost(new URL('http://[0:0:0:0:0:0:0:1]/').hostname)).toBe(true);
  });
});

describe('listeningProcess', () => {
  it('says why for a host that is not this machine', () => {
    const p = listeningProcess(new URL('https://mcp.example.com/mcp'));
    expect(p.pids).toEqual([]);
    expect(p.source).toBeNull();
    expect(p.unavailableReason).toMatch(procfsAvailable ? /mcp\.example\.com, not a loopback address.*--pid/ : /Linux \/proc/);
  });

  it.runIf(procfsAvailable)('finds the process holding a listening socket (IPv4 and IPv6), and says so when nothing listens', async () => {
    for (const host of ['127.0.0.1', '::1']) {
      const server = net.createServer();
      try {
        await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
      } catch (err) {
        if (host === '::1' && (err as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') continue; // no IPv6 loopback here
        throw err;
      }
      const port = (server.address() as net.AddressInfo).port;
      try {
        const sockets = listeningSockets(port)!;
        expect(sockets.map((s) => s.localAddress)).toContain(host);
        expect(socketOwners(sockets.map((s) => s.inode)).pids).toEqual([process.pid]);
        const urlHost = host.includes(':') ? `[${host}]` : 'localhost';
        expect(listeningProcess(new URL(`http://${urlHost}:${port}/mcp`))).toEqual({ pids: [process.pid], source: 'listening-port', unavailableReason: null });
      } finally {
        await new Promise((r) => server.close(r));
      }
      expect(listeningProcess(new URL(`http://127.0.0.1:${port}/mcp`)).unavailableReason).toMatch(new RegExp(`no socket listens on port ${port}`));
    }
  });
});

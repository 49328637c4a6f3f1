/**
 * Which process listens on a TCP port of this machine, from Linux /proc: the LISTEN sockets in
 * /proc/net/tcp and /proc/net/tcp6 give the socket's inode, and the process holding that inode
 * among its file descriptors (`/proc/<pid>/fd/N -> socket:[inode]`) owns it. This is what
 * `ss -ltnp` and `lsof -i` do, without spawning either.
 *
 * Only the current network namespace is visible (a server in a container shows up as its port
 * forwarder or not at all), and only processes whose fd directory mcp-opt may read (its own user's,
 * unless it runs as root).
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** TCP state code of a listening socket in /proc/net/tcp (include/net/tcp_states.h: TCP_LISTEN = 10). */
const TCP_LISTEN = 0x0a;

/** One socket line of /proc/net/tcp or /proc/net/tcp6. */
export interface TcpSocketLine {
  /** Local address, printed form ('127.0.0.1', '::1', '::'). */
  localAddress: string;
  /** Local port. */
  localPort: number;
  /** TCP state code (0x0A = LISTEN). */
  state: number;
  /** Owner's uid. */
  uid: number;
  /** Socket inode (0 for sockets in TIME_WAIT, which no process holds). */
  inode: number;
}

/**
 * Parse one line of /proc/net/tcp or /proc/net/tcp6 (net/ipv4/tcp_ipv4.c get_tcp4_sock,
 * net/ipv6/tcp_ipv6.c get_tcp6_sock); null for the header line or anything unparsable.
 * Addresses are hex of the kernel's in-memory words: IPv4 one 32-bit word, IPv6 four, each
 * printed in host byte order (little-endian here), so `0100007F` is 127.0.0.1. Ports are
 * plain big-endian hex.
 */
export function parseTcpLine(line: string): TcpSocketLine | null {
  const f = line.trim().split(/\s+/);
  // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
  if (f.length < 10 || !/^\d+:$/.test(f[0]!)) return null;
  const local = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(f[1]!);
  if (!local) return null;
  const state = parseInt(f[3]!, 16);
  const uid = Number(f[7]);
  const inode = Number(f[9]);
  if (!Number.isFinite(state) || !Number.isInteger(uid) || !Number.isInteger(inode)) return null;
  return { localAddress: hexAddress(local[1]!), localPort: parseInt(local[2]!, 16), state, uid, inode };
}

/** '0100007F' → '127.0.0.1'; 32 hex digits → IPv6 text (zero runs compressed). */
function hexAddress(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    // Each 32-bit word is printed as a host-order integer: its bytes in memory are reversed.
    for (let b = 6; b >= 0; b -= 2) bytes.push(parseInt(hex.slice(w + b, w + b + 2), 16));
  }
  if (bytes.length === 4) return bytes.join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${bytes.slice(12).join('.')}`;
  return compressV6(groups.map((g) => g.toString(16)));
}

/** RFC 5952 text: the longest run of two or more zero groups becomes '::'. */
function compressV6(groups: string[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < groups.length;) {
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** The LISTEN sockets on `port` (IPv4 and IPv6); null where /proc/net is absent. */
export function listeningSockets(port: number): TcpSocketLine[] | null {
  const found: TcpSocketLine[] = [];
  let readAny = false;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue; // tcp6 is absent on kernels without IPv6
    }
    readAny = true;
    for (const line of text.split('\n')) {
      const s = parseTcpLine(line);
      if (s && s.state === TCP_LISTEN && s.localPort === port && s.inode > 0) found.push(s);
    }
  }
  return readAny ? found : null;
}

/** Processes holding one of `inodes` among their fds, and how many fd directories could not be read. */
export function socketOwners(inodes: readonly number[]): { pids: number[]; unreadable: number } {
  const wanted = new Set(inodes.map((i) => `socket:[${i}]`));
  const pids: number[] = [];
  let unreadable = 0;
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return { pids, unreadable };
  }
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${name}/fd`);
    } catch {
      unreadable++;
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${name}/fd/${fd}`);
      } catch {
        continue; // closed meanwhile
      }
      if (wanted.has(link)) {
        pids.push(Number(name));
        break;
      }
    }
  }
  return { pids, unreadable };
}

/**
 * Where a URL target is: a server on another machine is measured through the network, and a typo
 * in a host name may point the load at someone else's server. So before any load, mcp-opt says
 * which address the host resolved to unless it is loopback. Only a note: measuring a remote
 * server is allowed without extra flags.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** Resolves a host name to its addresses, as node's HTTP client does (getaddrinfo). */
export type LookupAll = (host: string) => Promise<string[]>;

/** Longest wait for the resolver before giving up on the note (the connection then says what failed), ms. */
export const LOOKUP_TIMEOUT_MS = 3000;

const systemLookup: LookupAll = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Addresses of this machine's own network interfaces, with the interface's name. */
function ownAddresses(): Map<string, string> {
  const own = new Map<string, string>();
  for (const [name, list] of Object.entries(networkInterfaces())) {
    for (const a of list ?? []) own.set(a.address, name);
  }
  return own;
}

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return isIP(v4) === 4 ? v4.startsWith('127.') : address === '::1';
}

/**
 * The line to print for a URL's host, or null when it is loopback (or cannot be resolved: the
 * connection reports that). `lookup`, `own` and `timeoutMs` are for tests.
 */
export async function hostNote(
  url: string,
  lookup: LookupAll = systemLookup,
  own: Map<string, string> = ownAddresses(),
  timeoutMs = LOOKUP_TIMEOUT_MS,
): Promise<string | null> {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
  if (host === '' || host.toLowerCase() === 'localhost') return null;
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      });
      addresses = await Promise.race([lookup(host), timeout]);
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
  // The HTTP client tries the addresses in getaddrinfo's order: the first is the one it reaches.
  const address = addresses[0];
  if (address === undefined || isLoopback(address)) return null;
  const named = host === address ? address : `${host} resolves to ${address}`;
  const iface = own.get(address);
  if (iface !== undefined) {
    return `${named}: not loopback but this machine's own address (${iface}); the server runs here, reached through that interface.`;
  }
  return `${named}: a remote host; its figures include the network between here and there.`;
}

/**
 * URL targets. Only http(s) is reachable; anything else that looks like a URL is a usage error
 * rather than a "no such file" for a path called `ws://…`.
 */
import { UsageError } from '../../errors.js';
import type { HttpSpec } from '../launchSpec.js';
import { redactUrl } from '../launchSpec.js';

/** True when `text` starts with a URL scheme followed by `//` (a Windows drive `C:\` does not). */
export function looksLikeUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

/** Parse an http(s) URL into an HttpSpec; other schemes and malformed URLs are usage errors. */
export function resolveUrl(
  text: string,
  origin: string,
  options: { headers?: Record<string, string>; transport?: HttpSpec['transport'] } = {},
): HttpSpec {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The text may carry credentials: never echo it.
    throw new UsageError(`Invalid URL (${origin}): it could not be parsed. Check it, e.g. http://127.0.0.1:3000/mcp.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(
      `Unsupported URL scheme "${url.protocol}" (${origin}): MCP servers are reached over http:// or https://; ` +
        'for a local stdio server give its directory, file, or command after --.',
    );
  }
  return {
    kind: 'http',
    // Kept as typed: the transport parses it again, and normalising could alter escapes.
    url: text,
    headers: options.headers ?? {},
    transport: options.transport ?? 'auto',
    origin: `${origin} ${redactUrl(url.toString())}`,
  };
}

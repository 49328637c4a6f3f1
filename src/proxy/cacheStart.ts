/**
 * What the cache needs once the pool is warm and before the front serves: --cache-tool checked
 * against the server's own tool list (cacheToolCheck.ts), and the persistent level (--cache-dir)
 * opened for this server's fingerprint and its kept answers loaded (cacheDisk.ts).
 */
import type { ProxyOptions } from '../options/proxyOptions.js';
import { CacheDisk } from './cacheDisk.js';
import { checkCacheTools } from './cacheToolCheck.js';
import type { Pool } from './pool.js';
import type { Router } from './router.js';

/** Check --cache-tool and load --cache-dir; throws a UsageError when a --cache-tool is refused. Returns the answers loaded from disk. */
export async function prepareCache(opts: ProxyOptions, pool: Pool, router: Router): Promise<number> {
  const first = pool.slots.find((i) => i?.warm) ?? null;
  await checkCacheTools(opts.cache, async () => (first === null ? null : first.listTools(opts.startTimeoutMs)));
  if (opts.cache.dir === null || !opts.cache.enabled) return 0;
  const spec = opts.spec;
  const serverInfo = first?.warm?.initializeResult?.['serverInfo'] ?? null;
  const fingerprint = spec.kind === 'http'
    ? await CacheDisk.fingerprintOf(spec.url, [], serverInfo)
    : await CacheDisk.fingerprintOf(spec.launch.command, spec.launch.args, serverInfo);
  const disk = new CacheDisk(opts.cache.dir, fingerprint);
  const entries = await disk.load();
  router.shared.cache.attachDisk(disk, entries);
  return entries.length;
}

/**
 * The recommendation as changes per kind of file, computed from the result alone (so
 * `--apply-from` needs no re-measuring): values at JSON Pointers of the server's config files,
 * environment variables and arguments of the server's launch (an MCP client entry or an .env
 * file), mcp-opt's own bench settings, and the proxy's settings when the tune ran through it.
 */
import type { ValueChange } from './valueChange.js';
import type { TuneResult } from '../result/tuneResult.js';
import type { ProxySettings } from './proxyWrap.js';

/** What the recommendation changes. */
export interface RecommendedChanges {
  /** Server config files (absolute paths) → values at JSON Pointers. */
  files: Array<{
    /** Absolute path of the config file. */
    path: string;
    /** The values to set in it. */
    changes: ValueChange[];
  }>;
  /** Environment variables of the server (env knobs). */
  env: Record<string, string>;
  /** Arguments of the server (arg knobs). */
  args: Array<{
    /** The flag, e.g. '--workers'. */
    flag: string;
    /** Its value. */
    value: string;
  }>;
  /**
   * mcp-opt's config "bench" section: pool, concurrency (in flight in total: bench's
   * --concurrency is not per instance), balance, batch, batchDelay.
   */
  bench: Record<string, number | string>;
  /**
   * The `mcp-opt proxy` settings the points ran through (tune --via-proxy), or null: an MCP client
   * entry is then wrapped in the proxy (unwrapped for a pool of 1), mcp-opt's config gets them in
   * its "proxy" section, and pool and balance are the proxy's, not bench's.
   */
  proxy: ProxySettings | null;
}

/** The changes the recommendation of `result` makes. */
export function recommendedChanges(result: Pick<TuneResult, 'space' | 'recommendation' | 'config'>): RecommendedChanges {
  const out: RecommendedChanges = { files: [], env: {}, args: [], bench: {}, proxy: null };
  const settings = result.recommendation?.settings ?? {};
  const base = result.config.base;
  for (const k of result.space.knobs) {
    const v = settings[k.id];
    if (v === undefined) continue;
    if (k.kind === 'file') {
      const file = out.files.find((f) => f.path === k.path) ?? (out.files.push({ path: k.path!, changes: [] }), out.files.at(-1)!);
      file.changes.push({ pointer: k.name, value: v });
    } else if (k.kind === 'env') out.env[k.name] = String(v);
    else if (k.kind === 'arg') out.args.push({ flag: k.name, value: String(v) });
  }
  const tuned = new Set(result.space.knobs.filter((k) => k.kind === 'builtin').map((k) => k.id));
  const num = (id: string, fallback: number): number => (typeof settings[id] === 'number' ? (settings[id] as number) : fallback);
  const via = result.config.viaProxy;
  if (via) {
    out.proxy = {
      pool: num('pool', base.pool),
      affinity: String(settings['affinity'] ?? via.affinity),
      balance: String(settings['balance'] ?? base.balance),
      maxInflightPerInstance: num('maxInflightPerInstance', via.maxInflightPerInstance),
    };
  }
  if (tuned.has('pool') && !via) out.bench['pool'] = num('pool', base.pool);
  // Through the proxy, the pool is the proxy's: bench's own load is not a setting to apply unless tuned.
  if ((tuned.has('pool') && !via) || tuned.has('concurrency')) out.bench['concurrency'] = num('pool', base.pool) * num('concurrency', base.concurrency);
  if (tuned.has('balance') && !via) out.bench['balance'] = String(settings['balance']);
  if (tuned.has('batch')) out.bench['batch'] = num('batch', 1);
  if (tuned.has('batchDelay')) out.bench['batchDelay'] = num('batchDelay', 0);
  return out;
}

/** The bench settings (and the proxy's, when the tune ran through it) as pointer changes into mcp-opt's config. */
export function benchChanges(bench: RecommendedChanges['bench'], proxy: ProxySettings | null = null): ValueChange[] {
  const changes = Object.entries(bench).map(([key, value]) => ({ pointer: `/bench/${key}`, value }));
  if (proxy) for (const [key, value] of Object.entries(proxy)) changes.push({ pointer: `/proxy/${key}`, value });
  return changes;
}

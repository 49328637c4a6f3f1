/**
 * The load-spreading strategies shared by bench's lanes (one session per server instance) and the
 * proxy's pool: round-robin, least-inflight, and latency-ewma (lowest expected wait).
 */

/** How requests spread over instances. */
export type Balance = 'round-robin' | 'least-inflight' | 'latency-ewma';
/** Every strategy, in the order help texts list them. */
export const BALANCES: readonly Balance[] = ['round-robin', 'least-inflight', 'latency-ewma'];

/** What a balancer needs to know of each item. */
export interface Balanced {
  /** True when it can take a request now. */
  readonly ready: boolean;
  /** Requests it holds now. */
  readonly inflight: number;
  /** Its service-time EWMA, µs (0 before the first sample). */
  readonly ewmaUs: number;
}

/** Picks an item for the next request; null when none is ready. */
export type Picker<T> = () => T | null;

/** Weight of the newest sample in a service-time EWMA. */
export const EWMA_ALPHA = 0.2;

/** Fold `us` into an EWMA that was `ewmaUs` (0: none yet). */
export function foldEwma(ewmaUs: number, us: number): number {
  return ewmaUs === 0 ? us : ewmaUs + EWMA_ALPHA * (us - ewmaUs);
}

/** Make a picker over `items` (a fixed array; the items' state may change). */
export function makeBalancer<T extends Balanced>(items: readonly T[], balance: Balance): Picker<T> {
  let next = 0;
  const n = items.length;
  if (n === 1) {
    const only = items[0]!;
    return () => (only.ready ? only : null);
  }
  if (balance === 'round-robin') {
    return () => {
      for (let k = 0; k < n; k++) {
        const item = items[next]!;
        next = next + 1 === n ? 0 : next + 1;
        if (item.ready) return item;
      }
      return null;
    };
  }
  // least-inflight: fewest outstanding; latency-ewma: lowest expected wait, ewma × (inflight + 1).
  // Ties rotate (start the scan where the last pick left off) so equal items share the load.
  const cost = balance === 'least-inflight'
    ? (t: T): number => t.inflight
    : (t: T): number => (t.ewmaUs || 1) * (t.inflight + 1);
  return () => {
    let best: T | null = null;
    let bestCost = Infinity;
    for (let k = 0; k < n; k++) {
      const item = items[(next + k) % n]!;
      if (!item.ready) continue;
      const c = cost(item);
      if (c < bestCost) {
        best = item;
        bestCost = c;
      }
    }
    next = next + 1 === n ? 0 : next + 1;
    return best;
  };
}

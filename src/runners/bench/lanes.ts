/**
 * Lanes: one session each (one stdio server instance of a --pool, or one HTTP session of
 * --connections), and the balancers that spread requests over them.
 */
import { Recorder } from '../../measure/histogram.js';
import type { Balance } from '../../options/benchOptions.js';
import type { Target } from '../../target/target.js';

/** Pending bytes to a server above which its lane takes no more requests (a server that stopped reading stdin). */
export const MAX_PENDING_OUT_BYTES = 4 * 1024 * 1024;
/** Weight of the newest sample in the latency EWMA. */
const EWMA_ALPHA = 0.2;

/** One session and its counters. */
export class Lane {
  /** Requests sent and not answered. */
  inflight = 0;
  /** Measured requests sent (warm-up excluded). */
  sent = 0;
  /** Measured requests answered with success. */
  succeeded = 0;
  /** Measured requests that failed. */
  failed = 0;
  /** Service-time EWMA, µs (latency-ewma balancing). */
  ewmaUs = 0;
  /** Service time of measured successes, µs. */
  readonly service = new Recorder('us');
  /** False once its connection closed. */
  alive = true;

  constructor(
    /** 0-based position in the pool. */
    readonly index: number,
    readonly target: Target,
  ) {}

  /** True when it can take a request now (alive, and the server is reading what it is sent). */
  get ready(): boolean {
    return this.alive && this.target.session.transport.pendingOutBytes < MAX_PENDING_OUT_BYTES;
  }

  /** Fold a service time into the EWMA. */
  observe(us: number): void {
    this.ewmaUs = this.ewmaUs === 0 ? us : this.ewmaUs + EWMA_ALPHA * (us - this.ewmaUs);
  }
}

/** Picks a lane for the next request; null when none is ready. */
export type Balancer = () => Lane | null;

/** Make a balancer over `lanes`. */
export function makeBalancer(lanes: readonly Lane[], balance: Balance): Balancer {
  let next = 0;
  const n = lanes.length;
  if (n === 1) {
    const only = lanes[0]!;
    return () => (only.ready ? only : null);
  }
  if (balance === 'round-robin') {
    return () => {
      for (let k = 0; k < n; k++) {
        const lane = lanes[next]!;
        next = next + 1 === n ? 0 : next + 1;
        if (lane.ready) return lane;
      }
      return null;
    };
  }
  // least-inflight: fewest outstanding; latency-ewma: lowest expected wait, ewma × (inflight + 1).
  // Ties rotate (start the scan where the last pick left off) so equal lanes share the load.
  const cost = balance === 'least-inflight'
    ? (l: Lane): number => l.inflight
    : (l: Lane): number => (l.ewmaUs || 1) * (l.inflight + 1);
  return () => {
    let best: Lane | null = null;
    let bestCost = Infinity;
    for (let k = 0; k < n; k++) {
      const lane = lanes[(next + k) % n]!;
      if (!lane.ready) continue;
      const c = cost(lane);
      if (c < bestCost) {
        best = lane;
        bestCost = c;
      }
    }
    next = next + 1 === n ? 0 : next + 1;
    return best;
  };
}

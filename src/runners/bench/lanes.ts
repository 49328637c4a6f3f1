/**
 * Lanes: one session each (one stdio server instance of a --pool, or one HTTP session of
 * --connections), and the balancers that spread requests over them.
 */
import { Recorder } from '../../measure/histogram.js';
import type { Target } from '../../target/target.js';
import { foldEwma, makeBalancer as balanceOver, type Balance, type Picker } from '../../util/balancer.js';

/** Pending bytes to a server above which its lane takes no more requests (a server that stopped reading stdin). */
export const MAX_PENDING_OUT_BYTES = 4 * 1024 * 1024;

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
    this.ewmaUs = foldEwma(this.ewmaUs, us);
  }
}

/** Picks a lane for the next request; null when none is ready. */
export type Balancer = Picker<Lane>;

/** Make a balancer over `lanes`. */
export function makeBalancer(lanes: readonly Lane[], balance: Balance): Balancer {
  return balanceOver(lanes, balance);
}

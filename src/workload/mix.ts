/**
 * Weighted choice of the next operation, O(1) per pick by Vose's alias method: one seeded draw
 * picks a column and, by its fractional part, the column's own operation or its alias. Picks run
 * once per request, so they must not grow with the number of operations (`auto` may add hundreds).
 */
import { seededRandom } from '../measure/stats.js';
import type { Operation } from './operations.js';

/** Picks operations by weight, the same sequence for the same seed. */
export class Mix {
  /** The operations, in the order given. */
  readonly operations: readonly Operation[];
  private readonly rand: () => number;
  /** Probability of keeping column i rather than taking its alias. */
  private readonly keep: Float64Array;
  private readonly alias: Uint32Array;

  /** Throws (a programming error) for no operations or a weight that is not positive and finite. */
  constructor(ops: readonly Operation[], seed: number) {
    if (ops.length === 0) throw new Error('Mix needs at least one operation');
    const bad = ops.find((o) => !(Number.isFinite(o.weight) && o.weight > 0));
    if (bad) throw new Error(`Mix: operation ${bad.op} has weight ${bad.weight}; weights must be positive and finite`);
    this.operations = [...ops];
    this.rand = seededRandom(seed);
    const n = ops.length;
    const total = ops.reduce((sum, o) => sum + o.weight, 0);
    const scaled = ops.map((o) => (o.weight * n) / total);
    this.keep = new Float64Array(n).fill(1);
    this.alias = Uint32Array.from({ length: n }, (_, i) => i);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.keep[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    // What is left has probability 1 up to rounding; keep[] was filled with 1 for it.
  }

  /** The next operation. */
  next(): Operation {
    const n = this.operations.length;
    if (n === 1) return this.operations[0]!;
    const u = this.rand() * n;
    const column = Math.floor(u);
    return this.operations[u - column < this.keep[column]! ? column : this.alias[column]!]!;
  }
}

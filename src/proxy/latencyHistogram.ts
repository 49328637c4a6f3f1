/**
 * The proxy's latency histograms (queue wait, service time), counted here and written in the
 * Prometheus text format (exposition format 0.0.4) beside prom-client's registry. Hand-written
 * because prom-client's Histogram.observe() builds and checks a label hash, makes a closure and
 * keys buckets by the bound's string on every call: with its counters, what the router reports per
 * request cost 2.1 µs, against 0.05 µs now (`node bench/proxyMetricsCost.mjs`, Node 20), a fifth
 * of the proxy's 10 µs budget per request (`npm run bench:proxy`).
 */

/** Bucket bounds, seconds: 100 µs to 60 s. */
export const LATENCY_BUCKETS_S: readonly number[] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Observations of one label value. */
export class LatencyCell {
  /** Observations per bucket, not cumulative (those above the last bound are only in `count`). */
  readonly buckets = new Float64Array(LATENCY_BUCKETS_S.length);
  /** Sum of the observations, seconds. */
  sum = 0;
  /** Observations. */
  count = 0;

  /** Count one value, seconds (a value equal to a bound falls in that bound's bucket: `le`). */
  observe(seconds: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS_S.length && seconds > LATENCY_BUCKETS_S[i]!) i++;
    if (i < LATENCY_BUCKETS_S.length) this.buckets[i]!++;
    this.sum += seconds;
    this.count++;
  }
}

/** A histogram with one label, `method`, whose values are never escaped: callers give names from a fixed set (LabelCap). */
export class LatencyHistogram {
  private readonly cells = new Map<string, LatencyCell>();
  constructor(
    /** Metric name. */
    readonly name: string,
    /** Its HELP text. */
    readonly help: string,
  ) {}

  /** The cell of one method label, made on first use. */
  cell(method: string): LatencyCell {
    let c = this.cells.get(method);
    if (c === undefined) {
      c = new LatencyCell();
      this.cells.set(method, c);
    }
    return c;
  }

  /** HELP, TYPE and every sample, as prom-client writes a histogram (cumulative buckets, +Inf, _sum, _count). */
  text(): string {
    const { name } = this;
    let out = `# HELP ${name} ${this.help}\n# TYPE ${name} histogram\n`;
    for (const [method, c] of this.cells) {
      let cumulative = 0;
      for (let i = 0; i < LATENCY_BUCKETS_S.length; i++) {
        cumulative += c.buckets[i]!;
        out += `${name}_bucket{le="${LATENCY_BUCKETS_S[i]}",method="${method}"} ${cumulative}\n`;
      }
      out += `${name}_bucket{le="+Inf",method="${method}"} ${c.count}\n${name}_sum{method="${method}"} ${c.sum}\n${name}_count{method="${method}"} ${c.count}\n`;
    }
    return out;
  }
}

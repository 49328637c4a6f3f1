/**
 * Every distribution mcp-opt reports is an HDR histogram (hdr-histogram-js) plus exact min, max,
 * mean and standard deviation kept on the side (the histogram's own mean is bucketed). Histograms
 * travel encoded (compressed base64, the HdrHistogram interchange format) so `report` can
 * re-render and merge runs from several machines.
 */
import * as hdr from 'hdr-histogram-js';

/** Lowest value recorded, in the histogram's unit (µs for latency, bytes for memory). */
export const LOWEST_VALUE = 1;
/** Highest latency recorded: one hour in microseconds. */
export const HIGHEST_LATENCY_US = 3_600_000_000;
/** Highest byte count recorded: 1 TiB. */
export const HIGHEST_BYTES = 2 ** 40;
/** Significant decimal digits kept: values are exact to 0.1 %. */
export const SIGNIFICANT_DIGITS = 3;

/** Unit of a distribution. */
export type DistUnit = 'us' | 'bytes';

/** One distribution as written to the result JSON. */
export interface Distribution {
  /** Unit of every figure below: 'us' (microseconds) or 'bytes'. */
  unit: DistUnit;
  /** Number of samples. */
  n: number;
  /** Smallest sample, exact. */
  min: number;
  /** Median, from the histogram (within 0.1 %). */
  p50: number;
  /** 90th percentile, from the histogram. */
  p90: number;
  /** 95th percentile, from the histogram. */
  p95: number;
  /** 99th percentile, from the histogram. */
  p99: number;
  /** 99.9th percentile, from the histogram. */
  p999: number;
  /** Largest sample, exact. */
  max: number;
  /** Arithmetic mean of the samples, exact (not bucketed). */
  mean: number;
  /** Sample standard deviation (n − 1), exact; 0 for one sample. */
  stddev: number;
  /** The HDR histogram, compressed base64 (hdr-histogram-js encodeIntoCompressedBase64). */
  hdr: string;
}

/** Records samples of one quantity. */
export class Recorder {
  private readonly h: hdr.Histogram;
  private count = 0;
  // Welford's running mean and sum of squared deviations: stable for µs values over long runs.
  private runMean = 0;
  private m2 = 0;
  private lo = Infinity;
  private hi = -Infinity;

  constructor(readonly unit: DistUnit) {
    this.h = hdr.build({
      lowestDiscernibleValue: LOWEST_VALUE,
      highestTrackableValue: unit === 'us' ? HIGHEST_LATENCY_US : HIGHEST_BYTES,
      numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    });
  }

  /** Record one sample (clamped into the histogram's range; exact stats keep the true value). */
  record(value: number): void {
    this.count++;
    const delta = value - this.runMean;
    this.runMean += delta / this.count;
    this.m2 += delta * (value - this.runMean);
    if (value < this.lo) this.lo = value;
    if (value > this.hi) this.hi = value;
    const bound = this.unit === 'us' ? HIGHEST_LATENCY_US : HIGHEST_BYTES;
    this.h.recordValue(Math.min(bound, Math.max(LOWEST_VALUE, Math.round(value))));
  }

  /** Record a duration given in milliseconds (performance.now() differences). */
  recordMs(ms: number): void {
    this.record(ms * 1000);
  }

  /** Samples recorded so far. */
  get n(): number {
    return this.count;
  }

  /** Value at a percentile (0–100), in the recorder's unit; 0 when empty. */
  percentile(p: number): number {
    return this.count === 0 ? 0 : this.h.getValueAtPercentile(p);
  }

  /** Summary and encoded histogram for the result JSON; null when no sample was recorded. */
  toDistribution(): Distribution | null {
    if (this.count === 0) return null;
    const mean = this.runMean;
    const variance = this.count > 1 ? this.m2 / (this.count - 1) : 0;
    return {
      unit: this.unit,
      n: this.count,
      min: round(this.lo),
      p50: this.h.getValueAtPercentile(50),
      p90: this.h.getValueAtPercentile(90),
      p95: this.h.getValueAtPercentile(95),
      p99: this.h.getValueAtPercentile(99),
      p999: this.h.getValueAtPercentile(99.9),
      max: round(this.hi),
      mean: round(mean),
      stddev: round(Math.sqrt(variance)),
      hdr: hdr.encodeIntoCompressedBase64(this.h),
    };
  }
}

/** Build a distribution from a list of samples. */
export function distributionOf(values: readonly number[], unit: DistUnit): Distribution | null {
  const r = new Recorder(unit);
  for (const v of values) r.record(v);
  return r.toDistribution();
}

/** Decode an encoded histogram (for report, merge and tests). */
export function decodeHistogram(encoded: string): hdr.Histogram {
  return hdr.decodeFromCompressedBase64(encoded);
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/**
 * The tune result: the same versioned contract as analyze's and bench's (header, target, server),
 * with the search space, every point measured (each with its bench summary and encoded
 * histograms), the fitted scalability model, the recommendation and the config patches. Saved
 * after every point, so an interrupted tune keeps what it measured and `--resume` continues it.
 */
import type { Distribution } from '../measure/histogram.js';
import type { Era } from '../target/protocol.js';
import type { BudgetResult } from './budgetResult.js';
import type { ResultHeader, ServerSection, TargetSection } from './header.js';
import type { ProfileSection } from './profileResult.js';

/** The tune result. */
export interface TuneResult extends ResultHeader<'tune'> {
  /** The settings of the run, as resolved from flags and config. */
  config: TuneConfigEcho;
  /** The target, as resolved. */
  target: TargetSection;
  /** Server identity and protocol from the first point measured successfully; null until one was. */
  server: ServerSection | null;
  /** The knobs and how the space was searched. */
  space: TuneSpace;
  /** What was optimised, and the SLO. */
  objective: TuneObjective;
  /** Every point measured, in the order measured. */
  points: TunePoint[];
  /** Universal Scalability Law fit of throughput against N = pool × concurrency (null when not enough points). */
  model: ScalabilityModel | null;
  /** The chosen settings and why; null when no point could be chosen (none measured, or every one failed). */
  recommendation: Recommendation | null;
  /** The recommendation as patches, one per file it touches (also written beside the result). */
  patch: PatchSet | null;
  /** The SLO, judged on the recommended point (fails when no point met it). */
  budgets: BudgetResult[];
  /** CPU profile of the recommended point, measured again with the profiler on (--profile); absent when not asked for. */
  profile?: ProfileSection | null;
}

/** Settings of the run. */
export interface TuneConfigEcho {
  /** Measured length of each point, ms, after its warm-up. */
  pointDurationMs: number;
  /** Warm-up of each point before its measured length, ms. */
  pointWarmupMs: number;
  /** Points measured at most. */
  maxPoints: number;
  /** Repeats allowed per point when its ranking is unclear. */
  maxRepeats: number;
  /** Requests the whole tune may send (--max-calls), or null; each point then gets an equal share, without warm-up. */
  maxCalls: number | null;
  /** Start-up and per-request timeout, ms. */
  timeoutMs: number;
  /** Seed of the mix and argument templates. */
  seed: number;
  /** Protocol era asked for: 'auto' (probed) or the era forced with --era. */
  era: 'auto' | Era;
  /** The workload's operations. */
  workload: string[];
  /** Settings the knobs did not vary (concurrency is per instance). */
  base: {
    /** Server instances. */
    pool: number;
    /** Requests in flight per instance. */
    concurrency: number;
    /** How requests spread over instances. */
    balance: string;
  };
  /** Smallest difference counted as real between two points, %. */
  noisePct: number;
  /**
   * Present when every point ran the server through `mcp-opt proxy` (tune --via-proxy; pool and
   * balance are then the proxy's): the proxy settings the knobs did not vary.
   */
  viaProxy?: {
    /** --affinity of the proxy. */
    affinity: string;
    /** --max-inflight-per-instance of the proxy (0: no cap). */
    maxInflightPerInstance: number;
  };
}

/** The knobs and how the space was searched. */
export interface TuneSpace {
  /** Each knob: its id (e.g. 'concurrency', 'env:WORKERS', 'file:server.json#/pool/max') and values. */
  knobs: Array<{
    /** Knob id, as in `settings` of each point. */
    id: string;
    /** 'builtin' (concurrency, pool, balance, batch, batchDelay), 'env' (environment variable), 'arg' (server argument) or 'file' (a value in a config file). */
    kind: 'builtin' | 'env' | 'arg' | 'file';
    /** Builtin name, environment variable, argument flag, or JSON Pointer of a file knob. */
    name: string;
    /** File knobs: the absolute path of the file edited; null otherwise. */
    path: string | null;
    /** The values swept, in the order given. */
    values: Array<number | string | boolean>;
  }>;
  /** Size of the full grid. */
  gridSize: number;
  /** 'grid' when the whole grid was measured, 'guided' when it was larger than maxPoints. */
  strategy: 'grid' | 'guided';
  /** What the guided search left out, in words. */
  skipped: string[];
}

/** What was optimised. */
export interface TuneObjective {
  /** 'max-throughput': highest throughput meeting the SLO; 'min-p95' at a rate; 'min-instances' meeting the SLO at a rate. */
  kind: 'max-throughput' | 'min-p95' | 'min-instances';
  /** The SLO, e.g. 'p95<100ms', and its threshold in ms. */
  slo: string;
  /** The SLO's latency threshold, ms. */
  sloThresholdMs: number;
  /** Where the SLO came from: --slo, the config (tune.slo or a latency budget), or the product's default. */
  sloSource: 'flag' | 'config' | 'default';
  /** Latency percentile the SLO bounds. */
  sloStat: 'p50' | 'p90' | 'p95' | 'p99';
  /** Error rate a point may not exceed, percent. */
  maxErrorPct: number;
  /** The fixed rate of min-p95 / min-instances, req/s (null for max-throughput, a closed loop). */
  atRps: number | null;
}

/** One point of the space, as measured. */
export interface TunePoint {
  /** Position in the order of the grid (stable across --resume). */
  index: number;
  /** Knob id → value. */
  settings: Record<string, number | string | boolean>;
  /** 'ok', or 'failed' (the server did not start or the run failed: see error). */
  status: 'ok' | 'failed';
  /** Why it failed (first line, and the server's last stderr lines), or null. */
  error: string | null;
  /** Measurements of this point (more than one when its ranking was unclear). */
  runs: PointRun[];
  /** Median over runs of the figures that rank points. */
  summary: PointSummary | null;
}

/** One bench run of a point. */
export interface PointRun {
  /** Requests sent, warm-up included (what --max-calls counts). */
  requestsSent: number;
  /** Successes per second over the measured window. */
  succeededRps: number;
  /** Server failures over answered requests whose arguments were accepted, percent. */
  errorRatePct: number;
  /** Corrected latency of successes, µs, with its encoded histogram. */
  latency: Distribution | null;
  /** Peak RSS of the server's process trees, bytes (null over HTTP). */
  rssPeakBytes: number | null;
  /** Wall time of the whole bench run (start-up, warm-up and stop included), ms. */
  durationMs: number;
}

/** Median over a point's runs. */
export interface PointSummary {
  /** Median successes per second over the runs. */
  succeededRps: number;
  /** Median over runs of each run's p50 latency of successes, µs (a run without successes counts as Infinity, saved as null). */
  p50Us: number;
  /** As `p50Us`, the p90, µs. */
  p90Us: number;
  /** As `p50Us`, the p95, µs. */
  p95Us: number;
  /** As `p50Us`, the p99, µs. */
  p99Us: number;
  /** Median error rate over the runs, percent. */
  errorRatePct: number;
  /** Highest peak RSS over the runs, bytes; null when none was sampled (HTTP). */
  rssPeakBytes: number | null;
  /** Whether the point meets the SLO and the error limit. */
  meetsSlo: boolean;
}

/** USL fit: X(N) = λN / (1 + σ(N−1) + κN(N−1)). */
export interface ScalabilityModel {
  /** 'usl' when ≥ 3 distinct N allowed a Universal Scalability Law fit; 'littles-law' otherwise (a reading of the best point only). */
  kind: 'usl' | 'littles-law';
  /** Throughput of one unit of concurrency, req/s. */
  lambda: number | null;
  /** Contention (serialised fraction). */
  sigma: number | null;
  /** Coherency (crosstalk) cost. */
  kappa: number | null;
  /** Goodness of fit. */
  r2: number | null;
  /** False when the USL fit is too poor to predict (R² below 0.8): no peak, trend or curve is quoted. Absent in results written before this field: read as true. */
  predictive?: boolean;
  /** N at which throughput peaks (null when it does not: κ = 0). */
  peakN: number | null;
  /** Throughput at `peakN`, req/s (null when there is no peak, or the fit is not predictive). */
  peakThroughput: number | null;
  /** Points the fit used. */
  points: number;
  /** One sentence reading the fit for the user. */
  reading: string;
}

/** The chosen settings and why. */
export interface Recommendation {
  /** Index of the winning point, or of the closest one when none meets the SLO. */
  pointIndex: number;
  /** Knob id → value of the winning point. */
  settings: Record<string, number | string | boolean>;
  /** False when no point met the SLO (the point shown is the closest). */
  meetsSlo: boolean;
  /** The runner-up, when there was one. */
  runnerUpIndex: number | null;
  /** Why, in sentences (noise, cheaper setting preferred, model). */
  explanation: string[];
}

/** Config patches for the recommendation. */
export interface PatchSet {
  /** One entry per thing the recommendation changes: a server config file, the server's launch entry (env, args), mcp-opt's config. */
  files: Array<{
    /** What the patch applies to: 'server config <path>', 'mcp-opt config', 'environment', 'arguments'. */
    target: string;
    /** The changes as an RFC 6902 JSON Patch. */
    jsonPatch: unknown[];
    /** The same changes as an RFC 7396 merge patch. */
    mergePatch: Record<string, unknown>;
    /** Where the JSON Patch was written (null with --no-save, or when writing beside the result failed). */
    jsonPatchFile: string | null;
    /** Where the merge patch was written (null with --no-save, or when writing beside the result failed). */
    mergePatchFile: string | null;
  }>;
}

/**
 * The bench result: the same versioned contract as analyze's (header, target, server), with the
 * load figures. `latency` is measured from each request's intended send time (corrected for
 * coordinated omission, as wrk2 does); `serviceTime` from its actual send. Errors never mix with
 * the latencies of successes. Every distribution carries its encoded HDR histogram, so runs from
 * several machines can be merged.
 */
import type { Distribution } from '../measure/histogram.js';
import type { Era } from '../target/protocol.js';
import type { BudgetResult } from './budgetResult.js';
import type { ErrorLikeResults, ErrorSample } from './errorSample.js';
import type { ResultHeader, ServerProcessField, ServerSection, TargetSection } from './header.js';
import type { ProfileSection } from './profileResult.js';

/** The bench result. */
export interface BenchResult extends ResultHeader<'bench'>, ServerProcessField {
  /** The settings of the run, as resolved from flags and config. */
  config: BenchConfigEcho;
  /** The target, as resolved. */
  target: TargetSection;
  /** Server identity and protocol from the first instance's handshake; null when the run failed before it. */
  server: ServerSection | null;
  /** The operations of the mix. */
  workload: {
    /** Seed of poisson arrivals, the mix and argument templates (--seed). */
    seed: number;
    /** One entry per operation, in the workload's order; empty when the run failed before the workload was resolved. */
    operations: Array<{
      /** Label in reports and budgets: 'ping', 'tools/list', 'discover' or 'tools/call:<name>'. */
      op: string;
      /** Relative weight in the mix. */
      weight: number;
      /** Where the arguments came from: 'given', 'template', 'synthesised from inputSchema…', or 'none' for methods. */
      argsSource: string;
    }>;
  };
  /** Counts of measured requests. */
  requests: RequestCounts;
  /** Rates over the measured window. */
  throughput: Throughput;
  /** Latency from the intended send time, successes, µs (corrected for coordinated omission). */
  latency: Distribution | null;
  /** Latency from the actual send, successes, µs (what a closed loop reports). */
  serviceTime: Distribution | null;
  /** Time until failures were declared, µs (timeouts at ≥ the timeout). */
  failedLatency: Distribution | null;
  /** How late sends left after their intended time, µs (open loop; the generator's scheduling error). */
  sendLateness: Distribution | null;
  /** Figures per operation label, in order of first measured send (with several labels, one never sent in the measured window is absent). */
  byOperation: OperationFigures[];
  /** One entry per second since the first send (warm-up seconds marked). */
  timeline: TimelineEntry[];
  /** The server instances (or HTTP sessions) and how the load was spread over them. */
  pool: PoolSection;
  /** The server's process tree over the run; null when it was not sampled (no /proc, no pid for a URL target) or no sample fell in the measured window. */
  resources: BenchResources | null;
  /** Whether mcp-opt itself limited the run. */
  generator: GeneratorHealth;
  /** Every budget evaluated (defaults and the user's). */
  budgets: BudgetResult[];
  /** CPU profile of the server (--profile); absent when not asked for. */
  profile?: ProfileSection | null;
  /** Present when `report --merge` combined several bench results: the files and how many (absent in a single run). */
  merged?: {
    /** Paths of the merged result files, in the order given. */
    files: string[];
    /** Number of results merged. */
    count: number;
  };
}

/** Settings of the run. */
export interface BenchConfigEcho {
  /** 'open' (fixed rate, --rps) or 'closed' (fixed concurrency). */
  mode: 'open' | 'closed';
  /** Target rate, requests/s (open loop). */
  rps: number | null;
  /** Open-loop arrival process (--arrival); null in a closed loop. */
  arrival: 'uniform' | 'poisson' | null;
  /** Cap on requests in flight (open loop), or null. */
  maxInflight: number | null;
  /** Requests in flight (closed loop). */
  concurrency: number | null;
  /** Measured duration, ms, or null when --requests set the length. */
  durationMs: number | null;
  /** Measured requests, or null when --duration set the length. */
  requests: number | null;
  /** Warm-up before the measured window, excluded from every figure, ms. */
  warmupMs: number;
  /** Per-request timeout, ms. */
  timeoutMs: number;
  /** Server instances (stdio --pool) or sessions (HTTP --connections). */
  instances: number;
  /** How requests were spread over instances: 'round-robin', 'least-inflight' or 'latency-ewma'. */
  balance: string;
  /** Who generated HTTP load in a closed loop: 'autocannon' or 'mcp-opt' (always mcp-opt for stdio and open loops). */
  httpClient: 'autocannon' | 'mcp-opt';
  /** HTTP/1.1 requests in flight per connection (autocannon). */
  pipelining: number;
  /** Stop after this many failed requests, warm-up included (--bailout); null: no such stop. */
  bailout: number | null;
  /** A run without one success stops at a failure this long after the first send, or after 1000 failures, ms; null: --give-up-after off (absent in older results). */
  giveUpMs?: number | null;
  /** With a pool: go on with the other instances when one dies (--keep-going). */
  keepGoing: boolean;
  /** Seed of poisson arrivals, the mix and argument templates. */
  seed: number;
  /** Protocol era asked for: 'auto' (probed) or the era forced with --era. */
  era: 'auto' | Era;
}

/** Counts of measured requests (warm-up excluded). */
export interface RequestCounts {
  /** Due in the measured window (open loop: sent + dropped). */
  scheduled: number;
  /** Measured requests sent. */
  sent: number;
  /** Measured requests answered with a success. */
  succeeded: number;
  /** Measured requests that failed (by class in `errors`). */
  failed: number;
  /** Due but never sent because the generator or the server fell behind (open loop). */
  dropped: number;
  /** Sent more than 1 ms after their intended time (open loop). */
  lateSends: number;
  /** Still unanswered when the run stopped waiting (Ctrl-C, drain limit). */
  abandoned: number;
  /** Failures by class: 'argument-rejected' (the server refused the arguments sent), 'jsonrpc:<code>', 'isError', 'timeout', 'closed', 'http:<status>'. */
  errors: Record<string, number>;
  /** Server failures (failed − argument-rejected) / (succeeded + failed − argument-rejected), percent. */
  errorRatePct: number;
  /** First failure of each class in `errors`: the server's text and, for synthesised arguments, the arguments (absent in older results). */
  errorSamples?: Record<string, ErrorSample>;
  /** Successes whose first text reads like an error (heuristic), or null (absent in older results). */
  errorLike?: ErrorLikeResults | null;
  /** Responses that matched no request in flight, over the load (warm-up included): an id never sent, a second answer to one id, an answer after its timeout (absent in older results). */
  strayResponses?: StrayResponses;
}

/** Responses the load received that belong to no request in flight. */
export interface StrayResponses {
  /** Carrying an id mcp-opt never sent. */
  unknownId: number;
  /** A second response to an id already answered. */
  duplicate: number;
  /** Arriving after their request had timed out (counted as a timeout). */
  late: number;
}

/** Rates over the measured window. */
export interface Throughput {
  /** Seconds of the measured window actually run. */
  measuredSeconds: number;
  /** Target rate, requests/s (open loop); null in a closed loop. */
  targetRps: number | null;
  /** Measured requests sent per second. */
  sentRps: number;
  /** Successes per second: what the server delivered. */
  succeededRps: number;
  /** (sentRps − target) / target, percent (open loop). */
  rateErrorPct: number | null;
  /** False when the target rate was not sustained (dropped sends, sent rate > 1 % short, or > 5 % of sends later than `lateBoundMs`); null in a closed loop. */
  sustained: boolean | null;
  /** A send later than this, ms, counts against `sustained`: one interval (1/rate), at least 20 ms; null in a closed loop (absent in older results). */
  lateBoundMs?: number | null;
  /** Measured sends later than `lateBoundMs`; null in a closed loop (absent in older results). */
  lateBeyondBound?: number | null;
}

/** One operation of the mix. */
export interface OperationFigures {
  /** Label of the operation: 'ping', 'tools/list', 'discover' or 'tools/call:<name>'. */
  op: string;
  /** Measured requests sent. */
  requests: number;
  /** Measured requests answered with a success. */
  succeeded: number;
  /** Measured requests that failed. */
  failed: number;
  /** Failures by class, as in `requests.errors`. */
  errors: Record<string, number>;
  /** Latency of its successes from the intended send time, µs; null without a success. */
  latency: Distribution | null;
  /** Latency of its successes from the actual send, µs; null without a success. */
  serviceTime: Distribution | null;
}

/** One second of the run. */
export interface TimelineEntry {
  /** Seconds since the first send (0-based). */
  second: number;
  /** True for seconds of the warm-up. */
  warmup: boolean;
  /** Requests sent in this second. */
  sent: number;
  /** Requests answered (success or failure) in this second. */
  completed: number;
  /** Requests that failed in this second. */
  errors: number;
  /** Requests in flight at the end of the second. */
  inflight: number;
  /** Corrected latency p50 of successes answered in this second, µs (null when none; from a 4096-sample reservoir). */
  p50Us: number | null;
  /** Corrected latency p99 of successes answered in this second, µs (null when none; same reservoir). */
  p99Us: number | null;
  /** Server process-tree RSS at the end of the second, bytes (stdio). */
  rssBytes: number | null;
  /** Server process-tree CPU over the second, percent of one core (stdio). */
  cpuPct: number | null;
}

/** Server instances (or HTTP sessions) and how the load was spread. */
export interface PoolSection {
  /** How requests were spread over instances, as in `config.balance`. */
  balance: string;
  /** One entry per instance (or HTTP session), in start order. */
  instances: Array<{
    /** Position of the instance (0-based). */
    index: number;
    /** Process id of the launched server; null for an HTTP session. */
    pid: number | null;
    /** Measured requests sent to it (warm-up excluded). */
    sent: number;
    /** Measured requests it answered with a success. */
    succeeded: number;
    /** Measured requests to it that failed. */
    failed: number;
    /** Latency of its successes from the actual send, µs; null without a success (with one instance, the run's `serviceTime`). */
    serviceTime: Distribution | null;
    /** False when it died during the run. */
    alive: boolean;
    /** HTTP: connections opened and requests sent on them over the whole run (keep-alive reuse); null for stdio. */
    connections: {
      /** TCP connections opened. */
      opened: number;
      /** HTTP requests sent over them. */
      requests: number;
    } | null;
    /** HTTP: sessions re-initialized after the server expired one (404); null for stdio. */
    sessionReinits: number | null;
  }>;
  /** autocannon's side when it generated the load: its connections and their counts (warm-up included). */
  autocannon: {
    /** Connections autocannon loaded the server over. */
    connections: number;
    /** HTTP/1.1 requests in flight per connection. */
    pipelining: number;
    /** Each connection's requests (warm-up included). */
    perConnection: Array<{
      /** Position of the connection (0-based). */
      index: number;
      /** Requests it wrote (warm-up included). */
      sent: number;
      /** Responses it read (warm-up included). */
      answered: number;
    }>;
    /** Responses by HTTP status code (warm-up included). */
    statusCounts: Record<string, number>;
  } | null;
}

/** The server's process tree over the run (stdio targets), sampled every 250 ms. */
export interface BenchResources {
  /** Period between samples, ms (250). */
  sampleIntervalMs: number;
  /** RSS of the tree at the first sample of the measured window, bytes. */
  rssStartBytes: number;
  /** RSS of the tree at the last sample, bytes. */
  rssEndBytes: number;
  /** Highest RSS of the tree over every sample (warm-up included), bytes. */
  rssPeakBytes: number;
  /** RSS at the last sample minus RSS at the first of the measured window, bytes. */
  rssGrowthBytes: number;
  /** Least-squares slope of RSS over the measured window, bytes per second. */
  rssSlopeBytesPerSec: number | null;
  /** CPU of the tree, percent of one core: mean and highest 250 ms sample. */
  cpuPctMean: number;
  /** Highest CPU of a 250 ms sample in the measured window, percent of one core. */
  cpuPctMax: number;
  /** Most processes seen in the tree at once. */
  processCount: number;
}

/** The load generator's own health: when it is the bottleneck, the figures measure mcp-opt. */
export interface GeneratorHealth {
  /** mcp-opt's CPU over the run, percent of one core (main thread and the alarm thread). */
  cpuPct: number;
  /** Event-loop delay of mcp-opt's main thread, ms. */
  eventLoopDelayMs: {
    /** Median delay, ms. */
    p50: number;
    /** 99th-percentile delay, ms. */
    p99: number;
    /** Largest delay, ms. */
    max: number;
  };
  /** True when the generator, not the server, limited the run. */
  bottleneck: boolean;
  /** Why, in one sentence, or null. */
  reason: string | null;
}

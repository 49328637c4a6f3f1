/**
 * The analyze result: a versioned JSON contract. `--json` prints exactly this; reports/ holds it;
 * `mcp-opt report` reads only it. Every field is documented here.
 * Bump SCHEMA_VERSION (result/header.ts) on any incompatible change.
 */
import type { Distribution } from '../measure/histogram.js';
import type { Estimate } from '../measure/stats.js';
import type { ToolListCost } from '../measure/toolListCost.js';
import type { Era } from '../target/protocol.js';
import type { BudgetResult } from './budgetResult.js';
import type { ErrorLikeResults, ErrorSample } from './errorSample.js';
import type { Finding } from './finding.js';
import type { ResultHeader, ServerProcessField, ServerSection, TargetSection } from './header.js';
import type { ProfileSection } from './profileResult.js';

export { SCHEMA_VERSION } from './header.js';
export type { ResultHeader, ServerProcessRef, ServerSection, TargetSection, TransportUsed } from './header.js';

/** The analyze result. */
export interface AnalyzeResult extends ResultHeader<'analyze'>, ServerProcessField {
  /** Settings that shaped the measurement. */
  config: AnalyzeConfigEcho;
  /** What was launched or reached (no environment values, URL credentials removed). */
  target: TargetSection;
  /** What the server said about itself, and how its era was detected. */
  server: ServerSection | null;
  /** Cold-start figures; null when the run failed before the first measured start. */
  coldStart: ColdStartSection | null;
  /** The tool list and its cost to a model's context; null when the run failed before the list was measured. */
  tools: ToolsSection | null;
  /** Tool lookup cost; null when the server lists no tools or the run failed before this phase. */
  lookup: LookupSection | null;
  /** Steady latency per operation; null when the run failed before the first operation was measured. */
  latency: LatencySection | null;
  /** The server process tree's memory, CPU and stderr; null when the run failed before the lookup phase ended. */
  resources: ResourcesSection | null;
  /** Protocol hygiene over every session; null when no session was opened. */
  hygiene: HygieneSection | null;
  /** What to fix, most severe first. */
  findings: Finding[];
  /** Every budget evaluated (defaults and the user's). */
  budgets: BudgetResult[];
  /** CPU profile of the server (--profile); absent when not asked for. */
  profile?: ProfileSection | null;
}

/** Options echoed into the result. */
export interface AnalyzeConfigEcho {
  /** Measured cold-start runs (after warm-up). */
  runs: number;
  /** Warm-up runs, excluded from figures. */
  warmupRuns: number;
  /** Start-up and per-request timeout, ms. */
  timeoutMs: number;
  /** Whether tool calls were allowed at all (false = --no-calls: no tools/call was sent). */
  calls: boolean;
  /** Whether the lookup probes (tools/call of an unknown name and without a name) were allowed (false = --no-probes or --no-calls; absent in older results). */
  probes?: boolean;
  /** Tools the user named with --call. */
  namedCalls: string[];
  /** Requests in flight in the concurrent latency pass. */
  concurrency: number;
  /** Era requested ('auto' = probed). */
  era: 'auto' | Era;
}

/** One cold start, as measured. */
export interface ColdStartRun {
  /** 1-based index among measured runs. */
  run: number;
  /** Spawn → first stdout byte, ms (null for HTTP, or when nothing was printed before exit). */
  firstByteMs: number | null;
  /** Spawn → initialize / server/discover answered, ms. */
  handshakeMs: number;
  /** Spawn → first tools/list answered, ms. */
  readyMs: number;
  /** Spawn → first safe tool call answered, ms (null when no call was made). */
  firstCallMs: number | null;
  /** Peak RSS of the process tree up to the last timed answer, bytes: each process's kernel high-water mark (VmHWM), summed, read once after the timed stages (null off Linux and over HTTP). */
  peakRssBytes: number | null;
  /** Stdin closed → exit, ms (null when it had to be signalled). */
  eofToExitMs: number | null;
  /** Signal needed to stop it ('none' when closing stdin sufficed). */
  escalation: 'none' | 'SIGTERM' | 'SIGKILL';
  /** True when flagged as an outlier (modified Z-score of readyMs). */
  outlier: boolean;
}

/** Cold start over fresh processes (or fresh HTTP sessions). */
export interface ColdStartSection {
  /** 'process' = fresh server processes; 'session' = fresh sessions against a running HTTP server. */
  mode: 'process' | 'session';
  /** Distributions over measured runs, µs: firstByte, handshake, ready, firstCall. */
  stages: {
    /** Spawn → first stdout byte; null when any run lacks it (HTTP, or nothing printed). */
    firstByte: Distribution | null;
    /** Spawn → initialize / server/discover answered. */
    handshake: Distribution;
    /** Spawn → first tools/list answered. */
    ready: Distribution;
    /** Spawn → first safe tool call answered; null when any run made no call. */
    firstCall: Distribution | null;
  };
  /** Tool used for the first call, or null. */
  firstCallTool: string | null;
  /** Peak RSS per start, bytes. */
  peakRss: Distribution | null;
  /** Every measured run, in order. */
  samples: ColdStartRun[];
  /** Package-runner cost: the same server launched directly, and the difference. */
  runner: RunnerSection | null;
}

/** Package runner (npx, uvx…) cost. */
export interface RunnerSection {
  /** Runner name. */
  runner: string;
  /** The direct launch mcp-opt resolved from the live process tree. */
  directDisplay: string;
  /** Ready time of direct launches, µs. */
  directReady: Distribution;
  /** p50(ready via runner) − p50(ready direct), ms. */
  overheadMs: number;
}

/** Tool list cost. */
export interface ToolsSection {
  /** Number of tools in the list. */
  count: number;
  /** Pages walked (nextCursor). */
  pages: number;
  /** Full walk of the list (all pages), µs, over repeated walks on a warm session. */
  listLatency: Distribution | null;
  /** Bytes of the tools array as JSON, UTF-8. */
  bytes: number;
  /** Bytes of each tool serialised alone: mean, median (nearest rank) and largest (fields documented in ToolListCost). */
  bytesPerTool: ToolListCost['bytesPerTool'];
  /** Estimated model tokens of the list. */
  tokens: number;
  /**
   * Which tokenizer produced `tokens`, and why the number is an estimate (fields documented in
   * ToolListCost); `estimatedChars` is absent in results saved before it existed.
   */
  tokenizer: Omit<ToolListCost['tokenizer'], 'estimatedChars'> & Partial<Pick<ToolListCost['tokenizer'], 'estimatedChars'>>;
  /** Largest tools by bytes, each with its bytes, tokens and schema and description shares (fields documented in ToolListCost). */
  largest: ToolListCost['largest'];
  /** Tools mcp-opt was allowed to call, and why the others were skipped. */
  callable: string[];
  /** Tools not called, each with why (not annotated safe, --no-calls, arguments that cannot be synthesised). */
  skipped: Array<{
    /** Tool name. */
    name: string;
    /** Why it was not called. */
    reason: string;
  }>;
}

/** Tool lookup cost, isolated from transport and framework. */
export interface LookupSection {
  /** How it was measured, in one paragraph (also printed). */
  method: string;
  /** Why the registry cost (unknown name vs baseline) was not measured (--no-calls, --no-probes, answers that are not "unknown tool"); null or absent (older results) when it was. */
  notMeasured?: string | null;
  /** The request that skips the registry, and its latency, µs (null when not measured). */
  baseline: {
    /** Which request served as the baseline, in words. */
    request: string;
    /** Its latency, µs. */
    latency: Distribution;
  } | null;
  /** tools/call of a name the server does not have, µs (null when not measured). */
  unknown: {
    /** Latency of the unknown-name call, µs. */
    latency: Distribution;
  } | null;
  /** Registry cost = median(unknown) − median(baseline), µs, with a bootstrap 95 % interval (null when not measured). */
  registryUs: Estimate | null;
  /** True when baseline or unknown has fewer than LOW_SAMPLE_N samples: the registry cost is rough. */
  lowSample?: boolean;
  /** Safe tools called at spread-out list positions (null when fewer than 3 are safe). */
  positions: Array<{
    /** 0-based position of the tool in the list. */
    index: number;
    /** Tool name. */
    name: string;
    /** Latency of its calls, µs. */
    latency: Distribution;
  }> | null;
  /** Least-squares slope of median latency against list position, µs per position (null without positions). */
  slopeUsPerPosition: number | null;
  /** Spearman correlation of position and median latency (null without positions). */
  positionCorrelation: number | null;
  /** Verdict: true = lookup grows with list position (O(n) registry); null = not testable. */
  linear: boolean | null;
  /** True when positions show a scan but unknown − baseline is indistinguishable from zero (or unmeasured): the baseline is not lookup-free, so registryUs understates the cost. */
  baselineScans?: boolean;
  /** Cost of a full scan estimated from the positions: slope × tool count, µs (null unless linear). */
  scanEstimateUs?: number | null;
}

/** Steady latency of one operation on a warm session. */
export interface OperationLatency {
  /** 'ping', 'tools/list', or 'tools/call:<name>'. */
  op: string;
  /** One request at a time, µs (successes only). */
  sequential: Distribution | null;
  /** `concurrency` requests in flight, µs (successes only). */
  concurrent: Distribution | null;
  /** Requests sent. */
  requests: number;
  /** Failures by class: 'argument-rejected' (the server refused the arguments sent; not a server failure), 'jsonrpc:<code>', 'isError', 'timeout', 'closed'. */
  errors: Record<string, number>;
  /** How arguments were made ('synthesised from inputSchema', 'given with --call', and the retry that was accepted). */
  args: string | null;
  /** Why it was not sampled (too slow for a self-chosen tool, every synthesised argument rejected), or null. */
  note: string | null;
  /** True when a pass has fewer than LOW_SAMPLE_N samples: its percentiles are rough (absent in older results). */
  lowSample?: boolean;
  /** The arguments sampled when mcp-opt synthesised them (after any retry); null otherwise (absent in older results). */
  arguments?: Record<string, unknown> | null;
  /** Other arguments tried after the server rejected the synthesised ones, in order, with the class of each answer (null: success). */
  retries?: Array<{
    /** Why these arguments might pass where the previous ones did not. */
    why: string;
    /** The arguments sent. */
    args: Record<string, unknown>;
    /** Failure class of the answer, as in `errors`; null: success. */
    class: string | null;
  }>;
  /** First failure of each class in `errors`: the server's text and, for synthesised arguments, the arguments (absent in older results). */
  errorSamples?: Record<string, ErrorSample>;
  /** Successes whose first text reads like an error (heuristic), or null (absent in older results). */
  errorLike?: ErrorLikeResults | null;
  /** Time to the answer of failed calls (both passes and the first call), µs; null without failures (absent in older results). */
  failedLatency?: Distribution | null;
}

/** Steady latency. */
export interface LatencySection {
  /** One entry per operation measured, in the order measured (a failed run keeps those done). */
  operations: OperationLatency[];
  /** Requests in flight in the concurrent pass. */
  concurrency: number;
  /** Server failures over latency-phase requests whose arguments the server accepted, percent (argument rejections are not counted). */
  errorRatePct: number;
  /** Calls whose arguments the server rejected (class 'argument-rejected'; absent in older results). */
  argumentRejected?: number;
}

/** Resource use of the server's process tree. */
export interface ResourcesSection {
  /** RSS after start and first tools/list, bytes. */
  idleRssBytes: number | null;
  /** RSS after the latency phase, bytes. */
  afterRssBytes: number | null;
  /** afterRss − idleRss, bytes. */
  rssGrowthBytes: number | null;
  /** Least-squares slope of tree RSS against requests over the latency phase (read after each operation), bytes per request. */
  rssBytesPerRequest: number | null;
  /** Requests between the two RSS readings. */
  requestsBetween: number;
  /** Server CPU time (user+system, whole tree) per request during the latency phase, µs. */
  cpuUsPerRequest: number | null;
  /** Processes in the server's tree. */
  processCount: number | null;
  /** stderr volume over the whole run. */
  stderrBytes: number;
  /** Lines the launched servers wrote on stderr over the whole run (cold starts included; 0 for HTTP). */
  stderrLines: number;
}

/** Protocol hygiene. */
export interface HygieneSection {
  /** Non-JSON lines on stdout (they break MCP clients). */
  nonJsonLines: number;
  /** Violation counts by kind. */
  violations: Record<string, number>;
  /** A few excerpts per kind (control characters stripped, secrets redacted). */
  excerpts: Record<string, string[]>;
  /** JSON-RPC errors by code on requests that expected success (probes that expect errors are excluded). */
  unexpectedErrors: Record<string, number>;
  /** Server-to-client requests received, by method (answered -32601). */
  serverRequests: Record<string, number>;
  /** Responses that arrived after their request timed out. */
  lateResponses: number;
  /** Stdin closed → exit over cold-start runs, µs (null when no run exited on EOF). */
  eofToExit: Distribution | null;
  /** Runs where the server had to be signalled because it ignored stdin EOF. */
  signalledStops: number;
}

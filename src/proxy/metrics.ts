/**
 * The proxy's /metrics, in the Prometheus text format, kept with prom-client (the Prometheus
 * client library for Node): per method and tool, requests, answers by outcome and failures by
 * class; latency histograms split into queue wait and service time (latencyHistogram.ts); in-flight,
 * queue depth, sessions, instances by state, restarts, ejections and recycles. Method and tool
 * labels are capped (labelCap.ts). What the router reports per request is counted in plain fields
 * and read when /metrics is scraped. With --alert, a gauge per alert says whether it fires (alerts.ts).
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { LabelCap } from './labelCap.js';
import { LatencyHistogram, type LatencyCell } from './latencyHistogram.js';
import type { FailureClass } from './proxyErrors.js';
import type { Pool } from './pool.js';
import type { CacheEvent } from './readCache.js';

/** What the router reports. */
export interface ProxyMetrics {
  /** A request arrived from a client. */
  received(method: string, tool: string | null): void;
  /** An instance answered a forwarded request. */
  answered(method: string, tool: string | null, outcome: 'result' | 'tool_error' | 'jsonrpc_error', queueWaitS: number, serviceS: number): void;
  /** The proxy answered a request with its own error, or it was cancelled. */
  failed(method: string, tool: string | null, cls: FailureClass): void;
  /** Requests forwarded and not answered, now. */
  inflight(n: number): void;
  /** Requests waiting for an instance, now. */
  queueDepth(n: number): void;
  /** Client sessions connected, now. */
  sessions(n: number): void;
  /** A server's request went to one of several clients with requests on that instance. */
  ambiguousRelay(): void;
  /** The read cache: a hit, a miss, a request coalesced onto one in flight, an answer stored, entries invalidated (readCache.ts). */
  cacheEvent(method: string, event: CacheEvent, n: number): void;
}

/** Index of each answer outcome in Series.answers. */
const OUTCOMES = ['result', 'tool_error', 'jsonrpc_error'] as const;
type Outcome = (typeof OUTCOMES)[number];

/**
 * Counts of one (method, tool) label pair, kept in plain fields and handed to prom-client when
 * /metrics is scraped: prom-client's inc() builds and checks a label hash on every call, even
 * through labels() children (with its observe(), 2.1 µs per request against 0.05 µs:
 * `node bench/proxyMetricsCost.mjs`).
 */
class Series {
  requests = 0;
  readonly answers = [0, 0, 0];
  constructor(
    readonly method: string,
    readonly tool: string,
    /** Queue wait of its method. */
    readonly queueWait: LatencyCell,
    /** Service time of its method. */
    readonly service: LatencyCell,
  ) {}
}

/** The prom-client registry behind /metrics. */
export class PromMetrics implements ProxyMetrics {
  readonly registry = new Registry();
  private readonly failures: Counter<'method' | 'tool' | 'class'>;
  private readonly queueWait = new LatencyHistogram('mcpopt_proxy_queue_wait_seconds', 'Time from arrival to being sent to an instance.');
  private readonly service = new LatencyHistogram('mcpopt_proxy_service_seconds', 'Time from being sent to an instance to its answer.');
  private readonly ambiguous: Counter;
  private readonly cacheEvents: Counter<'method' | 'event'>;
  private readonly labels = new LabelCap();
  /** Series by method label, then by tool label. */
  private readonly series = new Map<string, Map<string, Series>>();
  private inflightNow = 0;
  private queueNow = 0;
  private sessionsNow = 0;

  constructor(
    pool: () => Pool | null,
    /** The alerts and whether each fires (--alert); none without. */
    alerts: () => ReadonlyArray<{ alert: string; firing: boolean }> = () => [],
  ) {
    const registers = [this.registry];
    const all = (): Series[] => [...this.series.values()].flatMap((byTool) => [...byTool.values()]);
    new Counter({
      name: 'mcpopt_proxy_requests_total', help: 'Requests received from clients, by method and tool (tools/call).', labelNames: ['method', 'tool'], registers,
      collect() {
        this.reset();
        for (const s of all()) if (s.requests > 0) this.inc({ method: s.method, tool: s.tool }, s.requests);
      },
    });
    new Counter({
      name: 'mcpopt_proxy_answers_total', help: 'Answers from server instances, by outcome: result, tool_error (isError), jsonrpc_error.', labelNames: ['method', 'tool', 'outcome'], registers,
      collect() {
        this.reset();
        for (const s of all()) OUTCOMES.forEach((outcome, k) => { if (s.answers[k]! > 0) this.inc({ method: s.method, tool: s.tool, outcome }, s.answers[k]); });
      },
    });
    this.failures = new Counter({ name: 'mcpopt_proxy_failures_total', help: 'Requests the proxy answered with its own error (or that were cancelled), by class.', labelNames: ['method', 'tool', 'class'], registers });
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({ name, help, registers, collect() { this.set(read()); } });
    };
    gauge('mcpopt_proxy_inflight', 'Requests forwarded to instances and not yet answered.', () => this.inflightNow);
    gauge('mcpopt_proxy_queue_depth', 'Requests waiting for an instance.', () => this.queueNow);
    gauge('mcpopt_proxy_sessions', 'Client sessions connected.', () => this.sessionsNow);
    this.cacheEvents = new Counter({ name: 'mcpopt_proxy_cache_events_total', help: 'Read cache events by method: hit, miss, coalesced (waited on an identical request in flight), stored, invalidated (by a change notification).', labelNames: ['method', 'event'], registers });
    this.ambiguous = new Counter({ name: 'mcpopt_proxy_relay_ambiguous_total', help: 'Server-to-client requests sent while several clients had requests on that instance.', registers });
    new Gauge({
      name: 'mcpopt_proxy_instances', help: 'Server instances by state (ready, draining, starting).', labelNames: ['state'], registers,
      collect() {
        const counts: Record<string, number> = { ready: 0, draining: 0, starting: 0 };
        for (const i of pool()?.slots ?? []) counts[i === null ? 'starting' : i.state === 'closed' ? 'starting' : i.state]!++;
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
    const poolCounter = (name: string, help: string, key: 'restarts' | 'ejections' | 'recycles' | 'crashes'): void => {
      new Counter({
        name, help, registers,
        collect() {
          this.reset();
          this.inc(pool()?.counters[key] ?? 0);
        },
      });
    };
    poolCounter('mcpopt_proxy_instance_restarts_total', 'Instances started again after a crash, an ejection or a recycle.', 'restarts');
    poolCounter('mcpopt_proxy_instance_crashes_total', 'Instances that exited without being asked.', 'crashes');
    poolCounter('mcpopt_proxy_instance_ejections_total', 'Instances killed for not answering a health probe.', 'ejections');
    poolCounter('mcpopt_proxy_instance_recycles_total', 'Instances replaced by --recycle-after or --max-rss.', 'recycles');
    if (alerts().length > 0) {
      new Gauge({
        name: 'mcpopt_proxy_alert_firing', help: '1 while an --alert fires over the sliding window, else 0, by its expression.', labelNames: ['alert'], registers,
        collect() {
          for (const a of alerts()) this.set({ alert: a.alert }, a.firing ? 1 : 0);
        },
      });
    }
  }

  received(method: string, tool: string | null): void {
    this.seriesOf(method, tool).requests++;
  }

  answered(method: string, tool: string | null, outcome: Outcome, queueWaitS: number, serviceS: number): void {
    const s = this.seriesOf(method, tool);
    s.answers[outcome === 'result' ? 0 : outcome === 'tool_error' ? 1 : 2]!++;
    s.queueWait.observe(queueWaitS);
    s.service.observe(serviceS);
  }

  failed(method: string, tool: string | null, cls: FailureClass): void {
    this.failures.inc({ method: this.labels.method(method), tool: this.labels.tool(tool), class: cls });
  }

  inflight(n: number): void {
    this.inflightNow = n;
  }

  queueDepth(n: number): void {
    this.queueNow = n;
  }

  sessions(n: number): void {
    this.sessionsNow = n;
  }

  ambiguousRelay(): void {
    this.ambiguous.inc();
  }

  cacheEvent(method: string, event: CacheEvent, n: number): void {
    this.cacheEvents.inc({ method: this.labels.method(method), event }, n);
  }

  /** The text of /metrics: prom-client's registry, then the latency histograms. */
  async text(): Promise<string> {
    const text = await this.registry.metrics();
    return `${text}${this.queueWait.text()}${this.service.text()}`;
  }

  /** Its content type. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The series of a request, by the names it came with. */
  private seriesOf(method: string, tool: string | null): Series {
    const byTool = this.series.get(method) ?? this.methodSeries(method);
    return byTool.get(tool ?? '') ?? this.newSeries(byTool, method, tool);
  }

  /** The series of a method's label, made on first use; a name outside the MCP methods gets no entry of its own (it is "other" each time). */
  private methodSeries(method: string): Map<string, Series> {
    const label = this.labels.method(method);
    let byTool = this.series.get(label);
    if (byTool === undefined) {
      byTool = new Map();
      this.series.set(label, byTool);
    }
    return byTool;
  }

  /** The series of a tool not seen yet under this method: its own, or "other" beyond the cap (then not remembered by its name). */
  private newSeries(byTool: Map<string, Series>, method: string, tool: string | null): Series {
    const toolLabel = this.labels.tool(tool);
    let s = byTool.get(toolLabel);
    if (s === undefined) {
      const label = this.labels.method(method);
      s = new Series(label, toolLabel, this.queueWait.cell(label), this.service.cell(label));
      byTool.set(toolLabel, s);
    }
    return s;
  }
}

/**
 * The proxy's /metrics, in the Prometheus text format, kept with prom-client (the Prometheus
 * client library for Node): per method and tool, requests, answers by outcome and failures by
 * class; latency histograms split into queue wait and service time; in-flight, queue depth,
 * sessions, instances by state, restarts, ejections and recycles.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FailureClass } from './proxyErrors.js';
import type { Pool } from './pool.js';

/** Histogram bucket bounds, seconds: 100 µs to 60 s. */
export const LATENCY_BUCKETS_S = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

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
}

/** The prom-client registry behind /metrics. */
export class PromMetrics implements ProxyMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'tool'>;
  private readonly answers: Counter<'method' | 'tool' | 'outcome'>;
  private readonly failures: Counter<'method' | 'tool' | 'class'>;
  private readonly queueWait: Histogram<'method'>;
  private readonly service: Histogram<'method'>;
  private readonly inflightGauge: Gauge;
  private readonly queueGauge: Gauge;
  private readonly sessionGauge: Gauge;
  private readonly ambiguous: Counter;

  constructor(pool: () => Pool | null) {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'mcpopt_proxy_requests_total', help: 'Requests received from clients, by method and tool (tools/call).', labelNames: ['method', 'tool'], registers });
    this.answers = new Counter({ name: 'mcpopt_proxy_answers_total', help: 'Answers from server instances, by outcome: result, tool_error (isError), jsonrpc_error.', labelNames: ['method', 'tool', 'outcome'], registers });
    this.failures = new Counter({ name: 'mcpopt_proxy_failures_total', help: 'Requests the proxy answered with its own error (or that were cancelled), by class.', labelNames: ['method', 'tool', 'class'], registers });
    this.queueWait = new Histogram({ name: 'mcpopt_proxy_queue_wait_seconds', help: 'Time from arrival to being sent to an instance.', labelNames: ['method'], buckets: LATENCY_BUCKETS_S, registers });
    this.service = new Histogram({ name: 'mcpopt_proxy_service_seconds', help: 'Time from being sent to an instance to its answer.', labelNames: ['method'], buckets: LATENCY_BUCKETS_S, registers });
    this.inflightGauge = new Gauge({ name: 'mcpopt_proxy_inflight', help: 'Requests forwarded to instances and not yet answered.', registers });
    this.queueGauge = new Gauge({ name: 'mcpopt_proxy_queue_depth', help: 'Requests waiting for an instance.', registers });
    this.sessionGauge = new Gauge({ name: 'mcpopt_proxy_sessions', help: 'Client sessions connected.', registers });
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
  }

  received(method: string, tool: string | null): void {
    this.requests.inc({ method, tool: tool ?? '' });
  }

  answered(method: string, tool: string | null, outcome: 'result' | 'tool_error' | 'jsonrpc_error', queueWaitS: number, serviceS: number): void {
    this.answers.inc({ method, tool: tool ?? '', outcome });
    this.queueWait.observe({ method }, queueWaitS);
    this.service.observe({ method }, serviceS);
  }

  failed(method: string, tool: string | null, cls: FailureClass): void {
    this.failures.inc({ method, tool: tool ?? '', class: cls });
  }

  inflight(n: number): void {
    this.inflightGauge.set(n);
  }

  queueDepth(n: number): void {
    this.queueGauge.set(n);
  }

  sessions(n: number): void {
    this.sessionGauge.set(n);
  }

  ambiguousRelay(): void {
    this.ambiguous.inc();
  }

  /** The text of /metrics. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** Its content type. */
  get contentType(): string {
    return this.registry.contentType;
  }
}

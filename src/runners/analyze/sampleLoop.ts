/**
 * The measuring loop for warm-session phases: send requests (one at a time, or with N in flight),
 * round-robin over several request kinds so slow drift of the machine hits all kinds alike, and
 * record latencies per kind. Uses the session's callback API: no promise per request.
 */
import { TargetError } from '../../errors.js';
import { Recorder } from '../../measure/histogram.js';
import type { Reply, Session } from '../../target/session.js';
import { classifyReply } from '../replyClass.js';

/**
 * Fewer samples than this mark a figure as rough (`lowSample`): with fewer than 20 samples a p95 is
 * the largest sample (nearest rank), and a median's bootstrap interval rests on a handful of values.
 * A run that asked for fewer (--samples 10) is held to what it asked for.
 */
export const LOW_SAMPLE_N = 20;

/** Whether `n` samples are too few, given that `requested` were asked for (0 = no figure at all, not rough). */
export function isLowSample(n: number, requested: number): boolean {
  return n > 0 && n < Math.min(LOW_SAMPLE_N, requested);
}

/** One kind of request to sample. */
export interface RequestKind {
  /** JSON-RPC method. */
  method: string;
  /** Serialised params (without _meta), or undefined. */
  paramsJson: string | undefined;
  /** Tool name for HTTP Mcp-Name headers. */
  name?: string;
}

/** Per-kind outcome of a loop. */
export interface KindSamples {
  /** Accepted latencies, µs, in order. */
  samplesUs: number[];
  /** The accepted latencies as a histogram, µs. */
  recorder: Recorder;
  /** Requests sent. */
  requests: number;
  /** Rejected replies by class. */
  errors: Record<string, number>;
}

/** Loop settings. */
export interface LoopOptions {
  /** Samples to take per kind. */
  perKind: number;
  /** Requests in flight. */
  inflight: number;
  /** Stop sending after this long, ms (replies in flight are still awaited). */
  capMs: number;
  /** Per-request timeout, ms (default: the session's). */
  timeoutMs?: number;
  /** Aborts the loop (Ctrl-C). */
  signal: AbortSignal;
  /** Classify a reply to kinds[kind]: null = a sample to record; a string = an error class. */
  classify: (reply: Reply, kind: number) => string | null;
  /**
   * Send each round of kinds in a fresh random order instead of always 0, 1, 2…: a kind that
   * always follows an expensive one would inherit its after-effects (the server's GC, or the
   * scheduler making a process that just burnt CPU wait on a busy machine) and read slower.
   */
  shuffle?: boolean;
  /** Stop sending once this many replies (all kinds together) were classified as errors (default: never). */
  stopAfterErrors?: number;
  /** Called with every classified reply (kind index, class, reply): error samples, failed-call latency. */
  onReply?: (k: number, cls: string | null, reply: Reply) => void;
}

/** Default classification: a result without `isError` is a sample; failures by class (replyClass.ts). */
export function successOnly(reply: Reply): string | null {
  return classifyReply(reply);
}

/** Any answer (result or JSON-RPC error) is a sample: for probes that expect errors. */
export function anyAnswer(reply: Reply): string | null {
  return reply.outcome === 'result' || reply.outcome === 'error' ? null : reply.outcome;
}

/** Run the loop; rejects with TargetError if the connection closes, or the abort reason on Ctrl-C. */
export function sampleKinds(session: Session, kinds: readonly RequestKind[], o: LoopOptions): Promise<KindSamples[]> {
  const out: KindSamples[] = kinds.map(() => ({ samplesUs: [], recorder: new Recorder('us'), requests: 0, errors: {} }));
  const total = kinds.length * o.perKind;
  const deadline = performance.now() + o.capMs;
  let sent = 0;
  let inflight = 0;
  let errors = 0;
  const order = kinds.map((_, i) => i);
  const stopAfter = o.stopAfterErrors ?? Infinity;
  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (err: unknown): void => {
      if (!failed) {
        failed = true;
        reject(err);
      }
    };
    const launch = (): void => {
      while (!failed && errors < stopAfter && inflight < o.inflight && sent < total && (sent < kinds.length || performance.now() < deadline)) {
        const slot = sent % kinds.length;
        if (slot === 0 && o.shuffle) shuffleInPlace(order);
        const k = order[slot]!;
        const kind = kinds[k]!;
        sent++;
        inflight++;
        out[k]!.requests++;
        session.send(kind.method, kind.paramsJson, (reply) => onReply(k, reply), o.timeoutMs, kind.name);
      }
      if (inflight === 0 && !failed) resolve(out);
    };
    const onReply = (k: number, reply: Reply): void => {
      inflight--;
      if (failed) return;
      if (o.signal.aborted) return fail(o.signal.reason);
      if (reply.outcome === 'closed') {
        return fail(new TargetError(`The connection closed while the server was answering ${kinds[k]!.method} (${session.closeInfo?.reason ?? 'closed'}).`));
      }
      const cls = o.classify(reply, k);
      const slot = out[k]!;
      if (cls === null) {
        const us = (reply.doneAt - reply.sentAt) * 1000;
        slot.samplesUs.push(us);
        slot.recorder.record(us);
      } else {
        slot.errors[cls] = (slot.errors[cls] ?? 0) + 1;
        errors++;
      }
      o.onReply?.(k, cls, reply);
      launch();
    };
    launch();
  });
}

/** Fisher–Yates. */
function shuffleInPlace(a: number[]): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
}

/**
 * From what the engine measured to the result's figures, and the warnings a performance engineer
 * needs to read them right (rate not sustained, generator-bound, instances lost).
 */
import type { BenchOptions } from '../../options/benchOptions.js';
import type { BenchResult, TimelineEntry } from '../../result/benchResult.js';
import type { ErrorSample } from '../../result/errorSample.js';
import { ARGUMENT_REJECTED, cleanText } from '../replyClass.js';
import type { EngineOutcome } from './engine.js';
import type { AutocannonFigures } from './http/autocannonOutcome.js';
import type { Lane } from './lanes.js';
import type { ResourceSampler } from './resourceSampler.js';
import { judgeSustained, lateBoundMs } from './sustained.js';
import { GIVE_UP_FAILURES } from './giveUp.js';

export { SUSTAINED_RATE_TOLERANCE_PCT } from './sustained.js';

type Figures = Pick<BenchResult, 'requests' | 'throughput' | 'latency' | 'serviceTime' | 'failedLatency' | 'sendLateness'
  | 'byOperation' | 'timeline' | 'pool' | 'resources' | 'generator'>;

/** The result's figures from the engine outcome, the lanes, the resource samples and the generator's health. */
export function buildFigures(opts: BenchOptions, o: EngineOutcome, lanes: readonly Lane[], sampler: ResourceSampler, generator: BenchResult['generator']): Figures {
  const t = o.total;
  const seconds = o.measuredMs / 1000;
  const rate = (n: number): number => (seconds > 0 ? round(n / seconds) : 0);
  const targetRps = opts.loop.kind === 'open' ? opts.loop.rps : null;
  const sentRps = rate(t.requests);
  const rateErrorPct = targetRps !== null && seconds > 0 ? round(((sentRps - targetRps) / targetRps) * 100) : null;
  // Judged only on a run that went its whole length: one cut short (Ctrl-C, bailout, a crash) says nothing about the rate.
  const lateBound = targetRps === null ? null : lateBoundMs(targetRps);
  const sustained = targetRps === null
    ? null
    : judgeSustained({ complete: o.stopReason === 'done', sent: t.requests, dropped: o.dropped, rateErrorPct, lateBeyondBound: o.lateBeyondBound, boundMs: lateBound! }).sustained;
  const measureFrom = o.timelineOrigin + opts.warmupMs;
  const serviceTime = t.service.toDistribution();
  const timeline: TimelineEntry[] = o.timeline.map((s, i) => {
    const end = o.timelineOrigin + (s.second + 1) * 1000;
    const sample = sampler.at(end);
    const prev = i > 0 ? sampler.at(o.timelineOrigin + s.second * 1000) : null;
    return { ...s, rssBytes: sample?.rssBytes ?? null, cpuPct: sample && prev !== sample ? sample.cpuPct : null };
  });
  return {
    requests: {
      scheduled: t.requests + o.dropped,
      sent: t.requests,
      succeeded: t.succeeded,
      failed: t.failed,
      dropped: o.dropped,
      lateSends: o.lateSends,
      abandoned: o.abandoned,
      errors: { ...t.errors },
      errorRatePct: serverErrorRatePct(t.succeeded, t.failed, t.errors),
      errorSamples: { ...o.errorLog.samples },
      errorLike: o.errorLog.errorLike,
    },
    throughput: {
      measuredSeconds: round(seconds), targetRps, sentRps, succeededRps: rate(t.succeeded), rateErrorPct, sustained,
      lateBoundMs: lateBound === null ? null : round(lateBound), lateBeyondBound: targetRps === null ? null : o.lateBeyondBound,
    },
    latency: t.corrected.toDistribution(),
    serviceTime,
    failedLatency: t.failedLatency.toDistribution(),
    sendLateness: o.lateness.toDistribution(),
    byOperation: [...o.byOp].map(([op, s]) => ({
      op, requests: s.requests, succeeded: s.succeeded, failed: s.failed, errors: { ...s.errors },
      latency: s.corrected.toDistribution(), serviceTime: s.service.toDistribution(),
    })),
    timeline,
    pool: {
      balance: opts.balance,
      instances: lanes.map((l) => ({
        index: l.index, pid: l.target.process?.pid ?? null, sent: l.sent, succeeded: l.succeeded, failed: l.failed,
        // One instance: its service time is the total's (not recorded twice).
        serviceTime: lanes.length > 1 ? l.service.toDistribution() : serviceTime, alive: l.alive,
        ...connectionFigures(l),
      })),
      autocannon: 'autocannon' in o && o.autocannon
        ? (({ connections, pipelining, perConnection, statusCounts }) => ({ connections, pipelining, perConnection, statusCounts }))(o.autocannon as AutocannonFigures)
        : null,
    },
    resources: sampler.summary(measureFrom),
    generator,
  };
}

/** Keep-alive reuse and session re-initializations of an HTTP lane; nulls for stdio. */
function connectionFigures(l: Lane): Pick<BenchResult['pool']['instances'][number], 'connections' | 'sessionReinits'> {
  const s = l.target.session.transport.connectionStats;
  return s
    ? { connections: { opened: s.connectionsOpened, requests: s.requestsSent }, sessionReinits: s.sessionReinits }
    : { connections: null, sessionReinits: null };
}

/** Warnings about how to read the figures. */
export function warningsOf(opts: BenchOptions, r: BenchResult, o: EngineOutcome): string[] {
  const w: string[] = [];
  const tp = r.throughput;
  if (tp.sustained === false) {
    const { reasons } = judgeSustained({
      complete: true, sent: r.requests.sent, dropped: r.requests.dropped, rateErrorPct: tp.rateErrorPct,
      lateBeyondBound: tp.lateBeyondBound ?? 0, boundMs: tp.lateBoundMs ?? 0,
    });
    // The sent rate is stated in the sentence itself; the other reasons follow it.
    w.push(`The target rate of ${tp.targetRps} req/s was NOT sustained: ${tp.sentRps} req/s were sent` +
      reasons.filter((x) => x.kind !== 'shortfall').map((x) => `, ${x.text}`).join('') +
      `. Latencies still count from the intended send times, so they include the wait.`);
  }
  if (r.requests.lateSends > 0 && opts.loop.kind === 'open') {
    const cap = opts.loop.maxInflight !== null ? ` (--max-inflight ${opts.loop.maxInflight} held some back)` : '';
    w.push(`${r.requests.lateSends} of ${r.requests.sent} sends left more than 1 ms after their intended time${cap}.`);
  }
  if (r.generator.bottleneck && r.generator.reason) w.push(r.generator.reason);
  if (o.lostLanes.length) {
    w.push(`${o.lostLanes.length} of ${opts.instances} server instances died during the run (${o.lostLanes.map((i) => `#${i + 1}`).join(', ')})` +
      (opts.keepGoing ? '; the run went on with the others (--keep-going).' : '.'));
  }
  const rejected = r.requests.errors[ARGUMENT_REJECTED] ?? 0;
  if (rejected > 0) {
    w.push(`${rejected} of ${r.requests.sent} requests were rejected for their arguments (${ARGUMENT_REJECTED}; not counted in the error rate)` +
      `${sampleText(r.requests.errorSamples?.[ARGUMENT_REJECTED])}. Give arguments the server accepts with --call name='{...}' or a workload file.`);
  }
  const like = r.requests.errorLike;
  if (like) {
    w.push(`${like.count} of ${r.requests.succeeded} successful results read like errors (heuristic: the first text starts with "Error", "Exception" or "Traceback", ` +
      `or is short and says "failed" or "exception")${sampleText(like.sample)}. They count as successes: check that the server is not returning failures as content without isError.`);
  }
  if (r.requests.succeeded === 0 && r.requests.sent > 0) w.push('No request succeeded: every latency figure is empty and every budget fails.');
  if (o.abandoned > 0) w.push(`${o.abandoned} requests were still unanswered when the run stopped waiting; they are not counted.`);
  return w;
}

/** The error of a run without a single success: what failed, the first error, and what to do. */
export function noSuccessMessage(r: BenchResult): string {
  const q = r.requests;
  if (q.sent === 0) {
    return q.dropped > 0
      ? `No request was sent in the measured window: all ${q.dropped} due requests were dropped (the server stopped reading, or the generator fell behind; see the warnings). The result is saved.`
      : 'No request was sent in the measured window, so nothing was measured; lengthen --duration or --requests (the result is saved).';
  }
  const classes = Object.entries(q.errors).map(([k, n]) => `${k} ×${n}`).join(', ') || 'none answered';
  const first = Object.values(q.errorSamples ?? {})[0];
  const allRejected = q.failed > 0 && (q.errors[ARGUMENT_REJECTED] ?? 0) === q.failed;
  return `No request succeeded: ${q.sent} sent, ${q.failed} failed (${classes})${sampleText(first)}. ` +
    (allRejected
      ? "The server rejected every request's arguments: give arguments it accepts with --call name='{...}' or a workload file."
      : 'The server answered nothing successfully: look at its log and the errors above; the result is saved with the error samples.');
}

/** The error of a run the no-success bailout stopped (giveUp.ts): how many failed, how, the first error, what to do. */
export function giveUpMessage(r: BenchResult, allErrors: Record<string, number>, giveUpMs: number): string {
  const failed = Object.values(allErrors).reduce((a, n) => a + n, 0);
  const classes = Object.entries(allErrors).map(([k, n]) => `${k} ×${n}`).join(', ');
  const first = Object.values(r.requests.errorSamples ?? {})[0];
  return `Stopped early: no request succeeded (${failed} failed: ${classes}${sampleText(first)}), ` +
    `so the run ended after ${failed >= GIVE_UP_FAILURES ? `${GIVE_UP_FAILURES} failures` : `${round(giveUpMs / 1000)} s`} instead of running its whole length ` +
    '(the default bailout; bench --give-up-after off runs on). The partial result is saved.';
}

/** Server failures over answered requests whose arguments the server accepted, percent (argument rejections are the caller's). */
export function serverErrorRatePct(succeeded: number, failed: number, errors: Record<string, number>): number {
  const serverFailed = failed - (errors[ARGUMENT_REJECTED] ?? 0);
  return succeeded + serverFailed > 0 ? round((serverFailed / (succeeded + serverFailed)) * 100) : 0;
}

/** ', e.g. <op>: "<message>" with arguments {…}' for a warning, or '' without a sample. */
export function sampleText(s: ErrorSample | undefined): string {
  if (!s) return '';
  const args = s.args ? ` with arguments ${cleanText(JSON.stringify(s.args), 200)}` : '';
  return `, e.g. ${s.op}: ${s.message === null ? 'no message' : `"${s.message}"`}${args}`;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

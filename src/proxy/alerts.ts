/**
 * The proxy's alerts (--alert 'p95<100ms'), judged every second against the sliding window
 * (liveWindow.ts). Each is firing or not, and only a change is logged: `alert_firing` once when a
 * breach starts, `alert_cleared` once when it ends. An alert fires only on a window holding its
 * minimum of samples (alertMetrics.ts MIN_ALERT_SAMPLES), so a handful of slow calls cannot page
 * anyone; a firing alert whose window falls below that minimum clears, as a Prometheus alert
 * resolves when its series stops: else an idle proxy, which --alert-degrades keeps out of a load
 * balancer's rotation, would stay degraded for want of the traffic that could clear it.
 */
import type { ResolvedAlert } from '../budgets/alertMetrics.js';
import { BASE_UNIT, passes } from '../budgets/spec.js';
import type { WindowFigures } from './liveWindow.js';
import type { ProxyLog } from './proxyLog.js';

/** One alert as it stands. */
export interface AlertState {
  /** Its expression, as given (its name in logs, /metrics and the dashboard). */
  alert: string;
  /** Whether it is firing. */
  firing: boolean;
  /** The metric's value in the last window judged (ms or %); null when not measured. */
  value: number | null;
  /** The unit of value and threshold: ms or pct. */
  unit: string;
  /** The bound, in unit. */
  threshold: number;
  /** Samples in the last window judged. */
  samples: number;
  /** Samples it needs before it can fire. */
  minSamples: number;
  /** When it started firing (the clock's ms, Date.now by default); null when not firing. */
  sinceMs: number | null;
}

/** Judges the alerts and remembers which fire. */
export class AlertWatch {
  private readonly states: AlertState[];

  constructor(
    private readonly alerts: readonly ResolvedAlert[],
    private readonly log: ProxyLog,
    /** Wall clock, ms (tests give a fake one). */
    private readonly now: () => number = () => Date.now(),
  ) {
    this.states = alerts.map((a) => ({
      alert: a.spec.expression, firing: false, value: null, unit: BASE_UNIT[a.metric.kind], threshold: a.threshold, samples: 0, minSamples: a.metric.minSamples, sinceMs: null,
    }));
  }

  /** Every alert, in the order given. */
  get all(): readonly AlertState[] {
    return this.states;
  }

  /** Expressions of the alerts firing now. */
  firing(): string[] {
    return this.states.filter((s) => s.firing).map((s) => s.alert);
  }

  /** Judge every alert against the window's figures; log each that starts or stops firing. */
  judge(f: WindowFigures): void {
    this.alerts.forEach((a, k) => {
      const s = this.states[k]!;
      s.value = a.metric.read(f);
      s.samples = a.metric.samples?.(f) ?? 0;
      const enough = s.samples >= s.minSamples && s.value !== null;
      const breach = enough && !passes(s.value!, a.spec.op, a.threshold);
      if (breach === s.firing) return;
      s.firing = breach;
      s.sinceMs = breach ? this.now() : null;
      const fields = { alert: s.alert, metric: a.metric.id, value: s.value, threshold: s.threshold, unit: s.unit, samples: s.samples, windowS: f.windowS };
      const figure = `${a.spec.metric} ${show(s.value, s.unit)} over the last ${f.windowS} s (${s.samples} samples)`;
      if (breach) return this.log(`! alert ${s.alert} firing: ${figure}`, { event: 'alert_firing', level: 'warn', ...fields });
      const why = enough ? figure : `only ${s.samples} sample${s.samples === 1 ? '' : 's'} in the last ${f.windowS} s, fewer than the ${s.minSamples} it needs to judge`;
      this.log(`alert ${s.alert} cleared: ${why}`, { event: 'alert_cleared', ...fields, reason: enough ? 'recovered' : 'too_few_samples' });
    });
  }
}

/** A value with its unit, for a log line. */
function show(value: number | null, unit: string): string {
  if (value === null) return 'not measured';
  return unit === 'pct' ? `${value.toFixed(2)} %` : `${value} ms`;
}

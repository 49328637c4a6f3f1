/**
 * The dashboard and the alerts of a running proxy: the sliding window (liveWindow.ts, fed beside
 * /metrics), the alerts judged against it every second (alerts.ts), and what /dashboard.json and
 * /readyz read of them.
 */
import type { ResolvedAlert } from '../budgets/alertMetrics.js';
import { AlertWatch } from './alerts.js';
import { dashboardData, type DashboardData } from './dashboardData.js';
import { LiveWindow } from './liveWindow.js';
import type { Pool } from './pool.js';
import type { ProxyLog } from './proxyLog.js';

/** How often the alerts are judged, ms. */
export const JUDGE_EVERY_MS = 1000;
/** How often the window reads the clock, ms: a request is counted at most this late (liveWindow.ts). */
export const TICK_EVERY_MS = 100;

/** The window, the alerts and their timer. */
export class LiveView {
  /** The sliding window: give it to the router (beside /metrics, metricsTee.ts). */
  readonly window: LiveWindow;
  /** The alerts, judged every JUDGE_EVERY_MS. */
  readonly alerts: AlertWatch;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    windowS: number,
    alerts: readonly ResolvedAlert[],
    log: ProxyLog,
    /** --alert-degrades: a firing alert makes /readyz 503. */
    private readonly degrades: boolean,
  ) {
    this.window = new LiveWindow(windowS);
    this.alerts = new AlertWatch(alerts, log);
  }

  /** Tick the window, and judge the alerts every second, from now on. */
  start(): void {
    if (this.timers.length > 0) return;
    this.timers.push(setInterval(() => this.window.tick(), TICK_EVERY_MS));
    if (this.alerts.all.length > 0) this.timers.push(setInterval(() => this.alerts.judge(this.window.figures()), JUDGE_EVERY_MS));
    // The proxy ends when its front and pool end: these timers must not keep it alive.
    for (const t of this.timers) t.unref();
  }

  /** Stop the timers. */
  stop(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
  }

  /** The dashboard's document now. */
  dashboard(pool: Pool): DashboardData {
    return dashboardData(this.window.figures(), pool, this.alerts.all);
  }

  /** The alerts that make /readyz 503: the firing ones with --alert-degrades, else none. */
  degradedBy(): string[] {
    return this.degrades ? this.alerts.firing() : [];
  }
}

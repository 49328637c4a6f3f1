/**
 * GET /dashboard.json: what the live dashboard (dashboardPage.ts) shows, from the proxy's own data:
 * the sliding window's figures, the pool's instances and the alerts. Strings in it (tool names,
 * the server's name) are the server's or a client's choice: as in the HTML report
 * (reporters/html/escape.ts), control characters, terminal escapes and bidi overrides are removed
 * here, and the page inserts them as text, never markup.
 */
import { stripControl } from '../util/controlChars.js';
import type { AlertState } from './alerts.js';
import type { WindowFigures } from './liveWindow.js';
import type { Pool } from './pool.js';

/** Version of the document's shape: bumped when a field changes meaning or goes. */
export const DASHBOARD_DATA_VERSION = 1;

/** One pool slot. */
export interface InstanceRow {
  /** Slot number. */
  slot: number;
  /** ready, draining, or starting (also while a replacement is on its way). */
  state: 'ready' | 'draining' | 'starting';
  /** The server process's pid; null for an upstream session or while starting. */
  pid: number | null;
  /** Requests it served. */
  served: number;
}

/** The dashboard's document. */
export interface DashboardData {
  /** DASHBOARD_DATA_VERSION. */
  version: number;
  /** When it was made, ISO 8601. */
  at: string;
  /** The server, as its instances introduced themselves (initialize's serverInfo). */
  server: {
    /** serverInfo.name, or null. */
    name: string | null;
    /** serverInfo.version, or null. */
    version: string | null;
    /** Era the instances serve, or null before one is ready. */
    era: string | null;
  };
  /** The sliding window's figures. */
  window: WindowFigures;
  /** Errors among the requests finished in the window, %; null when none finished. */
  errorPct: number | null;
  /** Cache hits / (hits + misses) in the window, 0 to 1; null without a cached read. */
  cacheHitRatio: number | null;
  /** Every slot of the pool. */
  instances: InstanceRow[];
  /** Every alert (--alert). */
  alerts: readonly AlertState[];
}

/** The document now. `alerts` is empty without --alert. */
export function dashboardData(window: WindowFigures, pool: Pool, alerts: readonly AlertState[], at: Date = new Date()): DashboardData {
  const { hits, misses } = window.cache;
  const warm = pool.slots.find((i) => i?.warm)?.warm ?? null;
  const info = (warm?.initializeResult?.['serverInfo'] ?? null) as { name?: unknown; version?: unknown } | null;
  return {
    version: DASHBOARD_DATA_VERSION,
    at: at.toISOString(),
    server: { name: stringOrNull(info?.name), version: stringOrNull(info?.version), era: warm?.era ?? null },
    window: { ...window, tools: window.tools.map((t) => ({ ...t, tool: stripControl(t.tool) })) },
    errorPct: window.finished > 0 ? Math.round((10_000 * window.errors) / window.finished) / 100 : null,
    cacheHitRatio: hits + misses > 0 ? Math.round((1000 * hits) / (hits + misses)) / 1000 : null,
    instances: pool.slots.map((i, slot) => ({
      slot,
      state: i === null || i.state === 'closed' || i.state === 'starting' ? 'starting' : i.state,
      pid: i?.pid ?? null,
      served: i?.served ?? 0,
    })),
    alerts,
  };
}

/** A string field of a server's answer, cleaned, or null when it is something else. */
function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' ? stripControl(v) : null;
}

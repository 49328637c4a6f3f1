/**
 * A finding: something measured that a server author should change, with the evidence and the fix.
 */

/** How much a finding matters. 'critical' breaks clients; 'warning' misses a target; 'info' is advice. */
export type Severity = 'critical' | 'warning' | 'info';

/** Something measured that a server author should change, with the evidence and the fix. */
export interface Finding {
  /** Stable identifier (kebab-case), e.g. 'cold-start-slow'. */
  id: string;
  /** How much it matters. */
  severity: Severity;
  /** One line. */
  title: string;
  /** The measured figures that show it, in words and numbers. */
  evidence: string;
  /** What to change. */
  recommendation: string;
  /** Budget metric it relates to, when one applies (e.g. 'coldStart.ready.p50'). */
  metric?: string;
}

/** Order for display: critical, warning, info. */
export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

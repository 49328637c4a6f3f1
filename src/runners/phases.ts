/**
 * Runs a runner's phases: announces each (phase-start / phase-end events), times it into the
 * result's phaseDurationsMs, and remembers which phase is running for failure messages.
 */
import type { Emit } from './events.js';

/** Runs phases in order: emits their start and end, times each into `result.phaseDurationsMs`. */
export class Phases<R extends { phaseDurationsMs: Record<string, number> }> {
  /** The phase running (or the last one that ran). */
  current: string;

  constructor(
    private readonly emit: Emit<R>,
    private readonly result: R,
    first: string,
  ) {
    this.current = first;
  }

  /** Run `fn` as phase `name`, labelled `label`; `summary` turns its value into the phase-end line. */
  async step<T>(name: string, label: string, fn: () => Promise<T>, summary: (v: T) => string): Promise<T> {
    this.current = name;
    this.emit({ type: 'phase-start', phase: name, label });
    const t0 = performance.now();
    try {
      const v = await fn();
      this.emit({ type: 'phase-end', phase: name, summary: summary(v), ok: true });
      return v;
    } finally {
      this.result.phaseDurationsMs[name] = Math.round(performance.now() - t0);
    }
  }
}

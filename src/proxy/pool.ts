/**
 * The proxy's pool: `size` slots, each holding one warm server instance. Supervision: an instance
 * that exits is respawned with exponential backoff (reset once an instance stayed up), one that
 * stops answering the health probe is killed and respawned (an ejection), and one that served
 * `recycleAfter` requests or grew past `maxRssBytes` is drained and replaced.
 */
import type { LaunchSpec } from '../target/launchSpec.js';
import type { JsonRpcMessage } from '../target/protocol.js';
import { sampleTree } from '../target/procfs.js';
import type { StopWaits } from '../target/serverProcess.js';
import type { CloseInfo } from '../target/transport.js';
import type { ExitInfo } from '../errors.js';
import { Instance, type InstanceEvents } from './instance.js';
import type { ProxyLog } from './proxyLog.js';
import type { Reaper } from './reaper.js';

/** First respawn delay after a crash, ms; doubles per crash in a row up to RESPAWN_MAX_MS. */
export const RESPAWN_FIRST_MS = 100;
/** Longest respawn delay, ms. */
export const RESPAWN_MAX_MS = 10_000;
/** An instance up this long resets the backoff, ms. */
const STABLE_AFTER_MS = 30_000;

/** How the pool is run. */
export interface PoolSettings {
  /** Instances kept warm. */
  size: number;
  /** Start-up (spawn → ready) timeout per instance, ms. */
  startTimeoutMs: number;
  /** Health probe period, ms (0: no probes). */
  healthIntervalMs: number;
  /** A probe not answered this fast ejects the instance, ms. */
  healthTimeoutMs: number;
  /** Replace an instance after it served this many requests (0: never). */
  recycleAfter: number;
  /** Replace an instance whose process tree's RSS exceeds this, bytes (0: never). */
  maxRssBytes: number;
  /** Teardown ladder of a stopped instance. */
  stopWaits: StopWaits;
  /** Version the proxy gives in clientInfo. */
  clientVersion: string;
  /** Protocol era the instances are made ready in (--era). */
  era: 'legacy' | 'modern';
}

/** What the pool tells the router. */
export interface PoolEvents extends InstanceEvents {
  /** An instance became ready (at start, after a respawn or a recycle). */
  ready(instance: Instance): void;
  /** Something worth a log line on stderr. */
  log: ProxyLog;
}

/** An instance that did not become ready at pool start, with how its process ended when it ended by itself (not stopped by the pool). */
export class InstanceStartError extends Error {
  constructor(
    cause: Error,
    /** Its exit code, signal and stderr tail; undefined for an upstream session, or a process the pool had to stop. */
    readonly exit: ExitInfo | undefined,
  ) {
    super(cause.message, { cause });
  }
}

/** Counters of the pool's life, for /metrics. */
export interface PoolCounters {
  /** Instances started after the first start of their slot (crash, ejection or recycle). */
  restarts: number;
  /** Instances killed for not answering a health probe. */
  ejections: number;
  /** Instances replaced by --recycle-after or --max-rss. */
  recycles: number;
  /** Instances that exited without being asked. */
  crashes: number;
}

/** The pool of instances. */
export class Pool {
  /** One instance per slot (null while its replacement is starting). */
  readonly slots: Array<Instance | null>;
  readonly counters: PoolCounters = { restarts: 0, ejections: 0, recycles: 0, crashes: 0 };
  private readonly crashesInRow: number[];
  private readonly timers = new Set<NodeJS.Timeout>();
  private healthTimer: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(
    private readonly spec: LaunchSpec,
    private readonly settings: PoolSettings,
    private readonly events: PoolEvents,
    /** Told each instance's process group, to stop them should the proxy be killed (reaper.ts). */
    private readonly reaper: Reaper | null = null,
  ) {
    this.slots = new Array<Instance | null>(settings.size).fill(null);
    this.crashesInRow = new Array<number>(settings.size).fill(0);
  }

  /** Start every slot and wait until all are warm; throws the first failure (a server that cannot start). */
  async start(): Promise<void> {
    await Promise.all(this.slots.map((_, slot) => this.startSlot(slot, 0)));
    if (this.settings.healthIntervalMs > 0) {
      this.healthTimer = setInterval(() => void this.healthTick(), this.settings.healthIntervalMs);
      this.healthTimer.unref();
    }
  }

  /** Instances that are ready. */
  get readyCount(): number {
    return this.slots.filter((i) => i?.state === 'ready').length;
  }

  /** Pids of the live instances. */
  pids(): number[] {
    return this.slots.filter((i): i is Instance => i !== null && i.state !== 'closed').flatMap((i) => (i.pid === null ? [] : [i.pid]));
  }

  /** Drain an instance that served its share, then replace it (called by the router once it is idle). */
  retire(instance: Instance, why: string): void {
    if (this.slots[instance.slot] !== instance || this.closing) return;
    this.counters.recycles++;
    this.events.log(`instance ${instance.slot} (${instance.label}) replaced: ${why}`, { event: 'instance_replaced', slot: instance.slot, pid: instance.pid, reason: why });
    this.slots[instance.slot] = null;
    void instance.stop(this.settings.stopWaits).then(() => this.startSlot(instance.slot, instance.generation + 1).catch(() => {}));
  }

  /** Stop every instance (the stdio shutdown ladder, all at once). */
  async close(): Promise<void> {
    this.closing = true;
    if (this.healthTimer) clearInterval(this.healthTimer);
    for (const t of this.timers) clearTimeout(t);
    await Promise.all(this.slots.map((i) => i?.stop(this.settings.stopWaits)));
  }

  /** Called by the router when an instance closed: respawn its slot unless the pool is closing. */
  onClosed(instance: Instance, info: CloseInfo): void {
    if (this.slots[instance.slot] !== instance) return; // retired or ejected: its replacement is on its way
    if (instance.warm === null) return; // it ended while starting: startSlot's warm-up fails and decides
    this.slots[instance.slot] = null;
    if (this.closing) return;
    this.counters.crashes++;
    if (performance.now() - instance.startedAt > STABLE_AFTER_MS) this.crashesInRow[instance.slot] = 0;
    const delay = this.backoff(instance.slot);
    const exit = info.exit ? ` (exit code ${info.exit.code ?? '-'}${info.exit.signal ? `, signal ${info.exit.signal}` : ''})` : '';
    this.events.log(`instance ${instance.slot} (${instance.label}) ended: ${info.reason}${exit}; respawning in ${delay} ms`, {
      event: 'instance_exited', level: 'warn', slot: instance.slot, pid: instance.pid, reason: info.reason,
      exitCode: info.exit?.code ?? null, signal: info.exit?.signal ?? null, respawnInMs: delay,
    });
    this.later(delay, () => void this.startSlot(instance.slot, instance.generation + 1).catch(() => {}));
  }

  /** The next respawn delay of `slot`: doubles with each failure in a row, up to RESPAWN_MAX_MS. */
  private backoff(slot: number): number {
    const n = this.crashesInRow[slot]!++;
    return Math.min(RESPAWN_MAX_MS, RESPAWN_FIRST_MS * 2 ** n);
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private async startSlot(slot: number, generation: number): Promise<void> {
    if (this.closing) return;
    const instance = await Instance.start(this.spec, slot, generation, this.events, this.settings.stopWaits, this.settings.era, this.settings.startTimeoutMs);
    const reaper = this.reaper;
    const proc = instance.proc;
    if (reaper && proc) {
      reaper.watch(proc.pid);
      void proc.exited.then(() => reaper.forget(proc.pid));
    }
    this.slots[slot] = instance;
    try {
      await instance.warmUp(this.settings.era, this.settings.startTimeoutMs, this.settings.clientVersion);
    } catch (err) {
      // Out of its slot first: its close is not a crash to respawn from (the caller decides).
      if (this.slots[slot] === instance) this.slots[slot] = null;
      const ended = instance.proc !== null && !instance.proc.running;
      await instance.stop();
      if (generation === 0) throw new InstanceStartError(err as Error, ended ? instance.proc!.describeExit() : undefined);
      // A respawn that failed to start: try again later, as after a crash.
      const delay = this.backoff(slot);
      this.events.log(`instance ${slot} did not start (${(err as Error).message}); retrying in ${delay} ms`, { event: 'instance_start_failed', level: 'warn', slot, reason: (err as Error).message, retryInMs: delay });
      this.later(delay, () => void this.startSlot(slot, generation + 1).catch(() => {}));
      return;
    }
    if (this.closing) return void instance.stop(this.settings.stopWaits);
    if (generation > 0) {
      this.counters.restarts++;
      this.events.log(`instance ${slot} (${instance.label}) ready in ${instance.warm!.startMs.toFixed(0)} ms (restarted)`, { event: 'instance_restarted', slot, pid: instance.pid, startMs: Math.round(instance.warm!.startMs) });
    }
    this.events.ready(instance);
  }

  /** Probe idle instances; eject one that does not answer; replace one over --max-rss. */
  private async healthTick(): Promise<void> {
    const s = this.settings;
    await Promise.all(this.slots.map(async (instance) => {
      if (!instance || instance.state !== 'ready') return;
      if (s.maxRssBytes > 0) {
        const rss = instance.pid === null ? 0 : (sampleTree(instance.pid)?.rssBytes ?? 0);
        if (rss > s.maxRssBytes) {
          instance.state = 'draining';
          this.events.log(`instance ${instance.slot} (${instance.label}) uses ${(rss / 2 ** 20).toFixed(0)} MiB, over --max-rss: draining it`, { event: 'instance_over_rss', level: 'warn', slot: instance.slot, pid: instance.pid, rssBytes: rss });
          if (instance.inflight.size === 0) this.retire(instance, 'over --max-rss');
          return;
        }
      }
      // A busy instance is judged by its requests' own timeouts; a serial server could not answer a probe meanwhile.
      if (instance.inflight.size > 0) return;
      const ok = await instance.probe(s.healthTimeoutMs);
      // (The probe awaited: the instance may have closed or been replaced meanwhile.)
      if (ok || this.slots[instance.slot] !== instance || (instance.state as Instance['state']) === 'closed') return;
      this.counters.ejections++;
      this.slots[instance.slot] = null;
      this.events.log(`instance ${instance.slot} (${instance.label}) did not answer a health probe within ${s.healthTimeoutMs} ms: ejected, respawning`, { event: 'instance_ejected', level: 'warn', slot: instance.slot, pid: instance.pid, probeTimeoutMs: s.healthTimeoutMs });
      instance.kill();
      instance.state = 'closed';
      this.later(0, () => void this.startSlot(instance.slot, instance.generation + 1).catch(() => {}));
    }));
  }
}

/** Re-exported for the router. */
export type { Instance, JsonRpcMessage };

/**
 * One server instance of the proxy's pool: a spawned stdio server, initialized by the proxy before
 * any client's request reaches it (the cold start is paid once, at pool start or respawn).
 *
 * Messages pass through as the text the server wrote, with only the JSON-RPC id replaced
 * (target/rawMessage.ts), so unknown fields, `_meta` and annotations reach the other side
 * byte for byte. Where the id cannot be spliced (or a progress token is rewritten) the parsed
 * message is serialised again: then only insignificant whitespace and number spelling, such as
 * 1.0 → 1, can differ.
 */
import { encodeError, encodeNotification, encodeRequest } from '../target/jsonRpc.js';
import { openHttpTransport } from '../target/http/index.js';
import type { HttpSpec, LaunchSpec } from '../target/launchSpec.js';
import { LEGACY_LATEST_VERSION, META_KEYS, METHODS, MODERN_VERSION, type JsonRpcMessage } from '../target/protocol.js';
import { QUICK_STOP_WAITS, type ServerProcess, type StopWaits } from '../target/serverProcess.js';
import { StdioTransport } from '../target/stdioTransport.js';
import { spawnServer } from '../target/target.js';
import type { CloseInfo, OutgoingInfo, Transport } from '../target/transport.js';
import { TOOL_VERSION } from '../version.js';

/** Pending bytes to a server above which it takes no more requests (it stopped reading stdin). */
export const MAX_PENDING_OUT_BYTES = 4 * 1024 * 1024;

/** What a warm instance told the proxy at its start. */
export interface WarmInfo {
  /** 'legacy': initialized by the proxy (its initialize result is cached); 'modern': 2026-07-28, no handshake. */
  era: 'legacy' | 'modern';
  /** The initialize result (legacy era), answered to every client's initialize. */
  initializeResult: Record<string, unknown> | null;
  /** Milliseconds from spawn to ready. */
  startMs: number;
}

/** A request the proxy itself sent (handshake, health ping), awaiting its reply. */
interface OwnRequest {
  resolve: (m: JsonRpcMessage | null) => void;
}

/** Callbacks from an instance to the router. */
export interface InstanceEvents {
  /** A response to a request the router forwarded (its id is the proxy's); `raw` is its text on one line. */
  response(instance: Instance, message: JsonRpcMessage, raw?: string): void;
  /** A request or notification the server sent; `raw` is its text on one line. */
  serverMessage(instance: Instance, message: JsonRpcMessage, raw?: string): void;
  /** The instance can carry nothing more (exited, closed its stdout, or was stopped). */
  closed(instance: Instance, info: CloseInfo): void;
}

/** The client capabilities the proxy declares to its instances: it relays these requests to clients. */
export const PROXY_CLIENT_CAPABILITIES = { roots: { listChanged: true }, sampling: {}, elicitation: {} };

/** The 2026-07-28 `_meta` envelope of the proxy's own requests (basic/versioning). */
function modernMeta(clientVersion: string): Record<string, unknown> {
  return {
    [META_KEYS.protocolVersion]: MODERN_VERSION,
    [META_KEYS.clientInfo]: { name: 'mcp-opt-proxy', version: clientVersion },
    [META_KEYS.clientCapabilities]: PROXY_CLIENT_CAPABILITIES,
  };
}

/** Ids of the proxy's own requests: negative, so they never meet a forwarded request's id. */
let ownIds = 0;

/** One spawned server. */
export class Instance {
  /** Requests forwarded to this instance and not answered, by the proxy's id. */
  readonly inflight = new Set<number>();
  /** Requests forwarded since the start (for --recycle-after). */
  served = 0;
  /** 'starting' until warm, 'ready', 'draining' (finishes what it has, takes nothing new), 'closed'. */
  state: 'starting' | 'ready' | 'draining' | 'closed' = 'starting';
  /** Set once warm. */
  warm: WarmInfo | null = null;
  /** performance.now() when it was spawned (or its upstream session opened). */
  readonly startedAt: number;
  /** performance.now() of the last message from the server (a response's arrival, for its service time). */
  lastHeardAt = 0;
  private readonly own = new Map<number, OwnRequest>();

  private constructor(
    /** Position in the pool (its slot), kept across respawns. */
    readonly slot: number,
    /** Incarnation of the slot: 0 at pool start, +1 per respawn. */
    readonly generation: number,
    /** The wire to it: the spawned server's stdio, or a session with an http(s) upstream. */
    readonly transport: Transport,
    /** The spawned server's process; null for an http(s) upstream (nothing of it runs here). */
    readonly proc: ServerProcess | null,
    private readonly events: InstanceEvents,
  ) {
    this.startedAt = proc?.spawnedAt ?? performance.now();
    transport.onmessage = (m, at, raw?: string) => this.onMessage(m, at, raw);
    transport.onclose = (info) => {
      this.state = 'closed';
      for (const r of this.own.values()) r.resolve(null);
      this.own.clear();
      this.events.closed(this, info);
    };
  }

  /** Start an instance of `spec` in `slot`, not yet warm: spawn the stdio server, or open a session with the http(s) upstream in `era`. */
  static async start(spec: LaunchSpec, slot: number, generation: number, events: InstanceEvents, stopWaits: StopWaits, era: 'legacy' | 'modern', startTimeoutMs: number): Promise<Instance> {
    if (spec.kind === 'http') return Instance.connect(spec, slot, generation, events, era, startTimeoutMs);
    const proc = await spawnServer(spec);
    // With other requests in flight, what is forwarded in one event-loop turn goes in one write
    // (WriteBatching.perTurn), at most 1024 messages; `npm run bench:proxy` part 3 measures it.
    let instance: Instance | null = null;
    const writes = { max: 1024, delayMs: 0, perTurn: () => (instance?.inflight.size ?? 0) > 1 };
    instance = new Instance(slot, generation, new StdioTransport(proc, stopWaits, writes), proc, events);
    return instance;
  }

  /** A session with an http(s) upstream (Streamable HTTP or legacy HTTP+SSE, as the target's transport says); the session id and its renewal after a 404 are the transport's. */
  private static async connect(spec: HttpSpec, slot: number, generation: number, events: InstanceEvents, era: 'legacy' | 'modern', startTimeoutMs: number): Promise<Instance> {
    const transport = await openHttpTransport(spec, { era, startTimeoutMs, requestTimeoutMs: startTimeoutMs, client: { name: 'mcp-opt-proxy', version: TOOL_VERSION } });
    return new Instance(slot, generation, transport, null, events);
  }

  /** The server's process id; null for an http(s) upstream. */
  get pid(): number | null {
    return this.proc?.pid ?? null;
  }

  /** How logs name it: its pid, or its upstream session. */
  get label(): string {
    return this.proc ? `pid ${this.proc.pid}` : 'an upstream session';
  }

  /** True when it may take a new request (ready, and reading what it is sent). */
  get accepting(): boolean {
    return this.state === 'ready' && this.transport.pendingOutBytes < MAX_PENDING_OUT_BYTES;
  }

  /**
   * Make the server ready in `era`. Legacy: initialize it as a client would (or, if it refuses
   * initialize but answers server/discover, find that it speaks only 2026-07-28). Modern: ask
   * server/discover, which must list 2026-07-28. A server that speaks both eras picks one per
   * connection from the first message it gets (SDK v2 serveStdio), so an instance serves one era:
   * the proxy's --era. Throws when the server answered neither within `timeoutMs`.
   */
  async warmUp(era: 'legacy' | 'modern', timeoutMs: number, clientVersion: string): Promise<WarmInfo> {
    if (era === 'modern') {
      const discover = await this.ownRequest(METHODS.discover, { _meta: modernMeta(clientVersion) }, timeoutMs);
      const versions = (discover?.result as { supportedVersions?: unknown } | undefined)?.supportedVersions;
      if (Array.isArray(versions) && versions.includes(MODERN_VERSION)) return this.ready({ era: 'modern', initializeResult: null, startMs: performance.now() - this.startedAt });
      const why = discover === null ? 'no answer to server/discover' : discover.error ? `server/discover failed (${discover.error.code} ${String(discover.error.message).slice(0, 120)})` : `server/discover does not list ${MODERN_VERSION}`;
      throw new Error(`the server instance did not become ready in the 2026-07-28 era (--era modern): ${why} within ${timeoutMs} ms`);
    }
    const init = await this.ownRequest(METHODS.initialize, {
      protocolVersion: LEGACY_LATEST_VERSION, capabilities: PROXY_CLIENT_CAPABILITIES, clientInfo: { name: 'mcp-opt-proxy', version: clientVersion },
    }, timeoutMs);
    if (init?.result && typeof init.result === 'object') {
      this.transport.send(encodeNotification(METHODS.initialized), { method: METHODS.initialized });
      // An http(s) upstream: what its server sends outside a POST's stream is relayed too.
      this.transport.listen?.();
      return this.ready({ era: 'legacy', initializeResult: init.result as Record<string, unknown>, startMs: performance.now() - this.startedAt });
    }
    if (init?.error) {
      const discover = await this.ownRequest(METHODS.discover, {}, timeoutMs);
      if (discover?.result) return this.ready({ era: 'modern', initializeResult: null, startMs: performance.now() - this.startedAt });
    }
    const why = init === null ? 'it closed the connection or did not answer initialize' : `initialize failed (${init.error?.code ?? '?'} ${String(init.error?.message ?? '').slice(0, 120)}) and server/discover too`;
    throw new Error(`the server instance did not become ready: ${why} within ${timeoutMs} ms`);
  }

  /** A ping the server must answer within `timeoutMs` (legacy era; the modern era asks server/discover). */
  async probe(timeoutMs: number): Promise<boolean> {
    const method = this.warm?.era === 'modern' ? METHODS.discover : METHODS.ping;
    const reply = await this.ownRequest(method, method === METHODS.discover ? { _meta: modernMeta('health') } : undefined, timeoutMs);
    return reply !== null && (reply.result !== undefined || (reply.error !== undefined && method === METHODS.discover));
  }

  /**
   * The server's whole tool list, asked by the proxy itself (every page, at most 100), or null when
   * it did not answer one page within `timeoutMs` or answered with an error.
   */
  async listTools(timeoutMs: number): Promise<Array<Record<string, unknown>> | null> {
    const tools: Array<Record<string, unknown>> = [];
    let cursor: unknown;
    for (let page = 0; page < 100; page++) {
      const params: Record<string, unknown> = cursor === undefined ? {} : { cursor };
      if (this.warm?.era === 'modern') params['_meta'] = modernMeta('tools');
      const reply = await this.ownRequest(METHODS.toolsList, params, timeoutMs);
      const r = reply?.result as { tools?: unknown; nextCursor?: unknown } | undefined;
      if (!r || !Array.isArray(r.tools)) return null;
      tools.push(...(r.tools as Array<Record<string, unknown>>));
      if (typeof r.nextCursor !== 'string' || r.nextCursor === '') return tools;
      cursor = r.nextCursor;
    }
    return tools;
  }

  /** Forward a client's request, already rewritten to the proxy's id; `name` (tool, prompt or resource) becomes a 2026-07-28 upstream's Mcp-Name. */
  forward(proxyId: number, json: string, method: string, name?: string): void {
    this.inflight.add(proxyId);
    this.served++;
    const info: OutgoingInfo = name === undefined ? { method, id: proxyId } : { method, id: proxyId, name };
    this.transport.send(json, info);
  }

  /** Pass a message that needs no reply tracking (a notification, or a response to the server's request). */
  pass(json: string, method: string): void {
    this.transport.send(json, { method });
  }

  /** Answer a server's request with an error (e.g. no client to relay it to). */
  refuse(id: unknown, code: number, message: string): void {
    this.transport.send(encodeError(id, code, message), { method: 'response' });
  }

  /** Stop the process (stdio shutdown ladder over its process group). */
  async stop(waits: StopWaits = QUICK_STOP_WAITS): Promise<void> {
    if (this.state !== 'closed') this.state = 'draining';
    await this.proc?.stop(waits);
    await this.transport.close();
  }

  /** Kill at once (no ladder): an instance ejected for not answering. An upstream session is closed (DELETE). */
  kill(): void {
    if (this.proc) this.proc.killNow();
    else void this.transport.close();
  }

  private ready(info: WarmInfo): WarmInfo {
    this.warm = info;
    if (this.state === 'starting') this.state = 'ready';
    return info;
  }

  private ownRequest(method: string, params: object | undefined, timeoutMs: number): Promise<JsonRpcMessage | null> {
    const id = --ownIds;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.own.delete(id);
        resolve(null);
      }, timeoutMs);
      timer.unref();
      this.own.set(id, { resolve: (m) => { clearTimeout(timer); resolve(m); } });
      this.transport.send(encodeRequest(id, JSON.stringify(method), params === undefined ? undefined : JSON.stringify(params), undefined), { method, id });
    });
  }

  private onMessage(m: JsonRpcMessage, receivedAt: number, raw: string | undefined): void {
    this.lastHeardAt = receivedAt;
    const isResponse = m.method === undefined && m.id !== undefined && m.id !== null;
    if (isResponse && typeof m.id === 'number') {
      if (m.id < 0) {
        const own = this.own.get(m.id);
        if (own) {
          this.own.delete(m.id);
          own.resolve(m);
        }
        return;
      }
      if (this.inflight.delete(m.id)) this.events.response(this, m, raw);
      return;
    }
    if (isResponse) return; // an id the proxy never sent: nothing to route it to
    this.events.serverMessage(this, m, raw);
  }
}

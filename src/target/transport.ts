/**
 * The one interface between the JSON-RPC session and a wire (stdio pipes, Streamable HTTP,
 * legacy HTTP+SSE). Modelled on the SDK's Transport (src/shared/transport.ts), narrowed to what a
 * measuring client needs: messages go out already serialised, so the hot path stringifies once.
 */
import type { JsonRpcMessage } from './protocol.js';
import type { Hygiene } from './hygiene.js';

/** What the session knows about an outgoing message; HTTP transports turn it into headers. */
export interface OutgoingInfo {
  /** JSON-RPC method, for requests and notifications. */
  method: string;
  /** Request id, absent for notifications. */
  id?: number;
  /** Tool, prompt or resource name (2026-07-28 HTTP `Mcp-Name`). */
  name?: string;
}

/**
 * How another HTTP client joins a transport's session: load generators that send on their own
 * sockets (the autocannon path) POST to `url` with `headers`, and read each answer with
 * http/answer.ts.
 */
export interface HttpRequestTemplate {
  /** The MCP endpoint. */
  readonly url: URL;
  /** Headers a POST of this message carries now (session id, protocol version, Mcp-Method…): a credential, never print them. */
  headers(info: OutgoingInfo): Record<string, string>;
}

/** Why a transport closed. */
export interface CloseInfo {
  /** One sentence for the user. */
  reason: string;
  /** Set when a server process ended. */
  exit?: {
    /** The process's exit code, or null when a signal ended it. */
    code: number | null;
    /** The signal that ended it (e.g. 'SIGTERM'), or null when it exited by itself. */
    signal: string | null;
  };
}

/** Replies received, by how they were framed on HTTP (Streamable HTTP lets the server pick per response). */
export interface ReplyFormats {
  /** Responses with an application/json body. */
  json: number;
  /** Responses that came as text/event-stream (every legacy HTTP+SSE reply). */
  sse: number;
}

/** The transport a run used, as results record it. */
export interface TransportUsed {
  /** 'stdio', 'streamable-http' (Streamable HTTP, MCP 2025-03-26 and later) or 'sse' (the 2024-11-05 HTTP+SSE transport). */
  kind: 'stdio' | 'streamable-http' | 'sse';
  /** How replies came over HTTP: 'json' (application/json bodies), 'sse' (event streams), 'both'; null for stdio or none seen. */
  responses: 'json' | 'sse' | 'both' | null;
}

/** What `t` is and how its replies came so far. */
export function transportUsed(t: Transport): TransportUsed {
  if (t.wire === undefined) return { kind: 'stdio', responses: null };
  const f = t.replyFormats;
  const responses = !f || f.json + f.sse === 0 ? null : f.json && f.sse ? 'both' : f.json ? 'json' : 'sse';
  return { kind: t.wire, responses };
}

/** A wire to one server: stdio, Streamable HTTP or legacy HTTP+SSE; the session sends and receives through it. */
export interface Transport {
  /** Send one serialised JSON-RPC message (no trailing newline). May coalesce writes. */
  send(json: string, info: OutgoingInfo): void;
  /** Close the wire; resolves when the server side is released (process reaped, session deleted). */
  close(): Promise<void>;
  /** Called for every well-formed message, with performance.now() at its arrival. */
  onmessage?: (message: JsonRpcMessage, receivedAt: number) => void;
  /** Called once when the wire can no longer carry messages. */
  onclose?: (info: CloseInfo) => void;
  /** Framing and protocol problems seen on this wire. */
  readonly hygiene: Hygiene;
  /** Bytes queued for the server and not yet accepted by it (backpressure). */
  readonly pendingOutBytes: number;
  /** Protocol version to announce in transport headers, once negotiated (HTTP only). */
  protocolVersion?: string;
  /** HTTP only: which HTTP transport carries the messages (undefined for stdio). */
  readonly wire?: 'streamable-http' | 'sse';
  /** HTTP only: replies received so far, by framing. */
  readonly replyFormats?: ReplyFormats;
  /** HTTP only: connections opened and requests sent (keep-alive reuse), and sessions re-initialized after a 404. */
  readonly connectionStats?: {
    /** TCP (or TLS) connections opened; requestsSent / connectionsOpened is the keep-alive reuse. */
    connectionsOpened: number;
    /** HTTP requests sent, whatever their method (a request retried on a fresh socket counts twice). */
    requestsSent: number;
    /** Re-initializations after the server expired the session (HTTP 404): 0 or 1, always 0 on legacy HTTP+SSE. */
    sessionReinits: number;
  };
  /**
   * Streamable HTTP only: how another client can POST on this session, or null when the transport
   * fell back to legacy HTTP+SSE (replies come on its GET stream, not in a POST's answer).
   */
  httpRequestTemplate?(): HttpRequestTemplate | null;
  /**
   * Streamable HTTP, legacy era: also listen on the session's GET stream for what the server sends
   * outside a POST's stream (http/serverStream.ts). The proxy does, to relay it; stdio and legacy
   * HTTP+SSE get everything on their one stream anyway.
   */
  listen?(): void;
}

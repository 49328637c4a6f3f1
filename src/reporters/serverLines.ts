/**
 * Phrases both terminal reports use about the server's wire and process: the transport used and
 * where the resource figures come from (or why there are none). Pure; tolerant of results written
 * before these fields existed (they are then absent and nothing is said).
 */
import type { ServerProcessRef, TransportUsed } from '../result/header.js';

const KIND_TEXT: Record<TransportUsed['kind'], string> = {
  stdio: 'stdio',
  'streamable-http': 'Streamable HTTP',
  sse: 'legacy HTTP+SSE (2024-11-05)',
};

const RESPONSES_TEXT: Record<NonNullable<TransportUsed['responses']>, string> = {
  json: 'JSON responses',
  sse: 'SSE responses',
  both: 'JSON and SSE responses',
};

/** "Streamable HTTP (SSE responses)", "stdio"; null for an old result without the field. */
export function transportText(t: TransportUsed | undefined): string | null {
  if (!t) return null;
  const kind = KIND_TEXT[t.kind] ?? 'unknown transport';
  return t.responses && t.kind !== 'sse' ? `${kind} (${RESPONSES_TEXT[t.responses] ?? t.responses})` : kind;
}

const SOURCE_TEXT: Record<NonNullable<ServerProcessRef['source']>, string> = {
  launched: 'launched by mcp-opt',
  'listening-port': "listening on the URL's port",
  '--pid': 'given with --pid',
};

/** "pid 1234, listening on the URL's port"; the reason when none was measured; null for an old result. */
export function serverProcessText(p: ServerProcessRef | null | undefined): string | null {
  if (!p) return null;
  if (p.unavailableReason !== null) return `not measured: ${p.unavailableReason}`;
  const pids = p.pids.length === 1 ? `pid ${p.pids[0]}` : `pids ${p.pids.join(', ')}`;
  return `${pids}, ${p.source ? SOURCE_TEXT[p.source] ?? p.source : 'source unknown'}`;
}

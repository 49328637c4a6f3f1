/**
 * Findings: rules over a finished (or partial) analyze result. Each rule reads measured figures
 * only, and returns a finding with the evidence and a concrete change, or nothing. Thresholds are
 * the budgets in force (the user's, else the product's defaults) or named constants below.
 */
import type { AnalyzeResult, LookupSection, OperationLatency } from '../../result/analyzeResult.js';
import { ARGUMENT_REJECTED } from '../../result/errorSample.js';
import { SEVERITY_ORDER, type Finding } from '../../result/finding.js';
import { SDK_DEFAULT_REQUEST_TIMEOUT_MS } from '../../target/protocol.js';
import { thresholdOf, type ResolvedBudget } from '../../budgets/analyzeBudgets.js';
import { lookupCostUs } from '../../budgets/analyzeMetrics.js';
import { isDeferrable } from '../../profile/profileFindings.js';

/** Whole-list token estimate above which the list is "oversized" (every conversation pays it). */
export const TOOL_LIST_TOKENS_WARN = 10_000;
/** Package-runner overhead worth a finding, ms. */
export const RUNNER_OVERHEAD_WARN_MS = 100;
/** RSS growth over the latency phase worth a finding: both absolute (bytes) and relative to idle. */
export const RSS_GROWTH_WARN_BYTES = 20 * 1024 * 1024;
/** RSS growth over the latency phase worth a finding, relative to idle RSS (both this and RSS_GROWTH_WARN_BYTES must be exceeded). */
export const RSS_GROWTH_WARN_RATIO = 0.25;
/** Steady RSS growth per request that is treated as a leak (warning), bytes. */
export const RSS_LEAK_BYTES_PER_REQUEST = 48 * 1024;
/** stderr bytes per request worth a note. */
export const STDERR_PER_REQUEST_WARN_BYTES = 512;
/** Share of ready time spent before the handshake that marks start-up (imports, init) as the cause. */
const BEFORE_HANDSHAKE_SHARE = 0.7;

type Rule = (r: AnalyzeResult, budgets: readonly ResolvedBudget[]) => Finding | null;

const ms = (us: number): string => `${(us / 1000).toFixed(us < 10_000 ? 2 : 0)} ms`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The handshake request of the result's era: `initialize` (legacy) or `server/discover` (2026-07-28). */
const handshakeName = (r: AnalyzeResult): string => (r.server?.era === 'modern' ? 'server/discover' : 'initialize');

/**
 * Cold start over its budget, said for what was timed: over stdio a fresh process (spawn, loading,
 * then the handshake); over HTTP a fresh session against the running server (connect and the
 * handshake round trip), where nothing is spawned and no stdin is read.
 */
function coldStartFinding(r: AnalyzeResult, b: readonly ResolvedBudget[]): Finding | null {
  const cs = r.coldStart;
  const limit = thresholdOf(b, 'coldStart.ready.p50');
  if (!cs || limit === undefined || cs.stages.ready.p50 / 1000 <= limit) return null;
  const ready = cs.stages.ready.p50;
  const hs = cs.stages.handshake.p50;
  const early = hs / ready >= BEFORE_HANDSHAKE_SHARE;
  const hsName = handshakeName(r);
  if (cs.mode === 'session') {
    return {
      id: early ? 'slow-session-setup' : 'cold-start-slow', severity: 'warning', metric: 'coldStart.ready.p50',
      title: `A new HTTP session takes ${ms(ready)} (p50) to be ready, over ${limit} ms${early ? `, mostly answering ${hsName}` : ''}`,
      evidence: `Each cold-start run opened a fresh session on the already running server, so only session setup is timed: ` +
        `connect → ${hsName} answered p50 ${ms(hs)}, → first tools/list answered p50 ${ms(ready)}, p95 ${ms(cs.stages.ready.p95)} over ${cs.stages.ready.n} fresh sessions.`,
      recommendation: early
        ? `The time goes to setting up each session, before the server answers ${hsName}: do per-session work once at server start and share it ` +
          '(create the server and its tool registry once instead of in the per-session handler, reuse database and API clients, cache credential checks). ' +
          'A bridge that launches a stdio server for every new session (or every request, when stateless) pays that server\'s whole start-up here: keep one long-lived backend behind it, or connect clients to the server directly.'
        : `${hsName} is answered quickly but the first tools/list of each session is slow: build the tool list once at server start and share it across sessions instead of building it per session or per request.`,
    };
  }
  return {
    id: early ? 'slow-start-before-initialize' : 'cold-start-slow', severity: 'warning', metric: 'coldStart.ready.p50',
    title: `Cold start ${ms(ready)} (p50) exceeds ${limit} ms${early ? ', mostly before the server answers the handshake' : ''}`,
    evidence: `spawn → ${hsName} answered p50 ${ms(hs)}, → first tools/list answered p50 ${ms(ready)}, p95 ${ms(cs.stages.ready.p95)} over ${cs.stages.ready.n} fresh starts` +
      (cs.stages.firstByte ? `; first stdout byte p50 ${ms(cs.stages.firstByte.p50)}` : '') + '.' + importsEvidence(r),
    recommendation: (cs.runner && cs.runner.overheadMs * 1000 > ready / 2
      ? `Most of it is ${cs.runner.runner} itself (${cs.runner.overheadMs.toFixed(0)} ms, see package-runner-overhead): launch the server directly first. Then: `
      : '') + (early
      ? importsAdvice(r) + 'The time goes to loading and initialising before the server reads stdin: defer heavy imports to first use (dynamic import()), bundle the server into one file (esbuild/rollup) to cut module resolution, do no network or disk work before connecting the transport, and profile start-up (node --cpu-prof, python -X importtime).'
      : 'The handshake is quick but the first tools/list is slow: build the tool list once at start-up (or cache it) instead of on the first request.'),
  };
}

/** The heaviest imports of the profiled start (analyze --profile), as evidence; '' without one. */
function importsEvidence(r: AnalyzeResult): string {
  const st = r.profile?.startup;
  const top = heavyImports(r);
  if (!st || top.length === 0) return '';
  return ` The profiled start (${st.source}) spent ${st.importMs.toFixed(0)} ms of its ${st.readyMs.toFixed(0)} ms loading modules: ` +
    `${top.map((p) => `\`${p.name}\` ${p.ms.toFixed(0)} ms`).join(', ')}.`;
}

/** What to import lazily, named from the profiled start; '' without a profile. */
function importsAdvice(r: AnalyzeResult): string {
  const top = heavyImports(r).filter((p) => isDeferrable(p.name));
  return top.length ? `Import ${top.map((p) => `\`${p.name}\``).join(' and ')} lazily (await import() where first used), not at start-up. ` : '';
}

/** The start-up's costliest imports: at most three, each at least 5 % of the profiled start. */
function heavyImports(r: AnalyzeResult): Array<{ name: string; ms: number }> {
  return (r.profile?.startup?.packages ?? []).filter((p) => p.pct >= 5).slice(0, 3);
}

const rules: Rule[] = [
  (r) => {
    const h = r.hygiene;
    if (!h || h.nonJsonLines === 0) return null;
    const ex = h.excerpts['non-json-stdout']?.[0];
    return {
      id: 'stdout-pollution', severity: 'critical', metric: 'stdout.noise',
      title: `${h.nonJsonLines} non-JSON line(s) on stdout`,
      evidence: `stdout carried ${h.nonJsonLines} line(s) that are not JSON-RPC${ex ? `, e.g. "${ex}"` : ''}. stdout is the protocol channel (spec: servers MUST NOT write anything else there).`,
      recommendation: 'Send logs and banners to stderr (console.error in Node, print(..., file=sys.stderr) or logging in Python); keep stdout for JSON-RPC only. Clients that do not skip bad lines fail to connect.',
    };
  },
  (r) => {
    const n = r.hygiene?.violations['embedded-newlines'] ?? 0;
    if (!n) return null;
    return {
      id: 'embedded-newlines', severity: 'critical', metric: 'violations',
      title: `${n} message(s) printed across several lines`,
      evidence: `${n} JSON-RPC message(s) contained newlines (pretty-printed). mcp-opt reassembled them; SDK clients read one message per line and drop these, so requests time out.`,
      recommendation: 'Serialise each message on one line (JSON.stringify(message) without indentation, json.dumps without indent) followed by a single "\\n".',
    };
  },
  (r) => {
    const v = { ...(r.hygiene?.violations ?? {}) };
    delete v['non-json-stdout'];
    delete v['embedded-newlines'];
    const kinds = Object.entries(v).filter(([, n]) => n > 0);
    if (!kinds.length) return null;
    return {
      id: 'protocol-violations', severity: 'warning', metric: 'violations',
      title: 'Protocol violations on the wire',
      evidence: kinds.map(([k, n]) => `${k}: ${n}${r.hygiene!.excerpts[k]?.[0] ? ` (e.g. "${r.hygiene!.excerpts[k]![0]}")` : ''}`).join('; '),
      recommendation: 'Answer each request exactly once with its own id, send single JSON-RPC 2.0 objects (no batches since 2025-06-18), keep messages under 10 MiB (the SDK client limit), and write stdout as UTF-8 (invalid bytes reach clients as U+FFFD).',
    };
  },
  coldStartFinding,
  (r) => {
    const run = r.coldStart?.runner;
    if (!run || run.overheadMs <= RUNNER_OVERHEAD_WARN_MS) return null;
    return {
      id: 'package-runner-overhead', severity: 'warning', metric: 'runner.overhead',
      title: `${run.runner} adds ${run.overheadMs.toFixed(0)} ms to every start`,
      evidence: `Ready p50 through ${run.runner}: ${ms(r.coldStart!.stages.ready.p50)}; launched directly (${run.directDisplay}): ${ms(run.directReady.p50)}.`,
      recommendation: `Install the server once (a pinned local or global install) and point the client config at it directly (command: node, args: [path to its entry]) instead of running it through ${run.runner} on every start.`,
    };
  },
  (r) => {
    const t = r.tools;
    if (!t || t.tokens <= TOOL_LIST_TOKENS_WARN) return null;
    const top = t.largest.slice(0, 3).map((l) => `${l.name} (${l.bytes} B, ~${l.tokens} tokens)`).join(', ');
    return {
      id: 'tool-list-large', severity: 'warning', metric: 'tools.tokens',
      title: `Tool list costs ~${t.tokens} tokens (${t.count} tools, ${(t.bytes / 1024).toFixed(1)} KiB)`,
      evidence: `tools/list is ${t.bytes} bytes, ~${t.tokens} tokens by ${t.tokenizer.library} ${t.tokenizer.encoding}; largest: ${top}.`,
      recommendation: 'Every listed tool is sent to the model in every conversation: shorten descriptions and schemas of the largest tools, drop rarely used tools or move them to a separate server or toolset, and keep schemas minimal (no repeated $schema, long enums or examples).',
    };
  },
  (r) => {
    const l = r.lookup;
    if (!l || l.linear !== true || !l.positions) return null;
    const pts = l.positions.map((p) => `#${p.index} ${p.name}: ${ms(p.latency.p50)}`).join(', ');
    return {
      id: 'lookup-linear', severity: 'warning', metric: 'lookup',
      title: 'Tool lookup grows with list position (O(n) registry)',
      evidence: `Call latency rises ${(l.slopeUsPerPosition ?? 0).toFixed(2)} µs per list position (Spearman ${(l.positionCorrelation ?? 0).toFixed(2)}); p50 by position: ${pts}. ${missEvidence(l, r.tools?.count ?? null)}`,
      recommendation: 'Resolve tool names with a hash map built at registration (Map/dict keyed by the exact name); do not scan the list or normalise every entry per call.',
    };
  },
  (r, b) => {
    const l = r.lookup;
    const limit = thresholdOf(b, 'lookup');
    const cost = l ? lookupCostUs(l) : null;
    // lookupCostUs is 0 when the miss difference's interval includes 0: no finding on noise.
    if (!l || limit === undefined || cost === null || cost / 1000 <= limit) return null;
    const fromSlope = !l.registryUs || l.baselineScans === true;
    const rough = l.lowSample ? ` Only ${l.baseline?.latency.n ?? 0} + ${l.unknown?.latency.n ?? 0} samples: a rough figure.` : '';
    return {
      id: 'lookup-slow', severity: l.lowSample ? 'info' : 'warning', metric: 'lookup',
      title: `Tool lookup costs ${ms(cost)} (target ${limit} ms)${fromSlope ? ', estimated from list positions' : ''}`,
      evidence: (fromSlope
        ? `Slope ${(l.slopeUsPerPosition ?? 0).toFixed(2)} µs per list position × ${r.tools?.count ?? '?'} tools.`
        : `Median unknown-name call ${ms(l.unknown!.latency.p50)} vs baseline ${ms(l.baseline!.latency.p50)}; 95 % interval of the difference ${ms(l.registryUs!.low)} – ${ms(l.registryUs!.high)}.`) + rough,
      recommendation: 'Make name resolution a constant-time map lookup and move any per-call registry work (schema compilation, listing) to start-up.',
    };
  },
  (r, b) => {
    const limit = thresholdOf(b, 'latency.p95');
    const slow = (r.latency?.operations ?? []).filter((o) => o.sequential && limit !== undefined && o.sequential.p95 / 1000 > limit);
    if (!slow.length) return null;
    return {
      id: 'latency-p95', severity: 'warning', metric: 'latency.p95',
      title: `p95 latency above ${limit} ms for ${slow.length} operation(s)`,
      evidence: slow.map((o) => `${o.op}: p50 ${ms(o.sequential!.p50)}, p95 ${ms(o.sequential!.p95)}${o.lowSample ? ` (only ${o.sequential!.n} samples: rough)` : ''}`).join('; '),
      recommendation: 'Profile those handlers (node --cpu-prof / py-spy) for blocking work on the request path; move slow I/O off it or cache its results.',
    };
  },
  (r, b) => {
    const lat = r.latency;
    const limit = thresholdOf(b, 'errors');
    if (!lat || limit === undefined || lat.errorRatePct <= limit) return null;
    const serverErrors = (o: OperationLatency): Array<[string, number]> => Object.entries(o.errors).filter(([k]) => k !== ARGUMENT_REJECTED);
    const bad = lat.operations.filter((o) => serverErrors(o).length).map((o) => `${o.op}: ${serverErrors(o).map(([k, n]) => {
      const m = o.errorSamples?.[k]?.message;
      return `${k}×${n}${m ? ` (first: "${m}")` : ''}`;
    }).join(', ')}`);
    return {
      id: 'error-rate', severity: lat.errorRatePct >= 50 ? 'critical' : 'warning', metric: 'errors',
      title: `${lat.errorRatePct.toFixed(2)}% of requests failed`,
      evidence: bad.join('; '),
      recommendation: 'Look at those operations: JSON-RPC errors and isError results on valid requests usually mean a handler throws; if the arguments mcp-opt synthesised are not meaningful, name the tool with --call name=\'{...}\' and real arguments.',
    };
  },
  (r) => {
    const res = r.resources;
    if (!res || res.rssGrowthBytes === null || res.idleRssBytes === null || res.afterRssBytes === null) return null;
    if (res.rssGrowthBytes < RSS_GROWTH_WARN_BYTES || res.rssGrowthBytes < res.idleRssBytes * RSS_GROWTH_WARN_RATIO) return null;
    const perReq = res.rssBytesPerRequest ?? res.rssGrowthBytes / Math.max(1, res.requestsBetween);
    // A garbage-collected runtime grows its heap before it collects, so modest growth over a few
    // thousand requests is not yet a leak; steady growth of many KiB per request is.
    const steady = perReq >= RSS_LEAK_BYTES_PER_REQUEST;
    return {
      id: 'memory-growth', severity: steady ? 'warning' : 'info', metric: 'memory.growth',
      // The title's rate is end to end, so it has the growth's sign; the trend (which can fall after a step up) is in the evidence, labelled.
      title: `Memory grew ${mb(res.rssGrowthBytes)} over ${res.requestsBetween} requests (${(res.rssGrowthBytes / Math.max(1, res.requestsBetween) / 1024).toFixed(1)} KiB per request end to end)`,
      evidence: `Process-tree RSS ${mb(res.idleRssBytes)} before the latency phase, ${mb(res.afterRssBytes)} after it; least-squares trend ${Math.round(perReq)} bytes per request across the phase.`,
      recommendation: steady
        ? 'Look for per-request state that is never released: unbounded caches, listeners added per call, results kept in arrays. Compare heap snapshots before and after a burst (node --heapsnapshot-signal=SIGUSR2, tracemalloc in Python).'
        : 'This may be the runtime growing its heap before collecting rather than a leak: confirm with a longer run (watch RSS over minutes of load) before hunting for a leak.',
    };
  },
  (r) => {
    const h = r.hygiene;
    const runs = r.coldStart?.samples.length ?? 0;
    if (!h || h.signalledStops === 0) return null;
    return {
      id: 'no-exit-on-eof', severity: 'warning',
      title: 'The server does not exit when stdin closes',
      evidence: `In ${h.signalledStops} of ${runs} stops the server was still running 2 s after stdin closed and had to be signalled.`,
      recommendation: 'Exit when stdin ends (2026-07-28 stdio: servers SHOULD exit on EOF), e.g. process.stdin.on("end", () => process.exit(0)); otherwise clients wait, then kill it, and orphans pile up.',
    };
  },
  (r) => {
    const timeouts = (r.latency?.operations ?? []).filter((o) => (o.errors['timeout'] ?? 0) > 0);
    const overSdk = (r.latency?.operations ?? []).filter((o) => o.sequential && o.sequential.p999 / 1000 > SDK_DEFAULT_REQUEST_TIMEOUT_MS);
    // The SDK client also waits for initialize at most its default request timeout.
    const slowHandshake = r.coldStart && r.coldStart.stages.handshake.max / 1000 > SDK_DEFAULT_REQUEST_TIMEOUT_MS;
    if (!timeouts.length && !overSdk.length && !slowHandshake) return null;
    return {
      id: 'timeout-risk', severity: 'warning',
      title: 'Requests hit client timeouts',
      evidence: [
        timeouts.length ? `timed out at ${r.config.timeoutMs} ms: ${timeouts.map((o) => `${o.op} ×${o.errors['timeout']}`).join(', ')}` : '',
        overSdk.length ? `p99.9 above the SDK's default ${SDK_DEFAULT_REQUEST_TIMEOUT_MS} ms request timeout: ${overSdk.map((o) => o.op).join(', ')}` : '',
        slowHandshake ? `${r.coldStart!.mode === 'session' ? 'a new HTTP session' : 'a cold start'} took ${ms(r.coldStart!.stages.handshake.max)} to answer ${handshakeName(r)}, over the SDK client's ${SDK_DEFAULT_REQUEST_TIMEOUT_MS} ms limit` : '',
      ].filter(Boolean).join('; '),
      recommendation: 'Answer within the client timeout or report progress (notifications/progress) on long operations; clients give up and cancel, so the work is wasted.',
    };
  },
  (r) => {
    const res = r.resources;
    const reqs = (res?.requestsBetween ?? 0) + (r.coldStart?.samples.length ?? 0);
    if (!res || reqs === 0 || res.stderrBytes / reqs < STDERR_PER_REQUEST_WARN_BYTES) return null;
    return {
      id: 'stderr-heavy', severity: 'info',
      title: `Heavy stderr logging (${Math.round(res.stderrBytes / reqs)} bytes per request)`,
      evidence: `${res.stderrBytes} bytes in ${res.stderrLines} lines of stderr over the run.`,
      recommendation: 'Log per request only at debug level; formatting and writing logs costs CPU on every call.',
    };
  },
  (r) => {
    const ops = (r.latency?.operations ?? []).filter((o) => (o.errors[ARGUMENT_REJECTED] ?? 0) > 0);
    if (!ops.length) return null;
    const calls = ops.reduce((a, o) => a + o.errors[ARGUMENT_REJECTED]!, 0);
    // Not sampled (every retry rejected), or sampled without one success (arguments given with --call).
    const unsampled = ops.filter((o) => o.note !== null || !o.sequential?.n).length;
    const each = ops.slice(0, 4).map((o) => {
      const s = o.errorSamples?.[ARGUMENT_REJECTED];
      const ok = o.retries?.find((t) => t.class === null);
      return `${o.op}: ${s?.message ? `"${s.message}"` : 'rejected'}${s?.args ? ` for ${argsText(s.args)}` : ''}` +
        (ok ? `; accepted ${argsText(ok.args)} (${ok.why})` : o.retries?.length ? `; ${o.retries.length} other argument set(s) also rejected` : '');
    });
    return {
      id: 'arguments-rejected', severity: unsampled ? 'warning' : 'info',
      title: `The server rejected mcp-opt's arguments for ${ops.length} tool(s) (${calls} call(s); not counted as server errors)`,
      evidence: each.join('; ') + (ops.length > 4 ? `; … ${ops.length - 4} more` : '') +
        (unsampled ? `. ${unsampled} tool(s) could not be measured.` : '. Every one was sampled with the accepted arguments.'),
      recommendation: "Arguments mcp-opt synthesised from the schema did not fit what the tool accepts (invalid params, a path outside the allowed directories…). Name such a tool with --call name='{...}' and real arguments to measure it; say in the schema what is valid (enum, default, examples, pattern) so clients and models can too.",
    };
  },
  (r) => {
    const ops = (r.latency?.operations ?? []).filter((o) => o.errorLike);
    if (!ops.length) return null;
    const n = ops.reduce((a, o) => a + o.errorLike!.count, 0);
    return {
      id: 'error-text-results', severity: 'warning',
      title: `${n} successful result(s) read like errors (heuristic)`,
      evidence: ops.slice(0, 4).map((o) => `${o.op}: ${o.errorLike!.count} result(s), e.g. "${o.errorLike!.sample.message ?? ''}"`).join('; ') +
        '. Heuristic: the first text item starts with "Error", "Exception" or "Traceback", or is short and says "failed" or "exception"; these count as successes.',
      recommendation: 'Return a failed tool call as a result with isError: true (MCP tools/call): clients and models then see it failed, and latency figures are not those of a fast failure path.',
    };
  },
];

/** What the miss probe says about a linear registry (the lookup-linear finding's second sentence). */
function missEvidence(l: LookupSection, toolCount: number | null): string {
  const scan = l.scanEstimateUs != null ? `a full scan of ${toolCount ?? 'all'} tools costs ≈ ${ms(l.scanEstimateUs)} (slope × tool count)` : '';
  if (!l.registryUs) return `The unknown-name probe did not run (${l.notMeasured ?? 'not measured'}); from the slope, ${scan}.`;
  if (l.baselineScans) {
    return `An unknown name costs no more than the baseline (difference ${ms(l.registryUs.value)}, 95 % interval ${ms(l.registryUs.low)} – ${ms(l.registryUs.high)}): ` +
      `the baseline (${l.baseline?.request ?? 'baseline'}) is not lookup-free, the server scans its list for it too. From the slope, ${scan}.`;
  }
  return `An unknown name costs ${ms(l.registryUs.value)} more than the baseline (a full scan).`;
}

/** Arguments as short JSON for evidence. */
function argsText(a: Record<string, unknown>): string {
  const t = JSON.stringify(a);
  return t.length > 160 ? `${t.slice(0, 159)}…` : t;
}

/** Apply every rule; most severe first. */
export function computeFindings(result: AnalyzeResult, budgets: readonly ResolvedBudget[]): Finding[] {
  return [...rules.map((rule) => rule(result, budgets)).filter((f): f is Finding => f !== null), ...(result.profile?.findings ?? [])]
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/**
 * A workload tied to a server: the operations bench mixes, each with its JSON-RPC method and a
 * function from request number to serialised params. Tool rules are analyze's: a tool the user
 * names is called whatever its annotations; `auto` adds only tools annotated safe (safety.ts).
 */
import { UsageError } from '../errors.js';
import { METHODS, type Era, type Tool } from '../target/protocol.js';
import { selectCallableTools } from './safety.js';
import { synthesizeArgs, unsynthesisableReason } from './synthArgs.js';
import type { BenchMethod, WorkloadSpec } from './workloadSpec.js';

/** One kind of request in the mix. */
export interface Operation {
  /** Label in reports and budgets: 'ping', 'tools/list', 'discover' or 'tools/call:<name>'. Entries calling one tool share it. */
  op: string;
  /** JSON-RPC method: 'ping', 'tools/list', 'server/discover' or 'tools/call'. */
  method: string;
  /** Tool name for tools/call (the HTTP Mcp-Name header); undefined otherwise. */
  name?: string;
  /** Relative weight in the mix (positive). */
  weight: number;
  /**
   * Serialised params without `_meta` for request `seq` (0-based, global across the run), or
   * undefined when the method takes none. Static params are one precomputed string.
   */
  params(seq: number): string | undefined;
  /** Where the arguments came from: 'given', 'template' or 'synthesised from inputSchema…'; 'none' for methods. */
  argsSource: string;
}

/** Template seed when the spec has none (a workload file without `seed` and no --seed). */
export const DEFAULT_TEMPLATE_SEED = 0;
/** Tool names listed in an unknown-tool error at most. */
const MAX_LISTED_TOOLS = 30;

const METHOD_OF: Record<BenchMethod, string> = {
  ping: METHODS.ping,
  'tools/list': METHODS.toolsList,
  discover: METHODS.discover,
};

/**
 * Operations for `spec` on a server with `tools` (null when not listed yet: call names are then not
 * checked, and `auto` throws, since it needs the list). An empty spec means `ping` in the legacy era
 * and `tools/list` in the modern one, where 2026-07-28 removed ping. A safe tool of `auto` whose
 * arguments cannot be synthesised (a recursive schema) is left out, and `warn` says so.
 */
export function resolveWorkload(spec: WorkloadSpec, tools: readonly Tool[] | null, era: Era, warn: (message: string) => void = () => {}): Operation[] {
  const seed = spec.seed ?? DEFAULT_TEMPLATE_SEED;
  if (spec.entries.length === 0) return [methodOperation(era === 'modern' ? 'tools/list' : 'ping', 1)];
  const named = new Set(spec.entries.flatMap((e) => (e.kind === 'call' ? [e.name] : [])));
  const ops: Operation[] = [];
  for (const entry of spec.entries) {
    if (entry.kind === 'method') {
      if (entry.method === 'ping' && era === 'modern') {
        throw new UsageError(`${entry.origin}: the server speaks MCP 2026-07-28, which removed ping. Bench tools/list or discover, or a tool with --call.`);
      }
      ops.push(methodOperation(entry.method, entry.weight));
    } else if (entry.kind === 'call') {
      if (tools !== null && !tools.some((t) => t.name === entry.name)) {
        throw new UsageError(`${entry.origin}: the server has no tool "${entry.name}". ${listTools(tools)}`);
      }
      const params = entry.template.bind(seed, callPrefix(entry.name), '}');
      ops.push(callOperation(entry.name, entry.weight, params, entry.template.templated ? 'template' : 'given'));
    } else {
      if (tools === null) throw new Error('resolveWorkload: "auto" needs the tool list; list tools first');
      const { callable } = selectCallableTools([...tools], { named: [], noCalls: false });
      // A tool also named explicitly keeps only the user's arguments and weight.
      const synthesised = callable.filter((t) => !named.has(t.name)).map((tool) => ({ tool, synth: synthesizeArgs(tool.inputSchema) }));
      const unmade = synthesised.filter((s) => s.synth.unsatisfiable !== null);
      for (const { tool, synth } of unmade) {
        warn(`Tool "${tool.name}" skipped: ${unsynthesisableReason(synth)}. Name it with --call ${tool.name}='{...}' and arguments it accepts to bench it.`);
      }
      if (callable.length === unmade.length) {
        if (entry.orDefault) {
          ops.push(methodOperation(era === 'modern' ? 'tools/list' : 'ping', 1));
          continue;
        }
        throw new UsageError(callable.length === 0
          ? `${entry.origin}: no tool is annotated safe (readOnlyHint true, destructiveHint not true, openWorldHint false); name tools with --call.`
          : `${entry.origin}: no safe tool can be called: ${unmade.map((u) => `"${u.tool.name}" (${unsynthesisableReason(u.synth)})`).join(', ')}; name tools with --call and arguments they accept.`);
      }
      for (const { tool, synth } of synthesised) {
        if (synth.unsatisfiable !== null) continue;
        const source = synth.complete ? 'synthesised from inputSchema' : `synthesised from inputSchema (guessed: ${synth.notes.join('; ').slice(0, 200)})`;
        // Synthesised values are data, not templates: a schema default "{{x}}" must be sent as is.
        const text = `${callPrefix(tool.name)}${JSON.stringify(synth.args)}}`;
        ops.push(callOperation(tool.name, 1, () => text, source));
      }
    }
  }
  return ops;
}

function methodOperation(method: BenchMethod, weight: number): Operation {
  return { op: method, method: METHOD_OF[method], weight, params: () => undefined, argsSource: 'none' };
}

function callOperation(name: string, weight: number, params: (seq: number) => string, argsSource: string): Operation {
  return { op: `tools/call:${name}`, method: METHODS.toolsCall, name, weight, params, argsSource };
}

function callPrefix(name: string): string {
  return `{"name":${JSON.stringify(name)},"arguments":`;
}

function listTools(tools: readonly Tool[]): string {
  if (tools.length === 0) return 'It lists no tools.';
  const names = tools.slice(0, MAX_LISTED_TOOLS).map((t) => t.name).join(', ');
  const more = tools.length > MAX_LISTED_TOOLS ? ` and ${tools.length - MAX_LISTED_TOOLS} more` : '';
  return `Its tools: ${names}${more}. Tool names are case-sensitive.`;
}

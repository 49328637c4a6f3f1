import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { Tool } from '../../src/target/protocol.js';
import { resolveWorkload } from '../../src/workload/operations.js';
import { workloadFromFlags, type WorkloadSpec } from '../../src/workload/workloadSpec.js';

const SAFE = { readOnlyHint: true, openWorldHint: false };
const schema = (required: string[] = []): Tool['inputSchema'] => ({
  type: 'object',
  properties: Object.fromEntries(required.map((n) => [n, { type: 'string' }])),
  required,
});

/** Tools with every kind of annotation. */
const TOOLS: Tool[] = [
  { name: 'lookup', inputSchema: schema(['id']), annotations: SAFE },
  { name: 'delete', inputSchema: schema(['id']), annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false } },
  { name: 'fetch_url', inputSchema: schema(['url']), annotations: { readOnlyHint: true } },
  { name: 'plain', inputSchema: schema() },
  { name: 'contradict', inputSchema: schema(), annotations: { readOnlyHint: true, destructiveHint: true, openWorldHint: false } },
  { name: 'stringly', inputSchema: schema(), annotations: { readOnlyHint: 'true', openWorldHint: false } as unknown as Tool['annotations'] },
  { name: 'stats', inputSchema: schema(), annotations: { ...SAFE, destructiveHint: false } },
];

const flags = (calls: string[], method?: string, seed = 1): WorkloadSpec => workloadFromFlags({ method, calls, seed });

function errorOf(f: () => unknown): UsageError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    return err as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('resolveWorkload: methods and defaults', () => {
  it('defaults to ping in the legacy era and tools/list in the modern era (which has no ping)', () => {
    const [legacy] = resolveWorkload(flags([]), null, 'legacy');
    expect(legacy).toMatchObject({ op: 'ping', method: 'ping', weight: 1, argsSource: 'none' });
    expect(legacy?.params(0)).toBeUndefined();
    expect(resolveWorkload(flags([]), TOOLS, 'modern').map((o) => [o.op, o.method])).toEqual([['tools/list', 'tools/list']]);
  });

  it('maps discover to server/discover and keeps file weights', () => {
    const spec: WorkloadSpec = { seed: undefined, entries: [{ kind: 'method', method: 'discover', weight: 2.5, origin: 'f' }] };
    const ops = resolveWorkload(spec, null, 'modern');
    expect(ops.map((o) => ({ op: o.op, method: o.method, weight: o.weight, name: o.name, params: o.params(3) }))).toEqual([
      { op: 'discover', method: 'server/discover', weight: 2.5, name: undefined, params: undefined },
    ]);
  });

  it('refuses ping in the modern era, naming where it was asked for', () => {
    const err = errorOf(() => resolveWorkload(flags([], 'ping'), TOOLS, 'modern'));
    expect(err.message).toBe('--method ping: the server speaks MCP 2026-07-28, which removed ping. Bench tools/list or discover, or a tool with --call.');
    expect(resolveWorkload(flags([], 'ping'), TOOLS, 'legacy')[0]?.op).toBe('ping');
  });
});

describe('resolveWorkload: named calls', () => {
  it('calls a named tool whatever its annotations, with the given arguments as one static string', () => {
    const [op] = resolveWorkload(flags(['delete:2={"id":"x"}']), TOOLS, 'legacy');
    expect(op).toMatchObject({ op: 'tools/call:delete', method: 'tools/call', name: 'delete', weight: 2, argsSource: 'given' });
    const first = op!.params(0);
    expect(first).toBe('{"name":"delete","arguments":{"id":"x"}}');
    expect(op!.params(99)).toBe(first);
  });

  it('renders templated arguments per request from the spec seed', () => {
    const [a] = resolveWorkload(flags(['lookup={"id":"k-{{seq}}-{{randString 6}}"}'], undefined, 5), TOOLS, 'legacy');
    const [b] = resolveWorkload(flags(['lookup={"id":"k-{{seq}}-{{randString 6}}"}'], undefined, 5), TOOLS, 'legacy');
    const [c] = resolveWorkload(flags(['lookup={"id":"k-{{seq}}-{{randString 6}}"}'], undefined, 6), TOOLS, 'legacy');
    expect(a?.argsSource).toBe('template');
    const parsed = JSON.parse(a!.params(12)!) as { name: string; arguments: { id: string } };
    expect(parsed.name).toBe('lookup');
    expect(parsed.arguments.id).toMatch(/^k-12-[a-z0-9]{6}$/);
    expect(b!.params(12)).toBe(a!.params(12));
    expect(c!.params(12)).not.toBe(a!.params(12));
  });

  it('escapes an unusual tool name in params', () => {
    const [op] = resolveWorkload(flags(['we"ird']), null, 'legacy');
    expect(JSON.parse(op!.params(0)!)).toEqual({ name: 'we"ird', arguments: {} });
  });

  it('refuses a tool the server does not list, listing its tools; skips the check before listing', () => {
    const err = errorOf(() => resolveWorkload(flags(['Lookup']), TOOLS, 'legacy'));
    expect(err.message).toBe(`--call 'Lookup': the server has no tool "Lookup". Its tools: ${TOOLS.map((t) => t.name).join(', ')}. Tool names are case-sensitive.`);
    expect(resolveWorkload(flags(['Lookup']), null, 'legacy')[0]?.op).toBe('tools/call:Lookup');
    const many = Array.from({ length: 45 }, (_, i): Tool => ({ name: `t${i}`, inputSchema: schema() }));
    expect(errorOf(() => resolveWorkload(flags(['x']), many, 'legacy')).message).toContain('t29 and 15 more.');
    expect(errorOf(() => resolveWorkload(flags(['x']), [], 'legacy')).message).toContain('It lists no tools.');
  });
});

describe('resolveWorkload: auto', () => {
  it('expands to every tool annotated safe, equal weights, arguments synthesised from inputSchema', () => {
    const ops = resolveWorkload(flags(['auto']), TOOLS, 'legacy');
    expect(ops.map((o) => [o.op, o.weight, o.argsSource])).toEqual([
      ['tools/call:lookup', 1, 'synthesised from inputSchema'],
      ['tools/call:stats', 1, 'synthesised from inputSchema'],
    ]);
    expect(JSON.parse(ops[0]!.params(0)!)).toEqual({ name: 'lookup', arguments: { id: expect.any(String) } });
    expect(ops[0]!.params(1)).toBe(ops[0]!.params(0));
  });

  it('keeps the user\'s arguments and weight for a safe tool also named, and adds named unsafe tools', () => {
    const ops = resolveWorkload(flags(['auto', 'lookup:4={"id":"7"}', 'delete']), TOOLS, 'legacy');
    expect(ops.map((o) => [o.op, o.weight, o.argsSource])).toEqual([
      ['tools/call:stats', 1, 'synthesised from inputSchema'],
      ['tools/call:lookup', 4, 'given'],
      ['tools/call:delete', 1, 'given'],
    ]);
  });

  it('sends synthesised values as data, not templates', () => {
    const tool: Tool = { name: 'q', annotations: SAFE, inputSchema: { type: 'object', properties: { t: { type: 'string', default: '{{nope}}' } }, required: ['t'] } };
    const [op] = resolveWorkload(flags(['auto']), [tool], 'legacy');
    expect(op!.params(0)).toBe('{"name":"q","arguments":{"t":"{{nope}}"}}');
  });

  it('notes guesses in argsSource', () => {
    const tool: Tool = { name: 'g', annotations: SAFE, inputSchema: { type: 'object', properties: { x: false }, required: ['x'] } as unknown as Tool['inputSchema'] };
    expect(resolveWorkload(flags(['auto']), [tool], 'legacy')[0]?.argsSource).toMatch(/^synthesised from inputSchema \(guessed: \/x: /);
  });

  it("tune's default (auto, or the default method) sends ping when no tool is annotated safe, and tools/list in the modern era", () => {
    const unsafe = TOOLS.filter((t) => t.name !== 'lookup' && t.name !== 'stats');
    const spec = { seed: 1, entries: [{ kind: 'auto' as const, origin: 'default', orDefault: true }] };
    expect(resolveWorkload(spec, unsafe, 'legacy').map((o) => o.op)).toEqual(['ping']);
    expect(resolveWorkload(spec, unsafe, 'modern').map((o) => o.op)).toEqual(['tools/list']);
    expect(resolveWorkload(spec, TOOLS, 'legacy').map((o) => o.op)).toEqual(resolveWorkload(flags(['auto']), TOOLS, 'legacy').map((o) => o.op));
  });

  it('refuses auto when no tool is annotated safe', () => {
    const unsafe = TOOLS.filter((t) => t.name !== 'lookup' && t.name !== 'stats');
    const err = errorOf(() => resolveWorkload(flags(['auto']), unsafe, 'legacy'));
    expect(err.message).toContain("--call 'auto': no tool is annotated safe");
    expect(err.message).toContain('name tools with --call');
  });

  it('skips a safe tool whose schema requires itself twice, says so, and benches the rest', () => {
    const tree: Tool = { name: 'tree', inputSchema: { type: 'object', properties: { l: { $ref: '#' }, r: { $ref: '#' } }, required: ['l', 'r'] }, annotations: SAFE };
    const warnings: string[] = [];
    const ops = resolveWorkload(flags(['auto']), [tree, ...TOOLS], 'legacy', (m) => warnings.push(m));
    expect(ops.map((o) => o.op)).toEqual(['tools/call:lookup', 'tools/call:stats']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Tool "tree" skipped: arguments could not be synthesised: recursive schema/);
    // Only such tools: a usage error naming them (tune's default falls back to ping instead).
    const err = errorOf(() => resolveWorkload(flags(['auto']), [tree], 'legacy'));
    expect(err.message).toMatch(/no safe tool can be called: "tree" \(arguments could not be synthesised: recursive schema/);
    const spec = { seed: 1, entries: [{ kind: 'auto' as const, origin: 'default', orDefault: true }] };
    expect(resolveWorkload(spec, [tree], 'legacy').map((o) => o.op)).toEqual(['ping']);
  });

  it('needs the tool list (a programming error otherwise)', () => {
    expect(() => resolveWorkload(flags(['auto']), null, 'legacy')).toThrow(/needs the tool list/);
  });
});

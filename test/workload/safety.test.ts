import { describe, expect, it } from 'vitest';
import type { Tool } from '../../src/target/protocol.js';
import { SAFE_REASON, safetyOf, selectCallableTools } from '../../src/workload/safety.js';

const schema = { type: 'object' as const };

function tool(name: string, annotations?: Tool['annotations']): Tool {
  return annotations === undefined ? { name, inputSchema: schema } : { name, inputSchema: schema, annotations };
}

const HINT_VALUES = [undefined, true, false] as const;

describe('safetyOf', () => {
  it('treats a tool without annotations as unsafe (spec defaults: not read-only, open world)', () => {
    const verdict = safetyOf(tool('t'));
    expect(verdict.safe).toBe(false);
    expect(verdict.reason).toContain('not annotated readOnlyHint');
    expect(verdict.reason).toContain('openWorldHint not false (may reach the outside world)');
  });

  it('is safe for exactly readOnlyHint true, destructiveHint not true, openWorldHint false (all 27 combinations)', () => {
    const safeRows: string[] = [];
    for (const readOnlyHint of HINT_VALUES) {
      for (const destructiveHint of HINT_VALUES) {
        for (const openWorldHint of HINT_VALUES) {
          const annotations: Record<string, boolean> = {};
          if (readOnlyHint !== undefined) annotations.readOnlyHint = readOnlyHint;
          if (destructiveHint !== undefined) annotations.destructiveHint = destructiveHint;
          if (openWorldHint !== undefined) annotations.openWorldHint = openWorldHint;
          const verdict = safetyOf(tool('t', annotations));
          const row = `ro=${readOnlyHint} de=${destructiveHint} ow=${openWorldHint}`;
          if (verdict.safe) safeRows.push(row);
          expect(verdict.reason.length, row).toBeGreaterThan(0);
          if (readOnlyHint === undefined) expect(verdict.reason, row).toContain('not annotated readOnlyHint');
          if (readOnlyHint === false) expect(verdict.reason, row).toContain('readOnlyHint: false');
          if (destructiveHint === true) expect(verdict.reason, row).toContain('destructiveHint: true');
          if (openWorldHint !== false) expect(verdict.reason, row).toContain('openWorldHint not false');
        }
      }
    }
    expect(safeRows.sort()).toEqual(['ro=true de=false ow=false', 'ro=true de=undefined ow=false']);
  });

  it('gives a single, specific reason for each single failing hint', () => {
    expect(safetyOf(tool('t', { readOnlyHint: true, openWorldHint: false }))).toEqual({ safe: true, reason: SAFE_REASON });
    expect(safetyOf(tool('t', { readOnlyHint: true, destructiveHint: true, openWorldHint: false })).reason).toBe(
      'destructiveHint: true',
    );
    expect(safetyOf(tool('t', { readOnlyHint: true })).reason).toBe(
      'openWorldHint not false (may reach the outside world)',
    );
    expect(safetyOf(tool('t', { openWorldHint: false })).reason).toBe('not annotated readOnlyHint');
  });

  it('does not accept non-boolean hints from a hostile server', () => {
    const annotations = { readOnlyHint: 'true', openWorldHint: 0 } as unknown as Tool['annotations'];
    expect(safetyOf(tool('t', annotations)).safe).toBe(false);
    expect(safetyOf({ name: 't', inputSchema: schema, annotations: null } as unknown as Tool).safe).toBe(false);
  });
});

describe('selectCallableTools', () => {
  const readTool = tool('read', { readOnlyHint: true, openWorldHint: false });
  const deleteAll = tool('delete_all', { destructiveHint: true });
  const bare = tool('bare');
  const fetcher = tool('fetch', { readOnlyHint: true }); // read-only but open world
  const tools = [deleteAll, readTool, bare, fetcher];

  it('calls only safe tools when the user named none', () => {
    const sel = selectCallableTools(tools, { named: [], noCalls: false });
    expect(sel.callable.map((t) => t.name)).toEqual(['read']);
    expect(sel.skipped.map((s) => s.name)).toEqual(['delete_all', 'bare', 'fetch']);
    expect(sel.skipped.find((s) => s.name === 'fetch')?.reason).toContain('openWorldHint');
    expect(sel.unknownNamed).toEqual([]);
  });

  it('calls a named tool whatever its annotations', () => {
    const sel = selectCallableTools(tools, { named: ['delete_all', 'bare'], noCalls: false });
    expect(sel.callable.map((t) => t.name)).toEqual(['delete_all', 'read', 'bare']);
    expect(sel.skipped.map((s) => s.name)).toEqual(['fetch']);
  });

  it('calls nothing with noCalls, even named or safe tools', () => {
    const sel = selectCallableTools(tools, { named: ['delete_all'], noCalls: true });
    expect(sel.callable).toEqual([]);
    expect(sel.skipped).toHaveLength(4);
    expect(sel.skipped.every((s) => s.reason.includes('--no-calls'))).toBe(true);
  });

  it('reports named tools the server does not list, once each, in the user order', () => {
    const sel = selectCallableTools(tools, { named: ['zeta', 'read', 'alpha', 'zeta'], noCalls: false });
    expect(sel.unknownNamed).toEqual(['zeta', 'alpha']);
    expect(selectCallableTools(tools, { named: ['zeta'], noCalls: true }).unknownNamed).toEqual(['zeta']);
  });

  it('handles an empty tool list', () => {
    expect(selectCallableTools([], { named: [], noCalls: false })).toEqual({ callable: [], skipped: [], unknownNamed: [] });
  });
});

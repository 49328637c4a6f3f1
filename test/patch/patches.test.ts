import { describe, expect, it } from 'vitest';
import fastJsonPatch from 'fast-json-patch';
import { applyMergePatch, jsonPatchOf, mergePatchOf } from '../../src/patch/patches.js';
import type { ValueChange } from '../../src/patch/valueChange.js';

const { applyPatch } = fastJsonPatch;

const doc = { pool: { size: 4, timeoutMs: 1500 }, workers: [{ n: 'a', t: 2 }, { n: 'b', t: 2 }], keep: { x: 1 } };
const changes: ValueChange[] = [
  { pointer: '/pool/size', value: 8 },
  { pointer: '/workers/1/t', value: 4 },
  { pointer: '/limits/rate/perSecond', value: 10 },
  { pointer: '/keep/y', value: 'new' },
];
const expected = {
  pool: { size: 8, timeoutMs: 1500 },
  workers: [{ n: 'a', t: 2 }, { n: 'b', t: 4 }],
  keep: { x: 1, y: 'new' },
  limits: { rate: { perSecond: 10 } },
};

describe('jsonPatchOf', () => {
  it('replaces existing values and adds missing ones with their parents first', () => {
    expect(jsonPatchOf(doc, changes)).toEqual([
      { op: 'replace', path: '/pool/size', value: 8 },
      { op: 'replace', path: '/workers/1/t', value: 4 },
      { op: 'add', path: '/limits', value: {} },
      { op: 'add', path: '/limits/rate', value: {} },
      { op: 'add', path: '/limits/rate/perSecond', value: 10 },
      { op: 'add', path: '/keep/y', value: 'new' },
    ]);
  });

  it('applies cleanly with fast-json-patch (validating) to give the expected document', () => {
    const ops = jsonPatchOf(doc, changes);
    const { newDocument } = applyPatch(structuredClone(doc), ops as never, true);
    expect(newDocument).toEqual(expected);
  });
});

describe('mergePatchOf and applyMergePatch (RFC 7396)', () => {
  it('gives the same document as the JSON Patch, with whole arrays', () => {
    const patch = mergePatchOf(doc, changes);
    expect(patch).toEqual({ pool: { size: 8 }, workers: expected.workers, keep: { y: 'new' }, limits: { rate: { perSecond: 10 } } });
    expect(applyMergePatch(doc, patch)).toEqual(expected);
  });

  it('expresses a replaced object with nulls for removed keys', () => {
    const patch = mergePatchOf(doc, [{ pointer: '/pool', value: { size: 1 } }]);
    expect(patch).toEqual({ pool: { size: 1, timeoutMs: null } });
    expect(applyMergePatch(doc, patch)).toEqual({ ...doc, pool: { size: 1 } });
  });

  it('refuses null values, which a merge patch reads as delete', () => {
    expect(() => mergePatchOf(doc, [{ pointer: '/pool/size', value: null }])).toThrow('cannot set /pool/size to null');
    expect(() => mergePatchOf(doc, [{ pointer: '/pool', value: { a: null } }])).toThrow('cannot set /pool/a to null');
  });

  it('follows the RFC 7396 appendix examples', () => {
    expect(applyMergePatch({ a: 'b' }, { a: 'c' })).toEqual({ a: 'c' });
    expect(applyMergePatch({ a: 'b' }, { b: 'c' })).toEqual({ a: 'b', b: 'c' });
    expect(applyMergePatch({ a: 'b' }, { a: null })).toEqual({});
    expect(applyMergePatch({ a: [{ b: 'c' }] }, { a: [1] })).toEqual({ a: [1] });
    expect(applyMergePatch(['a', 'b'], { a: 'b' })).toEqual({ a: 'b' });
    expect(applyMergePatch({ a: 'foo' }, 'bar')).toBe('bar');
    expect(applyMergePatch({}, { a: { bb: { ccc: null } } })).toEqual({ a: { bb: {} } });
  });

  it('never assigns a prototype key', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}}');
    expect(() => applyMergePatch({}, patch)).toThrow('"__proto__" is not allowed');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { parseJsonc } from '../../src/util/jsonc.js';

describe('parseJsonc', () => {
  it('reads comments and trailing commas into plain data', () => {
    expect(parseJsonc('{ // c\n "a": [1, 2,], "b": {"c": null}, }', 'error')).toEqual({ value: { a: [1, 2], b: { c: null } } });
  });

  it('refuses __proto__ instead of handing its value over as the prototype', () => {
    const r = parseJsonc('{"x": {"__proto__": {"command": "evil"}}}', 'last');
    expect(r).toEqual({ issue: { kind: 'forbidden-key', key: '__proto__', line: 1, column: 8, detail: 'not allowed' } });
    expect(({} as Record<string, unknown>)['command']).toBeUndefined();
  });

  it('refuses constructor and prototype keys too', () => {
    expect(parseJsonc('{"constructor": 1}', 'last')).toMatchObject({ issue: { kind: 'forbidden-key', key: 'constructor' } });
    expect(parseJsonc('{"a": {"prototype": 1}}', 'last')).toMatchObject({ issue: { kind: 'forbidden-key', key: 'prototype' } });
  });

  it('duplicate keys: an error on request, else the last wins as with JSON.parse', () => {
    expect(parseJsonc('{"a": 1,\n "a": 2}', 'error')).toEqual({ issue: { kind: 'duplicate-key', key: 'a', line: 2, column: 2, detail: 'appears twice' } });
    expect(parseJsonc('{"a": 1, "a": 2}', 'last')).toEqual({ value: { a: 2 } });
  });

  it('syntax errors come with line and column', () => {
    expect(parseJsonc('{\n  "a": 1\n  "b": 2\n}', 'error')).toMatchObject({ issue: { kind: 'syntax', line: 3, column: 3 } });
    expect(parseJsonc('', 'error')).toMatchObject({ issue: { kind: 'syntax' } });
  });
});

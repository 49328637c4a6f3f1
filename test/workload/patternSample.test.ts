import { describe, expect, it } from 'vitest';
import { compilePattern, sampleForPattern } from '../../src/workload/patternSample.js';
import { resolveLocalRef } from '../../src/workload/flattenSchema.js';

describe('sampleForPattern', () => {
  const matching = [
    '^[A-Z]{3}-\\d{4}$',
    '^[a-z0-9]+(?:-[a-z0-9]+)*$',
    '^(red|green|blue)$',
    '^\\+?[1-9]\\d{1,14}$',
    '^v\\d+\\.\\d+\\.\\d+$',
    '^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$',
    '^(?<year>\\d{4})-(?<month>0[1-9]|1[0-2])$',
    '^\\p{Lu}\\w*$',
    '^(?!admin)[a-z]+$',
    '^#[0-9a-fA-F]{6}$',
  ];
  for (const pattern of matching) {
    it(`builds a string matching ${pattern}`, () => {
      const sample = sampleForPattern(pattern);
      expect(sample).toBeDefined();
      expect(compilePattern(pattern)!.test(sample!)).toBe(true);
    });
  }

  it('gives up (undefined) instead of throwing on patterns beyond it', () => {
    for (const pattern of ['(', '[a-', '*a', '\\', 'a{99999999}'.repeat(3), 'x'.repeat(3000)]) {
      expect(() => sampleForPattern(pattern)).not.toThrow();
    }
    expect(sampleForPattern('x'.repeat(3000))).toBeUndefined();
    expect(sampleForPattern('a{99999}')).toBeUndefined();
  });

  it('compiles without the u flag when only the legacy syntax parses', () => {
    expect(compilePattern('\\-')?.flags).toBe('');
    expect(compilePattern('[a-z]')?.flags).toBe('u');
    expect(compilePattern('(')).toBeUndefined();
  });
});

describe('resolveLocalRef', () => {
  const root = { $defs: { 'a/b': { type: 'string' }, 'x~y': { type: 'integer' }, list: [{ type: 'boolean' }] } };
  it('follows JSON Pointer escapes, percent-encoding and array indexes', () => {
    expect(resolveLocalRef('#/$defs/a~1b', root)).toEqual({ type: 'string' });
    expect(resolveLocalRef('#/$defs/x~0y', root)).toEqual({ type: 'integer' });
    expect(resolveLocalRef('#/%24defs/list/0', root)).toEqual({ type: 'boolean' });
    expect(resolveLocalRef('#', root)).toBe(root);
  });
  it('returns undefined for remote, anchor, missing and inherited targets', () => {
    expect(resolveLocalRef('other.json#/a', root)).toBeUndefined();
    expect(resolveLocalRef('#anchor', root)).toBeUndefined();
    expect(resolveLocalRef('#/$defs/none', root)).toBeUndefined();
    expect(resolveLocalRef('#/constructor', root)).toBeUndefined();
    expect(resolveLocalRef('#/%E0%A4%A', root)).toBeUndefined();
    expect(resolveLocalRef(42, root)).toBeUndefined();
  });
});

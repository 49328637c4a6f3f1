import { describe, expect, it } from 'vitest';
import { formatPointer, getAtPointer, parsePointer } from '../../src/patch/jsonPointer.js';
import { UsageError } from '../../src/errors.js';

describe('JSON Pointer (RFC 6901)', () => {
  it('parses the whole document, plain tokens and escapes (~1 before ~0)', () => {
    expect(parsePointer('', 'x')).toEqual([]);
    expect(parsePointer('/a/b', 'x')).toEqual(['a', 'b']);
    expect(parsePointer('/a~1b/m~0n/~01', 'x')).toEqual(['a/b', 'm~n', '~1']);
    expect(parsePointer('/', 'x')).toEqual(['']);
  });

  it('round-trips through formatPointer', () => {
    for (const tokens of [[], ['a/b', 'm~n'], ['', '0'], ['~1']]) expect(parsePointer(formatPointer(tokens), 'x')).toEqual(tokens);
  });

  it('refuses a pointer without a leading slash or with a bad escape, naming where', () => {
    expect(() => parsePointer('a/b', '--knob file:x')).toThrow(UsageError);
    expect(() => parsePointer('a/b', '--knob file:x')).toThrow('--knob file:x: "a/b" is not a JSON Pointer');
    expect(() => parsePointer('/a~2', 'cfg')).toThrow('has a "~" not followed by 0 or 1');
  });

  it('finds values in objects and arrays, and reports the first missing prefix', () => {
    const doc = { a: { b: [10, { c: null }] }, 'x/y': 1 };
    expect(getAtPointer(doc, ['a', 'b', '1', 'c'])).toEqual({ found: true, value: null });
    expect(getAtPointer(doc, ['x/y'])).toEqual({ found: true, value: 1 });
    expect(getAtPointer(doc, ['a', 'q', 'r'])).toEqual({ found: false, missingAt: '/a/q' });
    expect(getAtPointer(doc, ['a', 'b', '2'])).toEqual({ found: false, missingAt: '/a/b/2' });
    expect(getAtPointer(doc, ['a', 'b', '01'])).toEqual({ found: false, missingAt: '/a/b/01' });
    expect(getAtPointer(doc, ['a', 'b', '0', 'z'])).toEqual({ found: false, missingAt: '/a/b/0/z' });
  });

  it('does not find inherited properties such as constructor', () => {
    expect(getAtPointer({}, ['constructor'])).toEqual({ found: false, missingAt: '/constructor' });
  });
});

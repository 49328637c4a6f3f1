/**
 * Tool names at the proxy: suggestions for an unknown tool (typos, swaps, re-cased and reordered
 * names, hostile lengths), the message that names them, and the allow/deny filter with globs.
 */
import { describe, expect, it } from 'vitest';
import { makeToolFilter, suggestTools, unknownToolMessage, validateToolPattern } from '../../src/util/toolNames.js';

const TOOLS = ['search_docs', 'get_docs', 'search_issues', 'list_files', 'read_file', 'create_issue'];

describe('suggestTools', () => {
  it('a typo (serch_docs) suggests search_docs first', () => {
    expect(suggestTools('serch_docs', TOOLS)[0]).toBe('search_docs');
  });

  it('a transposition (saerch_docs) suggests search_docs first', () => {
    expect(suggestTools('saerch_docs', TOOLS)[0]).toBe('search_docs');
  });

  it('camelCase for snake_case (searchDocs) suggests search_docs first', () => {
    expect(suggestTools('searchDocs', TOOLS)[0]).toBe('search_docs');
  });

  it('reordered tokens (docs_search) suggest search_docs first', () => {
    expect(suggestTools('docs_search', TOOLS)[0]).toBe('search_docs');
  });

  it('a case-insensitive exact match (Search_Docs) comes first', () => {
    expect(suggestTools('Search_Docs', [...TOOLS, 'search_doc'])[0]).toBe('search_docs');
  });

  it('nothing close (zzz among unrelated names) suggests nothing', () => {
    expect(suggestTools('zzz', ['search_docs', 'list_files', 'get_weather', 'create_issue', 'read_file'])).toEqual([]);
  });

  it('a short name is not "close" to one it would have to rewrite entirely', () => {
    expect(suggestTools('ab', ['xy', 'cd'])).toEqual([]);
  });

  it('returns at most max names, best first, and none for max 0', () => {
    const known = ['get_a1', 'get_a2', 'get_a3', 'get_a4', 'get_a5'];
    expect(suggestTools('get_a', known)).toHaveLength(3);
    expect(suggestTools('get_a', known, 2)).toEqual(['get_a1', 'get_a2']);
    expect(suggestTools('get_a', known, 0)).toEqual([]);
  });

  it('breaks ties by name and lists a name given twice once', () => {
    expect(suggestTools('get_x', ['get_b', 'get_a', 'get_a'])).toEqual(['get_a', 'get_b']);
  });

  it('finds the right name among 1,000 generated ones', () => {
    const known = Array.from({ length: 1000 }, (_, i) => `tool_${i.toString(36)}_${['fetch', 'store', 'list', 'drop'][i % 4]}`);
    known.push('search_documents');
    expect(suggestTools('serch_documents', known)[0]).toBe('search_documents');
    expect(suggestTools('tool_q0_fetch', known)[0]).toBe('tool_q0_fetch');
  });

  it('a 100,000-character name does not throw and returns an array', () => {
    const huge = 'search_docs'.repeat(10_000).slice(0, 100_000);
    const known = [...TOOLS, ...Array.from({ length: 1000 }, (_, i) => `search_docs_${i}`), 'x'.repeat(100_000)];
    expect(Array.isArray(suggestTools(huge, known))).toBe(true);
  });
});

describe('unknownToolMessage', () => {
  it('without suggestions names only the tool', () => {
    expect(unknownToolMessage('zzz', [])).toBe('Unknown tool: zzz');
  });

  it('with one, two and three suggestions lists them in backticks', () => {
    expect(unknownToolMessage('serch_docs', ['search_docs'])).toBe('Unknown tool: serch_docs. Did you mean `search_docs`?');
    expect(unknownToolMessage('x', ['a', 'b'])).toBe('Unknown tool: x. Did you mean `a` or `b`?');
    expect(unknownToolMessage('x', ['a', 'b', 'c'])).toBe('Unknown tool: x. Did you mean `a`, `b` or `c`?');
  });

  it('quotes at most 200 characters of the name', () => {
    expect(unknownToolMessage('y'.repeat(100_000), [])).toBe(`Unknown tool: ${'y'.repeat(200)}`);
  });
});

describe('makeToolFilter', () => {
  it('with no lists passes everything', () => {
    const pass = makeToolFilter(undefined, undefined);
    expect(['a', '', 'get_docs', 'x'.repeat(1000)].every(pass)).toBe(true);
  });

  it('an allow list passes only what it names', () => {
    const pass = makeToolFilter(['search_docs', 'get_docs'], undefined);
    expect(pass('search_docs')).toBe(true);
    expect(pass('get_docs')).toBe(true);
    expect(pass('list_files')).toBe(false);
    expect(pass('Search_Docs')).toBe(false);
  });

  it('an empty allow list passes nothing', () => {
    expect(makeToolFilter([], undefined)('get_docs')).toBe(false);
  });

  it('a deny list stops only what it names', () => {
    const pass = makeToolFilter(undefined, ['delete_file']);
    expect(pass('delete_file')).toBe(false);
    expect(pass('read_file')).toBe(true);
  });

  it('with both, deny wins over allow', () => {
    const pass = makeToolFilter(['get_*'], ['get_secret']);
    expect(pass('get_docs')).toBe(true);
    expect(pass('get_secret')).toBe(false);
    expect(pass('list_files')).toBe(false);
  });

  it('* matches any run of characters, against the whole name', () => {
    const pass = makeToolFilter(['get_*'], undefined);
    expect(pass('get_')).toBe(true);
    expect(pass('get_docs')).toBe(true);
    expect(pass('forget_docs')).toBe(false);
    expect(pass('GET_docs')).toBe(false);
    expect(makeToolFilter(['*_docs'], undefined)('search_docs')).toBe(true);
    expect(makeToolFilter(['a*b*c'], undefined)('aXbYbZc')).toBe(true);
    expect(makeToolFilter(['a*b*c'], undefined)('aXbYbZ')).toBe(false);
  });

  it('? matches exactly one character (one code point)', () => {
    const pass = makeToolFilter(['tool_?'], undefined);
    expect(pass('tool_a')).toBe(true);
    expect(pass('tool_😀')).toBe(true);
    expect(pass('tool_')).toBe(false);
    expect(pass('tool_ab')).toBe(false);
  });

  it('regex metacharacters in patterns are literal (a.b does not match axb)', () => {
    expect(makeToolFilter(['a.b'], undefined)('axb')).toBe(false);
    expect(makeToolFilter(['a.b'], undefined)('a.b')).toBe(true);
    expect(makeToolFilter(['a.b*'], undefined)('axbc')).toBe(false);
    expect(makeToolFilter(['(x)+[y]*'], undefined)('(x)+[y]z')).toBe(true);
    expect(makeToolFilter(['^x$|y*'], undefined)('y')).toBe(false);
  });

  it('a glob with several stars against a 100,000-character name returns', () => {
    const pass = makeToolFilter(['*a*a*a*b'], undefined);
    expect(pass('a'.repeat(100_000))).toBe(false);
  });
});

describe('validateToolPattern', () => {
  it('accepts names and globs', () => {
    expect(validateToolPattern('search_docs')).toBeNull();
    expect(validateToolPattern('get_*')).toBeNull();
    expect(validateToolPattern('x'.repeat(200))).toBeNull();
  });

  it('rejects an empty pattern, one over 200 characters, and one with a control character', () => {
    expect(validateToolPattern('')).toMatch(/empty/);
    expect(validateToolPattern('x'.repeat(201))).toMatch(/201 characters.*at most 200/);
    expect(validateToolPattern('get\ndocs')).toMatch(/control character \(U\+000A\) at position 4/);
    expect(validateToolPattern('a\u007f')).toMatch(/U\+007F/);
  });
});

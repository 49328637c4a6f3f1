import { describe, expect, it } from 'vitest';
import { allowedDirs, betterArgs, resolvedParents } from '../../src/workload/betterArgs.js';

describe('allowedDirs', () => {
  it('reads server-filesystem\'s wording, one or several directories', () => {
    expect(allowedDirs('Access denied - path outside allowed directories: /tmp/x not in /home/u/allowed')).toEqual(['/home/u/allowed']);
    expect(allowedDirs('Access denied - path outside allowed directories: /x not in /a, /b/c')).toEqual(['/a', '/b/c']);
  });

  it('reads "allowed directories: …" without "not in"', () => {
    expect(allowedDirs('Path must be inside the allowed directories: [/srv/data]')).toEqual(['/srv/data']);
  });

  it('finds nothing in a text that names no absolute directory', () => {
    expect(allowedDirs('Invalid params: unknown code "mcp-opt"')).toEqual([]);
    expect(allowedDirs('not in the list')).toEqual([]);
  });
});

describe('betterArgs', () => {
  const pathSchema = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };

  it('puts the directory the server named into the path argument', () => {
    const c = betterArgs(pathSchema, { path: 'mcp-opt' }, 'Access denied - path outside allowed directories: /w/mcp-opt not in /tmp/ok');
    expect(c[0]).toEqual({ args: { path: '/tmp/ok' }, why: 'a path inside the directory the server named' });
  });

  it('changes only path-like arguments when there are some', () => {
    const schema = { type: 'object', properties: { path: { type: 'string' }, query: { type: 'string' } } };
    const c = betterArgs(schema, { path: 'mcp-opt', query: 'mcp-opt' }, 'not in /tmp/ok');
    expect(c[0]!.args).toEqual({ path: '/tmp/ok', query: 'mcp-opt' });
  });

  it('prefers path-named arguments over others the error happens to quote, and fills string arrays with the directory', () => {
    const schema = { type: 'object', properties: { path: { type: 'string' }, pattern: { type: 'string' } } };
    // The error quotes ".../mcp-opt", which contains the pattern's value too.
    expect(betterArgs(schema, { path: 'mcp-opt', pattern: 'mcp-opt' }, '/w/mcp-opt not in /tmp/ok')[0]!.args).toEqual({ path: '/tmp/ok', pattern: 'mcp-opt' });
    expect(betterArgs({}, { paths: ['mcp-opt'] }, '/w/mcp-opt not in /tmp/ok')[0]!.args).toEqual({ paths: ['/tmp/ok'] });
    // No path-named argument: the one the error quotes.
    expect(betterArgs({}, { target: 'mcp-opt', mode: 'x' }, '/w/mcp-opt not in /tmp/ok')[0]!.args).toEqual({ target: '/tmp/ok', mode: 'x' });
  });

  it('fills optional properties the schema gives a value for, then tries the next enum or example value', () => {
    const schema = {
      type: 'object',
      properties: {
        unit: { type: 'string', enum: ['ms', 's'] },
        region: { type: 'string', examples: ['eu', 'us'] },
        mode: { type: 'string', default: 'fast' },
        free: { type: 'string' },
      },
      required: ['unit'],
    };
    const c = betterArgs(schema, { unit: 'ms' }, 'Invalid params');
    expect(c).toEqual([
      { args: { unit: 'ms', region: 'eu', mode: 'fast' }, why: 'optional arguments filled from the schema (const, default, enum, examples)' },
      { args: { unit: 's' }, why: 'another value the schema lists for unit' },
    ]);
  });

  it('offers nothing when neither the schema nor the error gives anything to go on', () => {
    expect(betterArgs({ type: 'object', properties: { code: { type: 'string' } }, required: ['code'] }, { code: 'mcp-opt' }, 'Invalid params: unknown code')).toEqual([]);
    expect(betterArgs(undefined, {}, 'Invalid params')).toEqual([]);
  });
});

describe('resolvedParents', () => {
  it('reads the directory a relative path was resolved in from a "does not exist" error (server-filesystem 2025)', () => {
    const text = "ENOENT: no such file or directory, scandir '/home/u/allowed/mcp-opt'";
    expect(resolvedParents(text, { path: 'mcp-opt' })).toEqual(['/home/u/allowed']);
    expect(resolvedParents("Error: ENOENT: no such file or directory, open '/srv/data/sub/x.txt'", { path: './sub/x.txt' })).toEqual(['/srv/data']);
  });

  it('finds nothing when the quoted path does not end with what was sent, or the error is not about existence', () => {
    expect(resolvedParents("ENOENT: no such file or directory, open '/etc/other'", { path: 'mcp-opt' })).toEqual([]);
    expect(resolvedParents("EACCES: permission denied, open '/home/u/allowed/mcp-opt'", { path: 'mcp-opt' })).toEqual([]);
    expect(resolvedParents("ENOENT: no such file or directory, open '/abs/mcp-opt'", { path: '/abs/mcp-opt' })).toEqual([]);
  });

  it('betterArgs tries that directory first when the error names no allowed directory', () => {
    const schema = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
    const c = betterArgs(schema, { path: 'mcp-opt' }, "ENOENT: no such file or directory, scandir '/home/u/allowed/mcp-opt'");
    expect(c[0]).toEqual({ args: { path: '/home/u/allowed' }, why: 'the directory the server resolved the path in' });
  });
});

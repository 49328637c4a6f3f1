import { describe, expect, it } from 'vitest';
import { setEntryArgv } from '../../src/patch/entryArgvText.js';

const at = ['mcpServers', 's'];
const set = (text: string, argv: string[]): string => setEntryArgv(text, 'jsonc', at, argv, 'c.json');

describe('setEntryArgv (JSON): the shortest edit of command and args', () => {
  it('inserts before the first kept item, on its line; deletes exactly that run again', () => {
    const text = '{ "mcpServers": { "s": { "command": "node", "args": ["a.js", "--x"] } } }';
    const wrapped = set(text, ['/n', 'w', 'proxy', '--', 'node', 'a.js', '--x']);
    expect(wrapped).toBe('{ "mcpServers": { "s": { "command": "/n", "args": ["w", "proxy", "--", "node", "a.js", "--x"] } } }');
    expect(set(wrapped, ['node', 'a.js', '--x'])).toBe(text);
  });

  it('keeps comments and a trailing comma inside the array, and the item after a line break on its own line', () => {
    const text = '{ "mcpServers": { "s": {\n  "command": "node",\n  "args": [\n    // the server\n    "a.js",\n    "--x", // flag\n  ],\n} } }';
    expect(set(text, ['node', 'b', 'a.js', '--x'])).toBe(text.replace('    "a.js"', '    "b",\n    "a.js"'));
    expect(set(text, ['node', 'a.js', '--x', '--y'])).toBe(text.replace('"--x",', '"--x",\n    "--y",'));
    expect(set(text, ['node', 'a.js'])).toBe(text.replace('"a.js",\n    "--x",', '"a.js",'));
  });

  it('fills an empty array in place, replaces every item when none is kept, and adds a missing args key', () => {
    expect(set('{"mcpServers":{"s":{"command":"x","args":[]}}}', ['x', 'a', 'b'])).toBe('{"mcpServers":{"s":{"command":"x","args":["a", "b"]}}}');
    expect(set('{"mcpServers":{"s":{"command":"x","args":["a","b"]}}}', ['x', 'c', 'd'])).toBe('{"mcpServers":{"s":{"command":"x","args":["c", "d"]}}}');
    expect(set('{"mcpServers":{"s":{"command":"x","args":["a", "b", "c"]}}}', ['x', 'a'])).toBe('{"mcpServers":{"s":{"command":"x","args":["a"]}}}');
    expect(JSON.parse(set('{"mcpServers":{"s":{"command":"x"}}}', ['y', 'a']))).toEqual({ mcpServers: { s: { command: 'y', args: ['a'] } } });
  });

  it('keeps a byte-order mark', () => {
    const out = set('\uFEFF{"mcpServers":{"s":{"command":"x","args":["a"]}}}', ['x', 'a', 'b']);
    expect(out).toBe('\uFEFF{"mcpServers":{"s":{"command":"x","args":["a", "b"]}}}');
  });
});

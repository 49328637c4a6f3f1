import { describe, expect, it } from 'vitest';
import { editMcpClientEntry, findServerEntry } from '../../src/patch/mcpClientEntry.js';
import { setArg } from '../../src/patch/argsEdit.js';

describe('setArg', () => {
  it('replaces flag=value, else the word after the flag, else appends flag=value', () => {
    expect(setArg(['--a=1', 'x'], '--a', '2')).toEqual(['--a=2', 'x']);
    expect(setArg(['--a', '1', 'x'], '--a', '2')).toEqual(['--a', '2', 'x']);
    expect(setArg(['x'], '--a', '2')).toEqual(['x', '--a=2']);
    expect(setArg(['x', '--a'], '--a', '2')).toEqual(['x', '--a', '--a=2']);
  });

  it('does not change its input', () => {
    const args = ['--a', '1'];
    setArg(args, '--a', '2');
    expect(args).toEqual(['--a', '1']);
  });
});

describe('findServerEntry', () => {
  it('uses the only entry when no name is given, under mcpServers or servers', () => {
    expect(findServerEntry({ mcpServers: { s: {} } }, undefined, 'c.json')).toEqual({ containerKey: 'mcpServers', name: 's' });
    expect(findServerEntry({ servers: { v: {} } }, undefined, 'c.json')).toEqual({ containerKey: 'servers', name: 'v' });
  });

  it('asks for --server NAME listing the names when there are several', () => {
    expect(() => findServerEntry({ mcpServers: { a: {}, b: {} } }, undefined, 'c.json')).toThrow(
      'c.json: 2 servers (a, b) under "mcpServers"; pass --server NAME to choose one',
    );
    expect(() => findServerEntry({ mcpServers: { a: {} } }, 'z', 'c.json')).toThrow('no server "z" under "mcpServers"; servers there: a');
    expect(() => findServerEntry({ other: 1 }, undefined, 'c.json')).toThrow('is this an MCP client config?');
  });
});

describe('editMcpClientEntry', () => {
  it('creates env and args when absent, in a VS Code servers config', () => {
    const text = '{\n\t"servers": {\n\t\t"s": {\n\t\t\t"command": "node"\n\t\t}\n\t}\n}\n';
    const out = editMcpClientEntry(text, 'jsonc', undefined, { env: { A: '1' }, args: [{ flag: '--w', value: '2' }] }, 'c.json');
    expect(JSON.parse(out)).toEqual({ servers: { s: { command: 'node', env: { A: '1' }, args: ['--w=2'] } } });
    expect(out).toContain('\t\t\t"env": {\n\t\t\t\t"A": "1"\n\t\t\t}');
  });

  it('edits a YAML client config keeping its comments', () => {
    const text = '# mine\nmcpServers:\n  s:\n    command: node # launcher\n    args: [--w, "1"]\n    env:\n      A: x\n';
    const out = editMcpClientEntry(text, 'yaml', 's', { env: { A: 'y' }, args: [{ flag: '--w', value: '3' }] }, 'c.yaml');
    expect(out).toBe('# mine\nmcpServers:\n  s:\n    command: node # launcher\n    args: [--w, "3"]\n    env:\n      A: y\n');
  });
});

import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { editMcpClientEntry, findServerEntry, type EntryChanges } from '../../src/patch/mcpClientEntry.js';
import type { ProxySettings } from '../../src/patch/proxyWrap.js';
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

describe('editMcpClientEntry: launching through mcp-opt proxy', () => {
  const LAUNCHER = ['/opt/node/bin/node', '/opt/mcp-opt/bin/mcp-opt.js'];
  const proxy = (pool: number, more: Partial<ProxySettings> = {}): EntryChanges => ({
    proxy: { pool, affinity: 'none', balance: 'least-inflight', maxInflightPerInstance: 0, ...more }, launcher: LAUNCHER,
  });
  const WRAP4 = '"/opt/mcp-opt/bin/mcp-opt.js", "proxy", "--pool", "4", "--affinity", "none", "--balance", "least-inflight", "--", "node"';
  const claude = `{
  // Claude Desktop
  "mcpServers": {
    "other": { "command": "node", "args": ["other.js"] },
    "docs": { "command": "node", "args": ["server.js"], "cwd": "/srv/docs", "env": { "LOG": "info" } } // the docs server
  }
}
`;

  it('wraps an inline entry in place, re-applies idempotently, updates the pool, and unwraps to the original bytes', () => {
    const wrapped = editMcpClientEntry(claude, 'jsonc', 'docs', proxy(4), 'claude.json');
    expect(wrapped).toBe(claude.replace('"docs": { "command": "node", "args": ["server.js"]', `"docs": { "command": "/opt/node/bin/node", "args": [${WRAP4}, "server.js"]`));
    expect(editMcpClientEntry(wrapped, 'jsonc', 'docs', proxy(4), 'claude.json')).toBe(wrapped);
    const eight = editMcpClientEntry(wrapped, 'jsonc', 'docs', proxy(8, { balance: 'round-robin' }), 'claude.json');
    expect(eight).toBe(wrapped.replace('"--pool", "4"', '"--pool", "8"').replace('"least-inflight"', '"round-robin"'));
    expect(editMcpClientEntry(eight, 'jsonc', 'docs', proxy(1), 'claude.json')).toBe(claude);
    // A pool of 1 on an entry that is not wrapped changes nothing.
    expect(editMcpClientEntry(claude, 'jsonc', 'docs', proxy(1), 'claude.json')).toBe(claude);
  });

  it('a multi-line VS Code entry keeps its layout, type and env; the wrapper takes one line', () => {
    const vscode = '{\n\t"servers": {\n\t\t"docs": {\n\t\t\t"type": "stdio",\n\t\t\t"command": "node",\n\t\t\t"args": [\n\t\t\t\t"server.js",\n\t\t\t\t"--port", "0"\n\t\t\t],\n\t\t\t"env": { "LOG": "info" }\n\t\t}\n\t}\n}';
    const wrapped = editMcpClientEntry(vscode, 'jsonc', undefined, proxy(4), 'mcp.json');
    expect(wrapped).toBe(vscode.replace('"command": "node"', '"command": "/opt/node/bin/node"').replace('\t\t\t\t"server.js"', `\t\t\t\t${WRAP4},\n\t\t\t\t"server.js"`));
    expect(editMcpClientEntry(wrapped, 'jsonc', undefined, proxy(1), 'mcp.json')).toBe(vscode);
  });

  it('an entry without args gets them, and loses them again when unwrapped; CRLF kept', () => {
    const text = '{\r\n  "mcpServers": {\r\n    "s": {\r\n      "command": "my-server",\r\n      "env": { "A": "1" }\r\n    }\r\n  }\r\n}\r\n';
    const wrapped = editMcpClientEntry(text, 'jsonc', undefined, proxy(2), 'c.json');
    expect(JSON.parse(wrapped)).toEqual({ mcpServers: { s: {
      command: LAUNCHER[0], env: { A: '1' }, args: [LAUNCHER[1], 'proxy', '--pool', '2', '--affinity', 'none', '--balance', 'least-inflight', '--', 'my-server'],
    } } });
    expect(wrapped.replace(/\r\n/g, '')).not.toContain('\n');
    expect(editMcpClientEntry(wrapped, 'jsonc', undefined, proxy(1), 'c.json')).toBe(text);
  });

  it("arg and env knobs reach the wrapped server's own arguments and the entry's env", () => {
    const wrapped = editMcpClientEntry(claude, 'jsonc', 'docs', proxy(4), 'claude.json');
    const out = editMcpClientEntry(wrapped, 'jsonc', 'docs', { env: { WORKERS: '2' }, args: [{ flag: '--threads', value: '8' }], proxy: null }, 'claude.json');
    const entry = (JSON.parse(out.replace(/\/\/.*$/gm, '')) as { mcpServers: Record<string, { args: string[]; env: Record<string, string> }> }).mcpServers['docs']!;
    expect(entry.args.slice(-3)).toEqual(['node', 'server.js', '--threads=8']);
    expect(entry.args.slice(0, 4)).toEqual([LAUNCHER[1], 'proxy', '--pool', '4']);
    expect(entry.env).toEqual({ LOG: 'info', WORKERS: '2' });
  });

  it('wrapping and an arg knob in one apply: the multi-line args keep their layout', () => {
    const text = '{\n  "mcpServers": {\n    "s": {\n      "command": "node",\n      "args": [\n        "server.js",\n        "--threads=2"\n      ]\n    }\n  }\n}\n';
    const out = editMcpClientEntry(text, 'jsonc', undefined, { ...proxy(4), args: [{ flag: '--threads', value: '8' }] }, 'c.json');
    expect(out).toBe(text.replace('"command": "node"', '"command": "/opt/node/bin/node"').replace('        "server.js",', `        ${WRAP4},\n        "server.js",`).replace('--threads=2', '--threads=8'));
  });

  it('a YAML entry is wrapped and unwrapped with its comments kept', () => {
    const text = '# mine\nmcpServers:\n  s:\n    command: node # launcher\n    args: [server.js]\n';
    const wrapped = editMcpClientEntry(text, 'yaml', undefined, proxy(2), 'c.yaml');
    expect(wrapped).toContain('# mine');
    expect(wrapped).toContain(`command: ${LAUNCHER[0]} # launcher`);
    const back = editMcpClientEntry(wrapped, 'yaml', undefined, proxy(1), 'c.yaml');
    expect(back).toContain('# mine\nmcpServers:\n  s:\n    command: node # launcher\n');
    expect(parseDocument(back).toJS()).toEqual({ mcpServers: { s: { command: 'node', args: ['server.js'] } } });
  });

  it('an HTTP entry (url, no command) cannot be wrapped', () => {
    expect(() => editMcpClientEntry('{ "mcpServers": { "h": { "url": "http://127.0.0.1:3000/mcp" } } }', 'jsonc', undefined, proxy(2), 'c.json'))
      .toThrow(/has no "command".*cannot be run through mcp-opt proxy/);
  });
});

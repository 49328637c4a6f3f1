import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../../src/target/resolve/index.js';
import { CANARY, fx, testEnv, usageError } from './support.js';

const base = { cwd: fx(), env: testEnv() };

describe('resolveTarget: one form of target', () => {
  it('with no form at all, explains the three forms and URLs', async () => {
    const err = await usageError(resolveTarget(base));
    expect(err.message).toContain('mcp-opt analyze ./server');
    expect(err.message).toContain('mcp-opt analyze -- npx -y @scope/server');
    expect(err.message).toContain('mcp-opt analyze --mcp-config mcp.json --server name');
    expect(err.message).toContain('http');
  });

  it('with two forms, names both and explains the forms', async () => {
    const err = await usageError(resolveTarget({ ...base, target: 'node-bin-string', command: ['node', 'x.js'] }));
    expect(err.message).toMatch(/not a target and a command after --/);
    expect(err.message).toContain('--mcp-config mcp.json --server name');
  });

  it('a target and --mcp-config together are refused', async () => {
    const err = await usageError(resolveTarget({ ...base, target: 'node-bin-string', mcpConfig: 'configs/single.json' }));
    expect(err.message).toContain('--mcp-config');
  });

  it('does not echo a URL target (it may hold credentials) when refusing two forms', async () => {
    const err = await usageError(resolveTarget({ ...base, target: `https://u:${CANARY}@example.com/mcp`, command: ['node'] }));
    expect(err.message).not.toContain(CANARY);
  });

  it('--server without --mcp-config lists the servers of configs found in the cwd', async () => {
    const err = await usageError(resolveTarget({ ...base, cwd: fx('configs', 'vscode-project'), server: 'files' }));
    expect(err.message).toContain('--server "files" needs --mcp-config');
    expect(err.message).toContain('.vscode/mcp.json (servers: files, prompted, remote-sse, remote-http)');
    expect(err.message).toContain('--mcp-config .vscode/mcp.json --server files');
  });

  it('--server without --mcp-config and no config nearby says to give one', async () => {
    const err = await usageError(resolveTarget({ ...base, server: 'x' }));
    expect(err.message).toContain('needs --mcp-config <file>');
  });
});

describe('resolveTarget: URLs', () => {
  it('an http URL becomes an HttpSpec with transport auto', async () => {
    const spec = await resolveTarget({ ...base, target: 'http://127.0.0.1:3000/mcp' });
    expect(spec).toEqual({ kind: 'http', url: 'http://127.0.0.1:3000/mcp', headers: {}, transport: 'auto', origin: 'URL http://127.0.0.1:3000/mcp' });
  });

  it('an https URL keeps its credentials in url but not in origin', async () => {
    const spec = await resolveTarget({ ...base, target: `https://user:${CANARY}@example.com/mcp?key=${CANARY}` });
    expect(spec.kind).toBe('http');
    if (spec.kind !== 'http') return;
    expect(spec.url).toContain(CANARY);
    expect(spec.origin).not.toContain(CANARY);
  });

  it('another scheme is a usage error naming the scheme', async () => {
    const err = await usageError(resolveTarget({ ...base, target: 'ws://127.0.0.1:3000/mcp' }));
    expect(err.message).toContain('Unsupported URL scheme "ws:"');
  });

  it('a host:port without scheme is a missing path with a URL hint', async () => {
    const err = await usageError(resolveTarget({ ...base, target: 'localhost:3000' }));
    expect(err.message).toContain('No such file or directory: localhost:3000');
    expect(err.message).toContain('mcp-opt analyze http://localhost:3000');
  });
});

describe('resolveTarget: missing paths', () => {
  it('names the path and where it resolved to', async () => {
    const err = await usageError(resolveTarget({ ...base, target: './no/such/server.js' }));
    expect(err.message).toContain(`No such file or directory: ./no/such/server.js (resolved to ${fx('no/such/server.js')})`);
    expect(err.message).toContain('Check the path');
  });

  it('suggests npx for something that looks like a package name', async () => {
    const err = await usageError(resolveTarget({ ...base, target: '@scope/some-server' }));
    expect(err.message).toContain('mcp-opt analyze -- npx -y @scope/some-server');
  });
});

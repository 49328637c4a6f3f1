import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveTarget } from '../../../src/target/resolve/index.js';
import { CANARY, asStdio, fx, tempDir, testEnv, usageError, writeFile } from './support.js';

const base = { cwd: fx(), env: testEnv() };
const fromConfig = (mcpConfig: string, server?: string, env = testEnv()) =>
  resolveTarget({ cwd: fx(), env, mcpConfig, ...(server === undefined ? {} : { server }) });

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('--mcp-config: choosing the server', () => {
  it('several servers and no --server lists the names', async () => {
    const err = await usageError(fromConfig('configs/claude_desktop_config.json'));
    expect(err.message).toContain('defines 3 servers: everything, local, remote');
    expect(err.message).toContain('--server <name>');
  });

  it('an unknown --server lists the available names', async () => {
    const err = await usageError(fromConfig('configs/claude_desktop_config.json', 'nope'));
    expect(err.message).toContain('no server named "nope". Available: everything, local, remote');
  });

  it('a single server is used without --server; a relative command resolves from the config folder', async () => {
    const spec = asStdio(await fromConfig('configs/single.json'));
    expect(spec.launch).toMatchObject({ command: fx('configs/run-local.sh'), args: ['--stdio'], cwd: fx('configs') });
    expect(spec.origin).toBe('--mcp-config configs/single.json server "only"');
  });

  it('mcpServers entry (Claude Desktop): npx runner, env merged, names only in configuredEnvNames', async () => {
    const spec = asStdio(await fromConfig('configs/claude_desktop_config.json', 'everything'));
    expect(spec.runner).toBe('npx');
    expect(spec.launch.args).toEqual(['-y', '@modelcontextprotocol/server-everything']);
    expect(spec.launch.env.API_KEY).toBe(CANARY);
    expect(spec.launch.env.PATH).toBe(process.env.PATH);
    expect(spec.configuredEnvNames).toEqual(['API_KEY']);
    expect(JSON.stringify({ origin: spec.origin, names: spec.configuredEnvNames })).not.toContain(CANARY);
  });

  it('mcpServers url entry becomes HTTP with headers; secrets stay out of origin', async () => {
    const spec = await fromConfig('configs/claude_desktop_config.json', 'remote');
    expect(spec).toMatchObject({ kind: 'http', url: 'https://example.com/mcp', transport: 'auto' });
    if (spec.kind !== 'http') return;
    expect(spec.headers.Authorization).toBe(`Bearer ${CANARY}`);
    const windsurf = await fromConfig('configs/windsurf.json');
    expect(windsurf.kind).toBe('http');
    expect(windsurf.origin).not.toContain(CANARY);
  });

  it('relative cwd resolves from the config folder', async () => {
    const spec = asStdio(await fromConfig('configs/relative-cwd.json'));
    expect(spec.launch.cwd).toBe(fx('node-bin-string'));
    expect(spec.launch.args).toEqual(['bin/server.js']);
  });
});

describe('--mcp-config: VS Code servers (JSONC)', () => {
  const vscode = 'configs/vscode-project/.vscode/mcp.json';

  it('reads comments and trailing commas; ${env:} and ${workspaceFolder} are expanded; cwd is the workspace', async () => {
    const spec = asStdio(await fromConfig(vscode, 'files'));
    expect(spec.launch.args).toEqual([fx('configs/vscode-project/server.js'), 'server.js']);
    expect(spec.launch.cwd).toBe(fx('configs/vscode-project'));
    expect(spec.launch.env.TOKEN).toBe(CANARY);
    expect(spec.launch.env.MODE).toBe('test');
    expect(spec.configuredEnvNames).toEqual(['TOKEN', 'MODE']);
  });

  it('${input:…} is refused: mcp-opt cannot prompt; set it in the environment', async () => {
    const err = await usageError(fromConfig(vscode, 'prompted'));
    expect(err.message).toContain('${input:api-key}');
    expect(err.message).toContain('cannot prompt for inputs');
    expect(err.message).toContain('environment');
    expect(err.message).toContain('env.API_KEY of server "prompted"');
  });

  it('type sse → transport sse; type http → auto; header placeholders expanded', async () => {
    const sse = await fromConfig(vscode, 'remote-sse');
    expect(sse).toMatchObject({ kind: 'http', transport: 'sse', headers: { 'X-Key': CANARY } });
    const http = await fromConfig(vscode, 'remote-http');
    expect(http).toMatchObject({ kind: 'http', transport: 'auto', url: 'http://127.0.0.1:9/mcp' });
  });

  it('${env:NAME} unset is an error naming the variable, never a value', async () => {
    const env = testEnv();
    delete env.MCPOPT_TEST_TOKEN;
    const err = await usageError(fromConfig(vscode, 'files', env));
    expect(err.message).toContain('environment variable MCPOPT_TEST_TOKEN is not set');
  });
});

describe('--mcp-config: Claude Code placeholders', () => {
  it('${NAME} and ${NAME:-default} expand', async () => {
    const spec = asStdio(await fromConfig('configs/claude-code.mcp.json', 'defaults'));
    expect(spec.launch.args).toEqual([`--name=${CANARY}`, 'fallback']);
  });

  it('an unset ${NAME} without default is refused', async () => {
    const err = await usageError(fromConfig('configs/claude-code.mcp.json', 'unset'));
    expect(err.message).toContain('MCPOPT_UNSET_VAR is not set');
  });

  it('an unsupported placeholder is refused by name', async () => {
    const err = await usageError(fromConfig('configs/claude-code.mcp.json', 'unknown'));
    expect(err.message).toContain('${config:editor.fontSize}');
  });
});

describe('--mcp-config: refusals and file errors', () => {
  it('shell: true is refused', async () => {
    const err = await usageError(fromConfig('configs/shell-true.json'));
    expect(err.message).toContain('"shell"');
    expect(err.message).toContain('never runs commands through a shell');
  });

  it('a whole command line in "command" with no args is refused with a split suggestion', async () => {
    const err = await usageError(fromConfig('configs/shell-string.json'));
    expect(err.message).toContain('never runs a shell');
    expect(err.message).toContain('"command": "npx", "args": ["-y","@scope/server","--token","$SECRET"]');
  });

  it('a command path with spaces that exists is accepted', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const exe = writeFile(join(t.dir, 'My Server', 'run server'), '#!/bin/sh\n', true);
    writeFile(join(t.dir, 'mcp.json'), JSON.stringify({ mcpServers: { s: { command: './My Server/run server' } } }));
    const spec = asStdio(await resolveTarget({ cwd: t.dir, env: testEnv(), mcpConfig: 'mcp.json' }));
    expect(realpathSync(spec.launch.command)).toBe(realpathSync(exe));
  });

  it('a syntax error is reported with line and column', async () => {
    const err = await usageError(fromConfig('configs/bad.jsonc'));
    expect(err.message).toMatch(/^configs\/bad\.jsonc:4:5: invalid JSON: CommaExpected/);
  });

  it('a missing file, a file without servers, and an empty servers object are usage errors', async () => {
    expect((await usageError(fromConfig('configs/nope.json'))).message).toContain('No such file or directory: configs/nope.json');
    expect((await usageError(fromConfig('configs/not-a-config.json'))).message).toContain('no "mcpServers" or "servers"');
    expect((await usageError(fromConfig('configs/empty.json'))).message).toContain('defines no servers');
  });

  it('the command is looked up on the PATH the config gives the child; runners detected', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const uv = writeFile(join(t.dir, 'bin', 'uv'), '#!/bin/sh\n', true);
    writeFile(join(t.dir, 'mcp.json'), JSON.stringify({
      mcpServers: { weather: { command: 'uv', args: ['--directory', '/srv/weather', 'run', 'weather.py'], env: { PATH: `${t.dir}/bin:/usr/bin` } } },
    }));
    const spec = asStdio(await resolveTarget({ ...base, cwd: t.dir, mcpConfig: 'mcp.json' }));
    expect(spec.launch.command).toBe(uv);
    expect(spec.runner).toBe('uv run');
    expect(spec.launch.env.PATH).toBe(`${t.dir}/bin:/usr/bin`);
  });

  it('a missing command names the server and config', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    writeFile(join(t.dir, 'mcp.json'), JSON.stringify({ servers: { gone: { command: 'mcp-opt-no-such-cmd' } } }));
    const err = await usageError(resolveTarget({ ...base, cwd: t.dir, mcpConfig: 'mcp.json' }));
    expect(err.message).toContain('Command not found: mcp-opt-no-such-cmd (server "gone" in mcp.json)');
  });

  it('errors never quote expanded values, only names', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    writeFile(join(t.dir, 'mcp.json'), JSON.stringify({
      mcpServers: {
        line: { command: 'node --token=${env:MCPOPT_TEST_TOKEN}', env: { K: '${env:MCPOPT_TEST_TOKEN}' } },
        cwd: { command: 'node', cwd: '${env:MCPOPT_TEST_TOKEN}' },
        path: { command: './${env:MCPOPT_TEST_TOKEN}/server' },
      },
    }));
    for (const server of ['line', 'cwd', 'path']) {
      const err = await usageError(resolveTarget({ ...base, cwd: t.dir, mcpConfig: 'mcp.json', server }));
      expect(err.message).not.toContain(CANARY);
    }
  });
});

describe('--mcp-config: hostile content', () => {
  it('a __proto__ key cannot smuggle a command into an entry', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const file = writeFile(join(t.dir, 'mcp.json'), '{"mcpServers": {"s": {"__proto__": {"command": "/bin/sh", "args": ["-c", "touch pwned"]}}}}');
    const err = await usageError(resolveTarget({ cwd: t.dir, env: testEnv(), mcpConfig: file }));
    expect(err.message).toContain('key "__proto__" is not allowed in an MCP config');
  });
});

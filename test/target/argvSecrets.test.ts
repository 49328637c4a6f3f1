import { describe, expect, it } from 'vitest';
import { maskArgv } from '../../src/target/argvSecrets.js';
import { describeSpec, specEnvNames, type StdioSpec } from '../../src/target/launchSpec.js';

const stdio = (command: string, args: string[], configuredEnvNames: string[] = []): StdioSpec => ({
  kind: 'stdio', launch: { command, args, cwd: '/', env: {} }, origin: 'test', configuredEnvNames,
});

describe('maskArgv: env wrappers', () => {
  it('masks every NAME=VALUE of env, records the names, and leaves the command alone', () => {
    const m = maskArgv(['/usr/bin/env', 'OPENAPI_MCP_HEADERS={"Authorization":"Bearer tok"}', 'DEBUG=1', 'npx', '-y', '@acme/server']);
    expect(m.display).toEqual(['/usr/bin/env', 'OPENAPI_MCP_HEADERS=***', 'DEBUG=***', 'npx', '-y', '@acme/server']);
    expect(m.envNames).toEqual(['OPENAPI_MCP_HEADERS', 'DEBUG']);
    expect(m.secrets).toContain('{"Authorization":"Bearer tok"}');
    expect(m.secrets).toContain('tok');
  });

  it('understands env -i, -, -u NAME, --unset=NAME, -C DIR, -- and nested env', () => {
    expect(maskArgv(['env', '-i', 'A=x', '-u', 'HOME', '--unset=PATH', '-C', '/tmp', 'B=y', 'env', '-', 'C=z', '--', 'node', 'D=notenv']).display)
      .toEqual(['env', '-i', 'A=***', '-u', 'HOME', '--unset=PATH', '-C', '/tmp', 'B=***', 'env', '-', 'C=***', '--', 'node', 'D=notenv']);
  });

  it('hides the whole string of -S / --split-string', () => {
    expect(maskArgv(['env', '-S', 'TOKEN=abc node s.js', 'x']).display).toEqual(['env', '-S', '***', 'x']);
    expect(maskArgv(['env', '--split-string=TOKEN=abc node', 'x']).display).toEqual(['env', '--split-string=***', 'x']);
  });

  it('does not treat NAME=VALUE words of a command other than env as variables', () => {
    expect(maskArgv(['node', 's.js', 'MODE=fast']).display).toEqual(['node', 's.js', 'MODE=fast']);
  });
});

describe('maskArgv: tokens and headers anywhere in argv', () => {
  it('masks bearer tokens, auth / API-key headers, sensitive JSON members and URL passwords', () => {
    const m = maskArgv([
      'npx', 'mcp-remote', 'https://x.example/mcp', '--header', 'Authorization: Bearer abc.def', '-H', 'X-Api-Key: k-1', '-H', 'api-key:k-2',
      '--headers={"Authorization":"Bearer j-1","X-Tenant":"acme"}', 'token=Bearer b-1', 'postgres://u:pw-1@db/x', '--token', 't-1', '--api-key=a-1', 'X-Tenant: acme',
    ]);
    expect(m.display).toEqual([
      'npx', 'mcp-remote', 'https://x.example/mcp', '--header', 'Authorization: ***', '-H', 'X-Api-Key: ***', '-H', 'api-key:***',
      '--headers={"Authorization":"***","X-Tenant":"acme"}', 'token=***', 'postgres://u:***@db/x', '--token', '***', '--api-key=***', 'X-Tenant: acme',
    ]);
    for (const s of ['abc.def', 'k-1', 'k-2', 'j-1', 'b-1', 'pw-1', 't-1', 'a-1']) expect(m.secrets).toContain(s);
    expect(m.secrets).not.toContain('acme');
  });

  it('leaves an argv without secrets unchanged', () => {
    const argv = ['uvx', 'mcp-server-fetch', '--port', '3000', 'https://example.com/a?b=c', '{"mode":"fast"}'];
    expect(maskArgv(argv)).toEqual({ display: argv, secrets: [], envNames: [] });
  });
});

describe('describeSpec and specEnvNames', () => {
  it('shows the wrapper argv masked and lists configured and wrapper names', () => {
    const spec = stdio('/usr/bin/env', ['API_TOKEN=s3cr3t', 'node', 'server.js', '--header', 'Authorization: Bearer zz'], ['CANARY']);
    expect(describeSpec(spec)).toBe(`/usr/bin/env 'API_TOKEN=***' node server.js --header 'Authorization: ***'`);
    expect(specEnvNames(spec)).toEqual(['CANARY', 'API_TOKEN']);
  });
});

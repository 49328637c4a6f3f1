import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { parseEnvFlags, parseHeaderFlags } from '../../../src/target/resolve/extras.js';
import { resolveTarget } from '../../../src/target/resolve/index.js';
import { asStdio, CANARY, fx, testEnv, usageError } from './support.js';

const base = { cwd: fx(), env: testEnv() };
const none = { headers: {}, env: {} };

describe('--header and --env values', () => {
  it('parse Name: value and NAME=VALUE (values may hold : and =); a later header of the same name, any case, wins', () => {
    expect(parseHeaderFlags(['authorization: Bearer a:b', 'X-Tenant:acme', 'Authorization: Bearer c'])).toEqual({ 'X-Tenant': 'acme', Authorization: 'Bearer c' });
    expect(parseEnvFlags(['A=1', 'DB_URL=postgres://u:p@h/db?x=y', 'EMPTY='])).toEqual({ A: '1', DB_URL: 'postgres://u:p@h/db?x=y', EMPTY: '' });
  });

  it.each([
    [() => parseHeaderFlags([`Bearer ${CANARY}`]), /--header expects 'Name: value'.*no ':'/],
    [() => parseHeaderFlags(['ok: 1', `Bad Name: ${CANARY}`]), /--header \(the 2nd\) expects 'Name: value'.*not a header name/],
    [() => parseHeaderFlags(['Authorization:  ']), /--header Authorization: the value is empty/],
    [() => parseEnvFlags([CANARY]), /--env expects NAME=VALUE.*no '='/],
    [() => parseEnvFlags([`9X=${CANARY}`]), /--env: "9X" is not a variable name/],
  ])('refuses bad syntax naming the flag, never the value (%#)', (parse, message) => {
    let err: unknown;
    try {
      parse();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain(CANARY);
  });
});

describe('resolveTarget with extras', () => {
  it('--env adds to the child environment and to the configured names', async () => {
    const spec = asStdio(await resolveTarget({ ...base, command: ['node', 'x.js'], extras: { headers: {}, env: { API_KEY: CANARY } } }));
    expect(spec.launch.env['API_KEY']).toBe(CANARY);
    expect(spec.configuredEnvNames).toEqual(['API_KEY']);
  });

  it('--header replaces a config header of the same name in any case and keeps the others', async () => {
    // The entry has "Authorization": "Bearer <CANARY>".
    const spec = await resolveTarget({ ...base, mcpConfig: fx('configs', 'claude_desktop_config.json'), server: 'remote',
      extras: { headers: { AUTHORIZATION: 'Bearer flag', 'X-Tenant': 'acme' }, env: {} } });
    expect(spec.kind === 'http' && spec.headers).toEqual({ AUTHORIZATION: 'Bearer flag', 'X-Tenant': 'acme' });
    const configOnly = await resolveTarget({ ...base, mcpConfig: fx('configs', 'claude_desktop_config.json'), server: 'remote' });
    expect(configOnly.kind === 'http' && configOnly.headers).toEqual({ Authorization: `Bearer ${CANARY}` });
  });

  it('refuses --header for a stdio target and --env for a URL', async () => {
    expect((await usageError(resolveTarget({ ...base, command: ['node', 'x.js'], extras: { ...none, headers: { A: 'b' } } }))).message).toMatch(/--header .* stdio server/);
    expect((await usageError(resolveTarget({ ...base, target: 'http://127.0.0.1:1/mcp', extras: { ...none, env: { A: 'b' } } }))).message).toMatch(/--env .* the target is a URL/);
  });

  it('a shell-style NAME=value before the command is refused without echoing the value', async () => {
    const err = await usageError(resolveTarget({ ...base, command: [`API_TOKEN=${CANARY}`, 'node', 'x.js'] }));
    expect(err.message).toContain('--env API_TOKEN=…');
    expect(err.message).not.toContain(CANARY);
  });
});

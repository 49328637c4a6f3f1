import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../../src/result/redact.js';
import type { HttpSpec, StdioSpec } from '../../src/target/launchSpec.js';

const stdio = (env: Record<string, string>, configuredEnvNames: string[]): StdioSpec => ({
  kind: 'stdio',
  launch: { command: '/usr/bin/node', args: ['server.js'], cwd: '/', env },
  origin: 'test',
  configuredEnvNames,
});

const http = (url: string, headers: Record<string, string> = {}): HttpSpec => ({
  kind: 'http', url, headers, transport: 'auto', origin: 'test',
});

describe('Redactor.forSpec', () => {
  it('redacts values of environment variables configured for a stdio server, and only those', () => {
    const spec = stdio({ DB_URL: 'postgres://u:pw@db/prod', PLAIN: 'not-configured-value' }, ['DB_URL']);
    const r = Redactor.forSpec(spec, {});
    expect(r.text('failed to connect to postgres://u:pw@db/prod')).toBe(`failed to connect to ${REDACTED}`);
    expect(r.text('not-configured-value')).toBe('not-configured-value');
  });

  it('redacts values of sensitive-looking variables in mcp-opt\'s own environment', () => {
    const env = {
      GITHUB_TOKEN: 'ghp_aaaaaaaaaa', OPENAI_API_KEY: 'sk-bbbbbbbbbb', APIKEY: 'cccccccccc', DB_PASSWORD: 'dddddddddd',
      AWS_SECRET_ACCESS_KEY: 'eeeeeeeeee', X_AUTH: 'ffffffffff', MY_COOKIE: 'gggggggggg', private_key: 'hhhhhhhhhh',
      HOME: '/home/someone', EDITOR: 'vimvimvim',
    };
    const r = Redactor.forSpec(null, env);
    for (const name of ['GITHUB_TOKEN', 'OPENAI_API_KEY', 'APIKEY', 'DB_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'X_AUTH', 'MY_COOKIE', 'private_key'] as const) {
      expect(r.text(`value ${env[name]} here`), name).toBe(`value ${REDACTED} here`);
    }
    expect(r.text('/home/someone uses vimvimvim')).toBe('/home/someone uses vimvimvim');
  });

  it('ignores values shorter than 6 characters', () => {
    const r = Redactor.forSpec(stdio({ FLAG: 'true', KEY5: '12345', KEY6: '123456' }, ['FLAG', 'KEY5', 'KEY6']), { API_TOKEN: 'abc' });
    expect(r.text('true 12345 abc 123456')).toBe(`true 12345 abc ${REDACTED}`);
  });

  it('redacts HTTP header values, URL username, password and query values', () => {
    const spec = http('https://aliceuser:hunter2222@example.com/mcp?key=qwerty123&x=1', { Authorization: 'Bearer zzzzzzzz', 'X-Tenant': 'acme-corp' });
    const r = Redactor.forSpec(spec, {});
    expect(r.text('Authorization: Bearer zzzzzzzz')).toBe(`Authorization: ${REDACTED}`);
    expect(r.text('tenant acme-corp')).toBe(`tenant ${REDACTED}`);
    expect(r.text('user aliceuser pass hunter2222 key qwerty123 x=1')).toBe(`user ${REDACTED} pass ${REDACTED} key ${REDACTED} x=1`);
  });

  it('redacts percent-encoded URL credentials in their decoded form', () => {
    const r = Redactor.forSpec(http('https://bob:p%40ssw0rd!@example.com/mcp'), {});
    expect(r.text('password p@ssw0rd! rejected')).toBe(`password ${REDACTED} rejected`);
  });

  it('still redacts URL query values when the password holds a stray "%"', () => {
    const r = Redactor.forSpec(http('https://bob:50%off!x@example.com/mcp?token=abcdefgh123'), {});
    expect(r.text('token=abcdefgh123')).toBe(`token=${REDACTED}`);
  });

  it('redacts values given through an env NAME=VALUE wrapper, whatever their names, and the token inside them', () => {
    const spec: StdioSpec = {
      kind: 'stdio', origin: 'test', configuredEnvNames: [],
      launch: { command: '/usr/bin/env', args: ['-u', 'HOME', 'OPENAPI_MCP_HEADERS={"Authorization":"Bearer tok-123456"}', 'PLAINVAR=value-123', 'node', 's.js'], cwd: '/', env: {} },
    };
    const r = Redactor.forSpec(spec, {});
    expect(r.text('got value-123')).toBe(`got ${REDACTED}`);
    expect(r.text('header {"Authorization":"Bearer tok-123456"}')).toBe(`header ${REDACTED}`);
    expect(r.text('token tok-123456 rejected')).toBe(`token ${REDACTED} rejected`);
  });

  it('ignores an invalid URL', () => {
    const r = Redactor.forSpec(http('not a url', { 'X-Key': 'header-secret' }), {});
    expect(r.text('not a url header-secret')).toBe(`not a url ${REDACTED}`);
  });
});

describe('Redactor', () => {
  it('replaces every occurrence', () => {
    expect(new Redactor(['s3cr3t!']).text('s3cr3t! and s3cr3t!')).toBe(`${REDACTED} and ${REDACTED}`);
  });

  it('replaces the longest secret first, so one containing another is replaced whole', () => {
    const r = new Redactor(['abcdef', 'abcdefghijkl']);
    expect(r.text('x abcdefghijkl y abcdef')).toBe(`x ${REDACTED} y ${REDACTED}`);
    const reversed = new Redactor(['abcdefghijkl', 'abcdef']);
    expect(reversed.text('abcdefghijkl')).toBe(REDACTED);
  });

  it('hides the beginning of a secret cut off by an excerpt\'s "…", and a cut URL password', () => {
    const r = new Redactor(['s3cr3t-value-123']);
    expect(r.text('token s3cr3t-val…')).toBe(`token ${REDACTED}…`);
    expect(r.text('dsn postgres://app:hunter2…')).toBe(`dsn postgres://app:${REDACTED}…`);
    expect(r.text('nothing secret here…')).toBe('nothing secret here…');
    expect(r.text('s3cr3t-val')).toBe('s3cr3t-val');
  });

  it('value() redacts nested string values but leaves keys and other types alone', () => {
    const r = new Redactor(['topsecret']);
    const input = {
      topsecret: 'the topsecret value',
      nested: { list: ['topsecret', 42, null, true, { deep: 'x topsecret' }] },
      n: 7,
    };
    expect(r.value(input)).toEqual({
      topsecret: `the ${REDACTED} value`,
      nested: { list: [REDACTED, 42, null, true, { deep: `x ${REDACTED}` }] },
      n: 7,
    });
    expect(input.topsecret).toBe('the topsecret value');
  });

  it('value() with no secrets returns an equal value', () => {
    const input = { a: 'anything', n: [1, 'two'] };
    expect(new Redactor([]).value(input)).toEqual(input);
  });

  it('redacts what looks like a secret even when no one configured it: bearer tokens, URL passwords, auth headers', () => {
    const r = new Redactor([]);
    expect(r.text('Error: connect failed for postgres://app:hunter22@db:5432/prod')).toBe(`Error: connect failed for postgres://app:${REDACTED}@db:5432/prod`);
    expect(r.text('sending Authorization: Bearer eyJhbGciOi.J9.x_y')).toBe(`sending Authorization: Bearer ${REDACTED}`);
    expect(r.text('headers {"x-api-key":"k-123456"}')).toBe(`headers {"x-api-key":"${REDACTED}"}`);
    expect(r.text('Authorization: Basic dXNlcjpwYXNz')).toBe(`Authorization: ${REDACTED}`);
    expect(r.value({ tail: ['token Bearer abcdefgh'] })).toEqual({ tail: [`token Bearer ${REDACTED}`] });
    // Nothing secret-shaped: unchanged.
    expect(r.text('listening on http://127.0.0.1:3000/mcp, 3 tools')).toBe('listening on http://127.0.0.1:3000/mcp, 3 tools');
  });
});

/**
 * Secrets given on mcp-opt's command line never reach its output: values of an `env NAME=VALUE`
 * wrapper (the way some servers' docs pass a token), of --env and --header, bearer tokens and
 * URL passwords anywhere in the server's argv, and the same secrets when the server prints them
 * itself. Each case checks stdout, stderr, the saved result and the HTML and Markdown reports,
 * and checks that the secret did reach the server (otherwise its absence would prove nothing).
 * Also: --header/--env usage errors, the warning for mcp-opt flags written after `--`, and
 * `tune --apply`'s diff masking a neighbouring client-config entry's env and headers.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalyzeResult } from '../../src/result/analyzeResult.js';
import { ANY_SLO, FAST, noLeftovers, parseBench, parseResult, runCli, TUNE_SHORT, type CliResult } from '../helpers/cli.js';
import { fixturePath, tmpFile } from '../helpers/fixtures.js';
import { startHttpFixture, type HttpFixture } from '../target/httpFixture.js';

const ENV_ECHO = fixturePath('env-echo.mjs');

/** Render a saved result as HTML and Markdown (`mcp-opt report`); returns both texts. */
async function reports(saved: string): Promise<string[]> {
  const html = tmpFile('report.html');
  const md = tmpFile('report.md');
  const run = await runCli(['report', saved, '--format', 'html', '--out', html, '--format', 'markdown', '--out', md]);
  expect(run.code, run.stderr).toBe(0);
  return [readFileSync(html, 'utf8'), readFileSync(md, 'utf8'), run.stdout, run.stderr];
}

/** Expect none of `secrets` in the run's output, the saved result or its reports. */
async function expectNowhere(secrets: string[], run: CliResult, savedPath: string): Promise<void> {
  const saved = readFileSync(savedPath, 'utf8');
  const texts = { stdout: run.stdout, stderr: run.stderr, saved, ...Object.fromEntries((await reports(savedPath)).map((t, i) => [`report ${i}`, t])) };
  for (const secret of secrets) for (const [where, text] of Object.entries(texts)) expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
}

const fixtures: HttpFixture[] = [];
afterAll(async () => {
  for (const fx of fixtures) await fx.stop();
});

describe('secrets in the server command line', () => {
  it('env NAME=VALUE wrapper values (a JSON Authorization header among them) are shown as NAME=***, their names recorded', async () => {
    const canary = `canary-env-${randomUUID()}`;
    const token = `tok-${randomUUID()}`;
    const out = tmpFile('wrapper.json');
    const run = await runCli(['analyze', ...FAST, '--json', '--out', out, '--', 'env', `CANARY=${canary}`,
      `OPENAPI_MCP_HEADERS={"Authorization":"Bearer ${token}"}`, 'node', ENV_ECHO]);
    expect(run.code, run.stderr).toBe(0);
    const r = parseResult(run.stdout);
    expect(r.target.envNames).toEqual(['CANARY', 'OPENAPI_MCP_HEADERS']);
    expect(r.target.display).toContain(`'CANARY=***' 'OPENAPI_MCP_HEADERS=***' node`);
    expect(run.stderr).toContain(`running /usr/bin/env 'CANARY=***' 'OPENAPI_MCP_HEADERS=***' node ${ENV_ECHO}`);
    // get_env returns the server's environment: the values were delivered.
    expect(r.latency!.operations.map((o) => o.op)).toContain('tools/call:get_env');
    await expectNowhere([canary, token], run, out);
    await noLeftovers(run.testId);
  });

  it('when the server prints the env value, a URL password and a bearer token from its argv, its stderr tail shows them as ***', async () => {
    const canary = `canary-tail-${randomUUID()}`;
    const password = `pw-${randomUUID()}`;
    const token = `tok-${randomUUID()}`;
    const out = tmpFile('tail.json');
    const run = await runCli(['analyze', ...FAST, '--out', out, '--', 'env', `CANARY=${canary}`, 'EXIT_AT_START=3', 'node', ENV_ECHO,
      `postgres://app:${password}@db.example/prod`, '--header', `Authorization: Bearer ${token}`]);
    expect(run.code, run.stderr).toBe(3);
    // The server received all three and printed them; mcp-opt shows its lines redacted.
    expect(run.stderr).toContain('canary: ***');
    expect(run.stderr).toContain('args: postgres://app:***@db.example/prod --header Authorization: ***');
    expect(run.stderr).toContain(`'postgres://app:***@db.example/prod' --header 'Authorization: ***'`);
    await expectNowhere([canary, password, token], run, out);
    await noLeftovers(run.testId);
  });

  it('a connection string and a bearer token the server prints from its inherited environment are masked in stdout excerpts and stderr tails', async () => {
    // Neither configured nor named like a secret (CANARY): only their shape gives them away.
    const password = `pw-${randomUUID()}`;
    const token = `tok${randomUUID().replace(/-/g, '')}`;
    const env = { CANARY: `postgres://app:${password}@db.example/prod Bearer ${token}`, CANARY_ON_STDOUT: '1' };
    const out = tmpFile('printed.json');
    const run = await runCli(['analyze', ENV_ECHO, ...FAST, '--json', '--out', out], { env });
    expect(run.code, run.stderr).toBe(0);
    const excerpts = Object.values(parseResult(run.stdout).hygiene!.excerpts).flat();
    expect(excerpts).toContain('canary: postgres://app:***@db.example/prod Bearer ***');
    await expectNowhere([password, token], run, out);

    const failed = tmpFile('printed-failed.json');
    const tail = await runCli(['analyze', ENV_ECHO, ...FAST, '--out', failed], { env: { ...env, EXIT_AT_START: '3' } });
    expect(tail.code, tail.stderr).toBe(3);
    expect(tail.stderr).toContain('canary: postgres://app:***@db.example/prod Bearer ***');
    await expectNowhere([password, token], tail, failed);
  });

  it('--env NAME=VALUE reaches the server, is recorded by name and never printed or saved', async () => {
    const canary = `canary-flag-${randomUUID()}`;
    const out = tmpFile('envflag.json');
    const run = await runCli(['analyze', ENV_ECHO, ...FAST, '--env', `CANARY=${canary}`, '--env', 'EXIT_AT_START=3', '--out', out]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('canary: ***');
    const saved = JSON.parse(readFileSync(out, 'utf8')) as AnalyzeResult;
    expect(saved.target.envNames).toEqual(['CANARY', 'EXIT_AT_START']);
    await expectNowhere([canary], run, out);

    // And on a run that succeeds.
    const ok = tmpFile('envflag-ok.json');
    const good = await runCli(['analyze', ENV_ECHO, ...FAST, '--env', `CANARY=${canary}`, '--json', '--out', ok]);
    expect(good.code, good.stderr).toBe(0);
    expect(parseResult(good.stdout).target.envNames).toEqual(['CANARY']);
    await expectNowhere([canary], good, ok);
    await noLeftovers(good.testId);
  });
});

// Issue 10: values the user configured (--env, an env wrapper) and values of secret-named variables
// are redacted where the server prints them: stdout excerpts and stderr tails, terminal and JSON,
// analyze and bench alike. Each value below has no secret shape: only its origin marks it.
describe('configured and secret-named values the server prints', () => {
  it('--env: the value printed on stdout is *** in the hygiene excerpts, terminal and saved JSON', async () => {
    const canary = `canary-stdout-${randomUUID()}`;
    const out = tmpFile('env-stdout.json');
    const run = await runCli(['analyze', ENV_ECHO, ...FAST, '--env', `CANARY=${canary}`, '--out', out], { env: { CANARY_ON_STDOUT: '1' } });
    expect(run.code, run.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(out, 'utf8')) as AnalyzeResult;
    expect(Object.values(saved.hygiene!.excerpts).flat()).toContain('canary: ***');
    expect(saved.hygiene!.nonJsonLines).toBeGreaterThan(0);
    await expectNowhere([canary], run, out);
  });

  it('a variable of mcp-opt\'s own environment named like a secret: its value printed by the server is *** (stdout excerpt and stderr tail)', async () => {
    const value = `value-${randomUUID()}`;
    // The server prints CANARY, which holds the same value as SERVICE_API_TOKEN (secret-named).
    const env = { SERVICE_API_TOKEN: value, CANARY: value, CANARY_ON_STDOUT: '1' };
    const out = tmpFile('named.json');
    const run = await runCli(['analyze', ENV_ECHO, ...FAST, '--out', out], { env });
    expect(run.code, run.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(out, 'utf8')) as AnalyzeResult;
    expect(Object.values(saved.hygiene!.excerpts).flat()).toContain('canary: ***');
    await expectNowhere([value], run, out);

    const failed = tmpFile('named-failed.json');
    const tail = await runCli(['analyze', ENV_ECHO, ...FAST, '--out', failed], { env: { ...env, EXIT_AT_START: '3' } });
    expect(tail.code, tail.stderr).toBe(3);
    expect(tail.stderr).toContain('canary: ***');
    await expectNowhere([value], tail, failed);
  });

  it('bench: an env wrapper\'s value in the stderr tail of a server that fails to start is *** on the terminal, and in no saved or rendered output', async () => {
    const canary = `canary-bench-${randomUUID()}`;
    const out = tmpFile('bench-tail.json');
    const run = await runCli(['bench', '--requests', '5', '--warmup', '0s', '--out', out, '--', 'env', `CANARY=${canary}`, 'EXIT_AT_START=3', 'node', ENV_ECHO]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('canary: ***');
    // The saved result keeps the failure's first line, not the tail: the value is in neither.
    expect(JSON.parse(readFileSync(out, 'utf8')).incomplete).toBe(true);
    await expectNowhere([canary], run, out);
    await noLeftovers(run.testId);
  });
});

describe('--header against an HTTP server that requires a token', () => {
  it('the header reaches the server on every request (analyze and bench) and its value appears nowhere', async () => {
    const token = `tok-${randomUUID()}`;
    const fx = await startHttpFixture('streamable', { REQUIRE_AUTH: `Bearer ${token}` });
    fixtures.push(fx);

    const refused = await runCli(['analyze', fx.url, ...FAST, '--no-save']);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toMatch(/HTTP 401.*--header 'Authorization: Bearer <token>'/);
    const before = await fx.stats();
    expect(before.unauthorized401s).toBeGreaterThan(0);

    const out = tmpFile('header.json');
    const run = await runCli(['analyze', fx.url, ...FAST, '--header', `Authorization: Bearer ${token}`, '--json', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(parseResult(run.stdout).target.headerNames).toEqual(['Authorization']);
    expect(run.stderr).toContain(`connecting to ${fx.url}`);
    const afterAnalyze = await fx.stats();
    expect(afterAnalyze.authorized).toBeGreaterThan(100);
    expect(afterAnalyze.unauthorized401s).toBe(before.unauthorized401s);
    await expectNowhere([token], run, out);

    // bench's load engine (mcp-opt's own, the default for a closed loop too) sends it too.
    const benchOut = tmpFile('header-bench.json');
    const bench = await runCli(['bench', fx.url, '--header', `Authorization: Bearer ${token}`, '--duration', '1s', '--warmup', '200ms', '--json', '--out', benchOut]);
    expect(bench.code, bench.stderr).toBe(0);
    const b = parseBench(bench.stdout);
    expect(b.config.httpClient).toBe('mcp-opt');
    const afterBench = await fx.stats();
    expect(afterBench.authorized - afterAnalyze.authorized).toBeGreaterThanOrEqual(b.requests.succeeded);
    expect(afterBench.unauthorized401s).toBe(before.unauthorized401s);
    await expectNowhere([token], bench, benchOut);
  });
});

describe('--header and --env usage errors (exit 2, value never echoed)', () => {
  const secret = `s3cr3t-${randomUUID()}`;
  it.each([
    ['--header with a stdio target', ['analyze', ENV_ECHO, '--header', `Authorization: Bearer ${secret}`], /--header sets HTTP request headers, but the target is a stdio server/],
    ['--env with a URL', ['analyze', 'http://127.0.0.1:9/mcp', '--env', `TOKEN=${secret}`], /--env sets environment variables of a server mcp-opt starts, but the target is a URL/],
    ['--header without a name', ['analyze', 'http://127.0.0.1:9/mcp', '--header', `Bearer ${secret}`], /--header expects 'Name: value'/],
    ['--env without =', ['bench', ENV_ECHO, '--env', secret], /--env expects NAME=VALUE/],
    ['--env with a bad name', ['tune', ENV_ECHO, '--env', `1BAD=${secret}`], /--env: "1BAD" is not a variable name/],
  ])('%s', async (_label, args, message) => {
    const run = await runCli(args);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain(secret);
  });
});

describe("mcp-opt's own flags after --", () => {
  it('are passed to the server unchanged, with one warning line on stderr and in the result', async () => {
    const run = await runCli(['bench', '--duration', '500ms', '--warmup', '0s', '--no-save', '--json', '--', 'node', fixturePath('minimal.mjs'),
      '--rps', '100', '--duration=2s', '--verbose']);
    expect(run.code, run.stderr).toBe(0);
    const warning = run.stderr.split('\n').filter((l) => l.includes('after --'));
    expect(warning).toEqual([expect.stringMatching(/^mcp-opt: ! --rps, --duration after -- were passed to the server, not read by mcp-opt .*mcp-opt bench --rps … --duration … -- <server command>\.$/)]);
    const r = parseBench(run.stdout);
    expect(r.warnings).toContain(warning[0]!.replace('mcp-opt: ! ', ''));
    expect(r.target.display).toMatch(/minimal\.mjs --rps 100 --duration=2s --verbose$/);
    // Bench kept its own 500 ms; the --duration=2s went to the server.
    expect(r.config.durationMs).toBe(500);

    // What the server receives, as it prints it (env-echo writes its arguments, then exits 3).
    const seen = await runCli(['bench', '--no-save', '--', 'env', 'EXIT_AT_START=3', 'node', ENV_ECHO, '--rps', '100', '--duration=2s']);
    expect(seen.code, seen.stderr).toBe(3);
    expect(seen.stderr).toContain('args: --rps 100 --duration=2s\n');
    expect(seen.stderr).toMatch(/^mcp-opt: ! --rps, --duration after -- were passed to the server/);
  });

  it('say nothing when no word after -- is a flag of the command', async () => {
    const run = await runCli(['analyze', ...FAST, '--no-save', '--json', '--', 'node', fixturePath('minimal.mjs'), '--verbose']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('after --');
    expect(parseResult(run.stdout).warnings.join(' ')).not.toContain('after --');
  });
});

describe('tune --apply into an MCP client config', () => {
  it("prints the diff with the neighbouring entries' env and headers values (and secret args) as ***, and writes the file unmasked", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpopt-mask-'));
    const out = join(dir, 'tune.json');
    // One point and an SLO any point meets: the recommendation (WORKERS=4) does not rest on a
    // measurement, so a busy machine cannot change what this test is about, the diff.
    const tune = await runCli(['tune', fixturePath('tunable.mjs'), '--knob', 'env:WORKERS=4', ...ANY_SLO, ...TUNE_SHORT, '--no-color', '--out', out], { timeoutMs: 90_000 });
    expect(tune.code, tune.stderr).toBe(0);
    const ghToken = `ghp_${randomUUID()}`;
    const remoteToken = `rem-${randomUUID()}`;
    const argToken = `arg-${randomUUID()}`;
    const client = `{
  "mcpServers": {
    "github": { "command": "npx", "args": ["-y", "srv", "--token", "${argToken}"], "env": { "GITHUB_TOKEN": "${ghToken}" } },
    "remote": { "url": "https://x.example/mcp", "headers": { "Authorization": "Bearer ${remoteToken}" } },
    "pool": { "command": "node", "args": ["tunable.mjs"], "env": { "WORKERS": "1" } }
  }
}
`;
    writeFileSync(join(dir, 'claude.json'), client);
    const dry = await runCli(['tune', '--apply-from', out, 'claude.json', '--server', 'pool'], { cwd: dir, timeoutMs: 20_000 });
    expect(dry.code, dry.stderr).toBe(0);
    const shown = dry.stdout + dry.stderr;
    // The context lines are there, masked; the change itself is visible.
    expect(shown).toContain(`     "github": { "command": "npx", "args": ["-y", "srv", "--token", "***"], "env": { "GITHUB_TOKEN": "***" } },`);
    expect(shown).toContain(`     "remote": { "url": "https://x.example/mcp", "headers": { "Authorization": "***" } },`);
    expect(shown).toMatch(/\n-\s+"pool": .*"WORKERS": "1" \} \}\n\+\s+"pool": .*"WORKERS": "4" \} \}\n/);
    for (const secret of [ghToken, remoteToken, argToken]) expect(shown).not.toContain(secret);

    const write = await runCli(['tune', '--apply-from', out, 'claude.json', '--server', 'pool', '--yes'], { cwd: dir, timeoutMs: 20_000 });
    expect(write.code, write.stderr).toBe(0);
    expect(readFileSync(join(dir, 'claude.json'), 'utf8')).toBe(client.replace('"WORKERS": "1"', '"WORKERS": "4"'));
    for (const secret of [ghToken, remoteToken, argToken]) expect(write.stdout + write.stderr).not.toContain(secret);
  });
});

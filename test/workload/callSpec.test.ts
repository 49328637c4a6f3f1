import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseCallSpec } from '../../src/workload/callSpec.js';

/** Parse a bad spec and return the UsageError, failing if it parsed or threw something else. */
function errorOf(spec: string): UsageError {
  try {
    parseCallSpec(spec);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error(`expected ${spec} to be rejected`);
}

describe('parseCallSpec', () => {
  it('parses a bare name with weight 1 and no arguments', () => {
    expect(parseCallSpec('echo')).toEqual({ name: 'echo', weight: 1, args: {} });
  });

  it('parses name={json}', () => {
    expect(parseCallSpec('echo={"message":"hi"}')).toEqual({ name: 'echo', weight: 1, args: { message: 'hi' } });
  });

  it('parses name:weight={json} and name:weight', () => {
    expect(parseCallSpec('search:3={"q":"x"}')).toEqual({ name: 'search', weight: 3, args: { q: 'x' } });
    expect(parseCallSpec('search:0.5')).toEqual({ name: 'search', weight: 0.5, args: {} });
    expect(parseCallSpec('search:.25={}').weight).toBe(0.25);
  });

  it('accepts SEP-986 names with dots, slashes, dashes and underscores, and = or : inside the JSON', () => {
    expect(parseCallSpec('github.search/issues-v2_x:2={"q":"a=b:c","n":{"k":[1,2]}}')).toEqual({
      name: 'github.search/issues-v2_x',
      weight: 2,
      args: { q: 'a=b:c', n: { k: [1, 2] } },
    });
  });

  it('keeps a "__proto__" argument as a plain key', () => {
    const spec = parseCallSpec('t={"__proto__":{"polluted":1}}');
    expect(Object.hasOwn(spec.args, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  const bad: Array<[string, string, RegExp]> = [
    ['empty spec', '', /tool name .* is empty/],
    ['empty name before =', '={"a":1}', /tool name .* is empty/],
    ['empty name before :', ':2', /tool name .* is empty/],
    ['whitespace in the name', 'my tool', /whitespace/],
    ['invalid JSON', 'search={"q":', /not valid JSON \(.+\)/],
    ['JSON without quotes (shell ate them)', 'search={q:1}', /not valid JSON/],
    ['nothing after =', 'search=', /nothing follows "="/],
    ['args an array', 'search=[1,2]', /must be a JSON object .* not an array/],
    ['args null', 'search=null', /not null/],
    ['args a number', 'search=42', /not a number/],
    ['args a string', 'search="q"', /not a string/],
    ['weight zero', 'search:0={}', /positive number/],
    ['weight negative', 'search:-1', /positive number/],
    ['weight not a number', 'search:often', /positive number/],
    ['weight empty', 'search:={}', /positive number/],
    ['weight exponent', 'search:1e400', /positive number/],
    ['weight hex', 'search:0x10', /positive number/],
    ['JSON where the weight goes', 'search:{"q":1}', /looks like JSON/],
  ];
  for (const [what, spec, problem] of bad) {
    it(`rejects ${what} with a UsageError naming --call and the value`, () => {
      const err = errorOf(spec);
      expect(err.exitCode).toBe(2);
      expect(err.message).toMatch(/^--call /);
      expect(err.message).toContain(`'${spec}'`);
      expect(err.message).toMatch(problem);
      expect(err.message).toContain(`Example: --call 'search:3={"query":"mcp"}'`);
      expect(err.message).not.toContain('\n');
    });
  }

  it('quotes a value containing a single quote so it can be retyped', () => {
    expect(errorOf(`t={"q":'x'}`).message).toContain(JSON.stringify(`t={"q":'x'}`));
  });

  it('cuts a huge bad value in the message', () => {
    const huge = `t={"q":"${'x'.repeat(100_000)}"`;
    expect(errorOf(huge).message.length).toBeLessThan(1000);
  });
});

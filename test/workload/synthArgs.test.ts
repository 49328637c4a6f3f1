import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { MAX_SYNTH_ITEMS, synthesizeArgs, unsynthesisableReason } from '../../src/workload/synthArgs.js';
import { violations } from './checkSchema.js';

const DRAFT7 = 'http://json-schema.org/draft-07/schema#';
const DRAFT2020 = 'https://json-schema.org/draft/2020-12/schema';

/** Synthesize, then assert the result validates and is complete. */
function validArgs(schema: unknown): Record<string, unknown> {
  const out = synthesizeArgs(schema);
  expect(violations(schema, out.args)).toEqual([]);
  expect(out.notes).toEqual([]);
  expect(out.complete).toBe(true);
  return out.args;
}

describe('synthesizeArgs on schemas as the SDK emits them', () => {
  it('fills a single required string (server-everything "echo")', () => {
    const schema = {
      $schema: DRAFT7,
      type: 'object',
      properties: { message: { type: 'string', description: 'Message to echo' } },
      required: ['message'],
      additionalProperties: false,
    };
    expect(validArgs(schema)).toEqual({ message: 'mcp-opt' });
  });

  it('sends only required properties and prefers 1 for numbers', () => {
    const schema = {
      $schema: DRAFT7,
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' }, verbose: { type: 'boolean' } },
      required: ['a', 'b'],
    };
    expect(validArgs(schema)).toEqual({ a: 1, b: 1 });
  });

  it('returns {} for a tool with no parameters', () => {
    expect(validArgs({ $schema: DRAFT7, type: 'object', properties: {} })).toEqual({});
    expect(validArgs({ type: 'object' })).toEqual({});
  });

  it('handles enums, nested objects, arrays with minItems, formats and zod patterns', () => {
    const schema = {
      $schema: DRAFT2020,
      type: 'object',
      properties: {
        sort: { type: 'string', enum: ['relevance', 'date'] },
        limit: { type: 'integer', minimum: 3, maximum: 9 },
        email: {
          type: 'string',
          format: 'email',
          pattern: "^(?:[A-Za-z0-9_'+\\-]+\\.)*[A-Za-z0-9_'+\\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\\-]*\\.)+[A-Za-z]{2,}$",
        },
        since: {
          type: 'string',
          format: 'date-time',
          pattern:
            '^(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))T(?:(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z))$',
        },
        id: {
          type: 'string',
          format: 'uuid',
          pattern:
            '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$',
        },
        site: { type: 'string', format: 'uri' },
        day: { type: 'string', format: 'date' },
        tags: { minItems: 2, type: 'array', items: { type: 'string', minLength: 10 } },
        filter: {
          type: 'object',
          properties: { field: { type: 'string' }, exact: { type: 'boolean' }, note: { type: 'string' } },
          required: ['field', 'exact'],
          additionalProperties: false,
        },
        kind: { type: 'string', const: 'search' },
      },
      required: ['sort', 'limit', 'email', 'since', 'id', 'site', 'day', 'tags', 'filter', 'kind'],
      additionalProperties: false,
    };
    const args = validArgs(schema);
    expect(args.sort).toBe('relevance');
    expect(args.limit).toBe(3);
    expect(args.tags).toEqual(['mcp-optxxx', 'mcp-optxxx']);
    expect(args.filter).toEqual({ field: 'mcp-opt', exact: false });
    expect(args.kind).toBe('search');
  });

  it('follows $ref into $defs (2020-12) and definitions (draft-07)', () => {
    const modern = {
      $schema: DRAFT2020,
      type: 'object',
      properties: { where: { $ref: '#/$defs/Point' } },
      required: ['where'],
      $defs: { Point: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'] } },
    };
    expect(validArgs(modern)).toEqual({ where: { x: 1, y: 1 } });
    const legacy = {
      $schema: DRAFT7,
      $ref: '#/definitions/Args',
      definitions: {
        Args: { type: 'object', properties: { unit: { $ref: '#/definitions/Unit' } }, required: ['unit'] },
        Unit: { type: 'string', enum: ['c', 'f'] },
      },
    };
    expect(validArgs(legacy)).toEqual({ unit: 'c' });
  });

  it('stops a recursive required $ref at the depth cap and says so', () => {
    const schema = {
      type: 'object',
      properties: { node: { $ref: '#/$defs/Node' } },
      required: ['node'],
      $defs: { Node: { type: 'object', properties: { child: { $ref: '#/$defs/Node' } }, required: ['child'] } },
    };
    const out = synthesizeArgs(schema);
    expect(out.complete).toBe(false);
    expect(out.notes.join('\n')).toMatch(/nested deeper than/);
    // An optional recursive child is simply left out.
    const tree = {
      type: 'object',
      properties: { root: { $ref: '#/$defs/T' } },
      required: ['root'],
      $defs: { T: { type: 'object', properties: { label: { type: 'string' }, kids: { type: 'array', items: { $ref: '#/$defs/T' } } }, required: ['label'] } },
    };
    expect(validArgs(tree)).toEqual({ root: { label: 'mcp-opt' } });
  });

  it('survives a $ref cycle with no structure in between', () => {
    const schema = { type: 'object', properties: { a: { $ref: '#/$defs/A' } }, required: ['a'], $defs: { A: { $ref: '#/$defs/A' } } };
    const out = synthesizeArgs(schema);
    expect(out.complete).toBe(false);
    expect(out.notes.join('\n')).toMatch(/nesting deeper/);
  });

  it('takes the first non-null branch of anyOf/oneOf and of type arrays', () => {
    const schema = {
      $schema: DRAFT7,
      type: 'object',
      properties: {
        cursor: { anyOf: [{ type: 'null' }, { type: 'string' }] },
        page: { type: ['null', 'integer'], minimum: 2 },
        target: { oneOf: [{ type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] }, { type: 'null' }] },
        onlyNull: { type: 'null' },
      },
      required: ['cursor', 'page', 'target', 'onlyNull'],
    };
    expect(validArgs(schema)).toEqual({ cursor: 'mcp-opt', page: 2, target: { id: 1 }, onlyNull: null });
  });

  it('merges allOf, including required from several parts and tightest bounds', () => {
    const schema = {
      type: 'object',
      allOf: [
        { properties: { q: { type: 'string' } }, required: ['q'] },
        { properties: { n: { type: 'integer', minimum: 2 } }, required: ['n'] },
        { properties: { n: { maximum: 40, minimum: 5 } } },
      ],
    };
    expect(validArgs(schema)).toEqual({ q: 'mcp-opt', n: 5 });
  });

  it('respects numeric bounds, exclusive bounds and multipleOf', () => {
    const schema = {
      type: 'object',
      properties: {
        inRange: { type: 'integer', minimum: 0, maximum: 100 },
        high: { type: 'integer', minimum: 3, maximum: 9 },
        positive: { type: 'number', exclusiveMinimum: 0 },
        aboveOne: { type: 'integer', exclusiveMinimum: 1 },
        fraction: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        step: { type: 'integer', minimum: 12, multipleOf: 5 },
        cents: { type: 'number', minimum: 1.01, multipleOf: 0.01 },
        negative: { type: 'integer', maximum: -3 },
        draft4: { type: 'integer', minimum: 1, exclusiveMinimum: true },
      },
      required: ['inRange', 'high', 'positive', 'aboveOne', 'fraction', 'step', 'cents', 'negative', 'draft4'],
    };
    const out = synthesizeArgs(schema);
    expect(out.args).toEqual({
      inRange: 1,
      high: 3,
      positive: 1,
      aboveOne: 2,
      fraction: 0.5,
      step: 15,
      cents: 1.01,
      negative: -3,
      draft4: 2,
    });
    expect(out.complete).toBe(true);
    // The draft-04 boolean form is not in the checker, so check the others with it.
    const { draft4: _draft4, ...rest } = schema.properties;
    expect(violations({ ...schema, properties: rest, required: Object.keys(rest) }, out.args)).toEqual([]);
  });

  it('honours const, then default (when allowed by enum), then enum, then examples', () => {
    const schema = {
      type: 'object',
      properties: {
        c: { type: 'string', const: 'fixed', default: 'other' },
        d: { type: 'integer', default: 25, minimum: 1 },
        e: { type: 'string', enum: ['a', 'b'], default: 'b' },
        badDefault: { type: 'string', enum: ['a', 'b'], default: 'zzz' },
        ex: { type: 'string', examples: ['London', 'Paris'] },
        nullableEnum: { enum: [null, 'x'] },
      },
      required: ['c', 'd', 'e', 'badDefault', 'ex', 'nullableEnum'],
    };
    expect(validArgs(schema)).toEqual({ c: 'fixed', d: 25, e: 'b', badDefault: 'a', ex: 'London', nullableEnum: 'x' });
  });

  it('builds tuples from prefixItems (2020-12) and items arrays (draft-07)', () => {
    const modern = {
      type: 'object',
      properties: { pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], minItems: 2, maxItems: 2 } },
      required: ['pair'],
    };
    expect(validArgs(modern)).toEqual({ pair: ['mcp-opt', 1] });
    const legacy = {
      type: 'object',
      properties: { pair: { type: 'array', items: [{ type: 'boolean' }, { type: 'number' }], minItems: 2 } },
      required: ['pair'],
    };
    expect(validArgs(legacy)).toEqual({ pair: [false, 1] });
  });

  it('satisfies simple patterns and length limits', () => {
    const schema = {
      type: 'object',
      properties: {
        code: { type: 'string', pattern: '^[A-Z]{3}-\\d{4}$' },
        slug: { type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' },
        unanchored: { type: 'string', pattern: 'opt' },
        short: { type: 'string', maxLength: 3 },
        long: { type: 'string', minLength: 12 },
        choice: { type: 'string', pattern: '^(red|green)$' },
      },
      required: ['code', 'slug', 'unanchored', 'short', 'long', 'choice'],
    };
    const args = validArgs(schema);
    expect(args.code).toBe('AAA-0000');
    expect(args.slug).toBe('mcp-opt');
    expect(args.short).toBe('mcp');
    expect(args.choice).toBe('red');
  });

  it('marks the result incomplete when a pattern cannot be satisfied or is invalid', () => {
    const impossible = synthesizeArgs({ type: 'object', properties: { s: { type: 'string', pattern: '^(?=a)b$' } }, required: ['s'] });
    expect(impossible.complete).toBe(false);
    expect(impossible.notes[0]).toMatch(/^\/s: could not satisfy pattern/);
    const invalid = synthesizeArgs({ type: 'object', properties: { s: { type: 'string', pattern: '(' } }, required: ['s'] });
    expect(invalid.complete).toBe(false);
    expect(invalid.notes[0]).toMatch(/not a valid ECMA-262 regex/);
  });

  it('marks the result incomplete for unresolvable refs, impossible bounds and unknown formats', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ $ref: 'https://example.com/schema.json' }, /cannot resolve \$ref/],
      [{ $ref: '#/$defs/Missing' }, /cannot resolve \$ref/],
      [{ type: 'integer', minimum: 5, maximum: 2 }, /no integer satisfies/],
      [{ type: 'string', format: 'credit-card' }, /unknown string format/],
      [{ enum: [] }, /enum is empty/],
      [false, /no value is valid/],
      [{ allOf: [{ type: 'string' }, { type: 'integer' }] }, /incompatible types/],
      [{ type: 'array', items: { type: 'string' }, minItems: 2, uniqueItems: true }, /uniqueItems/],
    ];
    for (const [prop, note] of cases) {
      const out = synthesizeArgs({ type: 'object', properties: { p: prop }, required: ['p'] });
      expect(out.complete, JSON.stringify(prop)).toBe(false);
      expect(out.notes.join('\n'), JSON.stringify(prop)).toMatch(note);
      expect(Object.keys(out.args)).toEqual(['p']);
    }
  });

  it('never throws on weird input and never pollutes prototypes', () => {
    const cyclic: Record<string, unknown> = { type: 'object', required: ['self'] };
    cyclic.properties = { self: cyclic };
    const weird: unknown[] = [
      undefined, null, 42, 'x', [], true, false, cyclic,
      { type: 'object', required: 'notAnArray', properties: 7 },
      { type: 'string' },
      { type: 'object', required: [1, null, 'ok'] },
      { type: 'object', properties: { a: { type: 'array', minItems: 1e9 } }, required: ['a'] },
      { type: 'object', properties: { a: { type: 'string', minLength: 1e9 } }, required: ['a'] },
      { type: 'object', properties: { a: { type: 'wat' } }, required: ['a'] },
    ];
    for (const schema of weird) {
      const out = synthesizeArgs(schema);
      expect(typeof out.args).toBe('object');
      expect(Array.isArray(out.args)).toBe(false);
    }
    expect(synthesizeArgs(undefined).complete).toBe(false);
    expect(synthesizeArgs({ type: 'string' }).args).toEqual({});
    expect((synthesizeArgs({ type: 'object', properties: { a: { type: 'array', minItems: 1e9 } }, required: ['a'] }).args.a as unknown[]).length).toBe(MAX_SYNTH_ITEMS);

    const proto = synthesizeArgs(JSON.parse('{"type":"object","properties":{"__proto__":{"type":"integer"}},"required":["__proto__","constructor"]}'));
    expect(Object.getPrototypeOf(proto.args)).toBe(Object.prototype);
    expect(Object.hasOwn(proto.args, '__proto__')).toBe(true);
    expect(proto.args.constructor).toBe('mcp-opt'); // no schema: guessed, not Object.prototype.constructor
    expect(proto.complete).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('synthesizeArgs against zod itself', () => {
  // zod is what SDK servers validate with; its own parse is an independent check.
  const shapes = {
    search: z.object({ query: z.string().min(1), limit: z.number().int().min(1).max(50).optional() }),
    event: z.object({
      title: z.string().max(5),
      when: z.string().datetime(),
      contact: z.string().email(),
      id: z.string().uuid(),
      site: z.string().url(),
      kind: z.enum(['meeting', 'call']),
      attendees: z.array(z.object({ name: z.string(), age: z.number().int().gte(18) })).min(2),
      note: z.string().nullable(),
      pinned: z.literal(true),
      score: z.number().gt(0).lt(1),
      weight: z.number().multipleOf(0.25).min(3.1),
      tuple: z.tuple([z.string(), z.number()]),
      meta: z.record(z.string(), z.number()),
      either: z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]),
      both: z.intersection(z.object({ a: z.string() }), z.object({ b: z.boolean() })),
      code: z.string().regex(/^[A-Z]{2}\d{3}$/),
    }),
  };
  for (const [name, shape] of Object.entries(shapes)) {
    for (const target of ['draft-7', 'draft-2020-12'] as const) {
      it(`makes arguments zod accepts for "${name}" (${target})`, () => {
        const schema = z.toJSONSchema(shape, { target, io: 'input' });
        const out = synthesizeArgs(schema);
        const parsed = shape.safeParse(out.args);
        expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
        expect(out.notes).toEqual([]);
        expect(out.complete).toBe(true);
      });
    }
  }
});

describe('synthesizeArgs within a depth and size budget', () => {
  it('gives up on a schema that requires itself twice, quickly, and calls it a recursive schema', () => {
    // Before the budget: 2^24 values at the depth cap, 100 % CPU, out of memory at 4 GB.
    const schema = { type: 'object', properties: { left: { $ref: '#' }, right: { $ref: '#' } }, required: ['left', 'right'] };
    const out = synthesizeArgs(schema);
    expect(out.unsatisfiable).toMatch(/^recursive schema \(/);
    expect(unsynthesisableReason(out)).toMatch(/^arguments could not be synthesised: recursive schema/);
    expect(out.args).toEqual({});
    expect(out.complete).toBe(false);
  });

  it('calls a required chain that never ends (one self-reference) and a bare $ref cycle recursive too', () => {
    const chain = { type: 'object', properties: { next: { $ref: '#' } }, required: ['next'] };
    expect(synthesizeArgs(chain).unsatisfiable).toMatch(/^recursive schema \(a required value at \/next(\/next)+… nests deeper than 24 levels\)/);
    const cycle = { type: 'object', properties: { a: { $ref: '#/$defs/A' } }, required: ['a'], $defs: { A: { $ref: '#/$defs/A' } } };
    expect(synthesizeArgs(cycle).unsatisfiable).toMatch(/^recursive schema/);
  });

  it('bounds allOf that doubles a self-reference, and a huge non-recursive schema', () => {
    const doubled = { allOf: [{ $ref: '#' }, { $ref: '#' }], type: 'object' };
    expect(synthesizeArgs(doubled).unsatisfiable).toMatch(/^recursive schema/);
    const nest = (depth: number): unknown => (depth === 0 ? { type: 'string' } : { type: 'array', minItems: 100, items: nest(depth - 1) });
    const huge = { type: 'object', properties: { a: nest(4) }, required: ['a'] };
    expect(synthesizeArgs(huge).unsatisfiable).toMatch(/^schema too large/);
  });

  it('keeps recursive schemas that a finite value satisfies (the recursion is optional)', () => {
    const tree = { type: 'object', properties: { label: { type: 'string' }, kids: { type: 'array', items: { $ref: '#' } } }, required: ['label'] };
    const out = synthesizeArgs(tree);
    expect(out.unsatisfiable).toBeNull();
    expect(out.args).toEqual({ label: 'mcp-opt' });
  });
});

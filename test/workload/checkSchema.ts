/**
 * A small, independent JSON Schema checker for the synthesis tests (the keywords tool schemas
 * use). Returns one line per violation, so a failing test says what was wrong and where.
 */
type Obj = Record<string, unknown>;

const FORMATS: Record<string, RegExp> = {
  email: /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i,
  uri: /^[a-z][a-z0-9+.-]*:\/\/\S+$/i,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  ipv4: /^(\d{1,3}\.){3}\d{1,3}$/,
};

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function resolve(ref: string, root: unknown): unknown {
  let node = root;
  for (const seg of ref.replace(/^#/, '').split('/').slice(1)) node = (node as Obj)[seg];
  return node;
}

/** Violations of `schema` by `value`; empty when valid. */
export function violations(schema: unknown, value: unknown, root: unknown = schema, path = ''): string[] {
  if (schema === true || schema === undefined) return [];
  if (schema === false) return [`${path}: false schema`];
  const s = schema as Obj;
  const out: string[] = [];
  const at = path || '(root)';
  if (typeof s.$ref === 'string') out.push(...violations(resolve(s.$ref, root), value, root, path));
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) out.push(...violations(sub, value, root, path));
  if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => violations(sub, value, root, path).length === 0)) {
    out.push(`${at}: matches no anyOf branch`);
  }
  if (Array.isArray(s.oneOf)) {
    const matches = s.oneOf.filter((sub) => violations(sub, value, root, path).length === 0).length;
    if (matches !== 1) out.push(`${at}: matches ${matches} oneOf branches`);
  }
  if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(value)) out.push(`${at}: not const`);
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    out.push(`${at}: not in enum`);
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const t = typeOf(value);
    const ok = types.some(
      (want) => want === t || (want === 'integer' && Number.isInteger(value)) || (want === 'number' && t === 'number'),
    );
    if (!ok) out.push(`${at}: type ${t} is not ${types.join('|')}`);
  }
  if (typeof value === 'string') {
    const len = [...value].length;
    if (typeof s.minLength === 'number' && len < s.minLength) out.push(`${at}: shorter than ${s.minLength}`);
    if (typeof s.maxLength === 'number' && len > s.maxLength) out.push(`${at}: longer than ${s.maxLength}`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) out.push(`${at}: pattern`);
    const fmt = typeof s.format === 'string' ? FORMATS[s.format] : undefined;
    if (fmt && !fmt.test(value)) out.push(`${at}: format ${String(s.format)}`);
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) out.push(`${at}: < minimum`);
    if (typeof s.maximum === 'number' && value > s.maximum) out.push(`${at}: > maximum`);
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) out.push(`${at}: <= exclusiveMinimum`);
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) out.push(`${at}: >= exclusiveMaximum`);
    if (typeof s.multipleOf === 'number') {
      const q = value / s.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9) out.push(`${at}: not multipleOf ${s.multipleOf}`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) out.push(`${at}: fewer than minItems`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) out.push(`${at}: more than maxItems`);
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
    const rest = Array.isArray(s.items) ? s.additionalItems : s.items;
    value.forEach((item, i) => out.push(...violations(i < prefix.length ? prefix[i] : rest, item, root, `${path}/${i}`)));
  }
  if (isObj(value)) {
    const props = isObj(s.properties) ? s.properties : {};
    if (Array.isArray(s.required)) {
      for (const key of s.required as string[]) if (!Object.hasOwn(value, key)) out.push(`${at}: missing ${key}`);
    }
    for (const [key, v] of Object.entries(value)) {
      if (Object.hasOwn(props, key)) out.push(...violations(props[key], v, root, `${path}/${key}`));
      else if (s.additionalProperties === false) out.push(`${at}: unexpected ${key}`);
    }
  }
  return out;
}

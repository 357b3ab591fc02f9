// A tiny JSON Schema (2020-12) checker for the subset docs/trace.schema.json uses:
// type, const, enum, required, properties, items, additionalProperties, propertyNames/not,
// minimum and local $ref. Returns the paths that fail, empty when the value conforms.

type Schema = Record<string, any>;

export function checkSchema(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  const resolve = (s: Schema): Schema => {
    if (typeof s.$ref !== 'string') return s;
    const parts = s.$ref.replace(/^#\//, '').split('/');
    let t: any = root;
    for (const p of parts) t = t[p];
    if (!t) throw new Error(`unresolved ${s.$ref}`);
    return resolve(t);
  };
  const typeOf = (v: unknown): string[] => {
    if (v === null) return ['null'];
    if (Array.isArray(v)) return ['array'];
    if (typeof v === 'number') return Number.isInteger(v) ? ['integer', 'number'] : ['number'];
    return [typeof v];
  };
  const visit = (schema: Schema, v: unknown, path: string): void => {
    const s = resolve(schema);
    if (s.type !== undefined) {
      const want: string[] = Array.isArray(s.type) ? s.type : [s.type];
      if (!typeOf(v).some((t) => want.includes(t))) {
        errors.push(`${path}: expected ${want.join('|')}`);
        return;
      }
    }
    if ('const' in s && v !== s.const) errors.push(`${path}: expected ${JSON.stringify(s.const)}`);
    if (s.enum && !s.enum.includes(v)) errors.push(`${path}: not in enum`);
    if (typeof s.minimum === 'number' && typeof v === 'number' && v < s.minimum) errors.push(`${path}: below minimum`);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      for (const k of s.required ?? []) if (!Object.prototype.hasOwnProperty.call(o, k)) errors.push(`${path}.${k}: required`);
      for (const [k, sub] of Object.entries(s.properties ?? {})) if (Object.prototype.hasOwnProperty.call(o, k)) visit(sub as Schema, o[k], `${path}.${k}`);
      if (s.additionalProperties && typeof s.additionalProperties === 'object') {
        for (const k of Object.keys(o)) if (!(s.properties && k in s.properties)) visit(s.additionalProperties, o[k], `${path}.${k}`);
      }
      if (s.propertyNames?.not?.enum) for (const k of Object.keys(o)) if (s.propertyNames.not.enum.includes(k)) errors.push(`${path}: forbidden key ${k}`);
    }
    if (Array.isArray(v) && s.items) v.forEach((x, i) => visit(s.items, x, `${path}[${i}]`));
  };
  visit(root, value, '$');
  return errors;
}

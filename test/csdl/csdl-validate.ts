import { allProperties, derivesFrom, type CsdlProperty, type CsdlSchema } from './csdl-schema';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Check one value against an Edm or schema type; push problems with a JSON path. */
function checkValue(schema: CsdlSchema, v: unknown, type: string, path: string, problems: string[]): void {
  switch (type) {
    case 'Edm.String': if (typeof v !== 'string') problems.push(`${path}: expected string, got ${typeof v}`); return;
    case 'Edm.Boolean': if (typeof v !== 'boolean') problems.push(`${path}: expected boolean, got ${typeof v}`); return;
    case 'Edm.Int32': case 'Edm.Int64': case 'Edm.Int16': case 'Edm.Byte':
      if (!Number.isInteger(v)) problems.push(`${path}: expected integer, got ${JSON.stringify(v)}`); return;
    case 'Edm.Double': case 'Edm.Single': case 'Edm.Decimal': if (typeof v !== 'number') problems.push(`${path}: expected number`); return;
    case 'Edm.Guid': if (typeof v !== 'string' || !GUID.test(v)) problems.push(`${path}: expected Guid, got ${JSON.stringify(v)}`); return;
    case 'Edm.DateTimeOffset': if (typeof v !== 'string' || !DATE.test(v)) problems.push(`${path}: expected DateTimeOffset, got ${JSON.stringify(v)}`); return;
    case 'Edm.Binary': if (typeof v !== 'string' || !/^[A-Za-z0-9+/=_-]*$/.test(v)) problems.push(`${path}: expected base64 Binary`); return;
    case 'Edm.Date': if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) problems.push(`${path}: expected Date`); return;
    case 'Edm.TimeOfDay': case 'Edm.Duration': case 'Edm.Stream': if (typeof v !== 'string') problems.push(`${path}: expected string`); return;
  }
  const en = schema.enums.get(type);
  if (en) {
    if (typeof v !== 'string' || !v.split(',').every((m) => en.has(m.trim()))) problems.push(`${path}: ${JSON.stringify(v)} is not a member of ${type}`);
    return;
  }
  if (schema.types.has(type)) { validateObject(schema, v, type, path, problems); return; }
  problems.push(`${path}: unknown type ${type}`);
}

function checkProperty(schema: CsdlSchema, v: unknown, p: CsdlProperty, path: string, problems: string[]): void {
  if (v === null) { if (!p.nullable || p.collection) problems.push(`${path}: null not allowed`); return; }
  if (p.collection) {
    if (!Array.isArray(v)) { problems.push(`${path}: expected collection`); return; }
    v.forEach((x, i) => checkValue(schema, x, p.type, `${path}[${i}]`, problems));
    return;
  }
  checkValue(schema, v, p.type, path, problems);
}

/**
 * Validate a JSON object against an entity/complex type: every property must be declared (on the type, a
 * base type, or the derived type named by @odata.type) with a matching type. Instance annotations are allowed.
 */
export function validateObject(schema: CsdlSchema, obj: unknown, typeName: string, path = '$', problems: string[] = []): string[] {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) { problems.push(`${path}: expected object of ${typeName}`); return problems; }
  let type = typeName;
  const odataType = (obj as Record<string, unknown>)['@odata.type'];
  if (typeof odataType === 'string') {
    const t = odataType.replace(/^#/, '');
    if (!schema.types.has(t)) problems.push(`${path}: unknown @odata.type ${odataType}`);
    else if (!derivesFrom(schema, t, typeName)) problems.push(`${path}: ${t} does not derive from ${typeName}`);
    else type = t;
  }
  const props = allProperties(schema, type);
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (k.startsWith('@')) continue;
    if (k.includes('@odata.')) continue;
    const p = props.get(k);
    if (!p) { problems.push(`${path}.${k}: not a property of ${type}`); continue; }
    checkProperty(schema, v, p, `${path}.${k}`, problems);
  }
  return problems;
}

/** Validate an action's request body against its parameters. */
export function validateActionBody(schema: CsdlSchema, body: unknown, action: string, bindingType: string): string[] {
  const a = schema.actions.find((x) => x.name === action && x.binding === bindingType);
  if (!a) return [`no action ${action} bound to ${bindingType}`];
  const problems: string[] = [];
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    const p = a.params.get(k);
    if (!p) { problems.push(`$.${k}: not a parameter of ${action}`); continue; }
    checkProperty(schema, v, p, `$.${k}`, problems);
  }
  for (const [k, p] of a.params) if (!p.nullable && !(k in ((body ?? {}) as object))) problems.push(`$.${k}: required parameter missing`);
  return problems;
}

/** Graph's error envelope (not in the CSDL): error.code, error.message, error.innerError{date, request-id}. */
export function validateErrorBody(body: unknown): string[] {
  const e = (body as { error?: Record<string, unknown> })?.error;
  if (!e) return ['$: missing error'];
  const problems: string[] = [];
  if (typeof e.code !== 'string') problems.push('$.error.code: expected string');
  if (typeof e.message !== 'string') problems.push('$.error.message: expected string');
  const inner = e.innerError as Record<string, unknown> | undefined;
  if (!inner || typeof inner['request-id'] !== 'string' || typeof inner.date !== 'string') problems.push('$.error.innerError: expected date and request-id');
  return problems;
}

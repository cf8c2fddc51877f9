// OData $filter as Graph's directory service reads it: a tokenizer and a recursive-descent parser for
// or/and/not, parentheses, eq/ne/gt/ge/lt/le, in, startswith/endswith, any/all lambdas over collections
// (including `assignedLicenses/any(x:x/skuId eq …)`), and string, number, boolean, null, GUID and date literals.
import { GraphFail } from './graph-core';
import { canonicalProperty, noSuchProperty } from './csdl-model';

type Tok = { k: 'str' | 'num' | 'word' | 'punct'; v: string };
type Env = Record<string, unknown>;
type Expr = (o: unknown, env: Env) => unknown;

/** What the parsed filter needs from the request (ne, not and endsWith are advanced queries in Graph). */
export interface FilterInfo { test: (o: Record<string, unknown>) => boolean; advanced: string[] }

// "Invalid filter clause" is Graph's; the detail after it is the sandbox's. [unconfirmed]
const syntax = (detail: string) => new GraphFail(400, 'BadRequest', `Invalid filter clause: ${detail}`);

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      let v = '';
      for (i++; ; i++) {
        if (i >= s.length) throw syntax('unterminated string literal.');
        if (s[i] === "'" && s[i + 1] === "'") { v += "'"; i++; continue; }
        if (s[i] === "'") { i++; break; }
        v += s[i];
      }
      out.push({ k: 'str', v });
      continue;
    }
    const date = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/.exec(s.slice(i));
    if (date) { out.push({ k: 'word', v: date[0] }); i += date[0].length; continue; }
    if ('(),/:'.includes(c)) { out.push({ k: 'punct', v: c }); i++; continue; }
    const m = /^[A-Za-z0-9_.+\-$@#]+/.exec(s.slice(i));
    if (!m) throw syntax(`syntax error at position ${i}.`);
    const v = m[0];
    out.push({ k: /^-?\d+(\.\d+)?$/.test(v) ? 'num' : 'word', v });
    i += v.length;
  }
  return out;
}

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function norm(v: unknown): unknown {
  if (typeof v === 'string') return DATE.test(v) && v.includes('T') ? Date.parse(v) : v.toLowerCase();
  return v;
}
function compare(a: unknown, b: unknown): number | undefined {
  const x = norm(a), y = norm(b);
  if (x === null || x === undefined || y === null || y === undefined) return undefined;
  if (typeof x !== typeof y) return undefined;
  return x < y ? -1 : x > y ? 1 : 0;
}
const same = (a: unknown, b: unknown) => ((a ?? null) === null || (b ?? null) === null ? (a ?? null) === (b ?? null) : compare(a, b) === 0);

class Parser {
  private i = 0;
  readonly advanced = new Set<string>();
  constructor(private readonly toks: Tok[], private readonly type: string) {}
  private peek(): Tok | undefined { return this.toks[this.i]; }
  private word(w: string): boolean {
    const t = this.peek();
    if (t?.k === 'word' && t.v.toLowerCase() === w) { this.i++; return true; }
    return false;
  }
  private punct(p: string): boolean {
    if (this.peek()?.k === 'punct' && this.peek()!.v === p) { this.i++; return true; }
    return false;
  }
  private expect(p: string): void { if (!this.punct(p)) throw syntax(`'${p}' expected.`); }
  done(): void { if (this.i < this.toks.length) throw syntax(`unexpected '${this.peek()!.v}'.`); }

  or(types: Record<string, string>): Expr {
    let l = this.and(types);
    while (this.word('or')) { const a = l, b = this.and(types); l = (o, e) => !!a(o, e) || !!b(o, e); }
    return l;
  }
  private and(types: Record<string, string>): Expr {
    let l = this.unary(types);
    while (this.word('and')) { const a = l, b = this.unary(types); l = (o, e) => !!a(o, e) && !!b(o, e); }
    return l;
  }
  private unary(types: Record<string, string>): Expr {
    if (this.word('not')) { this.advanced.add('not'); const x = this.unary(types); return (o, e) => !x(o, e); }
    return this.comparison(types);
  }
  private comparison(types: Record<string, string>): Expr {
    const left = this.operand(types);
    const t = this.peek();
    if (t?.k !== 'word') return left;
    const op = t.v.toLowerCase();
    if (op === 'in') {
      this.i++;
      this.expect('(');
      const vals: unknown[] = [];
      if (!this.punct(')')) { do vals.push(this.literal()); while (this.punct(',')); this.expect(')'); }
      return (o, e) => vals.some((v) => same(left(o, e), v));
    }
    if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) return left;
    this.i++;
    if (op === 'ne') this.advanced.add('ne');
    const right = this.operand(types);
    return (o, e) => {
      const a = left(o, e), b = right(o, e);
      if (op === 'eq') return same(a, b);
      if (op === 'ne') return !same(a, b);
      const c = compare(a, b);
      return c !== undefined && (op === 'gt' ? c > 0 : op === 'ge' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0);
    };
  }
  private literal(): unknown {
    const t = this.toks[this.i++];
    if (!t) throw syntax('a value is expected.');
    if (t.k === 'str') return t.v;
    if (t.k === 'num') return Number(t.v);
    const w = t.v.toLowerCase();
    if (w === 'true' || w === 'false') return w === 'true';
    if (w === 'null') return null;
    if (GUID.test(t.v) || DATE.test(t.v)) return t.v;
    throw syntax(`'${t.v}' is not a literal.`);
  }
  private operand(types: Record<string, string>): Expr {
    if (this.punct('(')) { const x = this.or(types); this.expect(')'); return x; }
    const t = this.peek();
    if (!t) throw syntax('an expression is expected.');
    if (t.k !== 'word' || GUID.test(t.v) || DATE.test(t.v) || ['true', 'false', 'null'].includes(t.v.toLowerCase())) { const v = this.literal(); return () => v; }
    const fn = t.v.toLowerCase();
    if (this.toks[this.i + 1]?.v === '(' && ['startswith', 'endswith', 'contains'].includes(fn)) {
      this.i += 2;
      const a = this.operand(types);
      this.expect(',');
      const b = this.operand(types);
      this.expect(')');
      // Graph's directory objects have no contains(); endswith needs the advanced query headers.
      if (fn === 'contains') throw new GraphFail(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
      if (fn === 'endswith') this.advanced.add('endsWith');
      return (o, e) => {
        const x = a(o, e), y = b(o, e);
        if (typeof x !== 'string' || typeof y !== 'string') return false;
        return fn === 'startswith' ? x.toLowerCase().startsWith(y.toLowerCase()) : x.toLowerCase().endsWith(y.toLowerCase());
      };
    }
    if (this.toks[this.i + 1]?.v === '(' && !(t.v in types)) {
      throw new GraphFail(400, 'BadRequest', `An unknown function with name '${t.v}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`);
    }
    return this.path(types);
  }
  /** prop, prop/sub, var/sub, and prop/any(v: …) / prop/all(v: …). */
  private path(types: Record<string, string>): Expr {
    const first = this.toks[this.i++]!.v;
    let getter: Expr;
    let type: string;
    if (first in types) { type = types[first]!; getter = (_o, e) => e[first]; }
    else {
      const p = canonicalProperty(this.type, first);
      if (!p) throw noSuchProperty(this.type, first);
      type = p[1].type;
      getter = (o) => (o as Record<string, unknown> | null)?.[p[0]];
    }
    while (this.punct('/')) {
      const seg = this.toks[this.i++];
      if (!seg || seg.k !== 'word') throw syntax('a property name is expected after /.');
      const w = seg.v.toLowerCase();
      if ((w === 'any' || w === 'all') && this.punct('(')) {
        const coll = getter;
        if (this.punct(')')) return (o, e) => Array.isArray(coll(o, e)) && (coll(o, e) as unknown[]).length > 0;
        const v = this.toks[this.i++]?.v;
        if (!v) throw syntax('a lambda variable is expected.');
        this.expect(':');
        const body = this.or({ ...types, [v]: type });
        this.expect(')');
        return (o, e) => {
          const items = coll(o, e);
          if (!Array.isArray(items)) return false;
          return w === 'any' ? items.some((x) => !!body(o, { ...e, [v]: x })) : items.every((x) => !!body(o, { ...e, [v]: x }));
        };
      }
      if (type.startsWith('Edm.')) throw syntax(`'${seg.v}' is not a property of ${type}.`);
      const p = canonicalProperty(type, seg.v);
      if (!p) throw noSuchProperty(type, seg.v);
      const parent = getter;
      type = p[1].type;
      getter = (o, e) => (parent(o, e) as Record<string, unknown> | null)?.[p[0]];
    }
    return getter;
  }
}

/** Parse a $filter for objects of `type` (e.g. 'user'); throws Graph's 400s. */
export function parseFilter(filter: string | null, type: string): FilterInfo {
  if (!filter) return { test: () => true, advanced: [] };
  const p = new Parser(tokenize(filter), type);
  const expr = p.or({});
  p.done();
  return { test: (o) => !!expr(o, {}), advanced: [...p.advanced] };
}

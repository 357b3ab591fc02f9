// The text a person edits before a replay: a JavaScript-like literal that keeps every type
// the structured clone keeps, which JSON cannot (a Map arrives as {} there).
//
//   null true false undefined  NaN Infinity -Infinity -0  12.5 0x1f  123n (BigInt)
//   "text" 'text'  [1, , 3] (a hole)  { key: 1, "any key": 2 }
//   Map { "a" => 1, 2 => [3] }   Set { 1, 2 }   Date("2024-01-01T00:00:00.000Z")  Date(NaN)
//   /source/flags   TypeError("message") (Error, EvalError, RangeError, ReferenceError,
//   SyntaxError, TypeError, URIError)   Uint8Array [1, 2] (any typed array)
//   ArrayBuffer [0, 255] and DataView [0, 255] (their bytes)   // comments and /* comments */
//
// What a recorded sample did not keep is written as a `<…>` placeholder (`<cut 950 more
// items>`, `<port>`); the parser stops there and says what to write instead, so nothing the
// recording lost is ever invented. formatSample is pure; parseLiteral never throws, and
// reports the line, the column and what it expected.

import type { Sample } from '../protocol/sample';

export interface LiteralError {
  /** 1-based. */
  line: number;
  column: number;
  message: string;
}

export type LiteralResult = { ok: true; value: unknown } | { ok: false; error: LiteralError };

export const LITERAL_LIMITS = {
  /** Characters of text accepted. */
  length: 1_000_000,
  /** Levels of nested containers. */
  depth: 200,
} as const;

const ERROR_NAMES = ['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'] as const;
const ERRORS: Record<string, ErrorConstructor> = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };

type TypedArrayCtor = { new (n: number): ArrayLike<number | bigint> & { [i: number]: number | bigint }; BYTES_PER_ELEMENT: number };
const TYPED: Record<string, TypedArrayCtor> = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array: BigInt64Array as unknown as TypedArrayCtor,
  BigUint64Array: BigUint64Array as unknown as TypedArrayCtor,
};
/** Integer ranges of the integer arrays; floats take any number, bigint arrays bigints in range. */
const RANGES: Record<string, [number | bigint, number | bigint]> = {
  Int8Array: [-128, 127],
  Uint8Array: [0, 255],
  Uint8ClampedArray: [0, 255],
  Int16Array: [-32768, 32767],
  Uint16Array: [0, 65535],
  Int32Array: [-2147483648, 2147483647],
  Uint32Array: [0, 4294967295],
  BigInt64Array: [-(2n ** 63n), 2n ** 63n - 1n],
  BigUint64Array: [0n, 2n ** 64n - 1n],
};

// ───────────────────────── formatting: Sample → text ─────────────────────────

/** Lines longer than this are broken, one entry per line. */
const WIDTH = 72;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatSample(s: Sample): string {
  return fmt(s, '');
}

function fmt(s: Sample, indent: string): string {
  if (s === null) return 'null';
  if (typeof s === 'boolean') return String(s);
  if (typeof s === 'number') return Object.is(s, -0) ? '-0' : String(s);
  if (typeof s === 'string') return JSON.stringify(s);
  switch (s.$) {
    case 'str':
      return `${JSON.stringify(s.head)} <cut: the string had ${s.length} characters>`;
    case 'undefined':
      return 'undefined';
    case 'number':
      return s.v;
    case 'bigint':
      return `${s.v}n`;
    case 'date':
      return s.v === null || !Number.isFinite(s.v) ? 'Date(NaN)' : `Date(${JSON.stringify(new Date(s.v).toISOString())})`;
    case 'regexp':
      return `/${s.source || '(?:)'}/${s.flags}`;
    case 'hole':
      return '';
    case 'array': {
      const items = s.items.map((x) => fmt(x, indent + '  '));
      if (s.length > s.items.length) items.push(`<cut ${s.length - s.items.length} more items>`);
      // A hole at the end needs its own comma to count.
      const tailHole = s.items.length > 0 && s.length === s.items.length && isHole(s.items[s.items.length - 1]);
      return list('[', items, ']', indent, tailHole ? ',' : '');
    }
    case 'object': {
      const items = s.entries.map(([k, v]) => `${IDENT.test(k) && k !== '__proto__' ? k : JSON.stringify(k)}: ${fmt(v, indent + '  ')}`);
      if (s.count > s.entries.length) items.push(`<cut ${s.count - s.entries.length} more entries>`);
      return list('{', items, '}', indent);
    }
    case 'map': {
      const items = s.entries.map(([k, v]) => `${fmt(k, indent + '  ')} => ${fmt(v, indent + '  ')}`);
      if (s.size > s.entries.length) items.push(`<cut ${s.size - s.entries.length} more entries>`);
      return 'Map ' + list('{', items, '}', indent);
    }
    case 'set': {
      const items = s.items.map((x) => fmt(x, indent + '  '));
      if (s.size > s.items.length) items.push(`<cut ${s.size - s.items.length} more items>`);
      return 'Set ' + list('{', items, '}', indent);
    }
    case 'bytes':
      return fmtBytes(s, indent);
    case 'error':
      return `${(ERROR_NAMES as readonly string[]).includes(s.name) ? s.name : 'Error'}(${JSON.stringify(s.message)})`;
    case 'port':
      return '<port: a MessagePort cannot be replayed>';
    case 'blob':
      return `<${s.kind}${s.name !== undefined ? ' ' + JSON.stringify(s.name) : ''} of ${s.size} bytes: not kept by the recording>`;
    case 'other':
      return `<${s.kind}: not kept by the recording>`;
    case 'circular':
      return '<circular: a reference to a value higher up>';
    case 'cut':
      return `<cut ${s.kind}>`;
    default:
      return `<unknown>`;
  }
}

function isHole(s: Sample): boolean {
  return typeof s === 'object' && s !== null && s.$ === 'hole';
}

function list(open: string, items: string[], close: string, indent: string, trail = ''): string {
  if (items.length === 0) return open + trail + close;
  const pad = open === '[' ? '' : ' ';
  const inline = open + pad + items.join(', ') + trail + pad + close;
  if (inline.length + indent.length <= WIDTH && !inline.includes('\n')) return inline;
  const inner = indent + '  ';
  return `${open}\n${items.map((x) => inner + x).join(',\n')}${trail || ','}\n${indent}${close}`;
}

function fmtBytes(s: Extract<Sample, { $: 'bytes' }>, indent: string): string {
  const ctor = TYPED[s.kind];
  const size = ctor ? ctor.BYTES_PER_ELEMENT : 1;
  const whole = s.head.length >= s.byteLength;
  const usable = Math.floor(Math.min(s.head.length, s.byteLength) / size) * size;
  const items: string[] = [];
  if (ctor) {
    const view = new ctor(usable / size);
    new Uint8Array((view as unknown as Uint8Array).buffer).set(s.head.slice(0, usable));
    for (let i = 0; i < view.length; i++) {
      const v = view[i];
      items.push(typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : String(v));
    }
  } else for (let i = 0; i < usable; i++) items.push(String(s.head[i]));
  if (!whole) items.push(`<cut ${s.byteLength - usable} more bytes>`);
  const kind = ctor || s.kind === 'ArrayBuffer' || s.kind === 'DataView' ? s.kind : 'ArrayBuffer';
  return `${kind} ${list('[', items, ']', indent)}`;
}

/** Why a sample is not the whole value (empty: it can be replayed as it was). */
export function sampleGaps(s: Sample): string[] {
  const gaps = new Set<string>();
  const walk = (x: Sample): void => {
    if (x === null || typeof x !== 'object') return;
    switch (x.$) {
      case 'str':
        gaps.add('a long string was cut');
        return;
      case 'array':
        if (x.length > x.items.length) gaps.add('an array was cut');
        x.items.forEach(walk);
        return;
      case 'object':
        if (x.count > x.entries.length) gaps.add('an object was cut');
        x.entries.forEach(([, v]) => walk(v));
        return;
      case 'map':
        if (x.size > x.entries.length) gaps.add('a Map was cut');
        x.entries.forEach(([k, v]) => (walk(k), walk(v)));
        return;
      case 'set':
        if (x.size > x.items.length) gaps.add('a Set was cut');
        x.items.forEach(walk);
        return;
      case 'bytes':
        if (x.head.length < x.byteLength) gaps.add(`only the first ${x.head.length} of ${x.byteLength} bytes of a ${x.kind} were kept`);
        return;
      case 'port':
        gaps.add('it holds a MessagePort (ports and other transferables cannot be replayed)');
        return;
      case 'blob':
      case 'other':
        gaps.add(`it holds a ${x.kind}, which the recording does not keep`);
        return;
      case 'circular':
        gaps.add('it refers to itself (cycles are not kept)');
        return;
      case 'cut':
        gaps.add('deep or large parts were cut');
        return;
    }
  };
  walk(s);
  return [...gaps];
}

// ───────────────────────── parsing: text → value ─────────────────────────

class Fail {
  constructor(
    readonly at: number,
    readonly message: string,
  ) {}
}

export function parseLiteral(text: string): LiteralResult {
  if (typeof text !== 'string') return { ok: false, error: { line: 1, column: 1, message: 'expected text' } };
  if (text.length > LITERAL_LIMITS.length) {
    return { ok: false, error: { line: 1, column: 1, message: `the text has ${text.length} characters; at most ${LITERAL_LIMITS.length} are accepted` } };
  }
  const p = new Parser(text);
  try {
    p.space();
    if (p.pos >= text.length) throw new Fail(p.pos, 'expected a value, found the end of the text');
    const value = p.value(0);
    p.space();
    if (p.pos < text.length) throw new Fail(p.pos, `expected the end of the text after the value, found ${p.found()}`);
    return { ok: true, value };
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    return { ok: false, error: { ...lineCol(text, e.at), message: e.message } };
  }
}

function lineCol(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < at && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: at - start + 1 };
}

const NUMBER = /(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)n?/y;
const WORD = /[A-Za-z_$][A-Za-z0-9_$]*/y;

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  found(): string {
    if (this.pos >= this.s.length) return 'the end of the text';
    const c = this.s.codePointAt(this.pos) as number;
    return c < 32 ? `the character U+${c.toString(16).toUpperCase().padStart(4, '0')}` : `'${String.fromCodePoint(c)}'`;
  }

  private expected(what: string): never {
    throw new Fail(this.pos, `expected ${what}, found ${this.found()}`);
  }

  /** Skips white space and comments. */
  space(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0xfeff) this.pos++;
      else if (c === 47 && s.charCodeAt(this.pos + 1) === 47) {
        const end = s.indexOf('\n', this.pos);
        this.pos = end < 0 ? s.length : end;
      } else if (c === 47 && s.charCodeAt(this.pos + 1) === 42) {
        const end = s.indexOf('*/', this.pos + 2);
        if (end < 0) throw new Fail(this.pos, 'this comment is never closed (expected */)');
        this.pos = end + 2;
      } else return;
    }
  }

  private eat(ch: string): boolean {
    this.space();
    if (this.s.startsWith(ch, this.pos)) {
      this.pos += ch.length;
      return true;
    }
    return false;
  }

  private word(): string | null {
    WORD.lastIndex = this.pos;
    const m = WORD.exec(this.s);
    return m ? m[0] : null;
  }

  value(depth: number): unknown {
    this.space();
    const s = this.s;
    const c = s[this.pos];
    if (c === undefined) this.expected('a value');
    if (c === '"' || c === "'") return this.string();
    if (c === '[') return this.array(depth);
    if (c === '{') return this.object(depth);
    if (c === '/') return this.regexp();
    if (c === '<') return this.placeholder();
    if (c === '-' || c === '+' || c === '.' || (c >= '0' && c <= '9')) return this.number();
    const w = this.word();
    if (w === null) this.expected('a value');
    const at = this.pos;
    this.pos += w.length;
    switch (w) {
      case 'null':
        return null;
      case 'true':
        return true;
      case 'false':
        return false;
      case 'undefined':
        return undefined;
      case 'NaN':
        return NaN;
      case 'Infinity':
        return Infinity;
      case 'Map':
        return this.map(depth);
      case 'Set':
        return this.set(depth);
      case 'Date':
        return this.date(at);
      case 'ArrayBuffer':
      case 'DataView':
        return this.bytes(w, at);
    }
    if (w in ERRORS && Object.hasOwn(ERRORS, w)) return this.error(w);
    if (Object.hasOwn(TYPED, w)) return this.typed(w, depth);
    this.pos = at;
    throw new Fail(at, `unknown word '${w}': expected a value (null, true, false, undefined, NaN, Infinity, a number, a string, [..], {..}, Map {..}, Set {..}, Date(..), /regexp/, an error or a typed array)`);
  }

  private nested(depth: number): number {
    if (depth + 1 > LITERAL_LIMITS.depth) throw new Fail(this.pos, `nesting deeper than ${LITERAL_LIMITS.depth} levels`);
    return depth + 1;
  }

  private placeholder(): never {
    const end = this.s.indexOf('>', this.pos);
    const inside = this.s.slice(this.pos + 1, end < 0 ? Math.min(this.s.length, this.pos + 80) : end);
    throw new Fail(this.pos, `the recording did not keep this part (<${inside}>): write the value to send in its place, or remove it`);
  }

  private number(): number | bigint {
    const s = this.s;
    const start = this.pos;
    const neg = s[this.pos] === '-';
    if (neg || s[this.pos] === '+') {
      if (s.startsWith('Infinity', this.pos + 1)) {
        this.pos += 9;
        return neg ? -Infinity : Infinity;
      }
      this.pos++;
    }
    NUMBER.lastIndex = this.pos;
    const m = s[this.pos] === '-' ? null : NUMBER.exec(s);
    if (!m) this.expected(neg || s[start] === '+' ? 'digits or Infinity after the sign' : 'a number');
    const text = m[0];
    this.pos += text.length;
    if (text.endsWith('n')) {
      const digits = text.slice(0, -1);
      if (!/^0[xXoObB]/.test(digits) && /[.eE]/.test(digits)) throw new Fail(start, `a BigInt must be an integer: ${s.slice(start, this.pos)}`);
      const v = BigInt(digits);
      return neg ? -v : v;
    }
    const v = Number(text);
    if (Number.isNaN(v)) throw new Fail(start, `not a number: ${s.slice(start, this.pos)}`);
    return neg ? -v : v;
  }

  private string(): string {
    const s = this.s;
    const q = s[this.pos];
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      const i = this.pos;
      const c = s[i];
      if (c === undefined) throw new Fail(start, `this string is never closed (expected ${q})`);
      if (c === q) {
        this.pos++;
        return out;
      }
      if (c === '\n' || c === '\r') throw new Fail(i, `a line break inside a string: write \\n, or close the string with ${q}`);
      if (c !== '\\') {
        // Copy a run of plain characters at once.
        let j = i + 1;
        while (j < s.length && s[j] !== q && s[j] !== '\\' && s[j] !== '\n' && s[j] !== '\r') j++;
        out += s.slice(i, j);
        this.pos = j;
        continue;
      }
      const e = s[i + 1];
      this.pos = i + 2;
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'v':
          out += '\v';
          break;
        case '0':
          out += '\0';
          break;
        case '\\':
        case '"':
        case "'":
        case '/':
          out += e;
          break;
        case '\n':
          break;
        case 'x': {
          const h = s.slice(i + 2, i + 4);
          if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new Fail(i, 'expected two hex digits after \\x');
          out += String.fromCharCode(parseInt(h, 16));
          this.pos = i + 4;
          break;
        }
        case 'u': {
          if (s[i + 2] === '{') {
            const end = s.indexOf('}', i + 3);
            const h = end < 0 ? '' : s.slice(i + 3, end);
            const cp = /^[0-9a-fA-F]{1,6}$/.test(h) ? parseInt(h, 16) : -1;
            if (cp < 0 || cp > 0x10ffff) throw new Fail(i, 'expected a code point (at most 10FFFF) in \\u{...}');
            out += String.fromCodePoint(cp);
            this.pos = end + 1;
          } else {
            const h = s.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(h)) throw new Fail(i, 'expected four hex digits after \\u');
            out += String.fromCharCode(parseInt(h, 16));
            this.pos = i + 6;
          }
          break;
        }
        default:
          if (e === undefined) throw new Fail(start, `this string is never closed (expected ${q})`);
          throw new Fail(i, `unknown escape \\${e} in a string`);
      }
    }
  }

  /** Entries between `open` and `close`, separated by commas (a trailing comma is allowed). */
  private entries(close: string, what: string, one: () => void): void {
    for (;;) {
      this.space();
      if (this.eat(close)) return;
      one();
      this.space();
      if (this.eat(',')) continue;
      if (this.eat(close)) return;
      this.expected(`',' or '${close}' after ${what}`);
    }
  }

  private array(depth: number): unknown[] {
    const d = this.nested(depth);
    this.pos++;
    const out: unknown[] = [];
    let length = 0;
    for (;;) {
      this.space();
      if (this.eat(']')) break;
      if (this.s[this.pos] === ',') {
        // An empty element: a hole.
        this.pos++;
        length++;
        out.length = length;
        continue;
      }
      out[length++] = this.value(d);
      this.space();
      if (this.eat(',')) continue;
      if (this.eat(']')) break;
      this.expected("',' or ']' after an array item");
    }
    return out;
  }

  private key(): string {
    this.space();
    const c = this.s[this.pos];
    if (c === '"' || c === "'") return this.string();
    if (c !== undefined && ((c >= '0' && c <= '9') || c === '.')) {
      const v = this.number();
      if (typeof v === 'bigint') return String(v);
      return String(v);
    }
    const w = this.word();
    if (w === null) this.expected("a key (a name or a quoted string) or '}'");
    this.pos += w.length;
    return w;
  }

  private object(depth: number): Record<string, unknown> {
    const d = this.nested(depth);
    this.pos++;
    const out: Record<string, unknown> = {};
    this.entries('}', 'an entry', () => {
      const k = this.key();
      if (!this.eat(':')) this.expected(`':' after the key ${JSON.stringify(k)}`);
      // Defined, not assigned: a key "__proto__" is an own property, never the prototype.
      Object.defineProperty(out, k, { value: this.value(d), enumerable: true, writable: true, configurable: true });
    });
    return out;
  }

  private map(depth: number): Map<unknown, unknown> {
    const d = this.nested(depth);
    if (!this.eat('{')) this.expected("'{' after Map");
    const out = new Map<unknown, unknown>();
    this.entries('}', 'a Map entry', () => {
      const k = this.value(d);
      if (!this.eat('=>')) this.expected("'=>' between a Map key and its value");
      out.set(k, this.value(d));
    });
    return out;
  }

  private set(depth: number): Set<unknown> {
    const d = this.nested(depth);
    if (!this.eat('{')) this.expected("'{' after Set");
    const out = new Set<unknown>();
    this.entries('}', 'a Set item', () => void out.add(this.value(d)));
    return out;
  }

  /** `(` one value `)`. */
  private argument(name: string): unknown {
    if (!this.eat('(')) this.expected(`'(' after ${name}`);
    this.space();
    const v = this.s[this.pos] === ')' ? undefined : this.value(LITERAL_LIMITS.depth - 1);
    if (!this.eat(')')) this.expected(`')' to close ${name}(`);
    return v;
  }

  private date(at: number): Date {
    const arg = this.argument('Date');
    if (typeof arg === 'number') return new Date(arg);
    if (typeof arg === 'string') {
      const d = new Date(arg);
      if (Number.isNaN(d.getTime())) throw new Fail(at, `not a date: ${JSON.stringify(arg)} (write an ISO date like "2024-01-31T12:00:00.000Z", epoch milliseconds, or NaN)`);
      return d;
    }
    throw new Fail(at, 'Date( ) takes a number (epoch milliseconds, or NaN) or an ISO date string');
  }

  private error(name: string): Error {
    const at = this.pos;
    const msg = this.argument(name);
    if (msg !== undefined && typeof msg !== 'string') throw new Fail(at, `${name}( ) takes its message as a string`);
    return new ERRORS[name](msg ?? '');
  }

  private regexp(): RegExp {
    const s = this.s;
    const start = this.pos;
    let i = this.pos + 1;
    let inClass = false;
    for (;; i++) {
      const c = s[i];
      if (c === undefined || c === '\n') throw new Fail(start, 'this regular expression is never closed (expected /)');
      if (c === '\\') i++;
      else if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      else if (c === '/' && !inClass) break;
    }
    const source = s.slice(start + 1, i);
    this.pos = i + 1;
    const flags = this.word() ?? '';
    this.pos += flags.length;
    try {
      return new RegExp(source, flags);
    } catch (e) {
      throw new Fail(start, `not a valid regular expression: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** `[` numbers `]` checked against the element type. */
  private elements(kind: string, depth: number): (number | bigint)[] {
    this.space();
    if (this.s[this.pos] !== '[') this.expected(`'[' after ${kind}`);
    const d = this.nested(depth);
    this.pos++;
    const out: (number | bigint)[] = [];
    const range = RANGES[kind];
    const big = kind.startsWith('Big');
    this.entries(']', `an element of ${kind}`, () => {
      const at = (this.space(), this.pos);
      const v = this.value(d);
      if (big) {
        if (typeof v !== 'bigint' || v < (range[0] as bigint) || v > (range[1] as bigint)) throw new Fail(at, `expected a BigInt from ${range[0]}n to ${range[1]}n for ${kind}`);
      } else if (typeof v !== 'number') throw new Fail(at, `expected a number for ${kind}`);
      else if (range && (!Number.isInteger(v) || v < (range[0] as number) || v > (range[1] as number))) {
        throw new Fail(at, `expected an integer from ${range[0]} to ${range[1]} for ${kind}`);
      }
      out.push(v);
    });
    return out;
  }

  private typed(kind: string, depth: number): ArrayBufferView {
    const xs = this.elements(kind, depth);
    const ctor = TYPED[kind];
    const out = new ctor(xs.length);
    for (let i = 0; i < xs.length; i++) out[i] = xs[i];
    return out as unknown as ArrayBufferView;
  }

  private bytes(kind: 'ArrayBuffer' | 'DataView', _at: number): ArrayBuffer | DataView {
    const xs = this.elements('Uint8Array', LITERAL_LIMITS.depth - 1) as number[];
    const buffer = new Uint8Array(xs).buffer;
    return kind === 'DataView' ? new DataView(buffer) : buffer;
  }
}

// The page side of a Sample (src/protocol/sample.ts): one bounded walk of what the receiver
// got (a fresh structured clone) that writes the sample's JSON text directly and counts the
// bytes of the ArrayBuffers it reaches on the way. The preview string is derived from the
// sample in the background, so the page walks the data once per delivery, not twice.
//
// Pure: every read goes through a small accessor interface, the captured natives in the page
// and plain functions in Node tests. It never runs a getter, a proxy trap or a page-patched
// prototype method, and never throws (a failure gives no sample, not an exception).
//
// Mode 'sent' walks the sender's own object, right after the browser's postMessage cloned it
// without an error (so no Proxy was in it: a Proxy cannot be cloned), for messages whose
// delivery is out of sight (inside a worker). It reads own data properties only (an accessor
// is marked, never called: { $: 'cut', kind: 'accessor' }), follows no prototype chain past
// the object's own prototype (a page's prototype might be a Proxy), and leaves an object of a
// page-made prototype unopened ({ $: 'cut', kind: 'object' }), since the receiver got a plain
// object or an Error of it that only the clone's own reads could tell.
import { SAMPLE_LIMITS } from '../protocol/sample';
import type { Natives } from './natives';

export type SampleAccess = Pick<
  Natives,
  | 'getPrototypeOf'
  | 'protos'
  | 'isView'
  | 'isArray'
  | 'arrayBufferByteLength'
  | 'viewBuffer'
  | 'viewByteLength'
  | 'viewByteOffset'
  | 'bytesOf'
  | 'dateValue'
  | 'mapSize'
  | 'setSize'
  | 'mapEntries'
  | 'setValues'
  | 'regexpSource'
  | 'regexpFlags'
  | 'blobInfo'
  | 'isPort'
  | 'arrayBufferDetached'
  | 'typedArrayName'
  | 'errorPrototype'
  | 'keys'
  | 'getOwnPropertyDescriptor'
  | 'dataProp'
  | 'hasOwn'
  | 'stringify'
  | 'substring'
  | 'String'
  | 'WeakMap'
  | 'weakHas'
  | 'weakSet'
  | 'list'
>;

export interface SampleResult {
  /** The Sample as JSON text, or null when the walk failed. */
  text: string | null;
  /** Bytes of the distinct ArrayBuffers reachable from the data (DeliverEvent.bufferBytes). */
  bufferBytes: number;
}

export type SampleLimits = { readonly [K in keyof typeof SAMPLE_LIMITS]: number };

/** Values looked at beyond the sample, only to count their buffers (as many as before samples). */
const BUFFER_SCAN = 2000;

const HOLE: unique symbol = Symbol('hole');
/** An own accessor property of the sender's object: never called, so not read. */
const ACCESSOR: unique symbol = Symbol('accessor');

/** How the data came: a fresh clone (true), an event's data of unknown make (false), the sender's object after a successful send ('sent'). */
export type SampleMode = boolean | 'sent';

type Kind = 'object' | 'array' | 'buffer' | 'view' | 'map' | 'set' | 'date' | 'regexp' | 'other' | 'unread';

/** The walker of the last call, reused: nothing the walk does can run page code and call back in. */
let spare: Walk | null = null;

/**
 * `clone`: the data is a structured clone the browser just made for a trusted event, whose
 * own properties are all data properties: they are read directly (a clone has no getter and
 * no proxy), and only what is not own (an array's hole) is left unread. Anything else (a
 * synthetic event's data, a page's object) is read through descriptors.
 */
export function buildSample(a: SampleAccess, data: unknown, limits: SampleLimits = SAMPLE_LIMITS, clone: SampleMode = false): SampleResult {
  const w = spare !== null && spare.a === a && spare.L === limits ? spare : (spare = new Walk(a, limits));
  w.reset(clone === true, clone === 'sent');
  let text: string | null;
  try {
    text = w.value(data, 0);
  } catch {
    text = null;
  }
  try {
    // A sender's buffers are counted by the send itself; its values are not walked beyond the sample.
    if (clone !== 'sent') w.scanRest();
  } catch {
    /* whatever was counted */
  }
  const bufferBytes = w.bytes;
  w.reset(false); // lets go of the data
  return { text, bufferBytes };
}

class Walk {
  nodes = 0;
  chars = 0;
  bytes = 0;
  /** Containers from the root to here (path[0..top)): a value met again among them is circular. */
  private path: object[] | null = null;
  private top = 0;
  /** Slots of `path` ever written, cleared after each walk so that no data is held. */
  private used = 0;
  /** Values the sample did not open, scanned afterwards for buffers only (made when first needed). */
  private rest: unknown[] | null = null;
  private scan = BUFFER_SCAN;
  private buffers: WeakMap<object, true> | null = null;
  private clone = false;
  private sent = false;

  constructor(
    readonly a: SampleAccess,
    readonly L: SampleLimits,
  ) {}

  reset(clone: boolean, sent = false): void {
    this.sent = sent;
    this.nodes = 0;
    this.chars = 0;
    this.bytes = 0;
    const path = this.path;
    if (path !== null) for (let i = 0; i < this.used; i++) path[i] = null as unknown as object;
    this.top = 0;
    this.used = 0;
    if (this.rest !== null) this.rest.length = 0;
    this.scan = BUFFER_SCAN;
    this.buffers = null;
    this.clone = clone;
  }

  /** Own element i of an array, or HOLE; a hole is never read (it would reach Array.prototype). */
  private element(o: unknown[], i: number): unknown {
    const a = this.a;
    if (this.clone) return a.hasOwn(o, i) ? o[i] : HOLE;
    const d = a.getOwnPropertyDescriptor(o, i);
    if (!d) return HOLE;
    return this.sent && !a.hasOwn(d, 'value') ? ACCESSOR : a.dataProp(d, 'value');
  }

  /** Own property k of an object (k from its own keys). */
  private prop(o: object, k: string): unknown {
    if (this.clone) return (o as Record<string, unknown>)[k];
    if (!this.sent) return this.a.dataProp(o, k);
    const d = this.a.getOwnPropertyDescriptor(o, k);
    return d && this.a.hasOwn(d, 'value') ? d.value : ACCESSOR;
  }

  value(v: unknown, depth: number): string {
    this.nodes++;
    switch (typeof v) {
      case 'string':
        return depth === 0 ? this.rootStr(v) : this.str(v);
      case 'number':
        return this.num(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'bigint':
        return '{"$":"bigint","v":"' + this.a.String(v) + '"}';
      case 'undefined':
        return '{"$":"undefined"}';
      case 'symbol':
        if (v === ACCESSOR) return '{"$":"cut","kind":"accessor"}';
        return '{"$":"other","kind":"symbol"}';
      case 'function':
        // Never in a clone; said plainly if a caller passes one.
        return '{"$":"other","kind":"function"}';
    }
    if (v === null) return 'null';
    return this.object(v as object, depth);
  }

  private num(v: number): string {
    if (v !== v) return '{"$":"number","v":"NaN"}';
    if (v === Infinity) return '{"$":"number","v":"Infinity"}';
    if (v === -Infinity) return '{"$":"number","v":"-Infinity"}';
    if (v === 0 && 1 / v < 0) return '{"$":"number","v":"-0"}';
    return this.a.String(v);
  }

  /** A string within the per-string and overall budgets, else its head and length. */
  private str(v: string): string {
    const len = v.length;
    const room = this.L.chars - this.chars;
    if (len <= this.L.string && len <= room) {
      this.chars += len;
      return quote(this.a, v);
    }
    const keep = room < this.L.string ? (room > 0 ? room : 0) : this.L.string;
    this.chars += keep;
    return '{"$":"str","head":' + this.a.stringify(this.a.substring(v, 0, keep)) + ',"length":' + len + '}';
  }

  /** A message that is one string: kept up to its own limit (JSON-text protocols), else its head. */
  private rootStr(v: string): string {
    const len = v.length;
    if (len <= this.L.string) return this.str(v);
    const keep = len <= this.L.rootString ? len : this.L.rootString;
    if (keep === len) return this.a.stringify(v);
    return '{"$":"str","head":' + this.a.stringify(this.a.substring(v, 0, keep)) + ',"length":' + len + '}';
  }

  /** A key is kept whole up to the string limit; a longer one is cut and ends with '…'. */
  private key(k: string): string {
    const cut = k.length > this.L.string;
    const kept = cut ? this.a.substring(k, 0, this.L.string) + '…' : k;
    this.chars += kept.length;
    return quote(this.a, kept);
  }

  /** A bounded string for a leaf's field (an error's message, a regexp's source). */
  private field(s: unknown, fallback: string): string {
    if (typeof s !== 'string') return fallback;
    const cut = s.length > this.L.string;
    const kept = cut ? this.a.substring(s, 0, this.L.string) + '…' : s;
    this.chars += kept.length;
    return kept;
  }

  private more(): boolean {
    return this.chars < this.L.chars;
  }

  private object(o: object, depth: number): string {
    const a = this.a;
    const path = this.path;
    const top = this.top;
    if (path !== null) for (let i = 0; i < top; i++) if (path[i] === o) return '{"$":"circular"}';
    const kind = this.sent ? classifySent(a, o) : classify(a, o);
    switch (kind) {
      case 'unread':
        return '{"$":"cut","kind":"object"}';
      case 'buffer':
      case 'view':
        return this.binary(o, kind);
      case 'date': {
        const t = a.dateValue(o as Date);
        return '{"$":"date","v":' + (t !== t ? 'null' : a.String(t)) + '}';
      }
      case 'regexp': {
        const source = a.regexpSource(o as RegExp);
        // A cut source would not compile again: say what it is instead.
        if (source.length > this.L.string) return '{"$":"other","kind":"RegExp"}';
        this.chars += source.length;
        return '{"$":"regexp","source":' + a.stringify(source) + ',"flags":"' + a.regexpFlags(o as RegExp) + '"}';
      }
      case 'other':
        return this.other(o);
    }
    if (depth > this.L.depth || this.nodes > this.L.nodes || !this.more()) {
      this.pushRest(o);
      return '{"$":"cut","kind":"' + kind + '"}';
    }
    const up = path ?? (this.path = a.list());
    up[top] = o;
    this.top = top + 1;
    if (top >= this.used) this.used = top + 1;
    let out: string;
    if (kind === 'array') out = this.array(o as unknown[], depth);
    else if (kind === 'map') out = this.map(o as Map<unknown, unknown>, depth);
    else if (kind === 'set') out = this.set(o as Set<unknown>, depth);
    else out = this.plain(o, depth);
    this.top = top;
    return out;
  }

  private array(o: unknown[], depth: number): string {
    const len = o.length;
    const max = len < this.L.entries ? len : this.L.entries;
    let out = '{"$":"array","items":[';
    let i = 0;
    for (; i < max && this.more(); i++) {
      if (i) out += ',';
      const v = this.element(o, i);
      if (v !== HOLE) out += this.value(v, depth + 1);
      else {
        this.nodes++;
        out += '{"$":"hole"}';
      }
    }
    for (; i < len && this.scan > 0; i++, this.scan--) {
      const v = this.element(o, i);
      if (v !== HOLE) this.pushRest(v);
    }
    return out + '],"length":' + len + '}';
  }

  private plain(o: object, depth: number): string {
    const a = this.a;
    const keys = a.keys(o);
    const count = keys.length;
    const max = count < this.L.entries ? count : this.L.entries;
    let out = '{"$":"object","entries":[';
    let i = 0;
    for (; i < max && this.more(); i++) {
      if (i) out += ',';
      out += '[' + this.key(keys[i]) + ',' + this.value(this.prop(o, keys[i]), depth + 1) + ']';
    }
    for (; i < count && this.scan > 0; i++, this.scan--) this.pushRest(this.prop(o, keys[i]));
    return out + '],"count":' + count + '}';
  }

  private map(o: Map<unknown, unknown>, depth: number): string {
    const a = this.a;
    const size = a.mapSize(o);
    const it = a.mapEntries(o);
    let out = '{"$":"map","entries":[';
    for (let i = 0; i < this.L.entries && this.more(); i++) {
      const r = it.next();
      if (r.done) break;
      if (i) out += ',';
      out += '[' + this.value(r.value[0], depth + 1) + ',' + this.value(r.value[1], depth + 1) + ']';
    }
    for (let r = it.next(); !r.done && this.scan > 0; r = it.next(), this.scan--) {
      this.pushRest(r.value[0]);
      this.pushRest(r.value[1]);
    }
    return out + '],"size":' + size + '}';
  }

  private set(o: Set<unknown>, depth: number): string {
    const a = this.a;
    const size = a.setSize(o);
    const it = a.setValues(o);
    let out = '{"$":"set","items":[';
    for (let i = 0; i < this.L.entries && this.more(); i++) {
      const r = it.next();
      if (r.done) break;
      if (i) out += ',';
      out += this.value(r.value, depth + 1);
    }
    for (let r = it.next(); !r.done && this.scan > 0; r = it.next(), this.scan--) this.pushRest(r.value);
    return out + '],"size":' + size + '}';
  }

  private binary(o: object, kind: 'buffer' | 'view'): string {
    const a = this.a;
    let name = 'ArrayBuffer';
    let buffer: ArrayBufferLike;
    let offset = 0;
    let length: number;
    if (kind === 'buffer') {
      buffer = o as ArrayBuffer;
      length = a.arrayBufferByteLength(buffer as ArrayBuffer);
    } else {
      // The sender's view may have a page's prototype: its name comes from its internal slot.
      name = this.sent ? (a.typedArrayName(o) ?? 'DataView') : constructorName(a, o, 'ArrayBufferView');
      buffer = a.viewBuffer(o as ArrayBufferView);
      offset = a.viewByteOffset(o as ArrayBufferView);
      length = a.viewByteLength(o as ArrayBufferView);
    }
    // After the send, a transferred buffer is detached: what it held went with the message.
    if (this.sent && a.arrayBufferDetached !== null && a.arrayBufferDetached(buffer as ArrayBuffer)) return '{"$":"cut","kind":' + a.stringify(name) + '}';
    this.countBuffer(buffer);
    let head = '';
    try {
      const bytes = a.bytesOf(buffer, offset, length < this.L.bytes ? length : this.L.bytes);
      for (let i = 0; i < bytes.length; i++) head += (i ? ',' : '') + bytes[i];
    } catch {
      /* detached or otherwise unreadable: no head */
    }
    return '{"$":"bytes","kind":' + a.stringify(name) + ',"byteLength":' + length + ',"head":[' + head + ']}';
  }

  private other(o: object): string {
    const a = this.a;
    if (this.sent) {
      if (a.isPort(o)) return '{"$":"port"}';
      if (a.getPrototypeOf(o) !== a.errorPrototype) return '{"$":"cut","kind":"object"}';
    }
    if (inherits(a, o, a.errorPrototype)) {
      const name = this.field(a.dataProp(o, 'name'), 'Error');
      const message = this.field(a.dataProp(o, 'message'), '');
      return '{"$":"error","name":' + a.stringify(name) + ',"message":' + a.stringify(message) + '}';
    }
    const blob = a.blobInfo(o);
    if (blob) {
      const name = blob.name !== undefined ? ',"name":' + a.stringify(this.field(blob.name, '')) : '';
      return '{"$":"blob","kind":"' + blob.kind + '","size":' + a.String(blob.size) + ',"type":' + a.stringify(this.field(blob.type, '')) + name + '}';
    }
    if (a.isPort(o)) return '{"$":"port"}';
    return '{"$":"other","kind":' + a.stringify(this.field(constructorName(a, o, 'Object'), 'Object')) + '}';
  }

  private countBuffer(b: object): void {
    if (this.buffers === null) this.buffers = new this.a.WeakMap<object, true>();
    if (this.a.weakHas(this.buffers, b)) return;
    this.a.weakSet(this.buffers, b, true);
    try {
      this.bytes += this.a.arrayBufferByteLength(b as ArrayBuffer);
    } catch {
      /* a SharedArrayBuffer or not a buffer */
    }
  }

  private pushRest(v: unknown): void {
    if (typeof v !== 'object' || v === null) return;
    const rest = this.rest ?? (this.rest = this.a.list());
    rest[rest.length] = v;
  }

  /** The buffers under what the sample did not open, within the same bound as before samples. */
  scanRest(): void {
    const a = this.a;
    const stack = this.rest;
    if (stack === null || stack.length === 0) return;
    const seen = new a.WeakMap<object, true>();
    while (stack.length > 0 && this.scan > 0) {
      const v = stack[stack.length - 1] as object;
      stack.length--;
      if (a.weakHas(seen, v)) continue;
      a.weakSet(seen, v, true);
      this.scan--;
      const kind = classify(a, v);
      if (kind === 'buffer') this.countBuffer(v);
      else if (kind === 'view') this.countBuffer(a.viewBuffer(v as ArrayBufferView));
      else if (kind === 'map') {
        const it = a.mapEntries(v as Map<unknown, unknown>);
        for (let r = it.next(); !r.done && this.scan > 0; r = it.next(), this.scan--) {
          this.pushRest(r.value[0]);
          this.pushRest(r.value[1]);
        }
      } else if (kind === 'set') {
        const it = a.setValues(v as Set<unknown>);
        for (let r = it.next(); !r.done && this.scan > 0; r = it.next(), this.scan--) this.pushRest(r.value);
      } else if (kind === 'object' || kind === 'array') {
        const keys = a.keys(v);
        for (let i = 0; i < keys.length && this.scan > 0; i++, this.scan--) this.pushRest(this.prop(v, keys[i]));
      }
    }
  }
}

/**
 * A string as JSON text. Most keys and short strings need no escape: they are checked by
 * index reads (a string's own elements, which no page patch can reach) and quoted here,
 * which costs a fraction of a call to JSON.stringify.
 */
function quote(a: SampleAccess, s: string): string {
  const len = s.length;
  if (len > 64) return a.stringify(s);
  for (let i = 0; i < len; i++) {
    const c = s[i];
    if (c < ' ' || c === '"' || c === '\\' || (c >= '\uD800' && c <= '\uDFFF')) return a.stringify(s);
  }
  return '"' + s + '"';
}

/**
 * What a received value is. A structured clone has the realm's intrinsic prototypes, so
 * one prototype read settles almost every case; brand checks (which throw, and throwing
 * is slow) are left for the rest.
 */
function classify(a: SampleAccess, o: object): Kind {
  const proto = a.getPrototypeOf(o);
  const known = byIntrinsic(a, o, proto);
  if (known) return known;
  if (inherits(a, o, a.errorPrototype)) return 'other';
  return byBrand(a, o) ?? 'other';
}

/**
 * What a sender's value is, from its own prototype and brand checks only (internal slots, no
 * trap, no page code): past its own prototype the chain is the page's and might hold a Proxy.
 */
function classifySent(a: SampleAccess, o: object): Kind {
  const proto = a.getPrototypeOf(o);
  const known = byIntrinsic(a, o, proto);
  if (known) return known;
  // Error.prototype's own chain is the realm's: its name and message are read as data.
  if (proto === a.errorPrototype) return 'other';
  if (a.isPort(o)) return 'other';
  return byBrand(a, o) ?? 'unread';
}

/** The kind an intrinsic prototype (or an array/view check, which reads no page code) gives. */
function byIntrinsic(a: SampleAccess, o: object, proto: object | null): Kind | null {
  const P = a.protos;
  if (proto === P.Object || proto === null) return 'object';
  if (proto === P.Array) return 'array';
  if (proto === P.ArrayBuffer) return 'buffer';
  if (proto === P.Map) return 'map';
  if (proto === P.Set) return 'set';
  if (proto === P.Date) return 'date';
  if (proto === P.RegExp) return 'regexp';
  if (a.isView(o)) return 'view';
  if (a.isArray(o)) return 'array';
  return null;
}

/** The kind an internal slot proves (a subclass or a foreign prototype of a built-in). */
function byBrand(a: SampleAccess, o: object): Kind | null {
  if (brand(() => a.arrayBufferByteLength(o as ArrayBuffer)) !== null) return 'buffer';
  if (brand(() => a.mapSize(o as Map<unknown, unknown>)) !== null) return 'map';
  if (brand(() => a.setSize(o as Set<unknown>)) !== null) return 'set';
  if (brand(() => a.dateValue(o as Date)) !== null) return 'date';
  return null;
}

/** The value of a brand-checking call, or null when `o` is not of that kind. */
function brand<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

function inherits(a: SampleAccess, o: object, proto: object): boolean {
  for (let p = a.getPrototypeOf(o), i = 0; p && i < 64; p = a.getPrototypeOf(p), i++) if (p === proto) return true;
  return false;
}

/** The name of the constructor of o's prototype, read through data properties only. */
function constructorName(a: SampleAccess, o: object, fallback: string): string {
  const proto = a.getPrototypeOf(o);
  const ctor = proto ? a.dataProp(proto, 'constructor') : undefined;
  const name = typeof ctor === 'function' ? a.dataProp(ctor, 'name') : undefined;
  return typeof name === 'string' && name !== '' ? name : fallback;
}

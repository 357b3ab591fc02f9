// The page's former preview, no longer on the page's path: the preview is now derived from the
// Sample in the background (src/protocol/sample-preview.ts). Kept as the reference that the
// derived text is tested against and scripts/bench-sample.mjs measures the builder against.
import type { Natives } from './natives';

export const PREVIEW_MAX = 200;
const MAX_ENTRIES = 8;
const MAX_DEPTH = 3;

class Full extends Error {}

type Kind = 'object' | 'array' | 'buffer' | 'view' | 'map' | 'set' | 'date' | 'other';

/**
 * What a received value is. A structured clone has the realm's intrinsic prototypes, so
 * one prototype read settles almost every case; brand checks (which throw, and throwing
 * is slow) are left for the rest.
 */
function classify(n: Natives, o: object): Kind {
  const proto = n.getPrototypeOf(o);
  const P = n.protos;
  if (proto === P.Object || proto === null) return 'object';
  if (proto === P.Array) return 'array';
  if (proto === P.ArrayBuffer) return 'buffer';
  if (proto === P.Map) return 'map';
  if (proto === P.Set) return 'set';
  if (proto === P.Date) return 'date';
  if (n.isView(o)) return 'view';
  if (n.isArray(o)) return 'array';
  if (brand(() => n.arrayBufferByteLength(o as ArrayBuffer)) !== null) return 'buffer';
  if (brand(() => n.mapSize(o as Map<unknown, unknown>)) !== null) return 'map';
  if (brand(() => n.setSize(o as Set<unknown>)) !== null) return 'set';
  if (brand(() => n.dateValue(o as Date)) !== null) return 'date';
  return 'other';
}

export function preview(n: Natives, data: unknown, max = PREVIEW_MAX): string {
  let out = '';
  const seen = new n.WeakMap<object, true>();
  const put = (s: string) => {
    out += s;
    if (out.length > max) throw new Full();
  };

  const walk = (v: unknown, depth: number): void => {
    switch (typeof v) {
      case 'string':
        return put(n.stringify(v.length > 60 ? n.substring(v, 0, 60) + '…' : v));
      case 'number':
      case 'boolean':
        return put(n.String(v));
      case 'bigint':
        return put(n.String(v) + 'n');
      case 'undefined':
        return put('undefined');
      case 'symbol':
      case 'function':
        return put(typeof v);
    }
    if (v === null) return put('null');
    const o = v as object;
    if (n.weakHas(seen, o)) return put('[Circular]');
    n.weakSet(seen, o, true);
    const kind = classify(n, o);
    if (depth >= MAX_DEPTH) return put(kind === 'array' ? '[…]' : '{…}');
    if (kind === 'buffer' || kind === 'view') {
      const buffer = bufferSize(n, o);
      if (buffer !== null) return put(buffer);
    }
    if (kind === 'array') {
      put('[');
      const len = (o as unknown[]).length;
      for (let i = 0; i < len && i < MAX_ENTRIES; i++) {
        if (i) put(', ');
        // Own elements only: a hole must not reach a getter on Array.prototype.
        const d = n.getOwnPropertyDescriptor(o, i);
        if (d) walk(n.dataProp(d, 'value'), depth + 1);
        else put('empty');
      }
      if (len > MAX_ENTRIES) put(`, …${len - MAX_ENTRIES}`);
      return put(']');
    }
    if (kind === 'date') return put(`Date(${brand(() => n.dateValue(o as Date))})`);
    if (kind === 'map') {
      const mapSize = n.mapSize(o as Map<unknown, unknown>);
      put(`Map(${mapSize}) {`);
      const it = n.mapEntries(o as Map<unknown, unknown>);
      for (let i = 0; i < MAX_ENTRIES; i++) {
        const r = it.next();
        if (r.done) break;
        if (i) put(', ');
        walk(r.value[0], depth + 1);
        put(' => ');
        walk(r.value[1], depth + 1);
      }
      return put('}');
    }
    if (kind === 'set') {
      const setSize = n.setSize(o as Set<unknown>);
      put(`Set(${setSize}) {`);
      const it = n.setValues(o as Set<unknown>);
      for (let i = 0; i < MAX_ENTRIES; i++) {
        const r = it.next();
        if (r.done) break;
        if (i) put(', ');
        walk(r.value, depth + 1);
      }
      return put('}');
    }
    if (kind === 'other' && inherits(n, o, n.errorPrototype)) return put(`${n.String(n.dataProp(o, 'name'))}: ${n.String(n.dataProp(o, 'message'))}`);
    const keys = n.keys(o);
    put('{');
    for (let i = 0; i < keys.length && i < MAX_ENTRIES; i++) {
      if (i) put(', ');
      put(keys[i] + ': ');
      walk(n.dataProp(o, keys[i]), depth + 1);
    }
    if (keys.length > MAX_ENTRIES) put(`, …${keys.length - MAX_ENTRIES}`);
    put('}');
  };

  try {
    walk(data, 0);
  } catch (e) {
    if (!(e instanceof Full)) return out + '…';
    return n.substring(out, 0, max - 1) + '…';
  }
  return out;
}

/** The value of a brand-checking call, or null when `o` is not of that kind. */
function brand<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

function inherits(n: Natives, o: object, proto: object): boolean {
  for (let p = n.getPrototypeOf(o); p; p = n.getPrototypeOf(p)) if (p === proto) return true;
  return false;
}

function bufferSize(n: Natives, o: object): string | null {
  try {
    return `ArrayBuffer(${n.arrayBufferByteLength(o as ArrayBuffer)})`;
  } catch {
    /* not an ArrayBuffer */
  }
  if (n.isView(o)) {
    const proto = n.getPrototypeOf(o);
    const ctor = proto ? n.dataProp(proto, 'constructor') : undefined;
    const ctorName = typeof ctor === 'function' ? n.dataProp(ctor, 'name') : undefined;
    const name = typeof ctorName === 'string' ? ctorName : 'View';
    try {
      return `${name}(${n.arrayBufferByteLength(n.viewBuffer(o) as ArrayBuffer)} bytes)`;
    } catch {
      return `${name}(?)`;
    }
  }
  return null;
}

const MAX_NODES = 2000;

/**
 * Bytes of the distinct ArrayBuffers reachable from received data (a fresh clone), up to
 * a few thousand nodes: what the message carried as buffers, copied or transferred.
 */
export function bufferBytes(n: Natives, data: unknown): number {
  if (typeof data !== 'object' || data === null) return 0;
  const seen = new n.WeakMap<object, true>();
  const stack: unknown[] = n.list();
  stack[0] = data;
  let total = 0;
  let visited = 0;
  try {
    while (stack.length > 0 && visited < MAX_NODES) {
      const v = stack[stack.length - 1];
      stack.length--;
      if (typeof v !== 'object' || v === null || n.weakHas(seen, v)) continue;
      n.weakSet(seen, v, true);
      visited++;
      const kind = classify(n, v);
      if (kind === 'buffer') {
        total += brand(() => n.arrayBufferByteLength(v as ArrayBuffer)) ?? 0;
        continue;
      }
      if (kind === 'view') {
        stack[stack.length] = n.viewBuffer(v as ArrayBufferView);
        continue;
      }
      if (kind === 'date' || kind === 'other') continue;
      if (kind === 'map') {
        const it = n.mapEntries(v as Map<unknown, unknown>);
        for (let r = it.next(); !r.done && stack.length < MAX_NODES; r = it.next()) {
          stack[stack.length] = r.value[0];
          stack[stack.length] = r.value[1];
        }
        continue;
      }
      if (kind === 'set') {
        const it = n.setValues(v as Set<unknown>);
        for (let r = it.next(); !r.done && stack.length < MAX_NODES; r = it.next()) stack[stack.length] = r.value;
        continue;
      }
      const keys = n.keys(v);
      for (let i = 0; i < keys.length && stack.length < MAX_NODES; i++) stack[stack.length] = n.dataProp(v, keys[i]);
    }
  } catch {
    /* whatever was counted */
  }
  return total;
}

// StructuredSerializeWithTransfer / StructuredDeserializeWithTransfer (HTML §2.7), over the
// host's ECMAScript objects and the model's platform objects. Errors carry the path of the
// offending value ("message.a.b[3]").
import {
  bufferOfView, byteLengthOf, detachBuffer, isArrayBuffer, isDetached, isSharedArrayBuffer, kindOf, resizableInfo, typedArrayName,
} from './brands.js';
import { makeError } from './outcome.js';
import { platformInfo } from './platform.js';
import type { ErrorCode, Profile } from './profiles.js';

export { isDetached };

/** Who is serializing: for error messages, cross-origin isolation and agent clusters. */
export interface CloneEnv {
  profile: Profile;
  iface: string;
  method: string;
  crossOriginIsolated: boolean;
  agentCluster: number;
}

/** The port side of transfer: implemented by port.ts. */
export interface PortTransfer {
  /** 'shipped' / 'closed' when the port object's [[Detached]] is true. */
  detachedState(port: unknown): 'shipped' | 'closed' | null;
  /** Transfer steps: returns the data holder's content. */
  transfer(port: unknown): unknown;
  /** Transfer-receiving steps in the target realm: returns the new MessagePort. */
  receive(holder: unknown, targetRealm: unknown): object;
  /** Whether MessagePort is exposed in the target realm. */
  exposed(targetRealm: unknown): boolean;
}

type Rec =
  | { k: 'prim'; v: unknown }
  | { k: 'ref'; id: number }
  | { k: 'xfer'; i: number }
  | { k: 'wrap'; id: number; t: 'Boolean' | 'Number' | 'String' | 'BigInt'; v: unknown }
  | { k: 'date'; id: number; v: number }
  | { k: 'regexp'; id: number; source: string; flags: string }
  | { k: 'ab'; id: number; data: ArrayBuffer; max?: number }
  | { k: 'sab'; id: number; buf: unknown; cluster: number }
  | { k: 'wasm'; id: number; mod: unknown; cluster: number }
  | { k: 'view'; id: number; ctor: string; buffer: Rec; offset: number; length: number }
  | { k: 'map'; id: number; entries: [Rec, Rec][] }
  | { k: 'set'; id: number; items: Rec[] }
  | { k: 'error'; id: number; name: string; message?: string; cause?: Rec; stack?: string }
  | { k: 'domexception'; id: number; name: string; message: string }
  | { k: 'array'; id: number; length: number; props: [string, Rec][] }
  | { k: 'object'; id: number; props: [string, Rec][] };

export type Holder = { k: 'ArrayBuffer'; data: ArrayBuffer; bytes: number } | { k: 'MessagePort'; data: unknown; port: unknown };

export interface Serialized {
  rec: Rec;
  holders: Holder[];
}

const ERROR_NAMES = new Set(['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError']);
const IDENT = /^[A-Za-z_$][\w$]*$/;

/** Path segment for an object key. */
export function keySegment(key: string): string {
  return IDENT.test(key) ? `.${key}` : /^(0|[1-9]\d*)$/.test(key) ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

function valueText(v: unknown, kind?: string): string {
  if (typeof v === 'function') {
    try {
      return Function.prototype.toString.call(v);
    } catch {
      return 'function';
    }
  }
  if (typeof v === 'symbol') return v.toString();
  if (kind === 'Symbol') return '[object Symbol]';
  return `#<${kind}>`;
}

class Serializer {
  memory = new Map<object, Rec>();
  nextId = 0;
  path: string[] = ['message'];
  constructor(readonly env: CloneEnv, readonly ports: PortTransfer) {}

  fail(code: ErrorCode, extra: { valueText?: string; typeName?: string } = {}): never {
    const { env } = this;
    throw makeError(env.profile, code, { iface: env.iface, method: env.method, path: this.path.join(''), ...extra });
  }

  at<T>(seg: string, f: () => T): T {
    this.path.push(seg);
    const r = f();
    this.path.pop();
    return r;
  }

  ser(v: unknown): Rec {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
      if (typeof v === 'symbol') this.fail('symbol', { valueText: valueText(v) });
      return { k: 'prim', v };
    }
    const seen = this.memory.get(v);
    if (seen) return seen.k === 'xfer' ? seen : { k: 'ref', id: (seen as { id: number }).id };
    if (typeof v === 'function') this.fail('function', { valueText: valueText(v) });
    const info = platformInfo(v);
    if (info) return this.platform(v, info.iface);
    if (isDOMException(v)) return this.platform(v, 'DOMException');
    const id = this.nextId++;
    const kind = kindOf(v);
    let rec: Rec;
    switch (kind) {
      case 'Boolean':
        rec = { k: 'wrap', id, t: 'Boolean', v: Boolean.prototype.valueOf.call(v) };
        break;
      case 'Number':
        rec = { k: 'wrap', id, t: 'Number', v: Number.prototype.valueOf.call(v) };
        break;
      case 'String':
        rec = { k: 'wrap', id, t: 'String', v: String.prototype.valueOf.call(v) };
        break;
      case 'BigInt':
        rec = { k: 'wrap', id, t: 'BigInt', v: BigInt.prototype.valueOf.call(v) };
        break;
      case 'Symbol':
        return this.fail('symbol', { valueText: valueText(v, 'Symbol'), typeName: 'Symbol' });
      case 'Date':
        rec = { k: 'date', id, v: Date.prototype.getTime.call(v) };
        break;
      case 'RegExp': {
        const r = v as RegExp;
        rec = { k: 'regexp', id, source: r.source, flags: r.flags };
        break;
      }
      case 'ArrayBuffer': {
        const b = v as ArrayBuffer;
        if (isDetached(b)) this.fail('detached-buffer-in-message', { typeName: 'ArrayBuffer' });
        rec = { k: 'ab', id, data: b.slice(0), max: resizableInfo(b) };
        break;
      }
      case 'SharedArrayBuffer':
        if (!this.env.crossOriginIsolated) this.fail('shared-buffer', { typeName: 'SharedArrayBuffer' });
        rec = { k: 'sab', id, buf: v, cluster: this.env.agentCluster };
        break;
      case 'WasmModule':
        rec = { k: 'wasm', id, mod: v, cluster: this.env.agentCluster };
        break;
      case 'TypedArray':
      case 'DataView': {
        const view = v as ArrayBufferView;
        const buf = bufferOfView(view);
        if (!isSharedArrayBuffer(buf) && isDetached(buf as ArrayBuffer)) this.fail('detached-buffer-in-message', { typeName: typedArrayName(view) });
        const placeholder = { k: 'view', id, ctor: typedArrayName(view), buffer: { k: 'prim', v: null }, offset: view.byteOffset, length: kind === 'DataView' ? view.byteLength : (view as Uint8Array).length } as Rec & { buffer: Rec };
        this.memory.set(v, placeholder);
        placeholder.buffer = this.at('.buffer', () => this.ser(buf));
        return placeholder;
      }
      case 'Map': {
        const entries: [Rec, Rec][] = [];
        rec = { k: 'map', id, entries };
        this.memory.set(v, rec);
        // The entries are copied first, then serialized (a getter cannot add to the walk).
        const list = [...Map.prototype.entries.call(v as Map<unknown, unknown>)];
        list.forEach(([key, val], i) => {
          entries.push([this.at(`(Map)[${i}].key`, () => this.ser(key)), this.at(`(Map)[${i}].value`, () => this.ser(val))]);
        });
        return rec;
      }
      case 'Set': {
        const items: Rec[] = [];
        rec = { k: 'set', id, items };
        this.memory.set(v, rec);
        const list = [...Set.prototype.values.call(v as Set<unknown>)];
        list.forEach((item, i) => items.push(this.at(`(Set)[${i}]`, () => this.ser(item))));
        return rec;
      }
      case 'Error': {
        const e = v as Error;
        const rawName = e.name;
        const name = typeof rawName === 'string' && ERROR_NAMES.has(rawName) ? rawName : 'Error';
        const r: Rec & { k: 'error' } = { k: 'error', id, name };
        this.memory.set(v, r);
        const md = Object.getOwnPropertyDescriptor(e, 'message');
        if (md && 'value' in md) r.message = String(md.value);
        if (this.env.profile.errorCauseAndStack) {
          const cd = Object.getOwnPropertyDescriptor(e, 'cause');
          if (cd && 'value' in cd) r.cause = this.at('.cause', () => this.ser(cd.value));
          const sd = Object.getOwnPropertyDescriptor(e, 'stack');
          if (sd && 'value' in sd && typeof sd.value === 'string') r.stack = sd.value;
        }
        return r;
      }
      case 'Array': {
        const a = v as unknown[];
        const props: [string, Rec][] = [];
        rec = { k: 'array', id, length: a.length, props };
        this.memory.set(v, rec);
        this.props(a, props);
        return rec;
      }
      case 'Object': {
        const props: [string, Rec][] = [];
        rec = { k: 'object', id, props };
        this.memory.set(v, rec);
        this.props(v, props);
        return rec;
      }
      default:
        return this.fail('uncloneable', { valueText: valueText(v, kind), typeName: kind });
    }
    this.memory.set(v, rec);
    return rec;
  }

  props(v: object, out: [string, Rec][]): void {
    for (const key of Object.keys(v)) {
      // EnumerableOwnProperties then [[Get]]: a getter may delete later keys.
      if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
      const val = (v as Record<string, unknown>)[key];
      out.push([key, this.at(keySegment(key), () => this.ser(val))]);
    }
  }

  platform(v: object, iface: string): Rec {
    if (iface === 'MessagePort') return this.fail('port-not-transferred', { typeName: 'MessagePort' });
    if (iface === 'DOMException') {
      const e = v as DOMException;
      const rec: Rec = { k: 'domexception', id: this.nextId++, name: e.name, message: e.message };
      this.memory.set(v, rec);
      return rec;
    }
    return this.fail('platform', { typeName: iface });
  }
}

function isDOMException(v: object): boolean {
  return typeof DOMException !== 'undefined' && v instanceof DOMException;
}

export interface SerializeRequest {
  env: CloneEnv;
  ports: PortTransfer;
  /** The converted transfer list (the caller checked for the source port). */
  transfer: readonly object[];
  /** Chromium only: runs after buffers are detached and before ports are checked and shipped
   *  (window.postMessage parses targetOrigin there). */
  afterBuffers?: () => void;
}

/** StructuredSerializeWithTransfer. Throws the browser's error; detaches on success. */
export function serializeWithTransfer(value: unknown, { env, ports, transfer, afterBuffers }: SerializeRequest): Serialized {
  const s = new Serializer(env, ports);
  const { profile } = env;
  const fail = (code: ErrorCode, index: number, typeName?: string): never => {
    const shown = profile.name === 'chromium' && kindIndex[index] !== undefined ? kindIndex[index] : index;
    throw makeError(profile, code, { iface: env.iface, method: env.method, index: shown, path: `transfer[${index}]`, typeName });
  };
  // 1. Every transferable is a port or an ArrayBuffer, none twice.
  const kinds: ('port' | 'ab')[] = [];
  // Chromium numbers ports and buffers separately in its messages ("Port at index 0").
  const kindIndex: number[] = [];
  let portIndex = 0;
  let bufIndex = 0;
  transfer.forEach((t, i) => {
    const info = platformInfo(t);
    if (info?.iface === 'MessagePort') {
      if (s.memory.has(t)) throw makeError(profile, 'duplicate-port', { iface: env.iface, method: env.method, index: profile.name === 'chromium' ? portIndex : i, path: `transfer[${i}]` });
      kinds.push('port');
      kindIndex.push(portIndex++);
    } else if (isArrayBuffer(t)) {
      if (s.memory.has(t)) throw makeError(profile, 'duplicate-buffer', { iface: env.iface, method: env.method, index: profile.name === 'chromium' ? bufIndex : i, path: `transfer[${i}]` });
      kinds.push('ab');
      kindIndex.push(bufIndex++);
    } else {
      fail('not-transferable', i);
    }
    s.memory.set(t, { k: 'xfer', i });
  });
  const checkPort = (t: object, i: number) => {
    const st = ports.detachedState(platformInfo(t)!.port);
    if (st === 'shipped' || (st === 'closed' && profile.closedPortNotTransferable)) fail('detached-port-in-transfer', i);
  };
  // 2. Serialize the message.
  const rec = s.ser(value);
  // 3. Check and detach each transferable.
  const holders: Holder[] = new Array(transfer.length);
  const detach = (b: ArrayBuffer, i: number) => {
    const bytes = byteLengthOf(b);
    holders[i] = { k: 'ArrayBuffer', data: detachBuffer(b), bytes };
  };
  if (profile.transferChecksBeforeDetach) {
    // Chromium: every buffer is checked, then all are detached; ports are checked only after
    // that (and after a window's targetOrigin), so a neutered port still costs the buffers.
    transfer.forEach((t, i) => kinds[i] === 'ab' && isDetached(t as ArrayBuffer) && fail('detached-buffer-in-transfer', i));
    transfer.forEach((t, i) => kinds[i] === 'ab' && detach(t as ArrayBuffer, i));
    afterBuffers?.();
    transfer.forEach((t, i) => kinds[i] === 'port' && checkPort(t, i));
    transfer.forEach((t, i) => {
      if (kinds[i] === 'port') holders[i] = { k: 'MessagePort', data: ports.transfer(platformInfo(t)!.port), port: platformInfo(t)!.port };
    });
  } else {
    // The standard (and Firefox): one by one, so an error part-way leaves earlier ones detached.
    transfer.forEach((t, i) => {
      if (kinds[i] === 'ab') {
        if (isDetached(t as ArrayBuffer)) fail('detached-buffer-in-transfer', i);
        detach(t as ArrayBuffer, i);
      } else {
        const port = platformInfo(t)!.port;
        checkPort(t, i);
        holders[i] = { k: 'MessagePort', data: ports.transfer(port), port };
      }
    });
  }
  return { rec, holders };
}

/** StructuredSerialize (no transfer), for BroadcastChannel. */
export function serialize(value: unknown, env: CloneEnv, ports: PortTransfer): Serialized {
  return { rec: new Serializer(env, ports).ser(value), holders: [] };
}

export interface TargetRealm {
  realm: unknown;
  agentCluster: number;
  profile: Profile;
}

const CTORS: Record<string, new (...a: never[]) => unknown> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView,
};
const GLOBAL_ERRORS = globalThis as unknown as Record<string, ErrorConstructor>;

/** StructuredDeserializeWithTransfer: returns the value and the new ports, or throws DataCloneError. */
export function deserializeWithTransfer(s: Serialized, target: TargetRealm, ports: PortTransfer): { value: unknown; ports: object[] } {
  const transferred: unknown[] = [];
  const newPorts: object[] = [];
  for (const h of s.holders) {
    if (h.k === 'ArrayBuffer') transferred.push(h.data);
    else {
      if (!ports.exposed(target.realm)) throw new DOMException('MessagePort is not exposed in the target realm.', 'DataCloneError');
      const p = ports.receive(h.data, target.realm);
      transferred.push(p);
      newPorts.push(p);
    }
  }
  const memory: unknown[] = [];
  const de = (r: Rec): unknown => {
    switch (r.k) {
      case 'prim':
        return r.v;
      case 'ref':
        return memory[r.id];
      case 'xfer':
        return transferred[r.i];
      case 'wrap':
        return (memory[r.id] = Object(r.v));
      case 'date':
        return (memory[r.id] = new Date(r.v));
      case 'regexp':
        return (memory[r.id] = new RegExp(r.source, r.flags));
      case 'ab': {
        let b: ArrayBuffer;
        if (r.max !== undefined) {
          b = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(r.data.byteLength, { maxByteLength: r.max });
          new Uint8Array(b).set(new Uint8Array(r.data));
        } else b = r.data.slice(0);
        return (memory[r.id] = b);
      }
      case 'sab':
      case 'wasm':
        if (r.cluster !== target.agentCluster) throw new DOMException(`${r.k === 'sab' ? 'SharedArrayBuffer' : 'WebAssembly.Module'} cannot cross agent clusters.`, 'DataCloneError');
        return (memory[r.id] = r.k === 'sab' ? r.buf : r.mod);
      case 'view': {
        const buf = de(r.buffer) as ArrayBuffer;
        const C = CTORS[r.ctor] ?? (globalThis as unknown as Record<string, new (b: ArrayBuffer, o: number, l: number) => unknown>)[r.ctor];
        return (memory[r.id] = new (C as new (b: ArrayBuffer, o: number, l: number) => unknown)(buf, r.offset, r.length));
      }
      case 'map': {
        const m = new Map();
        memory[r.id] = m;
        for (const [k, v] of r.entries) m.set(de(k), de(v));
        return m;
      }
      case 'set': {
        const st = new Set();
        memory[r.id] = st;
        for (const v of r.items) st.add(de(v));
        return st;
      }
      case 'error': {
        const C = GLOBAL_ERRORS[r.name] ?? Error;
        const e = r.message === undefined ? new C() : new C(r.message);
        memory[r.id] = e;
        if (r.cause !== undefined) Object.defineProperty(e, 'cause', { value: de(r.cause), writable: true, configurable: true, enumerable: false });
        if (r.stack !== undefined) Object.defineProperty(e, 'stack', { value: r.stack, writable: true, configurable: true, enumerable: false });
        return e;
      }
      case 'domexception':
        return (memory[r.id] = new DOMException(r.message, r.name));
      case 'array': {
        const a = new Array(r.length);
        memory[r.id] = a;
        for (const [k, v] of r.props) a[k as unknown as number] = de(v);
        return a;
      }
      case 'object': {
        const o: Record<string, unknown> = {};
        memory[r.id] = o;
        for (const [k, v] of r.props) o[k] = de(v);
        return o;
      }
    }
  };
  return { value: de(s.rec), ports: newPorts };
}

export { isDOMException };

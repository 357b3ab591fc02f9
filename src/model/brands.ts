// Internal-slot checks for ECMAScript objects, done with the intrinsics' own brand-checking
// methods (captured at load, so later page patches do not change them). Used by the clone
// algorithm and by the shadow's error-path finder; none of these calls page code.

const getter = (proto: object | undefined, key: string) =>
  proto ? (Object.getOwnPropertyDescriptor(proto, key)?.get as ((this: unknown) => unknown) | undefined) : undefined;

const abByteLength = getter(ArrayBuffer.prototype, 'byteLength')!;
const SAB = (globalThis as { SharedArrayBuffer?: { prototype: object } }).SharedArrayBuffer;
const sabByteLength = getter(SAB?.prototype, 'byteLength');
const abDetached = getter(ArrayBuffer.prototype, 'detached');
const abResizable = getter(ArrayBuffer.prototype, 'resizable');
const abMaxByteLength = getter(ArrayBuffer.prototype, 'maxByteLength');
const mapSize = getter(Map.prototype, 'size')!;
const setSize = getter(Set.prototype, 'size')!;
const regexpSource = getter(RegExp.prototype, 'source')!;
const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayTag = getter(typedArrayProto, Symbol.toStringTag as unknown as string) ??
  (Object.getOwnPropertyDescriptor(typedArrayProto, Symbol.toStringTag)?.get as (this: unknown) => unknown);
const typedArrayBuffer = Object.getOwnPropertyDescriptor(typedArrayProto, 'buffer')!.get as (this: unknown) => ArrayBufferLike;
const dataViewBuffer = getter(DataView.prototype, 'buffer')! as (this: unknown) => ArrayBufferLike;
const objToString = Object.prototype.toString;
const WasmModule = (globalThis as { WebAssembly?: { Module?: { exports(m: unknown): unknown } } }).WebAssembly?.Module;
const WR = (globalThis as { WeakRef?: { prototype: { deref(): unknown } } }).WeakRef;
const FR = (globalThis as { FinalizationRegistry?: { prototype: { unregister(t: object): boolean } } }).FinalizationRegistry;

const tryBrand = (f: () => unknown): boolean => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

export type Kind =
  | 'Boolean' | 'Number' | 'String' | 'BigInt' | 'Symbol'
  | 'Date' | 'RegExp' | 'ArrayBuffer' | 'SharedArrayBuffer' | 'TypedArray' | 'DataView'
  | 'Map' | 'Set' | 'Error' | 'Array' | 'WasmModule'
  | 'WeakMap' | 'WeakSet' | 'WeakRef' | 'FinalizationRegistry' | 'Promise'
  | 'Object';

// The intrinsic prototypes, so the common case needs one confirming brand check and no thrown
// exception (each failed brand check throws, and throwing is slow).
const PROTO_KIND = new Map<object, Kind>([
  [Array.prototype, 'Array'], [Map.prototype, 'Map'], [Set.prototype, 'Set'], [Date.prototype, 'Date'],
  [RegExp.prototype, 'RegExp'], [ArrayBuffer.prototype, 'ArrayBuffer'], [Boolean.prototype, 'Boolean'],
  [Number.prototype, 'Number'], [String.prototype, 'String'], [BigInt.prototype, 'BigInt'], [Symbol.prototype, 'Symbol'],
  [WeakMap.prototype, 'WeakMap'], [WeakSet.prototype, 'WeakSet'], [Promise.prototype, 'Promise'],
  [Error.prototype, 'Error'], [EvalError.prototype, 'Error'], [RangeError.prototype, 'Error'], [ReferenceError.prototype, 'Error'],
  [SyntaxError.prototype, 'Error'], [TypeError.prototype, 'Error'], [URIError.prototype, 'Error'],
]);
if (SAB) PROTO_KIND.set(SAB.prototype, 'SharedArrayBuffer');
if (WR) PROTO_KIND.set(WR.prototype, 'WeakRef');
if (FR) PROTO_KIND.set(FR.prototype, 'FinalizationRegistry');
const getProto = Object.getPrototypeOf;

function confirm(kind: Kind, v: object): boolean {
  switch (kind) {
    case 'Map': return tryBrand(() => mapSize.call(v));
    case 'Set': return tryBrand(() => setSize.call(v));
    case 'Date': return tryBrand(() => Date.prototype.getTime.call(v));
    case 'RegExp': return v !== RegExp.prototype && tryBrand(() => regexpSource.call(v));
    case 'ArrayBuffer': return tryBrand(() => abByteLength.call(v));
    case 'SharedArrayBuffer': return !!sabByteLength && tryBrand(() => sabByteLength.call(v));
    case 'Boolean': return tryBrand(() => Boolean.prototype.valueOf.call(v));
    case 'Number': return tryBrand(() => Number.prototype.valueOf.call(v));
    case 'String': return tryBrand(() => String.prototype.valueOf.call(v));
    case 'BigInt': return tryBrand(() => BigInt.prototype.valueOf.call(v));
    case 'Symbol': return tryBrand(() => Symbol.prototype.valueOf.call(v));
    case 'WeakMap': return tryBrand(() => WeakMap.prototype.has.call(v, {}));
    case 'WeakSet': return tryBrand(() => WeakSet.prototype.has.call(v, {}));
    case 'WeakRef': return !!WR && tryBrand(() => WR.prototype.deref.call(v));
    case 'FinalizationRegistry': return !!FR && tryBrand(() => FR.prototype.unregister.call(v, {}));
    case 'Error': return objToString.call(v) === '[object Error]';
    case 'Promise': return v instanceof Promise;
    default: return false;
  }
}

/** What kind of ECMAScript object `v` is, by internal slots (v must be a non-function object). */
export function kindOf(v: object): Kind {
  if (Array.isArray(v)) return 'Array';
  if (ArrayBuffer.isView(v)) return typedArrayTag.call(v) === undefined ? 'DataView' : 'TypedArray';
  // Walk up to the first intrinsic prototype: plain objects and class instances end at
  // Object.prototype (or null) without any exception.
  try {
    let p: object | null = getProto(v);
    for (let depth = 0; depth < 32; depth++) {
      if (p === null || p === Object.prototype) return 'Object';
      const k = PROTO_KIND.get(p);
      if (k !== undefined) {
        if (confirm(k, v)) return k;
        break;
      }
      p = getProto(p);
    }
  } catch {
    // a proxy with a throwing getPrototypeOf trap: use the slow checks
  }
  return slowKindOf(v);
}

function slowKindOf(v: object): Kind {
  if (Array.isArray(v)) return 'Array';
  if (ArrayBuffer.isView(v)) return typedArrayTag.call(v) === undefined ? 'DataView' : 'TypedArray';
  if (tryBrand(() => abByteLength.call(v))) return 'ArrayBuffer';
  if (sabByteLength && tryBrand(() => sabByteLength.call(v))) return 'SharedArrayBuffer';
  if (tryBrand(() => mapSize.call(v))) return 'Map';
  if (tryBrand(() => setSize.call(v))) return 'Set';
  if (tryBrand(() => Date.prototype.getTime.call(v))) return 'Date';
  if (v !== RegExp.prototype && tryBrand(() => regexpSource.call(v))) return 'RegExp';
  if (tryBrand(() => Boolean.prototype.valueOf.call(v))) return 'Boolean';
  if (tryBrand(() => Number.prototype.valueOf.call(v))) return 'Number';
  if (tryBrand(() => String.prototype.valueOf.call(v))) return 'String';
  if (tryBrand(() => BigInt.prototype.valueOf.call(v))) return 'BigInt';
  if (tryBrand(() => Symbol.prototype.valueOf.call(v))) return 'Symbol';
  if (tryBrand(() => WeakMap.prototype.has.call(v, {}))) return 'WeakMap';
  if (tryBrand(() => WeakSet.prototype.has.call(v, {}))) return 'WeakSet';
  if (WR && tryBrand(() => WR.prototype.deref.call(v))) return 'WeakRef';
  if (FR && tryBrand(() => FR.prototype.unregister.call(v, {}))) return 'FinalizationRegistry';
  if (WasmModule && tryBrand(() => WasmModule.exports(v))) return 'WasmModule';
  const tag = objToString.call(v);
  if (tag === '[object Error]') return 'Error';
  if (tag === '[object Promise]' || v instanceof Promise) return 'Promise';
  return 'Object';
}

export function bufferOfView(v: ArrayBufferView): ArrayBufferLike {
  return typedArrayTag.call(v) === undefined ? dataViewBuffer.call(v) : typedArrayBuffer.call(v);
}

export function typedArrayName(v: ArrayBufferView): string {
  return (typedArrayTag.call(v) as string | undefined) ?? 'DataView';
}

export function isArrayBuffer(v: unknown): v is ArrayBuffer {
  return typeof v === 'object' && v !== null && tryBrand(() => abByteLength.call(v));
}

export function isSharedArrayBuffer(v: unknown): boolean {
  return !!sabByteLength && typeof v === 'object' && v !== null && tryBrand(() => sabByteLength.call(v));
}

/** IsDetachedBuffer, also on engines without ArrayBuffer.prototype.detached (Node 20). */
export function isDetached(buf: ArrayBuffer): boolean {
  if (abDetached) return abDetached.call(buf) as boolean;
  if (abByteLength.call(buf) !== 0) return false;
  try {
    new Uint8Array(buf);
    return false;
  } catch {
    return true;
  }
}

export function byteLengthOf(buf: ArrayBuffer): number {
  return abByteLength.call(buf) as number;
}

export function resizableInfo(buf: ArrayBuffer): number | undefined {
  return abResizable && abResizable.call(buf) ? (abMaxByteLength!.call(buf) as number) : undefined;
}

const abTransfer = (ArrayBuffer.prototype as { transfer?: (this: ArrayBuffer) => ArrayBuffer }).transfer;
const hostClone = (globalThis as { structuredClone?: (v: unknown, o: { transfer: unknown[] }) => unknown }).structuredClone;

/** DetachArrayBuffer: returns a new buffer owning the old one's data (no copy where possible). */
export function detachBuffer(buf: ArrayBuffer): ArrayBuffer {
  if (abTransfer) return abTransfer.call(buf);
  if (hostClone) return hostClone(buf, { transfer: [buf] }) as ArrayBuffer;
  throw new TypeError('this host cannot detach an ArrayBuffer');
}

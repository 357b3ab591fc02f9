// The builder's accessors made of Node's own built-ins: the same reads the captured natives
// do in the page, without a browser.
import type { SampleAccess } from '../../../src/instrument/sample';

const TA = Object.getPrototypeOf(Uint8Array.prototype) as object;
const get = (proto: object, name: string) => Object.getOwnPropertyDescriptor(proto, name)!.get!;
const call = <T>(f: Function, self: unknown): T => Reflect.apply(f, self, []) as T;
const taTag = Object.getOwnPropertyDescriptor(TA, Symbol.toStringTag)!.get!;
// By internal slot, as the page's natives do: `instanceof` would walk a prototype chain.
const isDataView = (v: unknown): v is DataView => Reflect.apply(taTag, v, []) === undefined;

const detached = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'detached')?.get;

export const plainAccess: SampleAccess = {
  getPrototypeOf: Object.getPrototypeOf,
  protos: { Object: Object.prototype, Array: Array.prototype, ArrayBuffer: ArrayBuffer.prototype, Map: Map.prototype, Set: Set.prototype, Date: Date.prototype, RegExp: RegExp.prototype },
  isView: ArrayBuffer.isView as SampleAccess['isView'],
  isArray: Array.isArray,
  arrayBufferByteLength: (b) => call(get(ArrayBuffer.prototype, 'byteLength'), b),
  viewBuffer: (v) => (isDataView(v) ? call(get(DataView.prototype, 'buffer'), v) : call(get(TA, 'buffer'), v)),
  viewByteLength: (v) => (isDataView(v) ? call(get(DataView.prototype, 'byteLength'), v) : call(get(TA, 'byteLength'), v)),
  viewByteOffset: (v) => (isDataView(v) ? call(get(DataView.prototype, 'byteOffset'), v) : call(get(TA, 'byteOffset'), v)),
  bytesOf: (b, offset, count) => Array.from(new Uint8Array(b, offset, count)),
  dateValue: (d) => call(Date.prototype.getTime, d),
  mapSize: (m) => call(get(Map.prototype, 'size'), m),
  setSize: (s) => call(get(Set.prototype, 'size'), s),
  mapEntries: (m) => call(Map.prototype.entries, m),
  setValues: (s) => call(Set.prototype.values, s),
  regexpSource: (r) => call(get(RegExp.prototype, 'source'), r),
  regexpFlags: (r) => call(get(RegExp.prototype, 'flags'), r),
  blobInfo: (o) => (o instanceof File ? { kind: 'File', size: o.size, type: o.type, name: o.name } : o instanceof Blob ? { kind: 'Blob', size: o.size, type: o.type } : null),
  isPort: (v): v is MessagePort => v instanceof MessagePort,
  errorPrototype: Error.prototype,
  arrayBufferDetached: detached ? (b) => Reflect.apply(detached, b, []) as boolean : null,
  typedArrayName: (v) => Reflect.apply(taTag, v, []) as string | undefined,
  keys: Object.keys,
  getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
  dataProp: (o, key) => {
    for (let p: object | null = o; p; p = Object.getPrototypeOf(p)) {
      const d = Object.getOwnPropertyDescriptor(p, key);
      if (d) return 'value' in d ? d.value : undefined;
    }
    return undefined;
  },
  hasOwn: Object.hasOwn,
  stringify: JSON.stringify,
  substring: (s, a, b) => s.substring(a, b),
  String,
  WeakMap,
  weakHas: (m, k) => m.has(k),
  weakSet: (m, k, v) => void m.set(k, v),
  list: <T>() => [] as T[],
};

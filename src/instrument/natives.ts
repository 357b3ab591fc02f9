// Every built-in the instrumentation relies on, captured once at document_start, before
// any page script can replace or freeze it. After capture the instrumentation never
// calls a method through a page-reachable prototype: a page that patches
// Array.prototype.push, Map.prototype.set, JSON or EventTarget later cannot break it.

export interface Natives {
  apply: typeof Reflect.apply;
  construct: typeof Reflect.construct;
  create: typeof Object.create;
  setPrototypeOf: typeof Object.setPrototypeOf;
  /** An empty array with no prototype: writing its elements can never reach a page setter. */
  list: <T>() => T[];
  defineProperty: typeof Object.defineProperty;
  getOwnPropertyDescriptor: typeof Object.getOwnPropertyDescriptor;
  getPrototypeOf: typeof Object.getPrototypeOf;
  isArray: typeof Array.isArray;
  keys: typeof Object.keys;
  /** Iteration of Map and Set through the captured iterators (a page may replace the prototypes' methods). */
  mapEntries: (m: Map<unknown, unknown>) => { next(): IteratorResult<[unknown, unknown]> };
  setValues: (s: Set<unknown>) => { next(): IteratorResult<unknown> };
  /** Brand-checking getters: they throw for the wrong kind of object. */
  arrayBufferByteLength: (b: ArrayBuffer) => number;
  arrayBufferDetached: ((b: ArrayBuffer) => boolean) | null;
  viewBuffer: (v: ArrayBufferView) => ArrayBufferLike;
  isView: (v: unknown) => v is ArrayBufferView;
  dateValue: (d: Date) => number;
  /** Byte length and offset of a typed array or DataView (throw for anything else). */
  viewByteLength: (v: ArrayBufferView) => number;
  viewByteOffset: (v: ArrayBufferView) => number;
  /** Up to `count` bytes of a buffer from `offset`, read through a captured Uint8Array. */
  bytesOf: (b: ArrayBufferLike, offset: number, count: number) => number[];
  /** A RegExp's source and flags through the captured getters (throw for anything else). */
  regexpSource: (r: RegExp) => string;
  regexpFlags: (r: RegExp) => string;
  /** Size, type and (for a File) name of a Blob, or null when `o` is not one. */
  blobInfo: (o: object) => { kind: 'Blob' | 'File'; size: number; type: string; name?: string } | null;
  mapSize: (m: Map<unknown, unknown>) => number;
  setSize: (s: Set<unknown>) => number;
  errorPrototype: object;
  /** A typed array's kind from its internal slot (%TypedArray%.prototype[@@toStringTag]); undefined for anything else. */
  typedArrayName: (v: object) => string | undefined;
  /** Intrinsic prototypes, to tell a clone's kind without a brand check that throws. */
  protos: { Object: object; Array: object; ArrayBuffer: object; Map: object; Set: object; Date: object; RegExp: object };
  stringify: typeof JSON.stringify;
  substring: (s: string, start: number, end?: number) => string;
  split: (s: string, sep: string) => string[];
  indexOf: (s: string, search: string) => number;
  trim: (s: string) => string;
  /** The value of o[key] found through data properties only: never runs a getter or a proxy's get trap. */
  dataProp: (o: object, key: PropertyKey) => unknown;
  hasOwn: typeof Object.hasOwn;
  /** An own data property's value; undefined for accessors and absent keys. Never runs page code. */
  ownData: (o: object, key: PropertyKey) => unknown;
  /** Brand check of a real MessagePort, with no side effect and no proxy trap. */
  isPort: (v: unknown) => v is MessagePort;
  WeakMap: WeakMapConstructor;
  weakGet: (map: WeakMap<object, unknown>, key: object) => unknown;
  weakSet: (map: WeakMap<object, unknown>, key: object, value: unknown) => void;
  weakHas: (map: WeakMap<object, unknown>, key: object) => boolean;
  Map: MapConstructor;
  Set: SetConstructor;
  setHas: <T>(s: Set<T>, v: T) => boolean;
  setAdd: <T>(s: Set<T>, v: T) => void;
  setDelete: <T>(s: Set<T>, v: T) => boolean;
  mapGet: <K, V>(map: Map<K, V>, key: K) => V | undefined;
  mapSet: <K, V>(map: Map<K, V>, key: K, value: V) => void;
  functionToString: (fn: Function) => string;
  String: StringConstructor;
  /** performance.timeOrigin + performance.now(): epoch ms, sub-ms precision, same base in every frame. */
  now: () => number;
  /** performance.timeOrigin of this document, as captured. */
  timeOrigin: number;
  setTimeout: (fn: () => void, ms: number) => number;
  clearTimeout: (id: number) => void;
  queueMicrotask: (fn: () => void) => void;
  randomId: () => string;

  MessageChannel: typeof MessageChannel;
  MessagePort: typeof MessagePort;
  portPostMessage: MessagePort['postMessage'];
  portStart: MessagePort['start'];
  portClose: MessagePort['close'];
  addEventListener: EventTarget['addEventListener'];
  removeEventListener: EventTarget['removeEventListener'];
  /** MessageEvent getters, read through the captured accessors so a page override cannot lie to us. */
  eventData: (e: MessageEvent) => unknown;
  eventPorts: (e: MessageEvent) => readonly MessagePort[];
  eventOrigin: (e: MessageEvent) => string;
  eventSource: (e: MessageEvent) => MessageEventSource | null;
  windowPostMessage: ((this: Window, ...args: unknown[]) => void) | null;
  /**
   * A window's parent, frame count and opener through this window's own accessors, captured:
   * a page's `var parent` or `var length` replaces those properties (they are [Replaceable]),
   * and a getter it defines there must not run. They work on any window, cross-origin too.
   */
  windowParent: (w: Window) => Window;
  windowLength: (w: Window) => number;
  windowOpener: (w: Window) => Window | null;
}

/** A window attribute read through the accessor captured from `g` (see Natives.windowParent). */
function windowGetter<T>(apply: typeof Reflect.apply, g: object, name: string): (w: Window) => T {
  const get = Object.getOwnPropertyDescriptor(g, name)?.get;
  return (w) => {
    if (get)
      try {
        return apply(get, w, []) as T;
      } catch {
        /* not a window this accessor takes: its own property, as a plain read would */
      }
    return (w as unknown as Record<string, T>)[name];
  };
}

// Zero-argument native calls pass a fresh `[]`: V8 turns Reflect.apply with an array literal
// into a direct call, where a shared frozen list cost a generic call (30–40% more here).
function getter<T>(apply: typeof Reflect.apply, proto: object, name: string): (self: object) => T {
  const d = Object.getOwnPropertyDescriptor(proto, name);
  const get = d?.get;
  if (!get) return (self) => (self as Record<string, T>)[name];
  return (self) => apply(get, self, []) as T;
}

/** An iterator factory that uses the iterator's own `next`, captured now. */
function iteratorOf<C, T>(apply: typeof Reflect.apply, make: Function, sample: C) {
  const next = Object.getPrototypeOf(apply(make, sample, [])).next as Function;
  return (c: C) => {
    const it = apply(make, c, []);
    return { next: () => apply(next, it, []) as IteratorResult<T> };
  };
}

export function captureNatives(g: typeof globalThis): Natives {
  const apply = Reflect.apply;
  const WM = g.WeakMap;
  const wmGet = WM.prototype.get;
  const wmSet = WM.prototype.set;
  const wmHas = WM.prototype.has;
  const M = g.Map;
  const mGet = M.prototype.get;
  const mSet = M.prototype.set;
  const sHas = g.Set.prototype.has;
  const sAdd = g.Set.prototype.add;
  const sDelete = g.Set.prototype.delete;
  const fnToString = g.Function.prototype.toString;
  const perf = g.performance;
  const perfNow = perf.now;
  const timeOrigin = perf.timeOrigin;
  const st = g.setTimeout;
  const ct = g.clearTimeout;
  const qm = g.queueMicrotask;
  const crypto = g.crypto;
  const randomUUID = crypto?.randomUUID;
  const MP = g.MessagePort.prototype;
  const ET = g.EventTarget.prototype;
  const ME = g.MessageEvent.prototype;
  const wpm = typeof g.postMessage === 'function' && 'window' in g ? (g.postMessage as Natives['windowPostMessage']) : null;
  const mathRandom = Math.random;
  const dateGetTime = g.Date.prototype.getTime;
  const substring = g.String.prototype.substring;
  const gpo = Object.getPrototypeOf;
  const gopd = Object.getOwnPropertyDescriptor;
  const spo = Object.setPrototypeOf;
  const hasOwn = Object.hasOwn;
  const split = g.String.prototype.split;
  const indexOf = g.String.prototype.indexOf;
  const trim = g.String.prototype.trim;
  const portOnmessageGet = Object.getOwnPropertyDescriptor(g.MessagePort.prototype, 'onmessage')!.get!;
  const abDetached = Object.getOwnPropertyDescriptor(g.ArrayBuffer.prototype, 'detached')?.get ?? null;
  // %TypedArray%.prototype holds the shared length getter.
  const TA = Object.getPrototypeOf(g.Uint8Array.prototype) as object;
  const isView = g.ArrayBuffer.isView as (v: unknown) => v is ArrayBufferView;
  const taBuffer = getter<ArrayBufferLike>(apply, TA, 'buffer');
  const dvBuffer = getter<ArrayBufferLike>(apply, g.DataView.prototype, 'buffer');
  const dvByteLength = Object.getOwnPropertyDescriptor(g.DataView.prototype, 'byteLength')!.get!;
  const taByteLength = Object.getOwnPropertyDescriptor(TA, 'byteLength')!.get!;
  const taByteOffset = Object.getOwnPropertyDescriptor(TA, 'byteOffset')!.get!;
  const taTag = Object.getOwnPropertyDescriptor(TA, Symbol.toStringTag)!.get!;
  const dvByteOffset = Object.getOwnPropertyDescriptor(g.DataView.prototype, 'byteOffset')!.get!;
  const U8 = g.Uint8Array;
  const construct = Reflect.construct;
  const RX = g.RegExp.prototype;
  const rxSource = Object.getOwnPropertyDescriptor(RX, 'source')!.get!;
  // The flag getters read the regexp's own slot; the `flags` getter would go through `this`.
  const rxFlags: [string, Function][] = [];
  for (const [ch, name] of [['d', 'hasIndices'], ['g', 'global'], ['i', 'ignoreCase'], ['m', 'multiline'], ['s', 'dotAll'], ['u', 'unicode'], ['v', 'unicodeSets'], ['y', 'sticky']]) {
    const get = Object.getOwnPropertyDescriptor(RX, name)?.get;
    if (get) rxFlags.push([ch, get]);
  }
  const blobProto = typeof g.Blob === 'function' ? (g.Blob.prototype as object) : null;
  const fileProto = typeof g.File === 'function' ? (g.File.prototype as object) : null;
  const blobSize = blobProto ? Object.getOwnPropertyDescriptor(blobProto, 'size')?.get : undefined;
  const blobType = blobProto ? Object.getOwnPropertyDescriptor(blobProto, 'type')?.get : undefined;
  const fileName = fileProto ? Object.getOwnPropertyDescriptor(fileProto, 'name')?.get : undefined;
  const DVP = g.DataView.prototype;
  const isDataView = (v: object) => {
    // A clone has its intrinsic prototype: one read settles it, without a throwing brand check.
    // Past that, the internal slot decides: the prototype's own prototype may be a page's Proxy.
    const proto = gpo(v);
    if (proto === DVP) return true;
    return apply(taTag, v, []) === undefined;
  };

  return {
    apply,
    construct: Reflect.construct,
    create: Object.create,
    setPrototypeOf: Object.setPrototypeOf,
    list: () => spo([], null),
    defineProperty: Object.defineProperty,
    getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
    getPrototypeOf: Object.getPrototypeOf,
    isArray: Array.isArray,
    keys: Object.keys,
    mapEntries: iteratorOf(apply, g.Map.prototype.entries, new g.Map()),
    setValues: iteratorOf(apply, g.Set.prototype.values, new g.Set()),
    arrayBufferByteLength: getter<number>(apply, g.ArrayBuffer.prototype, 'byteLength'),
    arrayBufferDetached: abDetached ? (b) => apply(abDetached, b, []) as boolean : null,
    viewBuffer: (v) => (isView(v) ? (isDataView(v) ? dvBuffer(v) : taBuffer(v)) : (null as never)),
    isView,
    dateValue: (d) => apply(dateGetTime, d, []) as number,
    viewByteLength: (v) => apply(isDataView(v) ? dvByteLength : taByteLength, v, []) as number,
    viewByteOffset: (v) => apply(isDataView(v) ? dvByteOffset : taByteOffset, v, []) as number,
    bytesOf: (b, offset, count) => {
      const out: number[] = spo([], null);
      const view = construct(U8, [b, offset, count]) as Uint8Array;
      // Integer-indexed reads of a typed array never reach a prototype.
      for (let i = 0; i < count; i++) out[i] = view[i];
      return out;
    },
    regexpSource: (r) => apply(rxSource, r, []) as string,
    regexpFlags: (r) => {
      let flags = '';
      for (let i = 0; i < rxFlags.length; i++) if (apply(rxFlags[i][1], r, [])) flags += rxFlags[i][0];
      return flags;
    },
    blobInfo: (o) => {
      if (!blobProto || !blobSize || !blobType) return null;
      let file = false;
      let blob = false;
      for (let p = gpo(o), i = 0; p && i < 64; p = gpo(p), i++) {
        if (p === fileProto) file = true;
        if (p === blobProto) blob = true;
      }
      if (!blob) return null;
      const size = apply(blobSize, o, []) as number;
      const type = apply(blobType, o, []) as string;
      return file && fileName ? { kind: 'File', size, type, name: apply(fileName, o, []) as string } : { kind: 'Blob', size, type };
    },
    mapSize: getter<number>(apply, g.Map.prototype, 'size'),
    setSize: getter<number>(apply, g.Set.prototype, 'size'),
    errorPrototype: g.Error.prototype,
    typedArrayName: (v) => apply(taTag, v, []) as string | undefined,
    protos: { Object: g.Object.prototype, Array: g.Array.prototype, ArrayBuffer: g.ArrayBuffer.prototype, Map: g.Map.prototype, Set: g.Set.prototype, Date: g.Date.prototype, RegExp: g.RegExp.prototype },
    stringify: g.JSON.stringify,
    substring: (str, a, b) => apply(substring, str, [a, b]) as string,
    split: (str, sep) => apply(split, str, [sep]) as string[],
    indexOf: (str, search) => apply(indexOf, str, [search]) as number,
    trim: (str) => apply(trim, str, []) as string,
    dataProp: (o, key) => {
      for (let p: object | null = o, i = 0; p && i < 64; p = gpo(p), i++) {
        const d = gopd(p, key);
        if (d) return hasOwn(d, 'value') ? d.value : undefined;
      }
      return undefined;
    },
    hasOwn,
    ownData: (o, key) => {
      const d = gopd(o, key);
      return d && hasOwn(d, 'value') ? d.value : undefined;
    },
    isPort: (v): v is MessagePort => {
      if (typeof v !== 'object' || v === null) return false;
      try {
        apply(portOnmessageGet, v, []);
        return true;
      } catch {
        return false;
      }
    },
    WeakMap: WM,
    weakGet: (m, k) => apply(wmGet, m, [k]),
    weakSet: (m, k, v) => void apply(wmSet, m, [k, v]),
    weakHas: (m, k) => apply(wmHas, m, [k]) as boolean,
    Map: M,
    Set: g.Set,
    setHas: (set, v) => apply(sHas, set, [v]) as boolean,
    setAdd: (set, v) => void apply(sAdd, set, [v]),
    setDelete: (set, v) => apply(sDelete, set, [v]) as boolean,
    mapGet: (m, k) => apply(mGet, m, [k]),
    mapSet: (m, k, v) => void apply(mSet, m, [k, v]),
    functionToString: (fn) => apply(fnToString, fn, []) as string,
    String: g.String,
    now: () => timeOrigin + (apply(perfNow, perf, []) as number),
    timeOrigin,
    setTimeout: (fn, ms) => apply(st, g, [fn, ms]) as unknown as number,
    clearTimeout: (id) => void apply(ct, g, [id]),
    queueMicrotask: (fn) => void apply(qm, g, [fn]),
    randomId: randomUUID
      ? () => apply(randomUUID, crypto, []) as string
      : () => (apply(mathRandom, Math, []) as number).toString(36).slice(2) + (apply(mathRandom, Math, []) as number).toString(36).slice(2),

    MessageChannel: g.MessageChannel,
    MessagePort: g.MessagePort,
    portPostMessage: MP.postMessage,
    portStart: MP.start,
    portClose: MP.close,
    addEventListener: ET.addEventListener,
    removeEventListener: ET.removeEventListener,
    eventData: getter(apply, ME, 'data'),
    eventPorts: getter(apply, ME, 'ports'),
    eventOrigin: getter(apply, ME, 'origin'),
    eventSource: getter(apply, ME, 'source'),
    windowPostMessage: wpm,
    windowParent: windowGetter(apply, g, 'parent'),
    windowLength: windowGetter(apply, g, 'length'),
    windowOpener: windowGetter(apply, g, 'opener'),
  };
}

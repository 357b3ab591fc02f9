// Wrapped functions must be indistinguishable from the natives they replace: same
// name, length and toString(), and the property they live in keeps its descriptor.
// Function.prototype.toString is itself wrapped once so that it answers with the
// native text for every wrapper (and for itself).
import type { Natives } from './natives';

export interface Disguise {
  /** Replace obj[key] (a method) with `wrapper`, made to look like the original. */
  method<T extends object>(obj: T, key: PropertyKey, wrapper: Function): Function | undefined;
  /** Replace the accessor obj[key]'s setter or getter. */
  accessor(obj: object, key: PropertyKey, part: 'get' | 'set', wrapper: Function): Function | undefined;
  /** Make `wrapper` pose as `original` (name, length, toString) without installing it. */
  pose(wrapper: Function, original: Function): void;
  /** Only print `stand` (a Proxy of `original`, whose properties are the original's) as `original`. */
  mask(stand: Function, original: Function): void;
}

export function createDisguise(n: Natives, g: typeof globalThis): Disguise {
  const originals = new n.WeakMap<object, Function>();
  const FP = g.Function.prototype;
  const nativeToString = FP.toString;

  const ownKeys = g.Reflect.ownKeys;
  const deleteProperty = g.Reflect.deleteProperty;
  const pose = (wrapper: Function, original: Function) => {
    // name and length are own, non-writable, configurable data properties on functions,
    // in the native's key order (V8: length, name; SpiderMonkey's natives: name, length).
    const nameFirst = (f: Function) => (n.apply(ownKeys, null, [f]) as PropertyKey[])[0] === 'name';
    // Redefined in place when the order already matches (a constructor keeps `prototype` last).
    const reorder = nameFirst(original) !== nameFirst(wrapper);
    for (const key of nameFirst(original) ? (['name', 'length'] as const) : (['length', 'name'] as const)) {
      const d = n.getOwnPropertyDescriptor(original, key);
      if (reorder) n.apply(deleteProperty, null, [wrapper, key]);
      if (d) n.defineProperty(wrapper, key, d);
    }
    n.weakSet(originals, wrapper, original);
  };

  // toString: answer for a wrapper with its original's text. Called as a method, so
  // `this` is the function being printed.
  const toStringWrapper = {
    toString(this: unknown) {
      const target = (typeof this === 'function' && (n.weakGet(originals, this) as Function | undefined)) || this;
      return n.apply(nativeToString, target, []);
    },
  }.toString;
  pose(toStringWrapper, nativeToString);
  const tsDesc = n.getOwnPropertyDescriptor(FP, 'toString');
  if (tsDesc && tsDesc.configurable) n.defineProperty(FP, 'toString', { ...tsDesc, value: toStringWrapper });

  return {
    pose,
    mask: (stand, original) => n.weakSet(originals, stand, original),
    method(obj, key, wrapper) {
      const d = n.getOwnPropertyDescriptor(obj, key);
      if (!d || typeof d.value !== 'function' || !d.configurable) return undefined;
      pose(wrapper, d.value);
      n.defineProperty(obj, key, { ...d, value: wrapper });
      return d.value as Function;
    },
    accessor(obj, key, part, wrapper) {
      const d = n.getOwnPropertyDescriptor(obj, key);
      const original = d?.[part];
      if (!d || typeof original !== 'function' || !d.configurable) return undefined;
      pose(wrapper, original);
      n.defineProperty(obj, key, { ...d, [part]: wrapper });
      return original;
    },
  };
}

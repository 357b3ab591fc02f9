// Brand registry for the model's platform objects (MessagePort, Event, MessageChannel, ...).
// The clone algorithm asks it which objects are platform objects and which are ports,
// the way a browser checks internal slots.

export interface PlatformInfo {
  iface: string;
  /** The internal state of a MessagePort object. */
  port?: unknown;
}

const BRANDS = new WeakMap<object, PlatformInfo>();

export function brand(obj: object, info: PlatformInfo): void {
  BRANDS.set(obj, info);
}

export function platformInfo(obj: object): PlatformInfo | undefined {
  return BRANDS.get(obj);
}

// Message listeners the page registers on channel targets (ports, windows, workers,
// broadcast channels): how many are attached at each delivery, how long the page's
// handlers took, and whether they read event.origin. The page's functions are wrapped
// so that `this`, arguments, return values and exceptions are exactly theirs; the
// wrapper is what the browser holds, and removeEventListener finds it again.
import type { Instr } from './context';
import type { DeliverEvent, Via } from '../protocol/messages';

type MessageType = 'message' | 'messageerror';

/** One delivery in progress: page handlers add their time to it. */
interface Dispatch {
  event: Event;
  record: DeliverEvent;
}

export interface Listeners {
  /** Page listeners for `type` on `target` now (addEventListener and the on* handler). */
  count(target: object, type: MessageType): number;
  /** Called by the instrumentation's own first listener when a delivery begins. */
  begin(event: Event, record: DeliverEvent): void;
  /** Decides which targets' listeners are counted and reported, and as what. */
  kindOf(target: unknown): Via | null;
  /** Wraps the on<name> accessor of a prototype (or the window) so handlers are timed and counted. */
  wrapHandler(proto: object, name: 'onmessage' | 'onmessageerror', onSet?: (target: object, value: unknown) => void): void;
}

interface TargetListeners {
  message: Set<Function>[];
  messageerror: Set<Function>[];
  handler: { message: boolean; messageerror: boolean };
}

export function instrumentListeners(I: Instr, kindOf: (target: unknown) => Via | null, objectId: (target: object) => number | undefined): Listeners {
  const { g, n, rec, disguise } = I;
  const ET = g.EventTarget.prototype;
  const nativeAdd = n.addEventListener;
  const nativeRemove = n.removeEventListener;
  const registry = new n.WeakMap<object, TargetListeners>();
  /** listener → its wrapper per type and capture flag: [message, messageerror] × [bubble, capture]. */
  const wrappers = new n.WeakMap<object, (Function | undefined)[]>();
  let current: Dispatch | null = null;

  const entry = (target: object): TargetListeners => {
    let t = n.weakGet(registry, target) as TargetListeners | undefined;
    if (!t) {
      t = { message: [new n.Set(), new n.Set()], messageerror: [new n.Set(), new n.Set()], handler: { message: false, messageerror: false } };
      n.weakSet(registry, target, t);
    }
    return t;
  };

  const wrapperFor = (listener: object, type: MessageType, capture: boolean, once: boolean): Function => {
    let list = n.weakGet(wrappers, listener) as (Function | undefined)[] | undefined;
    if (!list) n.weakSet(wrappers, listener, (list = n.list()));
    const slot = (type === 'message' ? 0 : 2) + (capture ? 1 : 0);
    const existing = list[slot];
    if (existing) return existing;
    const wrapper = function (this: EventTarget, event: Event) {
      if (once) forget(this, type, capture, wrapper);
      // Timed inline (no closure per call): this runs for every listener of every delivery.
      const d = current !== null && current.event === event ? current : null;
      const t0 = d ? n.now() : 0;
      try {
        if (typeof listener === 'function') return n.apply(listener, this, [event]);
        // A listener object: handleEvent is looked up at each call, as the browser does.
        const handle = (listener as { handleEvent?: unknown }).handleEvent;
        return n.apply(handle as Function, listener, [event]);
      } finally {
        if (d) d.record.handlerMs = (d.record.handlerMs ?? 0) + (n.now() - t0);
      }
    };
    list[slot] = wrapper;
    return wrapper;
  };

  const forget = (target: object, type: MessageType, capture: boolean, wrapper: Function) => {
    n.setDelete(entry(target)[type][capture ? 1 : 0], wrapper);
  };

  /** An options argument read through data properties only: the browser reads it itself. */
  const optionOf = (options: unknown, key: 'capture' | 'once' | 'signal'): unknown =>
    typeof options === 'object' && options !== null ? n.dataProp(options, key) : key === 'capture' ? options : undefined;

  disguise.method(ET, 'addEventListener', {
    addEventListener(this: EventTarget, type: unknown, listener: unknown) {
      if ((type !== 'message' && type !== 'messageerror') || (typeof listener !== 'object' && typeof listener !== 'function') || listener === null || kindOf(this) === null) {
        return n.apply(nativeAdd, this, arguments);
      }
      const options = arguments[2];
      const capture = !!optionOf(options, 'capture');
      const once = !!optionOf(options, 'once');
      const signal = optionOf(options, 'signal') as AbortSignal | undefined;
      const wrapper = wrapperFor(listener as object, type, capture, once);
      // The browser gets the page's own arguments, with the wrapper in place of the listener.
      const result = n.apply(nativeAdd, this, arguments.length > 2 ? [type, wrapper, options] : [type, wrapper]);
      if (signal && n.dataProp(signal, 'aborted') === true) return result;
      onAdded(this, type, capture, wrapper, signal);
      return result;
    },
  }.addEventListener);

  const onAdded = (target: EventTarget, type: MessageType, capture: boolean, wrapper: Function, signal: AbortSignal | undefined) => {
    const set = entry(target)[type][capture ? 1 : 0];
    if (n.setHas(set, wrapper)) return;
    n.setAdd(set, wrapper);
    if (signal) {
      try {
        n.apply(nativeAdd, signal, ['abort', () => forget(target, type, capture, wrapper), { once: true }]);
      } catch {
        /* not an AbortSignal: the browser already said so */
      }
    }
    if (rec.active) rec.emit({ k: 'listen', at: n.now(), op: 'add', type, via: kindOf(target)!, ...targetRef(target), stack: I.stack() });
  };

  disguise.method(ET, 'removeEventListener', {
    removeEventListener(this: EventTarget, type: unknown, listener: unknown) {
      if ((type !== 'message' && type !== 'messageerror') || (typeof listener !== 'object' && typeof listener !== 'function') || listener === null || kindOf(this) === null) {
        return n.apply(nativeRemove, this, arguments);
      }
      const capture = !!optionOf(arguments[2], 'capture');
      const list = n.weakGet(wrappers, listener as object) as (Function | undefined)[] | undefined;
      const wrapper = list?.[(type === 'message' ? 0 : 2) + (capture ? 1 : 0)];
      if (!wrapper) return n.apply(nativeRemove, this, arguments);
      const result = n.apply(nativeRemove, this, arguments.length > 2 ? [type, wrapper, arguments[2]] : [type, wrapper]);
      const set = entry(this)[type][capture ? 1 : 0];
      if (n.setDelete(set, wrapper) && rec.active) rec.emit({ k: 'listen', at: n.now(), op: 'remove', type, via: kindOf(this)!, ...targetRef(this) });
      return result;
    },
  }.removeEventListener);

  const targetRef = (target: object): { port?: number; object?: number } => {
    const port = I.knownPort(target);
    if (port !== undefined) return { port };
    const object = objectId(target);
    return object !== undefined ? { object } : {};
  };

  // on* handlers: the browser holds a wrapper; the getter answers with the page's function.
  const handlers = new n.WeakMap<object, Function>();
  const wrapHandler = (proto: object, name: 'onmessage' | 'onmessageerror', onSet?: (target: object, value: unknown) => void) => {
    const d = n.getOwnPropertyDescriptor(proto, name);
    if (!d?.get || !d.set || !d.configurable) return;
    const nativeGet = d.get;
    const nativeSet = d.set;
    const type: MessageType = name === 'onmessage' ? 'message' : 'messageerror';
    const holder = {
      get [name](): unknown {
        const value: unknown = n.apply(nativeGet, this, []);
        if (typeof value === 'function') {
          const original = n.weakGet(handlers, value) as Function | undefined;
          if (original) return original;
        }
        return value;
      },
      set [name](value: unknown) {
        const self = this as unknown as object;
        const kind = kindOf(self);
        if (typeof value !== 'function' || kind === null) {
          n.apply(nativeSet, self, [value]);
          if (kind !== null) entry(self).handler[type] = false;
        } else {
          const page = value as Function;
          const wrapper = function (this: EventTarget, event: Event) {
            const d = current !== null && current.event === event ? current : null;
            const t0 = d ? n.now() : 0;
            try {
              return n.apply(page, this, [event]);
            } finally {
              if (d) d.record.handlerMs = (d.record.handlerMs ?? 0) + (n.now() - t0);
            }
          };
          n.weakSet(handlers, wrapper, page);
          n.apply(nativeSet, self, [wrapper]);
          entry(self).handler[type] = true;
        }
        onSet?.(self, value);
      },
    };
    const get = n.getOwnPropertyDescriptor(holder, name)!.get!;
    const set = n.getOwnPropertyDescriptor(holder, name)!.set!;
    disguise.pose(get, nativeGet);
    disguise.pose(set, nativeSet);
    n.defineProperty(proto, name, { ...d, get, set });
  };

  // MessageEvent.origin: reading it during a delivery is what origin checks do.
  const originDesc = n.getOwnPropertyDescriptor(g.MessageEvent.prototype, 'origin');
  if (originDesc?.get && originDesc.configurable) {
    const nativeOrigin = originDesc.get;
    disguise.accessor(g.MessageEvent.prototype, 'origin', 'get', n.getOwnPropertyDescriptor(
      {
        get origin() {
          const d = current;
          if (d && d.event === (this as unknown)) d.record.originRead = true;
          return n.apply(nativeOrigin, this, []);
        },
      },
      'origin',
    )!.get!);
  }

  return {
    count(target, type) {
      const t = n.weakGet(registry, target) as TargetListeners | undefined;
      if (!t) return 0;
      return n.setSize(t[type][0]) + n.setSize(t[type][1]) + (t.handler[type] ? 1 : 0);
    },
    begin(event, record) {
      current = { event, record };
    },
    kindOf,
    wrapHandler,
  };
}

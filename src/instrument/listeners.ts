// Message listeners the page registers on channel targets (ports, windows, workers,
// broadcast channels): how many are attached at each delivery, how long the page's
// handlers took, and whether they read event.origin. The page's functions are wrapped
// so that `this`, arguments, return values and exceptions are exactly theirs; the
// wrapper is what the browser holds, and removeEventListener finds it again.
//
// The inventory: while recording, every registration gets a local id, reported with its
// stack and the author's function (name, source text; see unwrap.ts for the libraries
// whose wrappers are looked through) in a `listen` event; its removal reports the same
// id. Each wrapper counts the messages it handled and whether it read event.origin in
// fields of its own entry (no allocation per call); counts that changed go out once per
// flush in a `listenerStats` event.
import type { Instr } from './context';
import { HANDLER_SLOT, ORIGIN_READ_SLOT, D, type Built } from '../protocol/compact';
import type { ListenEvent, ListenerRemoval, Via, WrappedBy } from '../protocol/messages';
import { LISTENER_SOURCE_MAX } from '../protocol/messages';
import { dispatcherOf, nameOf, sourceOf, unwrap, type Dispatcher, type Reader } from './unwrap';

type MessageType = 'message' | 'messageerror';

/** One delivery in progress: page handlers add their time to it. */
interface Dispatch {
  event: Event;
  /** The delivery as built (src/protocol/compact.ts): its handler time and originRead have slots. */
  record: Built;
}

/** Counts reported per listener. */
interface Stat {
  /** Local listener id; 0 when not reported (registered while not recording, or a library dispatcher). */
  id: number;
  handled: number;
  originRead: boolean;
  dirty: boolean;
}

/** One registration the browser holds (our wrapper in its place). */
interface Entry extends Stat {
  target: EventTarget;
  /** Its target's lists (the wrapper reads the target's watch from there). */
  lists: TargetListeners;
  type: MessageType;
  capture: boolean;
  once: boolean;
  handler: boolean;
  wrapper: Function;
  /** The page's function or listener object. */
  listener: object;
  attached: boolean;
  /** A library dispatcher (Zone.js, jQuery): the author's listeners are its kids. */
  dispatcher: Dispatcher | null;
  kids: Kid[] | null;
  /** Registration stack, given to the first kid found behind a dispatcher. */
  stack: number | undefined;
}

/** An author's listener behind a library dispatcher. */
interface Kid extends Stat {
  key: object;
  fn: object;
  wrappedBy: WrappedBy;
  once: boolean;
  /** Zone's runCount when the current dispatch began. */
  runs0: number | null;
}

export interface Listeners {
  /** Page listeners for `type` on `target` now (addEventListener and the on* handler). */
  count(target: object, type: MessageType): number;
  /** Called by the instrumentation's own first listener when a delivery begins. */
  begin(event: Event, record: Built): void;
  /** Decides which targets' listeners are counted and reported, and as what. */
  kindOf(target: unknown): Via | null;
  /**
   * The instrumentation must see every dispatch of `type` on `target` (a port) without a
   * listener of its own in the browser's list while the page has one there: each extra
   * listener costs every delivery a call out of the browser. The first page wrapper that runs
   * for an event calls `observe` before the page's function; while the page has no listener
   * there, a listener of the instrumentation's own is registered instead, which calls it.
   */
  watch(target: EventTarget, type: MessageType, observe: Observer): void;
  /** Wraps the on<name> accessor of a prototype (or the window) so handlers are timed and counted. */
  wrapHandler(proto: object, name: 'onmessage' | 'onmessageerror', onSet?: (target: object, value: unknown) => void): void;
}

interface TargetListeners {
  message: Set<Function>[];
  messageerror: Set<Function>[];
  handler: { message: Entry | null; messageerror: Entry | null };
  watch: { message: Watch | null; messageerror: Watch | null };
  /** The page's listener → its entries: [message, messageerror] × [bubble, capture]. */
  entries: Map<object, (Entry | undefined)[]>;
}

type Observer = (target: EventTarget, event: Event) => void;

/** The instrumentation's watch on one type of one target (Listeners.watch). */
interface Watch {
  observe: Observer;
  /** The listener registered while the page has none: one per observer, shared by its targets. */
  own: Function;
  /** `own` is in the browser's list: the page has no listener there. */
  attached: boolean;
}

const NONE = Object.freeze({});
const slotOf = (type: MessageType, capture: boolean) => (type === 'message' ? 0 : 2) + (capture ? 1 : 0);

export function instrumentListeners(
  I: Instr,
  kindOf: (target: unknown) => Via | null,
  objectId: (target: object) => number | undefined,
  channelOf: (target: object) => string | undefined = () => undefined,
): Listeners {
  const { g, n, rec, disguise, breaks } = I;
  const ET = g.EventTarget.prototype;
  const nativeAdd = n.addEventListener;
  const nativeRemove = n.removeEventListener;
  const registry = new n.WeakMap<object, TargetListeners>();
  const reader: Reader = { own: n.ownData, text: n.functionToString, isArray: n.isArray, indexOf: n.indexOf, list: n.list };
  let current: Dispatch | null = null;
  /** The event a watch observed last: the page's later listeners for it do not observe it again. */
  let observed: Event | null = null;
  const owns = new n.WeakMap<Observer, Function>();
  /** The entry whose page function runs now, and the event it runs for (origin reads). */
  let running: Entry | null = null;
  let runningEvent: Event | null = null;
  let lastId = 0;
  let dirty: Stat[] = n.list();
  const kidOf = new n.WeakMap<object, Kid>();
  /** Attached dispatchers: their lists are read again at each flush. */
  const dispatchers = new n.Set<Entry>();
  // Every registration, held weakly (the browser holds the wrapper, the wrapper its entry):
  // when recording starts after being off, the listeners still attached are reported then.
  const WR = (g as { WeakRef?: WeakRefConstructor }).WeakRef;
  const deref = WR ? (n.getOwnPropertyDescriptor(WR.prototype, 'deref')?.value as ((this: WeakRef<Entry>) => Entry | undefined) | undefined) : undefined;
  let known: WeakRef<Entry>[] = n.list();
  let pruneAt = 1024;
  const remember = (e: Entry) => {
    if (!WR || !deref) return;
    known[known.length] = new WR(e);
    // Pages that add and remove listeners all the time: keep only what is still attached.
    if (known.length < pruneAt) return;
    const kept: WeakRef<Entry>[] = n.list();
    for (let i = 0; i < known.length; i++) {
      const x = n.apply(deref, known[i], []) as Entry | undefined;
      if (x && x.attached) kept[kept.length] = known[i];
    }
    known = kept;
    pruneAt = kept.length * 2 > 1024 ? kept.length * 2 : 1024;
  };

  const entry = (target: object): TargetListeners => {
    let t = n.weakGet(registry, target) as TargetListeners | undefined;
    if (!t) {
      t = { message: [new n.Set(), new n.Set()], messageerror: [new n.Set(), new n.Set()], handler: { message: null, messageerror: null }, watch: { message: null, messageerror: null }, entries: new n.Map() };
      n.weakSet(registry, target, t);
    }
    return t;
  };

  const countOf = (t: TargetListeners, type: MessageType) => n.setSize(t[type][0]) + n.setSize(t[type][1]) + (t.handler[type] ? 1 : 0);

  /** Keeps the watch's own listener registered exactly while the page has none there. */
  const syncWatch = (t: TargetListeners, target: EventTarget, type: MessageType) => {
    const w = t.watch[type];
    if (w === null) return;
    const none = countOf(t, type) === 0;
    if (none === w.attached) return;
    w.attached = none;
    // Added during a dispatch, it is not called for that event (the browser's list was taken):
    // the page listener that ran first observed it.
    n.apply(none ? nativeAdd : nativeRemove, target, [type, w.own]);
  };

  const touched = (s: Stat) => {
    if (s.dirty || s.id === 0) return;
    s.dirty = true;
    dirty[dirty.length] = s;
  };

  // ───────────── reports ─────────────

  const targetRef = (target: object): { port?: number; object?: number; channel?: string } => {
    const port = I.knownPort(target);
    if (port !== undefined) return { port };
    const object = objectId(target);
    const channel = channelOf(target);
    return object === undefined ? {} : channel !== undefined ? { object, channel } : { object };
  };

  /** The add event of one registration: the author's function behind any wrapper, read once. */
  const reportAdd = (s: Stat, e: Entry, fn: object, wrappedBy: WrappedBy | null, stack: number | undefined, once: boolean) => {
    // Reported again after recording restarted: same id, so the background keeps one record.
    if (s.id === 0) s.id = ++lastId;
    const u = unwrap(reader, fn);
    const by = wrappedBy ?? u.wrappedBy;
    let text = sourceOf(reader, u.fn);
    let truncated = false;
    if (text !== null && text.length > LISTENER_SOURCE_MAX) {
      text = n.substring(text, 0, LISTENER_SOURCE_MAX);
      truncated = true;
    }
    const name = nameOf(reader, u.fn);
    // Built in one literal (spreads define, never assign): a setter the page put on
    // Object.prototype for one of these names must not run.
    const ev: ListenEvent = {
      k: 'listen',
      at: n.now(),
      op: 'add',
      id: s.id,
      type: e.type,
      via: kindOf(e.target)!,
      ...targetRef(e.target),
      ...(stack !== undefined ? { stack } : NONE),
      ...(name !== null ? { name } : NONE),
      ...(text !== null ? { source: rec.intern(text) } : NONE),
      ...(truncated ? { truncated } : NONE),
      ...(by !== null ? { wrappedBy: by } : NONE),
      ...(e.handler ? { handler: true } : NONE),
      ...(e.capture ? { capture: true } : NONE),
      ...(once ? { once: true } : NONE),
    };
    rec.emit(ev);
  };

  const reportRemove = (s: Stat, e: Entry, cause: ListenerRemoval) => {
    if (s.id === 0 || !rec.active) return;
    rec.emit({ k: 'listen', at: n.now(), op: 'remove', id: s.id, type: e.type, via: kindOf(e.target)!, ...targetRef(e.target), cause, ...(e.handler ? { handler: true } : NONE) });
  };

  // ───────────── library dispatchers ─────────────

  /** Reads a dispatcher's list again: new author's listeners are reported, gone ones removed. */
  const sync = (e: Entry) => {
    const kids = e.kids!;
    let list;
    try {
      list = e.dispatcher!.read();
    } catch {
      return;
    }
    const next: Kid[] = n.list();
    for (let i = 0; i < list.length; i++) {
      const d = list[i];
      let kid = n.weakGet(kidOf, d.key) as Kid | undefined;
      if (!kid) {
        kid = { id: 0, handled: 0, originRead: false, dirty: false, key: d.key, fn: d.fn, wrappedBy: d.wrappedBy, once: d.once, runs0: d.runs };
        n.weakSet(kidOf, d.key, kid);
        if (rec.active) {
          reportAdd(kid, e, d.fn, d.wrappedBy, e.stack, d.once);
          e.stack = undefined;
        }
      }
      next[next.length] = kid;
    }
    for (let i = 0; i < kids.length; i++) {
      let still = false;
      for (let j = 0; j < next.length; j++) if (next[j] === kids[i]) still = true;
      if (!still) reportRemove(kids[i], e, kids[i].once ? 'once' : 'remove');
    }
    e.kids = next;
  };

  const runsOf = (kid: Kid): number | null => {
    const r = n.ownData(kid.key, 'runCount');
    return typeof r === 'number' ? r : null;
  };

  const beginKids = (e: Entry) => {
    sync(e);
    const kids = e.kids!;
    for (let i = 0; i < kids.length; i++) kids[i].runs0 = runsOf(kids[i]);
  };

  const endKids = (e: Entry) => {
    const kids = e.kids!;
    for (let i = 0; i < kids.length; i++) {
      const kid = kids[i];
      let ran = 1;
      if (kid.runs0 !== null) {
        const r = runsOf(kid);
        // Zone cancels a `once` task after it ran, which sets its runCount to -1.
        ran = r === null ? 0 : r >= kid.runs0 ? r - kid.runs0 : kid.once ? 1 : 0;
      }
      if (ran > 0) {
        kid.handled += ran;
        touched(kid);
      }
    }
    sync(e);
  };

  /** Which author's listener behind a dispatcher reads event.origin now. */
  const originByKid = (e: Entry) => {
    const kids = e.kids!;
    let found: Kid | null = null;
    for (let i = 0; i < kids.length; i++) {
      const kid = kids[i];
      if (kid.runs0 === null) {
        // jQuery keeps no count: every handler of this dispatch shares the mark.
        if (!kid.originRead) {
          kid.originRead = true;
          touched(kid);
        }
        continue;
      }
      // Zone runs tasks in order and counts each run first: the running one is the last counted.
      const r = runsOf(kid);
      if (r !== null && r > kid.runs0) found = kid;
    }
    if (found && !found.originRead) {
      found.originRead = true;
      touched(found);
    }
  };

  // Counts go out with each flush; dispatchers' lists are read again first.
  rec.beforeFlush = () => {
    try {
      if (n.setSize(dispatchers) > 0) {
        const it = n.setValues(dispatchers);
        for (let r = it.next(); !r.done; r = it.next()) sync(r.value as Entry);
      }
      if (dirty.length === 0) return;
      const stats: number[] = n.list();
      for (let i = 0; i < dirty.length; i++) {
        const s = dirty[i];
        s.dirty = false;
        stats[stats.length] = s.id;
        stats[stats.length] = s.handled;
        stats[stats.length] = s.originRead ? 1 : 0;
      }
      dirty = n.list();
      rec.emit({ k: 'listenerStats', at: n.now(), stats });
    } catch {
      /* never into the page */
    }
  };

  // ───────────── wrappers ─────────────

  /** The function the browser holds for one registration. */
  const wrapperOf = (e: Entry, listener: object): Function => {
    const wrapper = function (this: EventTarget, event: Event) {
      // Nobody records: the page's function and the bookkeeping a later recording needs, no
      // more (the rest cost Firefox ~15% of its window message rate here).
      if (!rec.active) {
        if (e.once) forget(e, 'once');
        if (typeof listener === 'function') return n.apply(listener, this, [event]);
        return n.apply((listener as { handleEvent?: unknown }).handleEvent as Function, listener, [event]);
      }
      const w = e.lists.watch[e.type];
      if (w !== null && observed !== event) {
        observed = event;
        w.observe(e.target, event);
      }
      if (e.once) forget(e, 'once');
      // Timed inline (no closure per call): this runs for every listener of every delivery.
      const d = current !== null && current.event === event ? current : null;
      const t0 = d ? n.now() : 0;
      const prev = running;
      const prevEvent = runningEvent;
      if (d) {
        e.handled++;
        if (!e.dirty) touched(e);
        if (e.kids !== null) {
          try {
            beginKids(e);
          } catch {
            /* never into the page */
          }
        }
        running = e;
        runningEvent = event;
      }
      try {
        // A message breakpoint pauses here, at the page's own function (breakpoints.ts).
        if (typeof listener === 'function') return d !== null && breaks.deliverArmed ? breaks.callListener(listener, this, event, d.record) : n.apply(listener, this, [event]);
        // A listener object: handleEvent is looked up at each call, as the browser does.
        const handle = (listener as { handleEvent?: unknown }).handleEvent;
        return d !== null && breaks.deliverArmed ? breaks.callListener(handle as Function, listener, event, d.record) : n.apply(handle as Function, listener, [event]);
      } finally {
        // A dispatch the page's function made inside (dispatchEvent) observed its own event.
        if (w !== null) observed = event;
        if (d) {
          d.record[HANDLER_SLOT] = (d.record[HANDLER_SLOT] as number) + (n.now() - t0);
          running = prev;
          runningEvent = prevEvent;
          if (e.kids !== null) {
            try {
              endKids(e);
            } catch {
              /* never into the page */
            }
          }
        }
      }
    };
    return wrapper;
  };

  const newEntry = (target: EventTarget, type: MessageType, capture: boolean, once: boolean, handler: boolean, listener: object): Entry => ({
    listener,
    lists: entry(target),
    id: 0,
    handled: 0,
    originRead: false,
    dirty: false,
    target,
    type,
    capture,
    once,
    handler,
    wrapper: null as unknown as Function,
    attached: false,
    dispatcher: null,
    kids: null,
    stack: undefined,
  });

  /** The entry went away (removeEventListener, once, abort): counted out and reported. */
  const forget = (e: Entry, cause: ListenerRemoval) => {
    if (!e.attached) return;
    e.attached = false;
    n.setDelete(e.lists[e.type][e.capture ? 1 : 0], e.wrapper);
    syncWatch(e.lists, e.target, e.type);
    if (e.kids !== null) {
      n.setDelete(dispatchers, e);
      for (let i = 0; i < e.kids.length; i++) reportRemove(e.kids[i], e, cause);
      e.kids = n.list();
    } else reportRemove(e, e, cause);
  };

  // `addEventListener('message', f)` at a script's top level calls the method with no receiver:
  // for an undefined or null `this` the browser takes this realm's global (WebIDL), so does this.
  // The browser still gets the page's own `this`.
  const targetOf = (self: EventTarget | undefined): EventTarget => (self === undefined || self === null ? (g as unknown as EventTarget) : self);

  /** An options argument read through data properties only: the browser reads it itself. */
  const optionOf = (options: unknown, key: 'capture' | 'once' | 'signal'): unknown =>
    typeof options === 'object' && options !== null ? n.dataProp(options, key) : key === 'capture' ? options : undefined;

  disguise.method(ET, 'addEventListener', {
    addEventListener(this: EventTarget | undefined, type: unknown, listener: unknown) {
      const self = targetOf(this);
      if ((type !== 'message' && type !== 'messageerror') || (typeof listener !== 'object' && typeof listener !== 'function') || listener === null || kindOf(self) === null) {
        return n.apply(nativeAdd, this, arguments);
      }
      const options = arguments[2];
      const capture = !!optionOf(options, 'capture');
      const once = !!optionOf(options, 'once');
      const signal = optionOf(options, 'signal') as AbortSignal | undefined;
      const t = entry(self);
      let slots = n.mapGet(t.entries, listener as object);
      if (!slots) n.mapSet(t.entries, listener as object, (slots = n.list()));
      const slot = slotOf(type, capture);
      // The same (type, listener, capture) again is a no-op for the browser: same wrapper.
      let e = slots[slot];
      const fresh = !e || !e.attached;
      if (fresh) {
        e = newEntry(self, type, capture, once, false, listener as object);
        e.wrapper = wrapperOf(e, listener as object);
      }
      const wrapper = e!.wrapper;
      // The browser gets the page's own arguments, with the wrapper in place of the listener.
      const result = n.apply(nativeAdd, this, arguments.length > 2 ? [type, wrapper, options] : [type, wrapper]);
      if (!fresh || (signal && n.dataProp(signal, 'aborted') === true)) return result;
      slots[slot] = e;
      onAdded(e!, listener as object, signal);
      return result;
    },
  }.addEventListener);

  const onAdded = (e: Entry, listener: object, signal: AbortSignal | undefined) => {
    e.attached = true;
    n.setAdd(e.lists[e.type][e.capture ? 1 : 0], e.wrapper);
    syncWatch(e.lists, e.target, e.type);
    if (signal) {
      try {
        n.apply(nativeAdd, signal, ['abort', () => forget(e, 'abort'), { once: true }]);
      } catch {
        /* not an AbortSignal: the browser already said so */
      }
    }
    remember(e);
    if (rec.active) announce(e, listener, I.stack());
  };

  /** Reports a registration: a library dispatcher's author listeners at the next flush, else the listener itself. */
  const announce = (e: Entry, listener: object, stack: number | undefined) => {
    try {
      const dispatcher = dispatcherOf(reader, g, e.target, e.type, e.capture, listener);
      if (dispatcher) {
        // Zone.js / jQuery: their lists fill right after this call; read at the next flush.
        e.dispatcher = dispatcher;
        e.kids = n.list();
        e.stack = stack;
        n.setAdd(dispatchers, e);
        rec.poke();
        return;
      }
      reportAdd(e, e, listener, null, stack, e.once);
    } catch {
      /* never into the page */
    }
  };

  disguise.method(ET, 'removeEventListener', {
    removeEventListener(this: EventTarget | undefined, type: unknown, listener: unknown) {
      const self = targetOf(this);
      if ((type !== 'message' && type !== 'messageerror') || (typeof listener !== 'object' && typeof listener !== 'function') || listener === null || kindOf(self) === null) {
        return n.apply(nativeRemove, this, arguments);
      }
      const capture = !!optionOf(arguments[2], 'capture');
      const t = n.weakGet(registry, self) as TargetListeners | undefined;
      const e = t ? n.mapGet(t.entries, listener as object)?.[slotOf(type, capture)] : undefined;
      if (!e || !e.attached) return n.apply(nativeRemove, this, arguments);
      const result = n.apply(nativeRemove, this, arguments.length > 2 ? [type, e.wrapper, arguments[2]] : [type, e.wrapper]);
      forget(e, 'remove');
      return result;
    },
  }.removeEventListener);

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
        const self = targetOf(this as unknown as EventTarget | undefined);
        const kind = kindOf(self);
        if (typeof value !== 'function' || kind === null) {
          n.apply(nativeSet, this, [value]);
          if (kind !== null) {
            const t = entry(self);
            const old = t.handler[type];
            t.handler[type] = null;
            if (old) {
              old.attached = false;
              reportRemove(old, old, 'handler');
            }
            syncWatch(t, self, type);
          }
        } else {
          const e = newEntry(self, type, false, false, true, value as Function);
          e.wrapper = wrapperOf(e, value as Function);
          n.weakSet(handlers, e.wrapper, value as Function);
          n.apply(nativeSet, this, [e.wrapper]);
          const t = entry(self);
          const old = t.handler[type];
          if (old) {
            old.attached = false;
            reportRemove(old, old, 'handler');
          }
          t.handler[type] = e;
          e.attached = true;
          syncWatch(t, self, type);
          if (rec.active) {
            try {
              reportAdd(e, e, value as Function, null, I.stack(), false);
            } catch {
              /* never into the page */
            }
          }
          remember(e);
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

  // Recording (re)started after being off: whatever was reported before is gone (a recorder
  // that is off drops its buffer), so every listener still attached is reported again, with
  // its id if it had one and without a stack where none was taken.
  rec.onStart = () => {
    if (!deref) return;
    const list = known;
    known = n.list();
    for (let i = 0; i < list.length; i++) {
      const e = n.apply(deref, list[i], []) as Entry | undefined;
      if (!e || !e.attached) continue;
      known[known.length] = list[i];
      try {
        if (e.kids !== null) {
          // Its stack id belonged to the string table that was dropped.
          e.stack = undefined;
          for (let k = 0; k < e.kids.length; k++) {
            const kid = e.kids[k];
            reportAdd(kid, e, kid.fn, kid.wrappedBy, undefined, kid.once);
            touched(kid);
          }
        } else if (e.id === 0 && !e.handler) announce(e, e.listener, undefined);
        else {
          reportAdd(e, e, e.listener, null, undefined, e.once);
          touched(e);
        }
      } catch {
        /* never into the page */
      }
    }
  };

  // MessageEvent.origin: reading it during a delivery is what origin checks do; the
  // listener running at that moment is the one that read it.
  const originDesc = n.getOwnPropertyDescriptor(g.MessageEvent.prototype, 'origin');
  if (originDesc?.get && originDesc.configurable) {
    const nativeOrigin = originDesc.get;
    disguise.accessor(g.MessageEvent.prototype, 'origin', 'get', n.getOwnPropertyDescriptor(
      {
        get origin() {
          const d = current;
          // Only window deliveries have the slot (built with it, src/protocol/compact.ts).
          if (d && d.event === (this as unknown) && d.record[ORIGIN_READ_SLOT - 1] === D.originRead) d.record[ORIGIN_READ_SLOT] = true;
          const r = running;
          if (r !== null && runningEvent === (this as unknown)) {
            if (r.kids !== null) {
              try {
                originByKid(r);
              } catch {
                /* never into the page */
              }
            } else if (!r.originRead) {
              r.originRead = true;
              touched(r);
            }
          }
          return n.apply(nativeOrigin, this, []);
        },
      },
      'origin',
    )!.get!);
  }

  return {
    count(target, type) {
      const t = n.weakGet(registry, target) as TargetListeners | undefined;
      return t ? countOf(t, type) : 0;
    },
    watch(target, type, observe) {
      const t = entry(target);
      if (t.watch[type] !== null) return;
      let own = n.weakGet(owns, observe) as Function | undefined;
      if (!own) {
        own = function (this: EventTarget, event: Event) {
          observe(this, event);
        };
        n.weakSet(owns, observe, own);
      }
      t.watch[type] = { observe, own, attached: false };
      syncWatch(t, target, type);
    },
    begin(event, record) {
      current = { event, record };
    },
    kindOf,
    wrapHandler,
  };
}

// Event, EventTarget and MessageEvent as the DOM defines them, enough for messaging:
// listener order, handler attributes keeping their first position, once, capture dedup,
// stopImmediatePropagation, isTrusted set only by the user agent, frozen ports arrays.

import { brand } from './platform.js';

const TRUSTED_EVENTS = new WeakSet<object>();
// One accessor shared by all events: [LegacyUnforgeable] own property, true only for UA events.
function isTrustedGetter(this: object): boolean {
  return TRUSTED_EVENTS.has(this);
}

interface Listener {
  callback: unknown;
  capture: boolean;
  once: boolean;
  removed: boolean;
  /** A handler attribute slot (onmessage) rather than addEventListener. */
  handler?: string;
}

export type ErrorReporter = (err: unknown) => void;

export class ModelEvent {
  static readonly NONE = 0;
  static readonly CAPTURING_PHASE = 1;
  static readonly AT_TARGET = 2;
  static readonly BUBBLING_PHASE = 3;
  readonly NONE = 0;
  readonly CAPTURING_PHASE = 1;
  readonly AT_TARGET = 2;
  readonly BUBBLING_PHASE = 3;
  #type: string;
  #bubbles: boolean;
  #cancelable: boolean;
  #composed: boolean;
  #canceled = false;
  #stop = false;
  #stopNow = false;
  #dispatching = false;
  #target: ModelEventTarget | null = null;
  #current: ModelEventTarget | null = null;
  #phase = 0;
  #time: number;
  /** [LegacyUnforgeable] in browsers; false unless the user agent dispatched it. */
  declare readonly isTrusted: boolean;

  constructor(type: string, init: EventInit = {}) {
    if (arguments.length === 0) throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.");
    this.#type = String(type);
    this.#bubbles = !!init?.bubbles;
    this.#cancelable = !!init?.cancelable;
    this.#composed = !!init?.composed;
    this.#time = typeof performance !== 'undefined' ? performance.now() : Date.now();
    Object.defineProperty(this, 'isTrusted', { get: isTrustedGetter, enumerable: true, configurable: false });
    // Events are platform objects, not serializable.
    brand(this, { iface: this instanceof ModelMessageEvent ? 'MessageEvent' : 'Event' });
  }
  get type() { return this.#type; }
  get bubbles() { return this.#bubbles; }
  get cancelable() { return this.#cancelable; }
  get composed() { return this.#composed; }
  get target() { return this.#target; }
  get srcElement() { return this.#target; }
  get currentTarget() { return this.#current; }
  get eventPhase() { return this.#phase; }
  get defaultPrevented() { return this.#canceled; }
  get returnValue() { return !this.#canceled; }
  set returnValue(v: boolean) { if (!v) this.preventDefault(); }
  get cancelBubble() { return this.#stop; }
  set cancelBubble(v: boolean) { if (v) this.#stop = true; }
  get timeStamp() { return this.#time; }
  composedPath(): ModelEventTarget[] { return this.#dispatching && this.#target ? [this.#target] : []; }
  preventDefault() { if (this.#cancelable) this.#canceled = true; }
  stopPropagation() { this.#stop = true; }
  stopImmediatePropagation() { this.#stop = true; this.#stopNow = true; }
  /** @internal used by dispatch only. */
  static _begin(e: ModelEvent, target: ModelEventTarget) {
    if (e.#dispatching) throw new DOMException("Failed to execute 'dispatchEvent' on 'EventTarget': The event is already being dispatched.", 'InvalidStateError');
    e.#dispatching = true;
    e.#target = target;
    e.#current = target;
    e.#phase = 2;
  }
  static _end(e: ModelEvent) {
    e.#dispatching = false;
    e.#current = null;
    e.#phase = 0;
    e.#stop = false;
    e.#stopNow = false;
  }
  static _stoppedNow(e: ModelEvent) { return e.#stopNow; }
  static _trust(e: ModelEvent) { TRUSTED_EVENTS.add(e); }
}

export interface MessageEventInitLike extends EventInit {
  data?: unknown;
  origin?: string;
  lastEventId?: string;
  source?: unknown;
  ports?: Iterable<unknown>;
}

export class ModelMessageEvent extends ModelEvent {
  #data: unknown;
  #origin: string;
  #lastEventId: string;
  #source: unknown;
  #ports: readonly unknown[];
  constructor(type: string, init: MessageEventInitLike = {}) {
    super(type, init);
    this.#data = init?.data === undefined ? null : init.data;
    this.#origin = init?.origin === undefined ? '' : String(init.origin);
    this.#lastEventId = init?.lastEventId === undefined ? '' : String(init.lastEventId);
    this.#source = init?.source ?? null;
    // FrozenArray<MessagePort>: one frozen array, the same object on every read.
    this.#ports = Object.freeze(init?.ports ? Array.from(init.ports) : []);
  }
  get data() { return this.#data; }
  get origin() { return this.#origin; }
  get lastEventId() { return this.#lastEventId; }
  get source() { return this.#source; }
  get ports() { return this.#ports; }
  initMessageEvent(type: string, bubbles = false, cancelable = false, data: unknown = null, origin = '', lastEventId = '', source: unknown = null, ports: unknown[] = []) {
    // Legacy initializer, kept for testharness compatibility (type/bubbles/cancelable ignored).
    // WebIDL: `type` is not optional, so a call without arguments is a TypeError.
    if (arguments.length < 1) throw new TypeError("Failed to execute 'initMessageEvent' on 'MessageEvent': 1 argument required, but only 0 present.");
    this.#data = data;
    this.#origin = String(origin);
    this.#lastEventId = String(lastEventId);
    this.#source = source;
    this.#ports = Object.freeze([...ports]);
    void type; void bubbles; void cancelable;
  }
}

export class ModelEventTarget {
  #listeners = new Map<string, Listener[]>();
  #handlers = new Map<string, Listener>();
  /** Reports exceptions from listeners (the realm's "report an exception"). */
  _report: ErrorReporter = (e) => { throw e; };

  constructor() {
    brand(this, { iface: 'EventTarget' });
  }

  addEventListener(type: string, callback: unknown, options?: boolean | AddEventListenerOptions) {
    if (callback === null || callback === undefined) return;
    const capture = typeof options === 'boolean' ? options : !!options?.capture;
    const once = typeof options === 'object' && options !== null && !!options.once;
    const signal = typeof options === 'object' && options !== null ? options.signal : undefined;
    if (signal?.aborted) return;
    const list = this.#listeners.get(String(type)) ?? [];
    if (list.some((l) => !l.handler && l.callback === callback && l.capture === capture)) return;
    const l: Listener = { callback, capture, once, removed: false };
    list.push(l);
    this.#listeners.set(String(type), list);
    signal?.addEventListener('abort', () => this.removeEventListener(type, callback, { capture }));
  }

  removeEventListener(type: string, callback: unknown, options?: boolean | EventListenerOptions) {
    const capture = typeof options === 'boolean' ? options : !!options?.capture;
    const list = this.#listeners.get(String(type));
    if (!list) return;
    const i = list.findIndex((l) => !l.handler && l.callback === callback && l.capture === capture);
    if (i >= 0) {
      list[i].removed = true;
      this.#listeners.set(String(type), list.filter((_, j) => j !== i));
    }
  }

  dispatchEvent(event: ModelEvent): boolean {
    if (!(event instanceof ModelEvent)) throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
    return this._dispatch(event);
  }

  /** @internal */
  _dispatch(event: ModelEvent): boolean {
    ModelEvent._begin(event, this);
    try {
      const list = this.#listeners.get(event.type);
      if (list) {
        for (const l of list.slice()) {
          if (l.removed) continue;
          if (l.once) this.removeEventListener(event.type, l.callback, { capture: l.capture });
          this.#invoke(l, event);
          if (ModelEvent._stoppedNow(event)) break;
        }
      }
    } finally {
      ModelEvent._end(event);
    }
    return !event.defaultPrevented;
  }

  #invoke(l: Listener, event: ModelEvent) {
    const cb = l.callback as { handleEvent?: unknown } | ((e: ModelEvent) => unknown);
    try {
      if (typeof cb === 'function') {
        const r = cb.call(this, event);
        if (l.handler && r === false && event.cancelable) event.preventDefault();
      } else if (l.handler) {
        // A non-callable object set as a handler is kept but does nothing when invoked.
      } else if (cb && typeof (cb as { handleEvent?: unknown }).handleEvent === 'function') {
        (cb as { handleEvent: (e: ModelEvent) => unknown }).handleEvent(event);
      } else {
        throw new TypeError("The provided callback is not callable and has no 'handleEvent' method.");
      }
    } catch (err) {
      this._report(err);
    }
  }

  /** Handler attributes (onmessage): set in place, keep the first-set position. */
  _getHandler(type: string): unknown {
    return this.#handlers.get(type)?.callback ?? null;
  }
  _setHandler(type: string, value: unknown) {
    // [LegacyTreatNonObjectAsNull]: non-objects become null.
    const v = (typeof value === 'object' && value !== null) || typeof value === 'function' ? value : null;
    const existing = this.#handlers.get(type);
    if (v === null) {
      if (existing) {
        existing.removed = true;
        this.#handlers.delete(type);
        const list = this.#listeners.get(type);
        if (list) this.#listeners.set(type, list.filter((l) => l !== existing));
      }
      return;
    }
    if (existing) {
      existing.callback = v;
      return;
    }
    const l: Listener = { callback: v, capture: false, once: false, removed: false, handler: type };
    this.#handlers.set(type, l);
    const list = this.#listeners.get(type) ?? [];
    list.push(l);
    this.#listeners.set(type, list);
  }
  /** Listeners (incl. the handler) for a type, as the outcome reports them. */
  _listenerCount(type: string): number {
    return this.#listeners.get(type)?.length ?? 0;
  }
}

for (const [C, tag] of [[ModelEvent, 'Event'], [ModelMessageEvent, 'MessageEvent'], [ModelEventTarget, 'EventTarget']] as const) {
  Object.defineProperty(C.prototype, Symbol.toStringTag, { value: tag, configurable: true });
}

/** Fires a trusted event created by the user agent. */
export function fireTrusted(target: ModelEventTarget, event: ModelEvent): void {
  ModelEvent._trust(event);
  target._dispatch(event);
}

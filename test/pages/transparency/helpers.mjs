// Shared helpers of the transparency scenarios. Everything they rely on is captured when
// this module loads, before any scenario patches or freezes a built-in.
const apply = Reflect.apply;
const push = Array.prototype.push;
const isArray = Array.isArray;
const keys = Object.keys;
const objToString = Object.prototype.toString;
const getProto = Object.getPrototypeOf;
const ObjectProto = Object.prototype;
const ArrayProto = Array.prototype;
const st = setTimeout;
const Prom = Promise;
const fnToString = Function.prototype.toString;
const addListener = EventTarget.prototype.addEventListener;
const removeListener = EventTarget.prototype.removeEventListener;

/** A JSON-safe, deterministic copy of any value (undefined, NaN, -0, bigint, symbols tagged). */
export function fmt(v, depth = 0) {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      if (v !== v) return { $: 'NaN' };
      if (v === Infinity || v === -Infinity) return { $: String(v) };
      if (v === 0 && 1 / v < 0) return { $: '-0' };
      return v;
    case 'undefined':
      return { $: 'undefined' };
    case 'bigint':
      return { $: 'bigint', v: String(v) };
    case 'symbol':
      return { $: 'symbol', d: v.description };
    case 'function':
      return { $: 'function', name: safe(() => v.name) };
  }
  if (v === null) return null;
  if (depth > 6) return { $: 'deep' };
  if (isArray(v)) {
    const out = [];
    for (let i = 0; i < v.length; i++) apply(push, out, [fmt(v[i], depth + 1)]);
    return out;
  }
  const proto = safe(() => getProto(v));
  if (proto === ObjectProto || proto === null) {
    const out = {};
    for (const k of keys(v)) out[k] = fmt(v[k], depth + 1);
    return out;
  }
  return { $: apply(objToString, v, []) };
}

function safe(f) {
  try {
    return f();
  } catch (e) {
    return '<threw>';
  }
}

export function makeLog() {
  const entries = [];
  const add = (...args) => {
    apply(push, entries, [fmt(args)]);
  };
  return { entries, add };
}

/** What a page can see of an exception. */
export function describeError(e) {
  if ((typeof e !== 'object' && typeof e !== 'function') || e === null) return { thrown: fmt(e) };
  return {
    name: safe(() => e.name),
    message: safe(() => e.message),
    ctor: safe(() => e.constructor && e.constructor.name),
    isDOMException: e instanceof DOMException,
    code: safe(() => (e instanceof DOMException ? e.code : undefined)),
    isTypeError: e instanceof TypeError,
  };
}

/** Runs f, returning 'ok' with its value or the exception as the page sees it. */
export function attempt(f) {
  try {
    const r = f();
    return { ok: fmt(r) };
  } catch (e) {
    return { threw: describeError(e) };
  }
}

export const sleep = (ms) => new Prom((r) => st(r, ms));

/** Lets pending deliveries in this agent land. */
export async function settle(ms = 40) {
  await sleep(ms);
  await sleep(0);
}

/**
 * Waits until `done()` holds, checking every 10 ms, for at most `capMs` (then goes on: a
 * message that never comes is what the log then shows, in both runs alike). For logs cut by
 * a count of deliveries rather than by a fixed time, which a loaded machine may outlast.
 */
export async function until(done, capMs = 3000, wait = (ms) => sleep(ms)) {
  for (let t = 0; !done() && t < capMs; t += 10) await wait(10);
  await wait(0);
}

export function nextEvent(target, type = 'message') {
  return new Prom((resolve) => {
    const f = (e) => {
      target.removeEventListener(type, f);
      resolve(e);
    };
    target.addEventListener(type, f);
  });
}

/** Which window `w` is, from this page's point of view. */
/** A scenario's last message. A port or a window delivers in order, so once END arrives every
 * earlier message has: logs are cut there, not after a fixed wait alone (at page load native
 * Firefox took longer than settle()'s 40 ms). Handlers that log deliveries skip it. */
export const END = 'end of scenario';

/** Resolves when END arrives at target (a port, a window or a worker). */
export function ended(target) {
  return new Prom((resolve) => {
    const f = (e) => {
      if (e.data !== END) return;
      apply(removeListener, target, ['message', f]);
      resolve();
    };
    apply(addListener, target, ['message', f]);
  });
}

export function whichWindow(w) {
  if (w === null) return null;
  if (w === undefined) return 'undefined';
  if (w === window) return 'self';
  if (w === window.parent && window.parent !== window) return 'parent';
  for (let i = 0; i < window.length; i++) if (window[i] === w) return 'frame' + i;
  if (typeof MessagePort !== 'undefined' && w instanceof MessagePort) return 'port';
  return 'other:' + safe(() => objToString.call(w));
}

/** Every field of a MessageEvent that a page can observe. */
export function eventFields(e, data = true) {
  const ports = e.ports;
  return {
    type: e.type,
    data: data ? fmt(e.data) : '(skipped)',
    origin: e.origin,
    lastEventId: e.lastEventId,
    source: whichWindow(e.source),
    portsLength: ports.length,
    portsFrozen: Object.isFrozen(ports),
    portsSame: e.ports === ports,
    portsIsArray: Array.isArray(ports),
    isTrusted: e.isTrusted,
    bubbles: e.bubbles,
    cancelable: e.cancelable,
    composed: e.composed,
    eventPhase: e.eventPhase,
    defaultPrevented: e.defaultPrevented,
    targetIsCurrentTarget: e.target === e.currentTarget,
    isMessageEvent: e instanceof MessageEvent,
    proto: getProto(e) === MessageEvent.prototype,
    ownKeys: Reflect.ownKeys(e).map(String),
  };
}

export function frame(src, attrs = {}) {
  return new Prom((resolve, reject) => {
    const f = document.createElement('iframe');
    for (const k of keys(attrs)) f.setAttribute(k, attrs[k]);
    f.onload = () => resolve(f);
    f.onerror = reject;
    if (src !== null) f.src = src;
    document.body.appendChild(f);
  });
}

export const xoOrigin = () => `http://localhost:${location.port}`;
export const xo = (path) => `${xoOrigin()}/transparency/${path}`;
export const so = (path) => `${location.origin}/transparency/${path}`;

/** Waits for the first window message whose data satisfies pred. */
export function windowMessage(pred = () => true) {
  return new Prom((resolve) => {
    const f = (e) => {
      if (!pred(e.data, e)) return;
      window.removeEventListener('message', f);
      resolve(e);
    };
    window.addEventListener('message', f);
  });
}

/** A description of a property descriptor that compares across realms and runs. */
export function describeDescriptor(d) {
  if (!d) return null;
  const out = {};
  for (const k of ['writable', 'enumerable', 'configurable']) if (k in d) out[k] = d[k];
  for (const k of ['value', 'get', 'set']) {
    if (!(k in d)) continue;
    const v = d[k];
    if (typeof v === 'function') out[k] = { fn: v.name, length: v.length, src: apply(fnToString, v, []) };
    else if (typeof v === 'object' && v !== null) out[k] = { obj: apply(objToString, v, []) };
    else out[k] = fmt(v);
  }
  return out;
}

// The function the page's author wrote, behind the wrappers error trackers and zone
// libraries put around listeners. Only own data properties are read (never a getter, a
// proxy trap or any page code), and only the markers each library's own source sets:
//   Sentry       wrapper.__sentry_original__ = original       (@sentry/core markFunctionWrapped)
//   Raven        wrapper.__raven__ = true, wrapper.__inner__ = original
//   New Relic    wrapper['nr@original'] = original             (browser agent wrap-function)
//   Rollbar      wrapper._isWrap = true; original._rollbar_wrapped = wrapper (no way back)
//   Bugsnag      wrapper.__trace__ === wrapper (@bugsnag/js), wrapper.bugsnag === wrapper (bugsnag-js 2–3);
//                the original is held in a closure only
//   Zone.js      one shared callback per target and type; the tasks, with the real callbacks, sit
//                on the target under `${prefix}${type}${capture}` (patchEventTarget)
//   jQuery       one dispatcher per element (elemData.handle); handlers in the data store under
//                jQuery.expando + '1' (Data.uid starts at 1; dataPriv is made first), or the
//                expando itself in jQuery 1.x.
import type { WrappedBy } from '../protocol/messages';

/** What the module may use: captured natives only (the page may have patched Array and String). */
export interface Reader {
  /** An own data property (undefined for accessors and absent keys). */
  own(o: object, key: string): unknown;
  /** Source text through the captured Function.prototype.toString. */
  text(fn: Function): string;
  isArray(v: unknown): boolean;
  indexOf(s: string, search: string): number;
  /** An array with no prototype: writing its elements never reaches a page setter. */
  list<T>(): T[];
}

export interface Unwrapped {
  /** The author's function (or listener object), or the outermost wrapper when the original is unreachable. */
  fn: object;
  wrappedBy: WrappedBy | null;
  /** False when a wrapper was recognised but holds its original in a closure only. */
  reachable: boolean;
}

const MAX_DEPTH = 8;

const isObject = (v: unknown): v is object => (typeof v === 'object' || typeof v === 'function') && v !== null;

/** Peels per-listener wrappers (Sentry, Raven, New Relic, Rollbar, Bugsnag), innermost library last seen wins. */
export function unwrap(r: Reader, listener: object): Unwrapped {
  let fn = listener;
  let wrappedBy: WrappedBy | null = null;
  for (let depth = 0; depth < MAX_DEPTH && typeof fn === 'function'; depth++) {
    const sentry = r.own(fn, '__sentry_original__');
    if (typeof sentry === 'function') {
      fn = sentry;
      wrappedBy = 'sentry';
      continue;
    }
    const inner = r.own(fn, '__inner__');
    if (r.own(fn, '__raven__') === true && typeof inner === 'function') {
      fn = inner;
      wrappedBy = 'raven';
      continue;
    }
    const nr = r.own(fn, 'nr@original');
    if (typeof nr === 'function') {
      fn = nr;
      wrappedBy = 'newrelic';
      continue;
    }
    if (r.own(fn, '_isWrap') === true) return { fn, wrappedBy: 'rollbar', reachable: false };
    if (r.own(fn, '__trace__') === fn || r.own(fn, 'bugsnag') === fn) return { fn, wrappedBy: 'bugsnag', reachable: false };
    break;
  }
  return { fn, wrappedBy, reachable: true };
}

/** One author's listener behind a shared dispatcher. */
export interface Delegate {
  /** Stable identity of the registration (the Zone task, the jQuery handleObj). */
  key: object;
  fn: object;
  wrappedBy: WrappedBy;
  /** Zone's task.runCount: times the callback ran; null when the library does not count. */
  runs: number | null;
  once: boolean;
}

export interface Dispatcher {
  kind: 'zone.js' | 'jquery';
  /** The author's listeners attached now, in dispatch order. */
  read(): Delegate[];
}

const MAX_DELEGATES = 256;

function listOf(r: Reader, v: unknown): object[] {
  if (!isObject(v)) return [];
  const length = r.own(v, 'length');
  if (typeof length !== 'number' || !(length >= 0)) return [];
  const out: object[] = r.list();
  for (let i = 0; i < length && i < MAX_DELEGATES; i++) {
    const x = r.own(v, '' + i);
    if (isObject(x)) out[out.length] = x;
  }
  return out;
}

/** Zone.js's name prefix: `__zone_symbol__` unless the page set __Zone_symbol_prefix. */
function zonePrefix(r: Reader, g: object): string | null {
  if (typeof r.own(g, 'Zone') !== 'function') return null;
  const custom = r.own(g, '__Zone_symbol_prefix');
  return typeof custom === 'string' ? custom : '__zone_symbol__';
}

/**
 * The library dispatcher `listener` is on `target`, if it is one: Zone.js's shared callback
 * (or, with useG off, one task's invoke) or jQuery's elemData.handle. Called when the
 * listener is registered; the libraries fill their lists right after, so read() is lazy.
 */
export function dispatcherOf(r: Reader, g: object, target: object, type: string, capture: boolean, listener: object): Dispatcher | null {
  const prefix = zonePrefix(r, g);
  if (prefix !== null && r.isArray(r.own(target, prefix + type + (capture ? 'true' : 'false')))) {
    const key = prefix + type + (capture ? 'true' : 'false');
    const onProperty = prefix + 'ON_PROPERTY' + type;
    return {
      kind: 'zone.js',
      read() {
        const tasks = listOf(r, r.own(target, key));
        // With useG off each task registers its own invoke: only that task is behind it.
        let only: object | null = null;
        for (let i = 0; i < tasks.length; i++) if (r.own(tasks[i], 'invoke') === listener) only = tasks[i];
        const out: Delegate[] = r.list();
        for (let i = 0; i < tasks.length; i++) {
          const task = tasks[i];
          if ((only !== null && task !== only) || r.own(task, 'isRemoved') === true) continue;
          let fn = r.own(task, 'originalDelegate') ?? r.own(task, 'callback');
          // An on<type> property set through Zone: its shared wrapFn reads the handler from the target.
          if (typeof fn === 'function' && r.indexOf(r.text(fn), 'ON_PROPERTY') >= 0) {
            const handler = r.own(target, onProperty);
            if (isObject(handler)) fn = handler;
          }
          if (!isObject(fn)) continue;
          const runs = r.own(task, 'runCount');
          const options = r.own(task, 'options');
          out[out.length] = { key: task, fn, wrappedBy: 'zone.js', runs: typeof runs === 'number' ? runs : null, once: isObject(options) && r.own(options, 'once') === true };
        }
        return out;
      },
    };
  }
  const jq = r.own(g, 'jQuery');
  const expando = typeof jq === 'function' ? r.own(jq, 'expando') : undefined;
  if (typeof expando === 'string') {
    for (let k = 0; k < 2; k++) {
      const data = r.own(target, k === 0 ? expando + '1' : expando);
      if (!isObject(data) || r.own(data, 'handle') !== listener) continue;
      return {
        kind: 'jquery',
        read() {
          const events = r.own(data, 'events');
          const out: Delegate[] = r.list();
          const handlers = listOf(r, isObject(events) ? r.own(events, type) : undefined);
          for (let i = 0; i < handlers.length; i++) {
            const h = handlers[i];
            const fn = r.own(h, 'handler');
            if (isObject(fn)) out[out.length] = { key: h, fn, wrappedBy: 'jquery', runs: null, once: false };
          }
          return out;
        },
      };
    }
  }
  return null;
}

/** The name a person knows the function by: its own `name`, or the handleEvent method's for a listener object. */
export function nameOf(r: Reader, fn: object): string | null {
  const target = typeof fn === 'function' ? fn : r.own(fn, 'handleEvent');
  if (typeof target !== 'function') return null;
  const name = r.own(target, 'name');
  return typeof name === 'string' ? name : null;
}

/** Source text of a listener: the function, or a listener object's handleEvent. */
export function sourceOf(r: Reader, fn: object): string | null {
  const target = typeof fn === 'function' ? fn : r.own(fn, 'handleEvent');
  if (typeof target !== 'function') return null;
  try {
    return r.text(target);
  } catch {
    return null;
  }
}

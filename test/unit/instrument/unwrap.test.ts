// Wrappers shaped as each library's own source makes them (the markers unwrap.ts names).
import { describe, expect, it } from 'vitest';
import { dispatcherOf, nameOf, sourceOf, unwrap, type Reader } from '../../../src/instrument/unwrap';

const reader: Reader = {
  own(o, key) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    return d && Object.hasOwn(d, 'value') ? d.value : undefined;
  },
  text: (fn) => Function.prototype.toString.call(fn),
  isArray: Array.isArray,
  indexOf: (s, x) => s.indexOf(x),
  list: () => [],
};

/** @sentry/core addNonEnumerableProperty: writable, configurable, not enumerable. */
function addNonEnumerableProperty(obj: object, name: string, value: unknown) {
  Object.defineProperty(obj, name, { value, writable: true, configurable: true });
}

function sentryWrap(fn: Function): Function {
  const sentryWrapped = function (this: unknown, ...args: unknown[]) {
    return fn.apply(this, args);
  };
  addNonEnumerableProperty(fn, '__sentry_wrapped__', sentryWrapped);
  // markFunctionWrapped
  const proto = fn.prototype || {};
  sentryWrapped.prototype = fn.prototype = proto;
  addNonEnumerableProperty(sentryWrapped, '__sentry_original__', fn);
  return sentryWrapped;
}

function ravenWrap(func: Function & Record<string, unknown>): Function {
  function wrapped(this: unknown, ...args: unknown[]) {
    return func.apply(this, args);
  }
  for (const k in func) if (Object.hasOwn(func, k)) (wrapped as unknown as Record<string, unknown>)[k] = func[k];
  wrapped.prototype = func.prototype;
  func.__raven_wrapper__ = wrapped;
  (wrapped as unknown as Record<string, unknown>).__raven__ = true;
  (wrapped as unknown as Record<string, unknown>).__inner__ = func;
  return wrapped;
}

function newRelicWrap(fn: Function): Function {
  function nrWrapper(this: unknown, ...args: unknown[]) {
    return fn.apply(this, args);
  }
  (nrWrapper as unknown as Record<string, unknown>)['nr@original'] = fn;
  return nrWrapper;
}

function rollbarWrap(f: Function & Record<string, unknown>): Function {
  if (!f._rollbar_wrapped) {
    f._rollbar_wrapped = function (this: unknown, ...args: unknown[]) {
      return f.apply(this, args);
    };
    (f._rollbar_wrapped as Record<string, unknown>)._isWrap = true;
  }
  return f._rollbar_wrapped as Function;
}

function bugsnagTrace(cb: Function & Record<string, unknown>): Function {
  cb.__trace__ = function __trace__(this: unknown, ...args: unknown[]) {
    return cb.apply(this, args);
  };
  (cb.__trace__ as Record<string, unknown>).__trace__ = cb.__trace__;
  return cb.__trace__ as Function;
}

function bugsnag2Wrap(_super: Function & Record<string, unknown>): Function {
  _super.bugsnag = function (this: unknown, ...args: unknown[]) {
    return _super.apply(this, args);
  };
  (_super.bugsnag as Record<string, unknown>).bugsnag = _super.bugsnag;
  return _super.bugsnag as Function;
}

function onOrder(e: MessageEvent) {
  return e.data;
}

describe('unwrap: per-listener wrappers', () => {
  it('finds the author function behind Sentry, Raven and New Relic, and names the library', () => {
    expect(unwrap(reader, sentryWrap(onOrder))).toEqual({ fn: onOrder, wrappedBy: 'sentry', reachable: true });
    const raven = function onRaven() {};
    expect(unwrap(reader, ravenWrap(raven as never))).toEqual({ fn: raven, wrappedBy: 'raven', reachable: true });
    const nr = function onNr() {};
    expect(unwrap(reader, newRelicWrap(nr))).toEqual({ fn: nr, wrappedBy: 'newrelic', reachable: true });
  });

  it('peels nested wrappers down to the author function', () => {
    const inner = function handler() {};
    expect(unwrap(reader, newRelicWrap(sentryWrap(inner)))).toEqual({ fn: inner, wrappedBy: 'sentry', reachable: true });
  });

  it('recognises Rollbar and Bugsnag wrappers, whose original sits in a closure only', () => {
    const r = rollbarWrap(function onRollbar() {} as never);
    expect(unwrap(reader, r)).toEqual({ fn: r, wrappedBy: 'rollbar', reachable: false });
    const b = bugsnagTrace(function onBugsnag() {} as never);
    expect(unwrap(reader, b)).toEqual({ fn: b, wrappedBy: 'bugsnag', reachable: false });
    const b2 = bugsnag2Wrap(function onOld() {} as never);
    expect(unwrap(reader, b2)).toEqual({ fn: b2, wrappedBy: 'bugsnag', reachable: false });
  });

  it('leaves plain functions and listener objects alone', () => {
    expect(unwrap(reader, onOrder)).toEqual({ fn: onOrder, wrappedBy: null, reachable: true });
    const obj = { handleEvent() {} };
    expect(unwrap(reader, obj)).toEqual({ fn: obj, wrappedBy: null, reachable: true });
    // An original itself carries __sentry_wrapped__ / _rollbar_wrapped pointing at its wrapper: not a wrapper.
    const orig = function orig() {};
    sentryWrap(orig);
    expect(unwrap(reader, orig).wrappedBy).toBeNull();
  });

  it('never runs a getter on the listener', () => {
    let ran = 0;
    const fn = function trap() {};
    Object.defineProperty(fn, '__sentry_original__', { get: () => (ran++, onOrder) });
    Object.defineProperty(fn, '_isWrap', { get: () => (ran++, true) });
    expect(unwrap(reader, fn)).toEqual({ fn, wrappedBy: null, reachable: true });
    expect(ran).toBe(0);
  });

  it('names and prints the function, or a listener object’s handleEvent', () => {
    expect(nameOf(reader, onOrder)).toBe('onOrder');
    expect(nameOf(reader, { handleEvent: function onObject() {} })).toBe('onObject');
    expect(nameOf(reader, (() => () => 1)())).toBe('');
    expect(sourceOf(reader, onOrder)).toContain('return e.data');
    expect(sourceOf(reader, {})).toBeNull();
  });
});

/** A Zone.js task as patchEventTarget leaves it on the target (ZoneTask fields + the ones events.ts adds). */
function zoneTask(callback: unknown, extra: Record<string, unknown> = {}) {
  const task: Record<string, unknown> = {
    type: 'eventTask',
    source: 'MessagePort.addEventListener:message',
    invoke: function () {},
    callback,
    data: undefined,
    scheduleFn: function () {},
    cancelFn: function () {},
    _zone: {},
    runCount: 0,
    _zoneDelegates: null,
    _state: 'scheduled',
  };
  task.options = undefined;
  task.target = null;
  task.capture = false;
  task.eventName = 'message';
  return Object.assign(task, extra);
}

describe('dispatcherOf: Zone.js', () => {
  const g = { Zone: function Zone() {} };
  // globalZoneAwareCallback, as registered with the browser for every task of one target/type.
  const globalZoneAwareCallback = function (this: unknown, event: Event) {
    return event;
  };

  it('lists the tasks’ callbacks behind the shared global callback, read lazily', () => {
    const target: Record<string, unknown> = {};
    // Zone sets the list before it calls addEventListener and pushes the task after.
    target.__zone_symbol__messagefalse = [];
    const d = dispatcherOf(reader, g, target, 'message', false, globalZoneAwareCallback)!;
    expect(d.kind).toBe('zone.js');
    expect(d.read()).toEqual([]);
    const second = function second() {};
    const obj = { handleEvent() {} };
    (target.__zone_symbol__messagefalse as unknown[]).push(
      zoneTask(onOrder, { runCount: 3, options: { once: true } }),
      zoneTask(second, { isRemoved: true }),
      // invokeTask replaces a listener object's callback and keeps the object as originalDelegate.
      zoneTask(() => {}, { originalDelegate: obj }),
    );
    const list = d.read();
    expect(list.map((x) => x.fn)).toEqual([onOrder, obj]);
    expect(list[0]).toMatchObject({ wrappedBy: 'zone.js', runs: 3, once: true });
    expect(list[1].once).toBe(false);
  });

  it('keeps capture listeners apart and honours __Zone_symbol_prefix', () => {
    const target: Record<string, unknown> = { __zone_symbol__messagetrue: [zoneTask(onOrder)] };
    expect(dispatcherOf(reader, g, target, 'message', false, globalZoneAwareCallback)).toBeNull();
    expect(dispatcherOf(reader, g, target, 'message', true, globalZoneAwareCallback)!.read()[0].fn).toBe(onOrder);
    const custom = { Zone: g.Zone, __Zone_symbol_prefix: '__ng__' };
    const t2 = { __ng__messagefalse: [zoneTask(onOrder)] };
    expect(dispatcherOf(reader, custom, t2, 'message', false, globalZoneAwareCallback)!.read()[0].fn).toBe(onOrder);
  });

  it('names the on<type> handler behind Zone’s property wrapper', () => {
    // Zone's wrapFn reads target[zoneSymbol('ON_PROPERTY' + event.type)] (its source names it).
    const wrapFn = new Function('event', "const s = zoneSymbol('ON_PROPERTY' + event.type); return this[s] && this[s].apply(this, arguments);");
    const onmessage = function pageHandler() {};
    const target = { __zone_symbol__messagefalse: [zoneTask(wrapFn)], __zone_symbol__ON_PROPERTYmessage: onmessage };
    expect(dispatcherOf(reader, g, target, 'message', false, globalZoneAwareCallback)!.read()[0].fn).toBe(onmessage);
  });

  it('with useG off, a task’s own invoke stands for that task only', () => {
    const a = zoneTask(onOrder);
    const b = zoneTask(function other() {});
    const target = { __zone_symbol__messagefalse: [a, b] };
    const d = dispatcherOf(reader, g, target, 'message', false, b.invoke as object)!;
    expect(d.read().map((x) => (x.fn as Function).name)).toEqual(['other']);
  });

  it('is not fooled without Zone on the global', () => {
    const target = { __zone_symbol__messagefalse: [zoneTask(onOrder)] };
    expect(dispatcherOf(reader, {}, target, 'message', false, globalZoneAwareCallback)).toBeNull();
  });
});

describe('dispatcherOf: jQuery', () => {
  // jQuery.expando = "jQuery" + (version + Math.random()).replace(/\D/g, ""); dataPriv's key adds Data.uid (1).
  const jQuery = Object.assign(function jQuery() {}, { expando: 'jQuery371004921880213' });
  const g = { jQuery };

  function jqTarget(handlers: unknown[]) {
    const target = {};
    const eventHandle = function (this: unknown, e: Event) {
      return e;
    };
    const handlersList = Object.assign(handlers, { delegateCount: 0 });
    // Data.prototype.cache: a non-node owner gets its data object through defineProperty.
    Object.defineProperty(target, jQuery.expando + '1', { value: { events: { message: handlersList }, handle: eventHandle }, configurable: true });
    return { target, eventHandle };
  }
  const handleObj = (handler: Function) => ({ type: 'message', origType: 'message', data: undefined, handler, guid: 1, selector: undefined, needsContext: undefined, namespace: '' });

  it('lists the handlers of elemData.events[type] behind elemData.handle', () => {
    const h2 = function second() {};
    const { target, eventHandle } = jqTarget([handleObj(onOrder), handleObj(h2)]);
    const d = dispatcherOf(reader, g, target, 'message', false, eventHandle)!;
    expect(d.kind).toBe('jquery');
    expect(d.read().map((x) => x.fn)).toEqual([onOrder, h2]);
    expect(d.read()[0]).toMatchObject({ wrappedBy: 'jquery', runs: null });
  });

  it('is null for any other function on the same target', () => {
    const { target } = jqTarget([handleObj(onOrder)]);
    expect(dispatcherOf(reader, g, target, 'message', false, onOrder)).toBeNull();
    expect(dispatcherOf(reader, {}, target, 'message', false, onOrder)).toBeNull();
  });
});

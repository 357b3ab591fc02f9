// The creator's end of a worker's private link (issue 21). A worker whose scope the extension
// instrumented (extension/worker-entry.ts) posts one hello, before its own code runs, carrying
// a port nobody else holds; the Worker wrapper here listens on every Worker from its
// construction and takes that hello out of the event stream before any page listener (a
// capture listener registered first runs first at the target). The worker's batches then come
// up that port and go on over this context's own transport, marked with the owner: this
// document and its local number for the worker, so the background makes the worker's stream
// that context. A worker that was not instrumented never says hello, and nothing changes.
import { WORKER_HELLO_KEY, PROTOCOL_VERSION, type RelayToPage, type WireBatch } from '../protocol/messages';
import type { Instr } from './context';
import type { ScriptScheme } from '../protocol/events';

export interface WorkerLinks {
  /** Recording turned on or off upstream: every linked worker follows. */
  recording(on: boolean): void;
  /** A sync for a stream below this context: passed down to every linked worker. */
  sync(doc: string, until: number): void;
}

interface Link {
  port: MessagePort;
  ctx: number;
  token: string;
}

/** Each Worker's script scheme when blob: or data:, filled by the Worker constructor (shared with objects.ts). */
export type WorkerScripts = WeakMap<object, ScriptScheme>;

export function linkWorkers(I: Instr, workerContext: (worker: object) => number | undefined, up: (wire: WireBatch) => void, engine: 'chromium' | 'firefox', scripts: WorkerScripts): WorkerLinks {
  const { g, n, rec } = I;
  const links: Link[] = n.list();
  const Native = (g as { Worker?: typeof Worker }).Worker;
  const stopImmediate = (g as { Event?: typeof Event }).Event?.prototype.stopImmediatePropagation;
  const send = (l: Link, cmd: RelayToPage) => {
    try {
      n.apply(n.portPostMessage, l.port, [cmd]);
    } catch {
      /* the worker went away */
    }
  };
  const state = () => (rec.state === 'pending' ? null : rec.state === 'on');

  const onHello = function (this: object, e: MessageEvent) {
    try {
      // The port count first: most messages carry none, and reading `data` costs a clone.
      if (!e.isTrusted || n.eventPorts(e).length !== 1) return;
      const data = n.eventData(e);
      if (typeof data !== 'object' || data === null || n.ownData(data, WORKER_HELLO_KEY) !== PROTOCOL_VERSION) return;
      n.apply(stopImmediate as Function, e, []);
      // Only the first: the instrumentation's, sent before the worker's code could run.
      if (n.weakHas(hellos, this)) return;
      n.weakSet(hellos, this, true);
      const token = n.ownData(data, 'token');
      const ctx = workerContext(this);
      if (typeof token !== 'string' || ctx === undefined) return;
      // Before any message of the worker reaches the page: its stream will report them.
      rec.emit({ k: 'context', at: n.now(), ctx, kind: 'worker', url: '', origin: I.origin, top: false, parent: 0, inside: true });
      link({ port: n.eventPorts(e)[0], ctx, token });
    } catch {
      /* never into the page */
    }
  };
  const hellos = new n.WeakMap<object, true>();

  const link = (l: Link) => {
    links[links.length] = l;
    n.apply(n.addEventListener, l.port, [
      'message',
      (e: MessageEvent) => {
        const wire = n.eventData(e) as WireBatch;
        if (typeof wire !== 'object' || wire === null) return;
        // The worker's first batch must not pass this context's own report of the worker.
        rec.flush();
        // A nested worker's batch already names its owner (and token): passed on as it came.
        if (wire.owner === undefined) {
          wire.owner = { doc: rec.doc, ctx: l.ctx };
          wire.token = l.token;
        }
        up(wire);
      },
    ]);
    n.apply(n.portStart, l.port, []);
    const on = state();
    if (on !== null) send(l, { t: 'recording', on });
  };

  if (Native && stopImmediate)
    wrapWorker(I, Native, engine, (w, url) => {
      n.apply(n.addEventListener, w, ['message', onHello, true]);
      const scheme = schemeOf(url);
      if (scheme) n.weakSet(scripts, w, scheme);
    });

  return {
    recording(on) {
      for (let i = 0; i < links.length; i++) send(links[i], { t: 'recording', on });
    },
    sync(doc, until) {
      for (let i = 0; i < links.length; i++) send(links[i], { t: 'sync', until, doc });
    },
  };
}

/**
 * Replaces the global Worker with a constructor that is the native one in all a page can
 * observe (name, length, toString, own keys, prototype and its constructor, subclassing
 * through new.target, the TypeError when called without new) and calls `made` with each new
 * worker. The engines differ in which stand-in they cannot tell from the native:
 * - V8 prints a function's source in a DataCloneError: a Proxy of the native (construct trap
 *   only) prints the native's text, where a JavaScript function would print its own source.
 * - SpiderMonkey names a Proxy as such in a DataCloneError ("Proxy object could not be
 *   cloned"), and a function as "Function object": there a strict JavaScript function.
 */
function wrapWorker(I: Instr, Native: typeof Worker, engine: 'chromium' | 'firefox', made: (w: Worker, url: unknown) => void): void {
  const { g, n } = I;
  const desc = n.getOwnPropertyDescriptor(g, 'Worker');
  const proto = Native.prototype;
  const protoDesc = n.getOwnPropertyDescriptor(proto, 'constructor');
  if (!desc || !desc.configurable || !protoDesc || !protoDesc.configurable) return;
  const Wrapper = engine === 'firefox' ? strictWrapper(I, Native, made) : proxyWrapper(I, Native, made);
  if (!Wrapper) return;
  n.defineProperty(proto, 'constructor', { ...protoDesc, value: Wrapper });
  n.defineProperty(g, 'Worker', { ...desc, value: Wrapper });
}

function proxyWrapper(I: Instr, Native: typeof Worker, made: (w: Worker, url: unknown) => void): Function | null {
  const { g, n } = I;
  const ProxyCtor = g.Proxy;
  if (typeof ProxyCtor !== 'function') return null;
  const reflectGet = g.Reflect.get;
  // No prototype: a page's Object.prototype.get or .apply must not become a trap.
  const handler = n.create(null) as ProxyHandler<typeof Worker>;
  handler.construct = (target, args, newTarget) => {
    const w = n.construct(target, args, newTarget === Wrapper ? target : newTarget) as Worker;
    try {
      made(w, args[0]);
    } catch {
      /* never into the page */
    }
    return w;
  };
  // Function.prototype's caller and arguments accessors answer null for a native function
  // and throw for anything else, a Proxy included: they are asked about the native. Every
  // other property is read with the Proxy as receiver, as the page asked.
  handler.get = (target, key, receiver) => n.apply(reflectGet, null, [target, key, receiver === Wrapper && (key === 'caller' || key === 'arguments') ? target : receiver]);
  const Wrapper = new ProxyCtor(Native, handler);
  I.disguise.mask(Wrapper, Native);
  return Wrapper;
}

function strictWrapper(I: Instr, Native: typeof Worker, made: (w: Worker, url: unknown) => void): Function {
  const { n } = I;
  // Made inside a class body, which is strict code: a strict function has no own `arguments`
  // and `caller`, as a native has not; a directive instead would make the bundle strict, and
  // with it a worker script it is prepended to.
  const Wrapper: Function = StrictFunctions.worker(n, Native, made);
  I.disguise.pose(Wrapper, Native);
  n.defineProperty(Wrapper, 'prototype', { value: Native.prototype, writable: false, enumerable: false, configurable: false });
  n.setPrototypeOf(Wrapper, n.getPrototypeOf(Native));
  return Wrapper;
}

class StrictFunctions {
  static worker(n: Instr['n'], Native: typeof Worker, made: (w: Worker, url: unknown) => void): Function {
    const Wrapper = function Worker(this: unknown) {
      // Without new: the native's own TypeError.
      if (new.target === undefined) return n.apply(Native, this, arguments);
      const w = n.construct(Native, arguments, new.target === Wrapper ? Native : new.target) as Worker;
      try {
        made(w, arguments[0]);
      } catch {
        /* never into the page */
      }
      return w;
    };
    return Wrapper;
  }
}

/**
 * 'blob' or 'data' when the page passed the script URL as a string with that scheme. Read by
 * index only (no String or Array method a page could have patched runs), and an object (URL,
 * TrustedScriptURL) is not stringified a second time.
 */
export function schemeOf(url: unknown): ScriptScheme | undefined {
  if (typeof url !== 'string') return undefined;
  let i = 0;
  // The URL parser strips leading C0 controls and spaces.
  while (i < url.length && url[i] <= ' ') i++;
  const at = (word: string, upper: string) => {
    for (let j = 0; j < word.length; j++) if (url[i + j] !== word[j] && url[i + j] !== upper[j]) return false;
    return url[i + word.length] === ':';
  };
  return at('blob', 'BLOB') ? 'blob' : at('data', 'DATA') ? 'data' : undefined;
}

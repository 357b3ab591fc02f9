// Workers and BroadcastChannels as the page sees them. Each is numbered when the page
// first uses it (posts, listens, or reads a SharedWorker's port) — their constructors stay
// the browser's own. A dedicated, shared or service worker is reported as a context of its
// own that holds the ports sent to it; what happens inside it is out of reach of a content
// script. Service worker messages arrive on navigator.serviceWorker (the container), from
// the ServiceWorker object that event.source names.
import type { Instr } from './context';
import type { Listeners } from './listeners';
import { readTransfer } from './transfers';
import { builtDeliver, D, put, putReceived, type Built } from '../protocol/compact';
import type { ContextKind, Via } from '../protocol/messages';
import type { ScriptScheme } from '../protocol/events';
import type { SampleResult } from './sample';

export interface Objects {
  /** 'worker' or 'broadcast' for the page's Worker and BroadcastChannel objects, numbering them. */
  kindOf(target: unknown): Via | null;
  idOf(target: object): number | undefined;
  /** A numbered BroadcastChannel's name. */
  channelOf(target: object): string | undefined;
  /** The local context number of a dedicated Worker object, numbering it if need be. */
  workerContext(worker: object): number | undefined;
}

type Brand = (v: object) => boolean;

function brand(I: Instr, proto: object | undefined, getter: string): Brand {
  const get = proto ? I.n.getOwnPropertyDescriptor(proto, getter)?.get : undefined;
  if (!get) return () => false;
  return (v) => {
    try {
      I.n.apply(get, v, []);
      return true;
    } catch {
      return false;
    }
  };
}

/** `scriptOf`: what the Worker constructor saw of a worker's script URL (worker-link.ts). */
export function createObjects(I: Instr, getListeners: () => Listeners, scriptOf: (worker: object) => ScriptScheme | undefined = () => undefined): Objects {
  const { g, n, rec } = I;
  const WorkerCtor = (g as { Worker?: typeof Worker }).Worker;
  const BC = (g as { BroadcastChannel?: typeof BroadcastChannel }).BroadcastChannel;
  const isWorker = brand(I, WorkerCtor?.prototype, 'onmessage');
  const isBroadcast = brand(I, BC?.prototype, 'name');
  const SW = (g as { ServiceWorker?: typeof ServiceWorker }).ServiceWorker;
  const Container = (g as { ServiceWorkerContainer?: typeof ServiceWorkerContainer }).ServiceWorkerContainer;
  const isServiceWorker = brand(I, SW?.prototype, 'scriptURL');
  const isContainer = brand(I, Container?.prototype, 'controller');
  const scriptURL = SW ? n.getOwnPropertyDescriptor(SW.prototype, 'scriptURL')?.get : undefined;
  const containers = new n.WeakMap<object, true>();
  const bcName = BC ? n.getOwnPropertyDescriptor(BC.prototype, 'name')!.get! : null;
  const ids = new n.WeakMap<object, number>();
  const names = new n.WeakMap<object, string>();
  let lastObject = 0;
  let lastCtx = 0;

  /** A worker's or a broadcast channel's delivery, built compact (src/protocol/compact.ts). */
  const deliverRecord = (at: number, type: 'message' | 'messageerror', via: 'worker' | 'broadcast', object: number | undefined, name: string | undefined, ports: number[], listeners: number, s: SampleResult | null): Built => {
    const a = builtDeliver(at, false);
    if (type !== 'message') put(a, D.type, type);
    put(a, D.via, via);
    put(a, D.object, object);
    put(a, D.name, name);
    putReceived(a, ports, listeners, s);
    return a;
  };

  /** Local context numbers of the workers, by object id. */
  const contexts = new n.Map<number, number>();
  const register = (target: object, via: 'worker' | 'broadcast', kind: ContextKind = 'worker'): number => {
    let id = n.weakGet(ids, target) as number | undefined;
    if (id !== undefined) return id;
    id = ++lastObject;
    n.weakSet(ids, target, id);
    if (via === 'worker') {
      // The worker's context number doubles as its object id's partner: ctx n ↔ object id.
      const ctx = ++lastCtx;
      n.mapSet(contexts, id, ctx);
      const url = kind === 'serviceworker' && scriptURL ? (n.apply(scriptURL, target, []) as string) : '';
      const script = kind === 'worker' ? scriptOf(target) : undefined;
      rec.emit({ k: 'context', at: n.now(), ctx, object: id, kind, url, origin: I.origin, top: false, parent: 0, ...(script ? { script } : {}) });
      // A ServiceWorker object receives nothing (its messages come to the container), and a
      // SharedWorker's messages come on its port.
      if (kind !== 'worker') return id;
    } else {
      n.weakSet(names, target, n.apply(bcName!, target, []) as string);
    }
    n.apply(n.addEventListener, target, ['message', delivery(via, 'message')]);
    n.apply(n.addEventListener, target, ['messageerror', delivery(via, 'messageerror')]);
    return id;
  };

  /** navigator.serviceWorker: numbered when the page listens to it; each delivery names its sender. */
  const registerContainer = (target: object) => {
    if (n.weakHas(containers, target)) return;
    n.weakSet(containers, target, true);
    for (const type of ['message', 'messageerror'] as const) {
      n.apply(n.addEventListener, target, [
        type,
        function (this: object, e: MessageEvent) {
          if (!rec.active) return;
          try {
            const source = n.eventSource(e);
            const object = source !== null && isServiceWorker(source) ? register(source, 'worker', 'serviceworker') : undefined;
            const s = type === 'message' ? I.sample(n.eventData(e), e.isTrusted) : null;
            const arrived = I.arrivedPorts(e);
            I.sent.fromWorker(arrived);
            const record = deliverRecord(n.now(), type, 'worker', object, undefined, arrived, getListeners().count(this, type), s);
            getListeners().begin(e, record);
            rec.emit(record);
          } catch {
            /* never into the page */
          }
        },
      ]);
    }
  };

  const delivery = (via: 'worker' | 'broadcast', type: 'message' | 'messageerror') =>
    function (this: object, e: MessageEvent) {
      if (!rec.active) return;
      try {
        deliver(this, e, via, type);
      } catch {
        /* never into the page */
      }
    };
  /** Ports that came from a worker: their partners are there. */
  const fromWorker = (ids: number[]): number[] => (I.sent.fromWorker(ids), ids);
  const deliver = (target: object, e: MessageEvent, via: 'worker' | 'broadcast', type: 'message' | 'messageerror') => {
      const listeners = getListeners();
      const at = n.now();
      const s = type === 'message' ? I.sample(n.eventData(e), e.isTrusted) : null;
      const object = n.weakGet(ids, target) as number;
      const record =
        via === 'broadcast'
          ? deliverRecord(at, type, via, object, n.weakGet(names, target) as string, n.list(), listeners.count(target, type), s)
          : deliverRecord(at, type, via, object, undefined, fromWorker(I.arrivedPorts(e)), listeners.count(target, type), s);
      listeners.begin(e, record);
      rec.emit(record);
  };

  const wrapPost = (proto: object | undefined, via: 'worker' | 'broadcast', is: Brand, kind: ContextKind = 'worker') => {
    const native = proto ? (n.getOwnPropertyDescriptor(proto, 'postMessage')?.value as Function | undefined) : undefined;
    if (!proto || !native) return;
    I.disguise.method(proto, 'postMessage', {
      postMessage(this: object, _message: unknown) {
        if (!rec.active) return n.apply(native, this, arguments);
        // A known object is a WeakMap hit; only an unknown `this` needs the (throwing) brand check.
        // (Broadcast channels are the numbered objects with a name; workers the others.)
        const known = via === 'broadcast' ? n.weakHas(names, this as object) : n.weakHas(ids, this as object) && !n.weakHas(names, this as object);
        if (!known && !is(this)) return n.apply(native, this, arguments);
        const object = register(this, via, kind);
        const transfer = via === 'worker' ? readTransfer(I, arguments[1]) : null;
        const at = n.now();
        const msg = I.nextMessageId();
        const name = via === 'broadcast' ? (n.weakGet(names, this) as string) : undefined;
        try {
          n.apply(native, this, arguments);
        } catch (err) {
          const path = I.cloneErrorPath(err, _message, transfer ? transfer.objects : n.list());
          rec.emit({ k: 'post', at, msg, via, object, name, transfer: transfer ? transfer.refs : n.list(), predicted: I.errorOutcome(err, path), stack: I.stack() });
          throw err;
        }
        let sample: string | undefined;
        if (transfer) {
          const portIds: number[] = n.list();
          for (let i = 0; i < transfer.refs.length; i++) if (transfer.refs[i].kind === 'MessagePort') portIds[portIds.length] = transfer.refs[i].id!;
          if (portIds.length) I.shadow.transferred(portIds);
          // Inside a worker nothing reports the delivery: the sender's data, read without running page code.
          sample = I.sent.intoWorker(_message, portIds);
        }
        rec.emit({ k: 'post', at, msg, via, object, name, transfer: transfer ? transfer.refs : n.list(), predicted: { o: 'sent' }, sample });
      },
    }.postMessage);
  };
  // terminate(): the worker's context ends there, and with it the ports it held. Only a worker
  // the page had used is numbered, so only that one is reported.
  const nativeTerminate = WorkerCtor ? (n.getOwnPropertyDescriptor(WorkerCtor.prototype, 'terminate')?.value as Function | undefined) : undefined;
  if (WorkerCtor && nativeTerminate) {
    I.disguise.method(WorkerCtor.prototype, 'terminate', {
      terminate(this: object) {
        const result = n.apply(nativeTerminate, this, arguments);
        if (rec.active) {
          try {
            // Not a worker, or one never numbered: no context to end.
            const ctx = n.mapGet(contexts, n.weakGet(ids, this) as number);
            if (ctx !== undefined) rec.emit({ k: 'end', at: n.now(), ctx });
          } catch {
            /* never into the page */
          }
        }
        return result;
      },
    }.terminate);
  }
  wrapPost(WorkerCtor?.prototype, 'worker', isWorker);
  wrapPost(BC?.prototype, 'broadcast', isBroadcast);
  wrapPost(SW?.prototype, 'worker', isServiceWorker, 'serviceworker');
  instrumentSharedWorkers(I, (worker) => register(worker, 'worker', 'sharedworker'), (id) => n.mapGet(contexts, id));

  return {
    kindOf(target) {
      if (typeof target !== 'object' || target === null) return null;
      if (isWorker(target)) return register(target, 'worker'), 'worker';
      if (isBroadcast(target)) return register(target, 'broadcast'), 'broadcast';
      if (isContainer(target)) return registerContainer(target), 'worker';
      return null;
    },
    idOf: (target) => n.weakGet(ids, target) as number | undefined,
    channelOf: (target) => n.weakGet(names, target) as string | undefined,
    workerContext: (worker) => n.mapGet(contexts, register(worker, 'worker')),
  };
}

/**
 * A SharedWorker's port is one end of a channel whose other end the shared worker holds: on
 * the first read of `port` the worker becomes a context and the pair is reported, so the
 * page's sends go to the worker and its messages come from it.
 */
function instrumentSharedWorkers(I: Instr, register: (worker: object) => number, contextOf: (object: number) => number | undefined): void {
  const { g, n, rec, shadow } = I;
  const proto = (g as { SharedWorker?: typeof SharedWorker }).SharedWorker?.prototype;
  const portOf = proto ? n.getOwnPropertyDescriptor(proto, 'port')?.get : undefined;
  if (!proto || !portOf) return;
  const seen = new n.WeakMap<object, true>();
  const holder = {
    get port(): unknown {
      const port: unknown = n.apply(portOf, this, []);
      try {
        const worker = this as unknown as object;
        if (rec.active && !n.weakHas(seen, worker) && n.isPort(port)) {
          n.weakSet(seen, worker, true);
          const ctx = contextOf(register(worker));
          // The worker's end is no native object here: it gets an id the page never uses.
          const far = shadow.received(1)[0];
          const near = I.portId(port);
          I.sent.fromWorker([near]);
          rec.emit({ k: 'channel', at: n.now(), port1: near, port2: far, holder2: ctx, stack: I.stack() });
        }
      } catch {
        /* never into the page */
      }
      return port;
    },
  };
  I.disguise.accessor(proto, 'port', 'get', n.getOwnPropertyDescriptor(holder, 'port')!.get!);
}

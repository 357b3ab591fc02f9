// Dedicated workers and BroadcastChannels as the page sees them. Each is numbered when
// the page first uses it (posts, or listens) — their constructors stay the browser's
// own. A worker is reported as a context of its own that holds the ports sent to it;
// what happens inside it is out of reach of a content script.
import type { Instr } from './context';
import type { Listeners } from './listeners';
import { readTransfer } from './transfers';
import type { DeliverEvent, Via } from '../protocol/messages';

export interface Objects {
  /** 'worker' or 'broadcast' for the page's Worker and BroadcastChannel objects, numbering them. */
  kindOf(target: unknown): Via | null;
  idOf(target: object): number | undefined;
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

export function createObjects(I: Instr, getListeners: () => Listeners): Objects {
  const { g, n, rec } = I;
  const WorkerCtor = (g as { Worker?: typeof Worker }).Worker;
  const BC = (g as { BroadcastChannel?: typeof BroadcastChannel }).BroadcastChannel;
  const isWorker = brand(I, WorkerCtor?.prototype, 'onmessage');
  const isBroadcast = brand(I, BC?.prototype, 'name');
  const bcName = BC ? n.getOwnPropertyDescriptor(BC.prototype, 'name')!.get! : null;
  const ids = new n.WeakMap<object, number>();
  const names = new n.WeakMap<object, string>();
  let lastObject = 0;
  let lastCtx = 0;

  const register = (target: object, via: 'worker' | 'broadcast'): number => {
    let id = n.weakGet(ids, target) as number | undefined;
    if (id !== undefined) return id;
    id = ++lastObject;
    n.weakSet(ids, target, id);
    if (via === 'worker') {
      // The worker's context number doubles as its object id's partner: ctx n ↔ object id.
      const ctx = ++lastCtx;
      rec.emit({ k: 'context', at: n.now(), ctx, object: id, kind: 'worker', url: '', origin: I.origin, top: false, parent: 0 });
    } else {
      n.weakSet(names, target, n.apply(bcName!, target, []) as string);
    }
    n.apply(n.addEventListener, target, ['message', delivery(via, 'message')]);
    n.apply(n.addEventListener, target, ['messageerror', delivery(via, 'messageerror')]);
    return id;
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
  const deliver = (target: object, e: MessageEvent, via: 'worker' | 'broadcast', type: 'message' | 'messageerror') => {
      const listeners = getListeners();
      const at = n.now();
      const s = type === 'message' ? I.sample(n.eventData(e)) : null;
      const preview = s ? undefined : '';
      const sample = s?.text ?? undefined;
      const bufferBytes = s ? s.bufferBytes : 0;
      const object = n.weakGet(ids, target) as number;
      const record: DeliverEvent =
        via === 'broadcast'
          ? { k: 'deliver', at, type, via, object, name: n.weakGet(names, target) as string, ports: n.list(), listeners: listeners.count(target, type), handlerMs: 0, preview, sample, bufferBytes }
          : { k: 'deliver', at, type, via, object, ports: I.arrivedPorts(e), listeners: listeners.count(target, type), handlerMs: 0, preview, sample, bufferBytes };
      listeners.begin(e, record);
      rec.emit(record);
  };

  const wrapPost = (proto: object | undefined, via: 'worker' | 'broadcast', is: Brand) => {
    const native = proto ? (n.getOwnPropertyDescriptor(proto, 'postMessage')?.value as Function | undefined) : undefined;
    if (!proto || !native) return;
    I.disguise.method(proto, 'postMessage', {
      postMessage(this: object, _message: unknown) {
        if (!rec.active) return n.apply(native, this, arguments);
        // A known object is a WeakMap hit; only an unknown `this` needs the (throwing) brand check.
        // (Broadcast channels are the numbered objects with a name; workers the others.)
        const known = via === 'broadcast' ? n.weakHas(names, this as object) : n.weakHas(ids, this as object) && !n.weakHas(names, this as object);
        if (!known && !is(this)) return n.apply(native, this, arguments);
        const object = register(this, via);
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
        if (transfer) {
          const portIds: number[] = n.list();
          for (let i = 0; i < transfer.refs.length; i++) if (transfer.refs[i].kind === 'MessagePort') portIds[portIds.length] = transfer.refs[i].id!;
          if (portIds.length) I.shadow.transferred(portIds);
        }
        rec.emit({ k: 'post', at, msg, via, object, name, transfer: transfer ? transfer.refs : n.list(), predicted: { o: 'sent' } });
      },
    }.postMessage);
  };
  wrapPost(WorkerCtor?.prototype, 'worker', isWorker);
  wrapPost(BC?.prototype, 'broadcast', isBroadcast);

  return {
    kindOf(target) {
      if (typeof target !== 'object' || target === null) return null;
      if (isWorker(target)) return register(target, 'worker'), 'worker';
      if (isBroadcast(target)) return register(target, 'broadcast'), 'broadcast';
      return null;
    },
    idOf: (target) => n.weakGet(ids, target) as number | undefined,
  };
}

// MessageChannel and MessagePort (HTML §9.4): entanglement, the port message queue and its
// enabled flag, has-been-shipped, transfer / transfer-receiving steps, close, and the message
// port post message steps with their predicted outcome.
//
// A port is two things here: an End (the entangled endpoint, which owns the queued messages and
// moves when the port is transferred) and a PortObj (one JS MessagePort object in one realm).
// Transferring detaches the old object and gives the End to a new object in the receiving realm,
// which is how engines keep an entangled pair intact when both ends travel.
import { deserializeWithTransfer, serializeWithTransfer, type PortTransfer, type Serialized } from './clone.js';
import { fireTrusted, ModelEvent, ModelEventTarget } from './events.js';
import { dropped, makeError, thrown, type PostOutcome } from './outcome.js';
import { brand, platformInfo } from './platform.js';
import type { Via } from '../protocol/messages.js';
import type { RealmCore } from './types.js';

export interface QueuedMessage {
  ser: Serialized;
  /** Not a message: Chromium's peer-closed signal, queued behind the messages already there. */
  peerGone?: true;
}

const NO_SER: Serialized = { rec: { k: 'prim', v: null } as Serialized['rec'], holders: [] };

/** FIFO with O(1) shift (Array#shift is O(n) on long queues). */
export class TaskQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(x: T): void {
    this.items.push(x);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
  clear(): void {
    this.items = [];
    this.head = 0;
  }
  *[Symbol.iterator](): Iterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i] as T;
  }
}

export interface End {
  id: number;
  partner: End | null;
  /** The port message queue's tasks; they travel with the End. */
  tasks: TaskQueue<QueuedMessage>;
  /** The object currently holding this End; null while in transit. */
  obj: PortObj | null;
  /** Carried by a message that was dropped ('dropped') or doomed: nothing will ever receive it. */
  lost: false | 'dropped' | 'doomed';
  /** Chromium profile: the peer-closed signal is modelled for this End. */
  peerSignal: boolean;
}

export interface PortObj {
  id: number;
  end: End;
  realm: RealmCore;
  port: object;
  /** The message event target: the port itself, or a Worker / worker global for implicit ports. */
  target: ModelEventTarget;
  enabled: boolean;
  scheduled: boolean;
  shipped: boolean;
  closed: boolean;
  handlerSet: boolean;
  errorHandlerSet: boolean;
  via: Via;
  /** Chromium: the next dispatch task drains the queue. */
  drainNext: boolean;
}

export function portObjOf(port: unknown): PortObj | undefined {
  if (typeof port !== 'object' || port === null) return undefined;
  return platformInfo(port)?.port as PortObj | undefined;
}

// ─── transfer hooks used by the clone algorithm ───

export const portTransfer: PortTransfer = {
  detachedState(p) {
    const o = p as PortObj;
    return o.shipped ? 'shipped' : o.closed ? 'closed' : null;
  },
  transfer(p) {
    // Transfer steps: the object is detached; its End (queue, entanglement) goes in the holder.
    const o = p as PortObj;
    o.shipped = true;
    const end = o.end;
    if (o.realm.profile.shipWithoutPartnerLeavesQueue && !end.partner && !o.closed) {
      // Firefox: the queue stays with the old object; the new port gets an empty, unentangled End.
      return { id: o.realm.universe.nextId(), partner: null, tasks: new TaskQueue(), obj: null, lost: false, peerSignal: false } satisfies End;
    }
    o.enabled = false;
    if (end.obj === o) end.obj = null;
    return end;
  },
  receive(holder, realm) {
    // Transfer-receiving steps: a new port, queue disabled, same End (same entanglement).
    const end = holder as End;
    const r = realm as RealmCore;
    // (Its has-been-shipped flag is set per the standard; it only matters for the unshipped
    // port message queue, which the model does not need, so the object is not marked.)
    const obj = createPortObject(r, end, undefined, 'port');
    end.obj = obj;
    return obj.port;
  },
  exposed(realm) {
    return (realm as RealmCore).exposesMessagePort;
  },
};

/**
 * Marks the ports carried by discarded messages as lost (their partners post into the void).
 * `signal`: the engine destroys them, so their partners see the peer go away; a doomed message
 * is not destroyed in Chromium (it sits in a pipe whose receiving end it carries).
 */
export function discard(msgs: Iterable<QueuedMessage>, signal = true): void {
  for (const m of msgs) {
    for (const h of m.ser.holders) {
      if (h.k !== 'MessagePort') continue;
      const end = h.data as End;
      if (end.lost) continue;
      end.lost = signal ? 'dropped' : 'doomed';
      if (signal && end.partner) peerGone(end.partner);
      discard(end.tasks, signal);
    }
  }
}

/** Chromium: a port learns its peer is gone after its queued messages, once it is started. */
function peerGone(end: End): void {
  if (!end.peerSignal) return;
  end.tasks.push({ ser: NO_SER, peerGone: true });
  if (end.obj) schedule(end.obj);
}

// ─── the port message queue ───

const MAX_PER_TASK = 200;

function schedule(obj: PortObj): void {
  if (obj.scheduled || !obj.enabled || obj.end.obj !== obj || obj.end.tasks.length === 0) return;
  obj.scheduled = true;
  const profile = obj.realm.profile;
  // Firefox takes the next message out when it queues the dispatch task.
  const captured = profile.headMessageInFlight ? obj.end.tasks.shift() : undefined;
  const drain = profile.drainAfterFirst && obj.drainNext;
  obj.realm.loop.queueTask(() => {
    obj.scheduled = false;
    const live = () => obj.enabled && obj.end.obj === obj;
    if (drain) {
      // Chromium's follow-up task: everything queued by now, including what handlers post.
      let n = 0;
      while (n++ < MAX_PER_TASK && live() && obj.end.tasks.length) {
        if (!dispatchOne(obj, obj.end.tasks.shift()!)) break;
      }
      obj.drainNext = n > MAX_PER_TASK;
    } else {
      const msg = captured ?? (live() ? obj.end.tasks.shift() : undefined);
      if (msg) dispatchOne(obj, msg);
      obj.drainNext = profile.drainAfterFirst;
    }
    schedule(obj);
    if (!obj.scheduled) obj.drainNext = false;
  });
}

/** false when the port closed itself (Chromium's peer-closed signal). */
function dispatchOne(obj: PortObj, msg: QueuedMessage): boolean {
  if (msg.peerGone) {
    closePort(obj);
    return false;
  }
  deliver(obj, msg);
  return true;
}

/** Dispatch one message: deserialize in the port's realm, then message or messageerror. */
export function deliver(obj: PortObj, msg: QueuedMessage): void {
  const realm = obj.realm;
  let result: { value: unknown; ports: object[] };
  try {
    result = deserializeWithTransfer(msg.ser, { realm, agentCluster: realm.agentCluster, profile: realm.profile }, portTransfer);
  } catch {
    fireTrusted(obj.target, realm.newMessageEvent('messageerror', {}));
    return;
  }
  fireTrusted(obj.target, realm.newMessageEvent('message', { data: result.value, ports: result.ports }));
}

export function enable(obj: PortObj): void {
  if (obj.enabled) return;
  obj.enabled = true;
  schedule(obj);
}

export function closePort(obj: PortObj): void {
  // close(): [[Detached]] = true, then disentangle.
  if (obj.closed) return;
  obj.closed = true;
  const profile = obj.realm.profile;
  if (profile.closeDiscardsQueue && obj.end.obj === obj) {
    discard(obj.end.tasks);
    obj.end.tasks.clear();
  }
  if (obj.shipped) return;
  const other = obj.end.partner;
  obj.end.partner = null;
  if (other) {
    other.partner = null;
    if (profile.closeEvent && other.obj) fireTrusted(other.obj.port as ModelEventTarget, new ModelEvent('close'));
    peerGone(other);
  }
}

// ─── WebIDL conversion of the second argument ───

function toObjectSequence(realm: RealmCore, iface: string, method: string, v: unknown): object[] {
  const it = v !== null && (typeof v === 'object' || typeof v === 'function') ? (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] : undefined;
  if (typeof it !== 'function') throw new TypeError(`Failed to execute '${method}' on '${iface}': The provided value cannot be converted to a sequence.`);
  const out: object[] = [];
  let i = 0;
  for (const x of v as Iterable<unknown>) {
    if (x === null || (typeof x !== 'object' && typeof x !== 'function')) {
      throw makeError(realm.profile, 'transfer-not-object', { iface, method, index: i, path: `transfer[${i}]` });
    }
    out.push(x);
    i++;
  }
  return out;
}

/** postMessage(message, transfer) or postMessage(message, options): the transfer list. */
export function convertTransfer(realm: RealmCore, iface: string, method: string, arg: unknown): object[] {
  if (arg === undefined || arg === null) return [];
  if (typeof arg !== 'object' && typeof arg !== 'function') {
    throw new TypeError(`Failed to execute '${method}' on '${iface}': The provided value is not of type 'StructuredSerializeOptions'.`);
  }
  const it = (arg as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (it !== undefined && it !== null) return toObjectSequence(realm, iface, method, arg);
  const t = (arg as { transfer?: unknown }).transfer;
  return t === undefined ? [] : toObjectSequence(realm, iface, method, t);
}

// ─── the message port post message steps ───

export function transferredSummary(transfer: readonly object[], before: number[]): PostOutcome['transferred'] {
  return transfer.map((t, i) => {
    const p = portObjOf(t);
    return p ? { kind: 'MessagePort' as const, id: p.id } : { kind: 'ArrayBuffer' as const, bytes: before[i] };
  });
}

export function byteLengths(transfer: readonly object[]): number[] {
  return transfer.map((t) => (portObjOf(t) ? -1 : (() => { try { return (t as ArrayBuffer).byteLength; } catch { return -1; } })()));
}

export function postFromPort(source: PortObj, message: unknown, transfer: readonly object[], iface = 'MessagePort'): PostOutcome {
  const realm = source.realm;
  const profile = realm.profile;
  const via = source.via;
  // Chromium: a closed or shipped port returns before any check or serialization.
  if (profile.detachedSourceReturnsEarly && (source.closed || source.shipped)) {
    return realm.emit(dropped(via, source.shipped ? 'port-shipped' : 'port-closed'));
  }
  // 2. The source port in its own transfer list (Chromium checks it only after serializing and
  // detaching buffers, so the buffers are lost even though it throws).
  const selfIndex = transfer.indexOf(source.port);
  const selfCheck = () => {
    if (selfIndex < 0) return;
    // Chromium counts only the ports in the list.
    const shown = profile.name === 'chromium' ? transfer.slice(0, selfIndex).filter((t) => portObjOf(t)).length : selfIndex;
    throw makeError(profile, 'source-in-transfer', { iface, method: 'postMessage', index: shown, path: `transfer[${selfIndex}]` });
  };
  if (!profile.transferChecksBeforeDetach) {
    try {
      selfCheck();
    } catch (err) {
      realm.emit(thrown(via, err));
      throw err;
    }
  }
  // The target: the entangled port, none once this object is closed or shipped.
  const targetEnd = source.closed || source.shipped ? null : source.end.partner;
  // 4. Doomed: the target port is in the transfer list.
  const targetObj = targetEnd?.obj ?? null;
  const doomed = !!targetObj && transfer.includes(targetObj.port);
  const before = byteLengths(transfer);
  let ser: Serialized;
  try {
    ser = serializeWithTransfer(message, {
      env: { profile, iface, method: 'postMessage', crossOriginIsolated: realm.crossOriginIsolated, agentCluster: realm.agentCluster },
      ports: portTransfer,
      transfer,
      afterBuffers: selfCheck,
    });
  } catch (err) {
    realm.emit(thrown(via, err));
    throw err;
  }
  const transferred = transferredSummary(transfer, before);
  const msg: QueuedMessage = { ser };
  if (!targetEnd) {
    discard([msg]);
    return realm.emit(dropped(via, source.shipped ? 'port-shipped' : source.closed ? 'port-closed' : 'partner-closed', transferred));
  }
  if (doomed || targetEnd.lost) {
    discard([msg], !doomed && targetEnd.lost !== 'doomed');
    return realm.emit(dropped(via, 'doomed', transferred));
  }
  targetEnd.tasks.push(msg);
  const obj = targetEnd.obj;
  if (!obj) {
    return realm.emit({ via, predicted: { o: 'queued' }, targets: [{ kind: 'port', id: targetEnd.id, listeners: 0, started: false }], transferred });
  }
  schedule(obj);
  return realm.emit({
    via,
    predicted: obj.enabled ? { o: 'sent' } : { o: 'queued' },
    targets: [{ kind: via === 'worker' ? 'worker' : 'port', id: obj.id, listeners: obj.target._listenerCount('message'), started: obj.enabled }],
    transferred,
  });
}

// ─── the JS classes, one set per realm ───

const ILLEGAL = Symbol('illegal-constructor');
let creating: { realm: RealmCore; end: End } | null = null;

export function createPortObject(realm: RealmCore, end: End, target: ModelEventTarget | undefined, via: Via): PortObj {
  creating = { realm, end };
  const Port = (realm as unknown as { MessagePort: new (token: symbol) => ModelEventTarget }).MessagePort;
  const port = new Port(ILLEGAL);
  creating = null;
  const obj: PortObj = {
    id: realm.universe.nextId(), end, realm, port, target: target ?? port, enabled: false, scheduled: false,
    shipped: false, closed: false, handlerSet: false, errorHandlerSet: false, via, drainNext: false,
  };
  brand(port, { iface: 'MessagePort', port: obj });
  return obj;
}

export function newEnds(realm: RealmCore): [End, End] {
  const { universe } = realm;
  const peerSignal = realm.profile.peerGoneClosesStartedPort;
  const a: End = { id: universe.nextId(), partner: null, tasks: new TaskQueue(), obj: null, lost: false, peerSignal };
  const b: End = { id: universe.nextId(), partner: a, tasks: new TaskQueue(), obj: null, lost: false, peerSignal };
  a.partner = b;
  return [a, b];
}

function self(port: unknown, method: string): PortObj {
  const o = portObjOf(port);
  if (!o) throw new TypeError(`Failed to execute '${method}' on 'MessagePort': Illegal invocation`);
  return o;
}

export function definePortClasses(realm: RealmCore, EventTargetBase: typeof ModelEventTarget) {
  class MessagePort extends EventTargetBase {
    constructor(token?: symbol) {
      super();
      if (token !== ILLEGAL || !creating) throw new TypeError('Illegal constructor');
      this._report = (e) => realm.reportError(e);
    }
    postMessage(message: unknown, transferOrOptions?: unknown): void {
      const o = self(this, 'postMessage');
      if (arguments.length === 0) {
        throw makeError(realm.profile, 'argument-count', { iface: 'MessagePort', method: 'postMessage' });
      }
      let transfer: object[];
      try {
        transfer = convertTransfer(realm, 'MessagePort', 'postMessage', transferOrOptions);
      } catch (err) {
        realm.emit(thrown(o.via, err));
        throw err;
      }
      postFromPort(o, message, transfer);
    }
    start(): void {
      enable(self(this, 'start'));
    }
    close(): void {
      closePort(self(this, 'close'));
    }
    get onmessage(): unknown {
      return this._getHandler('message');
    }
    set onmessage(v: unknown) {
      const o = self(this, 'onmessage');
      this._setHandler('message', v);
      // The first time onmessage is set, the queue is enabled as if start() was called.
      if (!o.handlerSet) {
        o.handlerSet = true;
        enable(o);
      }
    }
    get onmessageerror(): unknown {
      return this._getHandler('messageerror');
    }
    set onmessageerror(v: unknown) {
      const o = self(this, 'onmessageerror');
      this._setHandler('messageerror', v);
      if (!o.errorHandlerSet) {
        o.errorHandlerSet = true;
        if (realm.profile.onmessageerrorStarts) enable(o);
      }
    }
  }
  if (realm.profile.closeEvent) {
    Object.defineProperty(MessagePort.prototype, 'onclose', {
      get(this: MessagePort) { return this._getHandler('close'); },
      set(this: MessagePort, v: unknown) { this._setHandler('close', v); },
      configurable: true,
      enumerable: true,
    });
  }
  Object.defineProperty(MessagePort.prototype, Symbol.toStringTag, { value: 'MessagePort', configurable: true });

  class MessageChannel {
    readonly #port1: MessagePort;
    readonly #port2: MessagePort;
    constructor() {
      if (!new.target) throw new TypeError("Failed to construct 'MessageChannel': Please use the 'new' operator.");
      const [a, b] = newEnds(realm);
      const p1 = createPortObject(realm, a, undefined, 'port');
      const p2 = createPortObject(realm, b, undefined, 'port');
      a.obj = p1;
      b.obj = p2;
      this.#port1 = p1.port as MessagePort;
      this.#port2 = p2.port as MessagePort;
      brand(this, { iface: 'MessageChannel' });
    }
    get port1(): MessagePort {
      return this.#port1;
    }
    get port2(): MessagePort {
      return this.#port2;
    }
  }
  Object.defineProperty(MessageChannel.prototype, Symbol.toStringTag, { value: 'MessageChannel', configurable: true });
  return { MessagePort, MessageChannel };
}

// A realm: one window or worker global with its own origin, classes and (for workers) its own
// event loop. Windows of one universe share an event loop, as similar-origin windows do.
import { defineBroadcastChannel } from './broadcast.js';
import { deserializeWithTransfer, serializeWithTransfer } from './clone.js';
import { ModelEvent, ModelEventTarget, ModelMessageEvent, type MessageEventInitLike } from './events.js';
import { EventLoop } from './loop.js';
import { makeError, thrown, type PostOutcome } from './outcome.js';
import { brand } from './platform.js';
import { convertTransfer, createPortObject, definePortClasses, enable, newEnds, portTransfer, postFromPort, type PortObj } from './port.js';
import { getProfile, type Profile, type ProfileName } from './profiles.js';
import type { RealmCore, Universe } from './types.js';
import { makeWindowProxy, windowPost, type WindowRealm } from './window.js';

export interface RealmOptions {
  origin?: string;
  profile?: ProfileName;
  /** Cross-origin isolated: SharedArrayBuffer may be serialized. */
  crossOriginIsolated?: boolean;
  /** false: MessagePort is not exposed, so receiving a port fails (messageerror). */
  exposesMessagePort?: boolean;
}

export interface OpenWindowOptions extends RealmOptions {
  /** Put the new window in its own agent cluster (SharedArrayBuffer cannot reach it). */
  separateAgentCluster?: boolean;
}

export type WorkerScript = (scope: WorkerGlobalScope) => void;

function newUniverse(): Universe {
  let n = 0;
  return { nextId: () => ++n, broadcasters: new Set(), loops: new Set() };
}

let agentClusters = 0;

/** The members every realm exposes as globals. */
export interface RealmGlobals {
  MessageChannel: new () => { readonly port1: object; readonly port2: object };
  MessagePort: Function;
  MessageEvent: typeof ModelMessageEvent;
  Event: typeof ModelEvent;
  EventTarget: typeof ModelEventTarget;
  BroadcastChannel: new (name: string) => ModelEventTarget;
  DOMException: typeof DOMException;
  structuredClone: (value: unknown, options?: { transfer?: unknown }) => unknown;
}

export class Realm implements RealmCore, WindowRealm {
  readonly id: number;
  origin: string;
  readonly profile: Profile;
  readonly loop: EventLoop;
  readonly universe: Universe;
  readonly agentCluster: number;
  readonly crossOriginIsolated: boolean;
  readonly exposesMessagePort: boolean;
  readonly kind: 'window' | 'worker';
  closing = false;

  readonly Event = class Event extends ModelEvent {};
  readonly EventTarget = class EventTarget extends ModelEventTarget {};
  readonly MessageEvent = class MessageEvent extends ModelMessageEvent {};
  readonly MessagePort: ReturnType<typeof definePortClasses>['MessagePort'];
  readonly MessageChannel: ReturnType<typeof definePortClasses>['MessageChannel'];
  readonly BroadcastChannel: ReturnType<typeof defineBroadcastChannel>;
  readonly DOMException = DOMException;

  /** The outcome of the latest post (port, window, worker, broadcast or structuredClone). */
  lastOutcome: PostOutcome | null = null;
  /** Called with every outcome, in order. */
  onOutcome: ((o: PostOutcome) => void) | null = null;
  /** Exceptions thrown by listeners, as a browser would report them. */
  readonly errors: unknown[] = [];
  /** The global object as an event target: a window (postMessage to self) or a worker scope. */
  readonly globalTarget: ModelEventTarget;
  private proxies = new Map<Realm, object>();

  constructor(options: RealmOptions & { universe?: Universe; loop?: EventLoop; agentCluster?: number; kind?: 'window' | 'worker' } = {}) {
    this.universe = options.universe ?? newUniverse();
    this.id = this.universe.nextId();
    this.origin = options.origin ?? 'http://127.0.0.1';
    this.profile = getProfile(options.profile);
    this.kind = options.kind ?? 'window';
    this.loop = options.loop ?? new EventLoop();
    this.universe.loops.add(this.loop);
    this.agentCluster = options.agentCluster ?? ++agentClusters;
    this.crossOriginIsolated = !!options.crossOriginIsolated;
    this.exposesMessagePort = options.exposesMessagePort ?? true;
    const { MessagePort, MessageChannel } = definePortClasses(this, this.EventTarget);
    this.MessagePort = MessagePort;
    this.MessageChannel = MessageChannel;
    this.BroadcastChannel = defineBroadcastChannel(this, this.EventTarget);
    this.structuredClone = this.structuredClone.bind(this);
    this.globalTarget = this.kind === 'window' ? this.makeWindow() : new this.EventTarget();
    this.globalTarget._report = (e) => this.reportError(e);
  }

  // ─── RealmCore ───
  newMessageEvent(type: string, init: MessageEventInitLike): ModelMessageEvent {
    return new this.MessageEvent(type, init);
  }
  reportError(err: unknown): void {
    this.errors.push(err);
  }
  emit(outcome: PostOutcome): PostOutcome {
    this.lastOutcome = outcome;
    this.onOutcome?.(outcome);
    return outcome;
  }

  /** structuredClone(value, { transfer }) in this realm. */
  structuredClone(value: unknown, options?: { transfer?: unknown }): unknown {
    if (arguments.length === 0) throw makeError(this.profile, 'argument-count', { iface: 'Window', method: 'structuredClone' });
    try {
      const transfer = convertTransfer(this, 'Window', 'structuredClone', options ?? undefined);
      const ser = serializeWithTransfer(value, {
        env: { profile: this.profile, iface: 'Window', method: 'structuredClone', crossOriginIsolated: this.crossOriginIsolated, agentCluster: this.agentCluster },
        ports: portTransfer,
        transfer,
      });
      return deserializeWithTransfer(ser, { realm: this, agentCluster: this.agentCluster, profile: this.profile }, portTransfer).value;
    } catch (err) {
      this.emit(thrown('clone', err));
      throw err;
    }
  }

  // ─── windows ───
  /** This realm's own window (what `window` is inside it). */
  get window(): ModelEventTarget & { postMessage(...a: unknown[]): void; onmessage: unknown } {
    return this.globalTarget as ModelEventTarget & { postMessage(...a: unknown[]): void; onmessage: unknown };
  }

  /** The WindowProxy of `other` as this realm sees it (postMessage has this realm as incumbent). */
  windowOf(other: WindowRealm): object {
    if (other === this) return this.globalTarget;
    let p = this.proxies.get(other as Realm);
    if (!p) {
      p = makeWindowProxy(this, other);
      this.proxies.set(other as Realm, p);
    }
    return p;
  }

  /** Another window in the same universe and event loop (an iframe or popup). */
  openWindow(options: OpenWindowOptions = {}): Realm {
    return new Realm({
      origin: options.origin ?? this.origin,
      profile: options.profile ?? this.profile.name,
      crossOriginIsolated: options.crossOriginIsolated ?? this.crossOriginIsolated,
      exposesMessagePort: options.exposesMessagePort,
      universe: this.universe,
      loop: this.loop,
      agentCluster: options.separateAgentCluster ? ++agentClusters : this.agentCluster,
    });
  }

  /** Simulates a navigation to another origin (window messages check it at delivery). */
  navigate(origin: string): void {
    this.origin = origin;
  }

  private makeWindow(): ModelEventTarget {
    const realm = this;
    class Window extends this.EventTarget {
      postMessage(...args: unknown[]): void {
        windowPost(realm, realm, args);
      }
      get onmessage(): unknown {
        return this._getHandler('message');
      }
      set onmessage(v: unknown) {
        this._setHandler('message', v);
      }
      get onmessageerror(): unknown {
        return this._getHandler('messageerror');
      }
      set onmessageerror(v: unknown) {
        this._setHandler('messageerror', v);
      }
      get origin(): string {
        return realm.origin;
      }
      get realm(): Realm {
        return realm;
      }
    }
    Object.defineProperty(Window.prototype, Symbol.toStringTag, { value: 'Window', configurable: true });
    const w = new Window();
    brand(w, { iface: 'Window' });
    return w;
  }

  // ─── dedicated workers ───
  /** new Worker(): runs `script(scope)` in a new worker realm with its own event loop. */
  createWorker(script: WorkerScript, options: { profile?: ProfileName } = {}): WorkerHandle {
    return new WorkerHandle(this, script, options);
  }

  /** Resolves once every event loop of this universe has no task left. */
  async settle(maxRounds = 100_000): Promise<void> {
    const tick = () => new Promise<void>((r) => setTimeout(r, 0));
    let quiet = 0;
    for (let i = 0; i < maxRounds && quiet < 2; i++) {
      await tick();
      const busy = [...this.universe.loops].some((l) => l.size > 0);
      quiet = busy ? 0 : quiet + 1;
    }
  }

  /** The browser-like globals of this realm, for installing into a test's globalThis. */
  globals(): RealmGlobals {
    return {
      MessageChannel: this.MessageChannel as unknown as RealmGlobals['MessageChannel'],
      MessagePort: this.MessagePort,
      MessageEvent: this.MessageEvent,
      Event: this.Event,
      EventTarget: this.EventTarget,
      BroadcastChannel: this.BroadcastChannel as unknown as RealmGlobals['BroadcastChannel'],
      DOMException: this.DOMException,
      structuredClone: this.structuredClone,
    };
  }

  /** Installs globals() on `target` (default globalThis); returns a function that restores it. */
  install(target: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): () => void {
    const saved = new Map<string, PropertyDescriptor | undefined>();
    for (const [k, v] of Object.entries(this.globals())) {
      saved.set(k, Object.getOwnPropertyDescriptor(target, k));
      Object.defineProperty(target, k, { value: v, writable: true, configurable: true, enumerable: false });
    }
    return () => {
      for (const [k, d] of saved) {
        if (d) Object.defineProperty(target, k, d);
        else delete target[k];
      }
    };
  }
}

/** The inside of a dedicated worker: what `self` is in the worker script. */
export class WorkerGlobalScope {
  constructor(readonly realm: Realm, private inside: PortObj) {}
  get self(): this {
    return this;
  }
  get MessageChannel() { return this.realm.MessageChannel; }
  get MessagePort() { return this.realm.MessagePort; }
  get MessageEvent() { return this.realm.MessageEvent; }
  get BroadcastChannel() { return this.realm.BroadcastChannel; }
  get structuredClone() { return this.realm.structuredClone; }
  postMessage(message: unknown, transferOrOptions?: unknown): void {
    const realm = this.realm;
    if (arguments.length === 0) throw makeError(realm.profile, 'argument-count', { iface: 'DedicatedWorkerGlobalScope', method: 'postMessage' });
    let transfer: object[];
    try {
      transfer = convertTransfer(realm, 'DedicatedWorkerGlobalScope', 'postMessage', transferOrOptions);
    } catch (err) {
      realm.emit(thrown('worker', err));
      throw err;
    }
    postFromPort(this.inside, message, transfer, 'DedicatedWorkerGlobalScope');
  }
  addEventListener(type: string, cb: unknown, opts?: boolean | AddEventListenerOptions): void {
    this.realm.globalTarget.addEventListener(type, cb, opts);
  }
  removeEventListener(type: string, cb: unknown, opts?: boolean | EventListenerOptions): void {
    this.realm.globalTarget.removeEventListener(type, cb, opts);
  }
  get onmessage(): unknown { return this.realm.globalTarget._getHandler('message'); }
  set onmessage(v: unknown) { this.realm.globalTarget._setHandler('message', v); }
  get onmessageerror(): unknown { return this.realm.globalTarget._getHandler('messageerror'); }
  set onmessageerror(v: unknown) { this.realm.globalTarget._setHandler('messageerror', v); }
  /** close(): the worker stops; queued tasks are discarded. */
  close(): void {
    this.realm.closing = true;
  }
}

/** The outside of a dedicated worker: what `new Worker()` returns. */
export class WorkerHandle extends ModelEventTarget {
  readonly realm: Realm;
  readonly scope: WorkerGlobalScope;
  private outside: PortObj;
  constructor(private owner: Realm, script: WorkerScript, options: { profile?: ProfileName }) {
    super();
    this._report = (e) => owner.reportError(e);
    this.realm = new Realm({
      origin: owner.origin,
      profile: options.profile ?? owner.profile.name,
      crossOriginIsolated: owner.crossOriginIsolated,
      universe: owner.universe,
      agentCluster: owner.agentCluster,
      kind: 'worker',
    });
    const [a, b] = newEnds(owner);
    this.outside = createPortObject(owner, a, this, 'worker');
    a.obj = this.outside;
    const inside = createPortObject(this.realm, b, this.realm.globalTarget, 'worker');
    b.obj = inside;
    this.scope = new WorkerGlobalScope(this.realm, inside);
    // The outside port's queue is enabled at once; the inside one after the script has run.
    enable(this.outside);
    const realm = this.realm;
    const loop = realm.loop;
    const origQueue = loop.queueTask.bind(loop);
    loop.queueTask = (task) => origQueue(() => {
      if (!realm.closing) task();
    });
    loop.queueTask(() => {
      try {
        script(this.scope);
      } catch (err) {
        realm.reportError(err);
      }
      enable(inside);
    });
    brand(this, { iface: 'Worker' });
  }
  get [Symbol.toStringTag](): string {
    return 'Worker';
  }
  postMessage(message: unknown, transferOrOptions?: unknown): void {
    const realm = this.owner;
    if (arguments.length === 0) throw makeError(realm.profile, 'argument-count', { iface: 'Worker', method: 'postMessage' });
    let transfer: object[];
    try {
      transfer = convertTransfer(realm, 'Worker', 'postMessage', transferOrOptions);
    } catch (err) {
      realm.emit(thrown('worker', err));
      throw err;
    }
    const out = postFromPort(this.outside, message, transfer, 'Worker');
    if (this.realm.closing && out.predicted.o !== 'error') realm.emit({ ...out, predicted: { o: 'dropped', reason: 'no-target' }, targets: [] });
  }
  terminate(): void {
    this.realm.closing = true;
  }
  get onmessage(): unknown { return this._getHandler('message'); }
  set onmessage(v: unknown) { this._setHandler('message', v); }
  get onmessageerror(): unknown { return this._getHandler('messageerror'); }
  set onmessageerror(v: unknown) { this._setHandler('messageerror', v); }
}

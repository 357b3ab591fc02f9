// Installs the instrumentation into one global (a document's window, or a model realm
// in tests). Natives are captured first, before any page script runs.
import { captureNatives, type Natives } from './natives';
import { createDisguise } from './disguise';
import { Recorder, type RecorderOptions, type Transport } from './recorder';
import type { Instr } from './context';
import { instrumentPorts, portDelivery } from './ports';
import { indexInParent, instrumentWindow } from './windows';
import { instrumentListeners, type Listeners } from './listeners';
import { createObjects } from './objects';
import { instrumentStructuredClone } from './clone';
import { createStacks } from './stacks';
import { buildSample } from './sample';
import { createSendSamples } from './send-sample';
import { createShadow } from '../model/shadow';
import { createKnownPorts } from './known-ports';
import { createPortTable } from './port-table';
import { createReplayer, type Replayer } from './replay';
import { createBreakpoints, type Breakpoints } from './breakpoints';
import { createStoreGlobal } from './store-global';
import type { StoreGlobal } from './commands';
import type { Predicted, TransferKind } from '../protocol/messages';
import { linkWorkers, type WorkerLinks, type WorkerScripts } from './worker-link';
import type { ScriptScheme } from '../protocol/events';
import { instrumentWorkerScope } from './worker-scope';

export interface InstallOptions extends RecorderOptions {
  transport?: Transport | null;
  /** Messages that belong to the instrumentation's own bridge, never reported. */
  isBridgeMessage?: (e: MessageEvent) => boolean;
  natives?: Natives;
  /**
   * Whose departures from the standard the shadow predicts. From the build (page.js is built
   * per browser), never from navigator.userAgent: DevTools' user-agent override and device
   * emulation change that, not the engine. Chromium's when absent.
   */
  engine?: 'chromium' | 'firefox';
}

export interface Installed {
  rec: Recorder;
  natives: Natives;
  /** Runs the panel's replay commands (given to the bridge only). */
  replayer: Replayer;
  /** The workers this context made that report from inside (given to the bridge only). */
  links: WorkerLinks;
  /** The panel's message breakpoints (given to the bridge only). */
  breaks: Breakpoints;
  /** Store as global variable (given to the bridge only). */
  store: StoreGlobal;
}

/** Transferable kinds told apart by a side-effect-free brand check (a getter that throws otherwise). */
const BRANDS: [TransferKind, string, string][] = [
  ['ImageBitmap', 'ImageBitmap', 'width'],
  ['OffscreenCanvas', 'OffscreenCanvas', 'width'],
  ['ReadableStream', 'ReadableStream', 'locked'],
  ['WritableStream', 'WritableStream', 'locked'],
  ['TransformStream', 'TransformStream', 'readable'],
];

export function install(g: typeof globalThis, opts: InstallOptions = {}): Installed {
  const n = opts.natives ?? captureNatives(g);
  const rec = new Recorder(n, opts.transport ?? null, opts);
  const disguise = createDisguise(n, g);
  const shadow = createShadow(opts.engine ?? 'chromium', { isPort: n.isPort });
  const portIds = new n.WeakMap<object, number>();
  let lastMessage = 0;
  const stacks = createStacks(n, g);
  const origin = (g as { origin?: string }).origin ?? '';
  const brands = BRANDS.flatMap(([kind, ctor, getter]) => {
    const proto = (g as unknown as Record<string, { prototype?: object } | undefined>)[ctor]?.prototype;
    const get = proto ? n.getOwnPropertyDescriptor(proto, getter)?.get : undefined;
    return get ? [{ kind, get }] : [];
  });

  // DOMException's name and message are accessors; other errors keep them as data.
  const domGetters = { name: domGetter(g, 'name'), message: domGetter(g, 'message') };
  const errorField = (e: object, key: 'name' | 'message'): unknown => {
    const get = domGetters[key];
    if (get) {
      try {
        return n.apply(get, e, []);
      } catch {
        /* not a DOMException */
      }
    }
    return n.dataProp(e, key);
  };

  const NO_PORTS: number[] = n.list();
  const portTable = createPortTable({ g, n });
  let listeners: Listeners;
  let replayer: Replayer;
  const listen = (port: MessagePort, id: number) => {
    n.weakSet(portIds, port, id);
    portTable.remember(port, id);
    listeners.watch(port, 'message', onPortMessage);
    listeners.watch(port, 'messageerror', onPortMessageError);
    return id;
  };

  const I: Instr = {
    g,
    n,
    rec,
    disguise,
    shadow,
    sent: createSendSamples(n, shadow),
    breaks: createBreakpoints(n, origin),
    origin,
    portId(port) {
      const id = n.weakGet(portIds, port) as number | undefined;
      return id !== undefined ? id : listen(port, shadow.received(1)[0]);
    },
    knownPort: (port) => (typeof port === 'object' && port !== null ? (n.weakGet(portIds, port) as number | undefined) : undefined),
    newChannel(port1, port2) {
      const ids = shadow.channel();
      listen(port1, ids[0]);
      listen(port2, ids[1]);
      return ids;
    },
    arrivedPorts(e) {
      const ports = n.eventPorts(e);
      // Most messages carry no port: one shared, never-written empty list.
      if (ports.length === 0) return NO_PORTS;
      const ids: number[] = n.list();
      const fresh = shadow.received(ports.length);
      for (let i = 0; i < ports.length; i++) {
        const known = n.weakGet(portIds, ports[i]) as number | undefined;
        ids[i] = known !== undefined ? known : listen(ports[i], fresh[i]);
      }
      return ids;
    },
    nextMessageId: () => ++lastMessage,
    stack: () => {
      const text = stacks.capture();
      return text ? rec.intern(text) : undefined;
    },
    sample: (data, clone) => buildSample(n, data, undefined, clone),
    errorOutcome(err, path): Predicted {
      const e = typeof err === 'object' && err !== null ? err : null;
      const name = e ? errorField(e, 'name') : undefined;
      const message = e ? errorField(e, 'message') : undefined;
      return path !== undefined
        ? { o: 'error', name: typeof name === 'string' ? name : 'Error', message: typeof message === 'string' ? message : '', path }
        : { o: 'error', name: typeof name === 'string' ? name : 'Error', message: typeof message === 'string' ? message : '' };
    },
    cloneErrorPath(err, message, transfer, port) {
      // A proxy cannot be cloned: the browser throws before reading it, and walking it
      // would run its traps. Such errors get no path.
      const text = errorField(err as object, 'message');
      if (typeof text !== 'string' || n.indexOf(text, '#<Object>') >= 0 || n.indexOf(text, 'Proxy') >= 0) return undefined;
      return shadow.findCloneErrorPath(message, transfer, port)?.path;
    },
    kindOfTransferable(v) {
      if (typeof v !== 'object' || v === null) return 'other';
      for (let i = 0; i < brands.length; i++) {
        try {
          n.apply(brands[i].get, v, []);
          return brands[i].kind;
        } catch {
          /* next */
        }
      }
      return 'other';
    },
  };

  const knownPorts = createKnownPorts(I, portTable);
  replayer = createReplayer(I, portTable);
  const workerScripts: WorkerScripts = new n.WeakMap<object, ScriptScheme>();
  const objects = createObjects(I, () => listeners, (w) => n.weakGet(workerScripts, w) as ScriptScheme | undefined);
  const isWindow = 'window' in g && (g as unknown as Window).window === g;
  listeners = instrumentListeners(
    I,
    (target) => {
      if (n.isPort(target)) return 'port';
      if (target === g) return isWindow ? 'window' : 'worker';
      return objects.kindOf(target);
    },
    (target) => objects.idOf(target),
    (target) => objects.channelOf(target),
  );
  // Ports where the browser and the model disagreed already: each is reported once.
  const disagreed = new n.Set<number>();
  const onPortMessage = portDelivery(I, listeners, 'message', disagreed);
  const onPortMessageError = portDelivery(I, listeners, 'messageerror', disagreed);

  // Recording began after the page set up its ports: their state first, then their listeners.
  const reportListeners = rec.onStart;
  rec.onStart = () => {
    try {
      knownPorts.report();
    } catch {
      /* never into the page */
    }
    reportListeners?.();
  };

  instrumentPorts(I, listeners);
  // Workers, BroadcastChannels and navigator.serviceWorker: setting their handlers numbers them (kindOf) first.
  for (const ctor of ['Worker', 'BroadcastChannel', 'ServiceWorkerContainer']) {
    const proto = (g as unknown as Record<string, { prototype?: object } | undefined>)[ctor]?.prototype;
    if (!proto) continue;
    listeners.wrapHandler(proto, 'onmessage');
    listeners.wrapHandler(proto, 'onmessageerror');
  }
  instrumentStructuredClone(I);
  if (isWindow) instrumentWindow(I, listeners, opts.isBridgeMessage ?? (() => false));
  else instrumentWorkerScope(I, listeners);
  const transport = opts.transport;
  const links = linkWorkers(I, (w) => objects.workerContext(w), (wire) => transport?.forward?.(wire), opts.engine ?? 'chromium', workerScripts);

  const w = g as unknown as Window;
  const at = n.now();
  const announce = () =>
    rec.emit({
      k: 'context',
      at,
      kind: isWindow ? 'window' : 'worker',
      url: g.location?.href ?? '',
      origin,
      top: isWindow ? w.top === w : false,
      indexInParent: isWindow ? safe(() => indexInParent(n, w)) : undefined,
    });
  // A worker paused before its first line (Chromium's debugger) crashes its renderer when
  // its location is read then: the worker says where it runs once its own script has begun.
  if (isWindow) announce();
  else n.setTimeout(announce, 0);
  return { rec, natives: n, replayer, links, breaks: I.breaks, store: createStoreGlobal(I, (id) => replayer.portOf(id)) };
}

function domGetter(g: typeof globalThis, key: string): Function | undefined {
  const proto = (g as { DOMException?: { prototype: object } }).DOMException?.prototype;
  return proto ? Object.getOwnPropertyDescriptor(proto, key)?.get : undefined;
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

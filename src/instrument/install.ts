// Installs the instrumentation into one global (a document's window, or a model realm
// in tests). Natives are captured first, before any page script runs.
import { captureNatives, type Natives } from './natives';
import { createDisguise } from './disguise';
import { Recorder, type RecorderOptions, type Transport } from './recorder';
import type { Instr } from './context';
import { instrumentPorts, portDeliveryListener } from './ports';
import { indexInParent, instrumentWindow } from './windows';
import { describeTransfer } from './transfers';
import { createStacks } from './stacks';

export interface InstallOptions extends RecorderOptions {
  transport?: Transport | null;
  /** Messages that belong to the instrumentation's own bridge, never reported. */
  isBridgeMessage?: (e: MessageEvent) => boolean;
  natives?: Natives;
}

export interface Installed {
  rec: Recorder;
  natives: Natives;
}

export function install(g: typeof globalThis, opts: InstallOptions = {}): Installed {
  const n = opts.natives ?? captureNatives(g);
  const rec = new Recorder(n, opts.transport ?? null, opts);
  const disguise = createDisguise(n, g);
  const portIds = new n.WeakMap<object, number>();
  let lastPort = 0;
  let lastMessage = 0;
  const stacks = createStacks(n, g);

  const I: Instr = {
    g,
    n,
    rec,
    disguise,
    portId(port) {
      let id = n.weakGet(portIds, port) as number | undefined;
      if (id === undefined) {
        id = ++lastPort;
        n.weakSet(portIds, port, id);
        n.apply(n.addEventListener, port, ['message', onPortMessage]);
        n.apply(n.addEventListener, port, ['messageerror', onPortMessageError]);
      }
      return id;
    },
    knownPort: (port) => (typeof port === 'object' && port !== null ? (n.weakGet(portIds, port) as number | undefined) : undefined),
    nextMessageId: () => ++lastMessage,
    describeTransfer: (list) => describeTransfer(I, list),
    stack: () => {
      const text = stacks.capture();
      return text ? rec.intern(text) : undefined;
    },
  };
  const onPortMessage = portDeliveryListener(I, 'message');
  const onPortMessageError = portDeliveryListener(I, 'messageerror');

  instrumentPorts(I);
  const isWindow = 'window' in g && (g as unknown as Window).window === g;
  if (isWindow) instrumentWindow(I, opts.isBridgeMessage ?? (() => false));

  const w = g as unknown as Window;
  rec.emit({
    k: 'context',
    at: n.now(),
    kind: isWindow ? 'window' : 'worker',
    url: g.location?.href ?? '',
    origin: (g as { origin?: string }).origin ?? '',
    top: isWindow ? w.top === w : false,
    indexInParent: isWindow ? safe(() => indexInParent(w)) : undefined,
  });
  return { rec, natives: n };
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

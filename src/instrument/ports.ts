// MessageChannel and MessagePort: a channel's two ports, postMessage (both overloads),
// start, close, the on* handlers, and every delivery on a port this context holds.
// The model's shadow (src/model/shadow.ts) predicts what each send does.
import type { Instr } from './context';
import type { Listeners } from './listeners';
import { readTransfer } from './transfers';
import { builtDeliver, builtPost, D, P, put, putReceived } from '../protocol/compact';
import type { Predicted } from '../protocol/messages';

/** Sends from one port whose stack is kept before sampling starts. */
const STACKS_PER_PORT = 8;
const NO_IDS: readonly number[] = Object.freeze([]);
const STACK_SAMPLE_EVERY = 256;

export function instrumentPorts(I: Instr, listeners: Listeners): void {
  const { n, rec, disguise, shadow } = I;
  const proto = n.MessagePort.prototype;

  // A channel is seen when the page first reads either of its ports (it cannot use a
  // port before): the constructor itself stays the browser's own.
  const seenChannels = new n.WeakMap<object, true>();
  const channelProto = n.MessageChannel.prototype;
  const port1Of = n.getOwnPropertyDescriptor(channelProto, 'port1')!.get!;
  const port2Of = n.getOwnPropertyDescriptor(channelProto, 'port2')!.get!;
  const onFirstRead = (channel: object) => {
    if (n.weakHas(seenChannels, channel)) return;
    n.weakSet(seenChannels, channel, true);
    const port1 = n.apply(port1Of, channel, []) as MessagePort;
    const port2 = n.apply(port2Of, channel, []) as MessagePort;
    const ids = I.newChannel(port1, port2);
    if (rec.active) rec.emit({ k: 'channel', at: n.now(), port1: ids[0], port2: ids[1], stack: I.stack() });
  };
  for (const [name, nativeGet] of [
    ['port1', port1Of],
    ['port2', port2Of],
  ] as const) {
    const holder = {
      get [name](): unknown {
        const port: unknown = n.apply(nativeGet, this, []);
        try {
          onFirstRead(this as unknown as object);
        } catch {
          /* never into the page */
        }
        return port;
      },
    };
    disguise.accessor(channelProto, name, 'get', n.getOwnPropertyDescriptor(holder, name)!.get!);
  }

  const sends = new n.WeakMap<object, number>();
  const nativePost = n.portPostMessage;
  disguise.method(proto, 'postMessage', {
    postMessage(this: MessagePort, _message: unknown) {
      if (!rec.active) return n.apply(nativePost, this, arguments);
      // A known port is a WeakMap hit; only an unknown `this` needs the brand check.
      const known = I.knownPort(this);
      if (known === undefined && !n.isPort(this)) return I.breaks.take(arguments) ? undefined : n.apply(nativePost, this, arguments);
      const transfer = readTransfer(I, arguments[1]);
      const id = known ?? I.portId(this);
      const at = n.now();
      const msg = I.nextMessageId();
      try {
        n.apply(nativePost, this, arguments);
      } catch (err) {
        const path = I.cloneErrorPath(err, _message, transfer.objects, this);
        const predicted = I.errorOutcome(err, path);
        rec.emit({ k: 'post', at, msg, via: 'port', port: id, transfer: transfer.refs, predicted, stack: I.stack() });
        // A send breakpoint (src/instrument/breakpoints.ts) pauses inside the page's call.
        // eslint-disable-next-line no-debugger
        if (I.breaks.sendArmed && I.breaks.sendHits(id, predicted)) debugger;
        throw err;
      }
      let portIds: number[] | undefined;
      for (let i = 0; i < transfer.refs.length; i++) {
        if (transfer.refs[i].kind !== 'MessagePort') continue;
        portIds ??= n.list();
        portIds[portIds.length] = transfer.refs[i].id!;
      }
      const predicted: Predicted = shadow.post(id, portIds ?? NO_IDS);
      // Toward a worker the delivery is out of sight: the sender's data, read without running page code.
      const sample = I.sent.onPort(id, _message, portIds ?? NO_IDS);
      // Stacks cost a few microseconds: kept for every send that goes wrong, for a port's
      // first sends, then sampled.
      const count = ((n.weakGet(sends, this) as number | undefined) ?? 0) + 1;
      n.weakSet(sends, this, count);
      const keep = predicted.o !== 'sent' || count <= STACKS_PER_PORT || count % STACK_SAMPLE_EVERY === 0;
      // Built compact (via 'port', no transfer and 'sent' are the usual values, left out).
      const a = builtPost(at, msg);
      put(a, P.port, id);
      if (transfer.refs.length > 0) put(a, P.transfer, transfer.refs);
      if (predicted.o !== 'sent') put(a, P.predicted, predicted);
      if (keep) put(a, P.stack, I.stack());
      if (sample !== undefined) put(a, P.sample, sample);
      rec.emit(a);
      // A send breakpoint (src/instrument/breakpoints.ts) pauses inside the page's call.
      // eslint-disable-next-line no-debugger
      if (I.breaks.sendArmed && I.breaks.sendHits(id, predicted)) debugger;
    },
  }.postMessage);

  const nativeStart = n.portStart;
  disguise.method(proto, 'start', {
    start(this: MessagePort) {
      const result = n.apply(nativeStart, this, arguments);
      if (n.isPort(this)) {
        const id = I.portId(this);
        shadow.start(id);
        if (rec.active) rec.emit({ k: 'start', at: n.now(), port: id });
      }
      return result;
    },
  }.start);

  const nativeClose = n.portClose;
  disguise.method(proto, 'close', {
    close(this: MessagePort) {
      const result = n.apply(nativeClose, this, arguments);
      if (n.isPort(this)) {
        const id = I.portId(this);
        shadow.close(id);
        if (rec.active) rec.emit({ k: 'close', at: n.now(), port: id });
      }
      return result;
    },
  }.close);

  // Setting onmessage enables the port message queue as start() does — any value, null
  // included (the standard says "set"; both engines agree: test/e2e/model-diff).
  listeners.wrapHandler(proto, 'onmessage', (port) => {
    if (!n.isPort(port)) return;
    const id = I.portId(port);
    shadow.setOnMessage(id);
    if (rec.active) rec.emit({ k: 'start', at: n.now(), port: id, implicit: true });
  });
  listeners.wrapHandler(proto, 'onmessageerror', (port) => {
    if (n.isPort(port)) shadow.setOnMessageError(I.portId(port));
  });
}

/** What each dispatch on a port this context knows is shown to, as it begins (Listeners.watch). */
export function portDelivery(I: Instr, listeners: Listeners, type: 'message' | 'messageerror', disagreed: Set<number>) {
  const { n, rec } = I;
  return (port: EventTarget, e: Event) => {
    if (!rec.active) return;
    try {
      deliver(port as MessagePort, e as MessageEvent);
    } catch {
      // Never into the page: this runs inside its listener (or ours), which would rethrow it.
    }
  };
  function deliver(port: MessagePort, e: MessageEvent) {
    const id = I.portId(port);
    const at = n.now();
    const problem = I.shadow.receiveProblem(id);
    if (problem !== null && !n.setHas(disagreed, id)) {
      n.setAdd(disagreed, id);
      // The browser dispatched where the model says it cannot: report it once, then follow
      // the browser (a started port stays started) so one disagreement is not a flood.
      rec.emit({ k: 'mismatch', at, expected: `no ${type} on port ${id}: ${problem === 'not-started' ? 'its message queue was never enabled (start() or onmessage)' : `the port was ${problem}`}`, actual: `${type} dispatched on port ${id}` });
      I.shadow.start(id);
    }
    const s = type === 'message' ? I.sample(n.eventData(e), e.isTrusted) : null;
    const record = builtDeliver(at, false);
    if (type !== 'message') put(record, D.type, type);
    put(record, D.port, id);
    const arrived = I.arrivedPorts(e);
    I.sent.arrivedOn(id, arrived);
    putReceived(record, arrived, listeners.count(port, type), s);
    listeners.begin(e, record);
    rec.emit(record);
  }
}

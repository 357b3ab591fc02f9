// MessageChannel and MessagePort: construction, postMessage (both overloads), start,
// close, the onmessage setter, and every delivery on a port this context holds.
import type { Instr } from './context';
import { convertPortPost } from './webidl';
import { preview } from './preview';
import type { DeliverEvent } from '../protocol/messages';

export function instrumentPorts(I: Instr): void {
  const { g, n, rec, disguise } = I;
  const NativeChannel = n.MessageChannel;
  const proto = n.MessagePort.prototype;
  const port1Of = n.getOwnPropertyDescriptor(NativeChannel.prototype, 'port1')!.get!;
  const port2Of = n.getOwnPropertyDescriptor(NativeChannel.prototype, 'port2')!.get!;

  // new MessageChannel(): a Proxy keeps the constructor's identity-related behaviour
  // (new.target, subclassing, prototype, statics) and only observes construction.
  const Channel = new Proxy(NativeChannel, {
    construct(target, args, newTarget) {
      const channel = n.construct(target, args, newTarget) as MessageChannel;
      const port1 = n.apply(port1Of, channel, []) as MessagePort;
      const port2 = n.apply(port2Of, channel, []) as MessagePort;
      const a = I.portId(port1);
      const b = I.portId(port2);
      if (rec.active) rec.emit({ k: 'channel', at: n.now(), port1: a, port2: b, stack: I.stack() });
      return channel;
    },
  });
  disguise.pose(Channel, NativeChannel);
  const ctorDesc = n.getOwnPropertyDescriptor(NativeChannel.prototype, 'constructor');
  if (ctorDesc?.configurable) n.defineProperty(NativeChannel.prototype, 'constructor', { ...ctorDesc, value: Channel });
  const globalDesc = n.getOwnPropertyDescriptor(g, 'MessageChannel');
  if (globalDesc?.configurable) n.defineProperty(g, 'MessageChannel', { ...globalDesc, value: Channel });

  const nativePost = n.portPostMessage;
  disguise.method(proto, 'postMessage', {
    postMessage(this: MessagePort, _message: unknown) {
      if (!rec.active) return n.apply(nativePost, this, arguments);
      const port = I.knownPort(this);
      if (port === undefined && n.getPrototypeOf(this) !== proto) return n.apply(nativePost, this, arguments);
      const conv = convertPortPost(n, arguments);
      const transfer = conv ? I.describeTransfer(conv.transfer) : [];
      const at = n.now();
      const msg = I.nextMessageId();
      const id = port ?? I.portId(this);
      try {
        n.apply(nativePost, this, conv ? conv.args : arguments);
      } catch (err) {
        rec.emit({ k: 'post', at, msg, via: 'port', port: id, transfer, predicted: errorOutcome(err), stack: I.stack() });
        throw err;
      }
      rec.emit({ k: 'post', at, msg, via: 'port', port: id, transfer, predicted: { o: 'sent' } });
    },
  }.postMessage);

  const nativeStart = n.portStart;
  disguise.method(proto, 'start', {
    start(this: MessagePort) {
      const result = n.apply(nativeStart, this, arguments);
      if (rec.active) rec.emit({ k: 'start', at: n.now(), port: I.portId(this) });
      return result;
    },
  }.start);

  const nativeClose = n.portClose;
  disguise.method(proto, 'close', {
    close(this: MessagePort) {
      const result = n.apply(nativeClose, this, arguments);
      if (rec.active) rec.emit({ k: 'close', at: n.now(), port: I.portId(this) });
      return result;
    },
  }.close);

  // Setting onmessage enables the port message queue as start() does.
  const onmessage = n.getOwnPropertyDescriptor(proto, 'onmessage');
  if (onmessage?.set) {
    const nativeSet = onmessage.set;
    const holder = {
      set onmessage(value: unknown) {
        n.apply(nativeSet, this, [value]);
        if (rec.active && typeof value === 'function') rec.emit({ k: 'start', at: n.now(), port: I.portId(this as unknown as MessagePort), implicit: true });
      },
    };
    disguise.accessor(proto, 'onmessage', 'set', n.getOwnPropertyDescriptor(holder, 'onmessage')!.set!);
  }
}

/** The listener the instrumentation adds to every port it knows; registered first, it sees dispatch begin. */
export function portDeliveryListener(I: Instr, type: 'message' | 'messageerror') {
  const { n, rec } = I;
  return function (this: MessagePort, e: MessageEvent) {
    if (!rec.active) return;
    const ev: DeliverEvent = {
      k: 'deliver',
      at: n.now(),
      type,
      via: 'port',
      port: I.portId(this),
      ports: portIds(I, e),
      listeners: -1,
    };
    if (type === 'message') ev.preview = preview(n, n.eventData(e));
    rec.emit(ev);
  };
}

export function portIds(I: Instr, e: MessageEvent): number[] {
  const ports = I.n.eventPorts(e);
  const ids: number[] = [];
  for (let i = 0; i < ports.length; i++) ids[i] = I.portId(ports[i]);
  return ids;
}

function errorOutcome(err: unknown) {
  const e = err as { name?: unknown; message?: unknown } | null;
  return {
    o: 'error' as const,
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : '',
  };
}

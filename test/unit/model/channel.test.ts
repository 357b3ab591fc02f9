// HTML §9.4.2 message channels and §9.4.4 message ports: construction, entanglement, the port
// message queue and its enabled flag, both postMessage overloads, MessageEvent fields.
import { describe, expect, it } from 'vitest';
import { catchError, channel, collect, realm } from './helpers.js';

describe('new MessageChannel()', () => {
  it('#dom-messagechannel: port1 and port2 are new MessagePorts of the realm, entangled with each other', async () => {
    const r = realm();
    const c = new r.MessageChannel();
    expect(c.port1).toBeInstanceOf(r.MessagePort);
    expect(c.port2).toBeInstanceOf(r.MessagePort);
    expect(c.port1).not.toBe(c.port2);
    expect(c.port1).toBe(c.port1);
    const got = collect(c.port2);
    (c.port1 as any).postMessage('ping');
    await r.settle();
    expect(got.data()).toEqual(['ping']);
  });

  it('ports of different realms are instances of their own realm only', () => {
    const a = realm();
    const b = realm();
    const [p] = channel(a);
    expect(p).toBeInstanceOf(a.MessagePort);
    expect(p).not.toBeInstanceOf(b.MessagePort);
  });

  it('MessagePort has no constructor (Illegal constructor)', () => {
    const r = realm();
    expect(() => new (r.MessagePort as any)()).toThrow(TypeError);
  });

  it('message port post message steps: messages on one entangled pair arrive in order, both directions', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const ga = collect(a);
    const gb = collect(b);
    for (let i = 0; i < 5; i++) a.postMessage(i);
    b.postMessage('x');
    await r.settle();
    expect(gb.data()).toEqual([0, 1, 2, 3, 4]);
    expect(ga.data()).toEqual(['x']);
  });
});

describe('postMessage overloads', () => {
  it('#dom-messageport-postmessage: postMessage(message, transfer) with a sequence', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const [x] = channel(r);
    const got = collect(b);
    a.postMessage('seq', [x]);
    await r.settle();
    expect(got.events[0].ports.length).toBe(1);
  });

  it('#dom-messageport-postmessage-options: postMessage(message, { transfer })', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const buf = new ArrayBuffer(4);
    const got = collect(b);
    a.postMessage(buf, { transfer: [buf] });
    await r.settle();
    expect(buf.byteLength).toBe(0);
    expect(got.data()[0].byteLength).toBe(4);
  });

  it('postMessage(message, {}) and postMessage(message, undefined) transfer nothing', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const got = collect(b);
    a.postMessage(1, {});
    a.postMessage(2, undefined);
    a.postMessage(3, null);
    await r.settle();
    expect(got.data()).toEqual([1, 2, 3]);
  });

  it('postMessage() without arguments is a TypeError', () => {
    const [a] = channel(realm());
    expect(catchError(() => a.postMessage())).toBeInstanceOf(TypeError);
  });

  it('WebIDL sequence<object>: a primitive or null in the transfer list is a TypeError', () => {
    const [a] = channel(realm());
    expect(catchError(() => a.postMessage(1, [1])).name).toBe('TypeError');
    expect(catchError(() => a.postMessage(1, [null])).name).toBe('TypeError');
    expect(catchError(() => a.postMessage(1, { transfer: 5 })).name).toBe('TypeError');
  });
});

describe('the port message queue', () => {
  it('#port-message-queue: initially disabled; addEventListener does not enable it', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const got = collect(b, 'listener');
    a.postMessage(1);
    await r.settle();
    expect(got.data()).toEqual([]);
    b.start();
    await r.settle();
    expect(got.data()).toEqual([1]);
  });

  it('#handler-messageeventtarget-onmessage: setting onmessage enables the queue as if start() was called', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const seen: unknown[] = [];
    b.addEventListener('message', (e: any) => seen.push(['l', e.data]));
    a.postMessage(1);
    b.onmessage = null; // any set counts, even null
    await r.settle();
    expect(seen).toEqual([['l', 1]]);
  });

  it('onmessageerror does not start the queue (standard)', async () => {
    const r = realm('spec');
    const [a, b] = channel(r);
    const got = collect(b, 'listener');
    b.onmessageerror = () => {};
    a.postMessage(1);
    await r.settle();
    expect(got.data()).toEqual([]);
  });

  it('#dom-messageport-start: once enabled the queue is never disabled (onmessage = null keeps delivering)', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const got = collect(b, 'listener');
    b.onmessage = () => {};
    b.onmessage = null;
    a.postMessage('still');
    await r.settle();
    expect(got.data()).toEqual(['still']);
  });

  it('start() twice is harmless; a message dispatched with no listener is gone', async () => {
    const r = realm();
    const [a, b] = channel(r);
    b.start();
    b.start();
    a.postMessage('lost');
    await r.settle();
    const got = collect(b, 'listener');
    a.postMessage('kept');
    await r.settle();
    expect(got.data()).toEqual(['kept']);
  });

  it('event handler keeps its first-set position among listeners', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const order: string[] = [];
    b.addEventListener('message', () => order.push('L1'));
    b.onmessage = () => order.push('H1');
    b.addEventListener('message', () => order.push('L2'));
    b.onmessage = () => order.push('H2');
    a.postMessage(0);
    await r.settle();
    expect(order).toEqual(['L1', 'H2', 'L2']);
  });

  it('an exception in a listener is reported and the next listener still runs', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const order: string[] = [];
    b.addEventListener('message', () => {
      throw new Error('boom');
    });
    b.addEventListener('message', () => order.push('second'));
    b.start();
    a.postMessage(0);
    await r.settle();
    expect(order).toEqual(['second']);
    expect((r.errors[0] as Error).message).toBe('boom');
  });
});

describe('MessageEvent fields (message port post message steps, step 7)', () => {
  it('data is a clone; origin "", lastEventId "", source null; ports a frozen array, same object each read; trusted', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const [x, y] = channel(r);
    const got = collect(b);
    const msg = { n: 1 };
    a.postMessage(msg, [x, y]);
    await r.settle();
    const e = got.events[0];
    expect(e).toBeInstanceOf(r.MessageEvent);
    expect(e.data).toEqual({ n: 1 });
    expect(e.data).not.toBe(msg);
    expect(e.origin).toBe('');
    expect(e.lastEventId).toBe('');
    expect(e.source).toBe(null);
    expect(e.isTrusted).toBe(true);
    expect(Object.isFrozen(e.ports)).toBe(true);
    expect(e.ports).toBe(e.ports);
    expect(e.ports.length).toBe(2);
    expect(e.ports[0]).toBeInstanceOf(r.MessagePort);
    expect(e.ports[0]).not.toBe(x);
    expect(e.target).toBe(b);
    expect(e.currentTarget).toBe(null); // after dispatch
    expect([e.bubbles, e.cancelable, e.composed]).toEqual([false, false, false]);
  });

  it('new MessageEvent() made by script is not trusted and takes its init dictionary', () => {
    const r = realm();
    const [p] = channel(r);
    const e = new r.MessageEvent('message', { data: 5, origin: 'o', lastEventId: 'l', ports: [p] });
    expect(e.isTrusted).toBe(false);
    expect([e.data, e.origin, e.lastEventId, e.source]).toEqual([5, 'o', 'l', null]);
    expect(Object.isFrozen(e.ports)).toBe(true);
    expect(Object.getOwnPropertyDescriptor(e, 'isTrusted')?.configurable).toBe(false);
  });

  it('initMessageEvent with no arguments throws a TypeError (WPT webmessaging/MessageEvent.any.js)', () => {
    const r = realm();
    const e = new r.MessageEvent('message') as any;
    expect(() => e.initMessageEvent()).toThrow(TypeError);
    // With its one required argument it initializes the event (the other fields default).
    e.initMessageEvent('message', false, false, 7, 'o');
    expect([e.data, e.origin, e.lastEventId, e.source]).toEqual([7, 'o', '', null]);
  });

  it('dispatchEvent of a script event reaches the handler with isTrusted false', () => {
    const r = realm();
    const [p] = channel(r);
    const seen: boolean[] = [];
    p.onmessage = (e: any) => seen.push(e.isTrusted);
    p.dispatchEvent(new r.MessageEvent('message', { data: 1 }));
    expect(seen).toEqual([false]);
  });
});

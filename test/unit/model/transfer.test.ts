// Transfer steps / transfer-receiving steps of MessagePort (#transfer-steps, #transfer-receiving-steps),
// has-been-shipped, disentangle, the doomed case and the silent drops.
import { describe, expect, it } from 'vitest';
import { catchError, channel, collect, realm } from './helpers.js';

describe('transfer and transfer-receiving steps', () => {
  it('transfer-receiving steps: queued messages move with a shipped port and arrive at the new port', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const [c, d] = channel(r);
    a.postMessage('q1');
    a.postMessage('q2');
    const got: unknown[] = [];
    d.onmessage = (e: any) => {
      e.ports[0].onmessage = (ev: any) => got.push(ev.data);
    };
    c.postMessage(null, [b]);
    a.postMessage('after'); // while b is in flight: follows it
    await r.settle();
    expect(got).toEqual(['q1', 'q2', 'after']);
  });

  it('transfer-receiving steps: the new port queue starts disabled (needs start/onmessage)', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const [c, d] = channel(r);
    let received: any;
    d.onmessage = (e: any) => (received = e.ports[0]);
    c.postMessage(null, [b]);
    a.postMessage('wait');
    await r.settle();
    const got = collect(received, 'listener');
    await r.settle();
    expect(got.data()).toEqual([]);
    received.start();
    await r.settle();
    expect(got.data()).toEqual(['wait']);
  });

  it('entangle: after receiving, the remote port is entangled with the new port (replies reach the sender side)', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const [c, d] = channel(r);
    const back = collect(a);
    d.onmessage = (e: any) => e.ports[0].postMessage('reply');
    c.postMessage(null, [b]);
    await r.settle();
    expect(back.data()).toEqual(['reply']);
  });

  it('both ends of a channel shipped in one message stay entangled with each other', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const [c, d] = channel(r);
    const got: unknown[] = [];
    d.onmessage = (e: any) => {
      const [x, y] = e.ports;
      y.onmessage = (ev: any) => got.push(ev.data);
      x.postMessage('hi');
    };
    c.postMessage(null, [a, b]);
    await r.settle();
    expect(got).toEqual(['hi']);
  });

  it('both ends shipped in separate messages stay entangled', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const [c, d] = channel(r);
    const rec: any[] = [];
    d.onmessage = (e: any) => rec.push(e.ports[0]);
    c.postMessage(1, [a]);
    c.postMessage(2, [b]);
    await r.settle();
    const got = collect(rec[1]);
    rec[0].postMessage('x');
    await r.settle();
    expect(got.data()).toEqual(['x']);
  });
});

describe('silent drops', () => {
  it('has been shipped: postMessage on a transferred port is dropped without an exception', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const [c] = channel(r);
    const got = collect(b);
    c.postMessage(null, [a]);
    expect(() => a.postMessage('x')).not.toThrow();
    expect(r.lastOutcome?.predicted).toEqual({ o: 'dropped', reason: 'port-shipped' });
    await r.settle();
    expect(got.data()).toEqual([]);
  });

  it('#dom-messageport-close: postMessage after close() is dropped (port-closed)', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const got = collect(b);
    a.close();
    a.postMessage('x');
    expect(r.lastOutcome?.predicted).toEqual({ o: 'dropped', reason: 'port-closed' });
    await r.settle();
    expect(got.data()).toEqual([]);
  });

  it('#disentangle: posting to a closed partner is dropped (partner-closed); close is idempotent', async () => {
    const r = realm();
    const [a, b] = channel(r);
    b.close();
    b.close();
    a.postMessage('x');
    expect(r.lastOutcome?.predicted).toEqual({ o: 'dropped', reason: 'partner-closed' });
  });

  it('messages posted before close() on the sender still arrive', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const got = collect(b);
    a.postMessage(1);
    a.close();
    await r.settle();
    expect(got.data()).toEqual([1]);
  });

  it('standard: close() does not discard what is already queued on the closed port', async () => {
    const r = realm('spec');
    const [a, b] = channel(r);
    const got = collect(b, 'listener');
    a.postMessage(1);
    b.close();
    b.start();
    await r.settle();
    expect(got.data()).toEqual([1]);
  });
});

describe('doomed (message port post message steps 4 and 6)', () => {
  it('step 4: the target port in the transfer list dooms the message; it is not delivered and does not throw', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const got = collect(b);
    a.postMessage('d', [b]);
    expect(r.lastOutcome?.predicted).toEqual({ o: 'dropped', reason: 'doomed' });
    await r.settle();
    expect(got.data()).toEqual([]);
  });

  it('step 5 runs before step 6: buffers transferred with a doomed message are detached (data lost)', () => {
    const r = realm();
    const [a, b] = channel(r);
    const buf = new ArrayBuffer(8);
    a.postMessage(1, [b, buf]);
    expect(buf.byteLength).toBe(0);
  });

  it('step 5 still throws for a doomed message that cannot be serialized', () => {
    const [a, b] = channel(realm());
    expect(catchError(() => a.postMessage(() => 1, [b])).name).toBe('DataCloneError');
  });

  it('later posts toward the doomed port are lost (outcome doomed)', () => {
    const r = realm();
    const [a, b] = channel(r);
    a.postMessage(1, [b]);
    a.postMessage(2);
    expect(r.lastOutcome?.predicted).toEqual({ o: 'dropped', reason: 'doomed' });
  });
});

describe('StructuredSerializeWithTransfer of ports', () => {
  it('step 2: the source port in its own transfer list throws DataCloneError', () => {
    const [a] = channel(realm());
    const e = catchError(() => a.postMessage(1, [a]));
    expect(e.name).toBe('DataCloneError');
    expect(e).toBeInstanceOf(DOMException);
  });

  it('a MessagePort in the message but not in the transfer list throws DataCloneError, with its path', () => {
    const r = realm();
    const [a] = channel(r);
    const [x] = channel(r);
    const e = catchError(() => a.postMessage({ list: [0, { p: x }] }));
    expect(e.name).toBe('DataCloneError');
    expect(r.lastOutcome?.error?.path).toBe('message.list[1].p');
  });

  it('a duplicate port in the transfer list throws DataCloneError', () => {
    const r = realm();
    const [a] = channel(r);
    const [x] = channel(r);
    expect(catchError(() => a.postMessage(1, [x, x])).name).toBe('DataCloneError');
  });

  it('a shipped port in the transfer list throws DataCloneError ([[Detached]])', () => {
    const r = realm();
    const [a] = channel(r);
    const [x] = channel(r);
    a.postMessage(1, [x]);
    expect(catchError(() => a.postMessage(2, [x])).name).toBe('DataCloneError');
  });

  it('standard: a closed port in the transfer list throws DataCloneError ([[Detached]] set by close)', () => {
    const r = realm('spec');
    const [a] = channel(r);
    const [x] = channel(r);
    x.close();
    expect(catchError(() => a.postMessage(1, [x])).name).toBe('DataCloneError');
  });

  it('a port listed in transfer and referenced in the message arrives as the same new object in data and ports', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const [x] = channel(r);
    const got = collect(b);
    a.postMessage({ port: x, again: [x] }, [x]);
    await r.settle();
    const e = got.events[0];
    expect(e.data.port).toBe(e.ports[0]);
    expect(e.data.again[0]).toBe(e.ports[0]);
  });

  it('newPorts keep the relative order of the transfer list', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const [x1, y1] = channel(r);
    const [x2] = channel(r);
    const got = collect(b);
    a.postMessage({ second: x2, first: x1 }, [x1, x2]);
    await r.settle();
    const e = got.events[0];
    expect(e.ports[0]).toBe(e.data.first);
    expect(e.ports[1]).toBe(e.data.second);
    void y1;
  });
});

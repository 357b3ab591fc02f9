// The predicted outcome of every post (realm.lastOutcome / realm.onOutcome), which maps onto the
// wire protocol's Predicted.
import { describe, expect, it } from 'vitest';
import type { PostOutcome } from '../../../src/model/index.js';
import { catchError, channel, realm } from './helpers.js';

describe('predicted outcomes', () => {
  it('delivered to an enabled queue: sent, with the target port id and its listener count', () => {
    const r = realm();
    const [a, b] = channel(r);
    b.onmessage = () => {};
    b.addEventListener('message', () => {});
    a.postMessage(1);
    expect(r.lastOutcome).toMatchObject({ via: 'port', predicted: { o: 'sent' }, targets: [{ kind: 'port', listeners: 2, started: true }] });
  });

  it('queued on an unstarted queue: queued, with 0 or more listeners', () => {
    const r = realm();
    const [a, b] = channel(r);
    b.addEventListener('message', () => {});
    a.postMessage(1);
    expect(r.lastOutcome).toMatchObject({ predicted: { o: 'queued' }, targets: [{ listeners: 1, started: false }] });
  });

  it('thrown: error name, message and path; the exception is the one the page sees', () => {
    const r = realm('chromium');
    const [a] = channel(r);
    const e = catchError(() => a.postMessage({ a: { b: [0, 1, 2, function f() {}] } }));
    expect(r.lastOutcome?.predicted).toEqual({ o: 'error', name: 'DataCloneError', message: e.message, path: 'message.a.b[3]' });
    expect(r.lastOutcome?.error?.code).toBe('function');
  });

  it('transferred: ports by id, buffers with their byte length before the transfer', () => {
    const r = realm();
    const [a] = channel(r);
    const [x] = channel(r);
    const buf = new ArrayBuffer(12);
    a.postMessage(1, [x, buf]);
    const t = r.lastOutcome!.transferred;
    expect(t[0].kind).toBe('MessagePort');
    expect(typeof t[0].id).toBe('number');
    expect(t[1]).toEqual({ kind: 'ArrayBuffer', bytes: 12 });
  });

  it('onOutcome sees every outcome in order, including structuredClone errors (via clone)', () => {
    const r = realm();
    const seen: PostOutcome[] = [];
    r.onOutcome = (o) => seen.push(o);
    const [a, b] = channel(r);
    a.postMessage(1);
    b.close();
    a.postMessage(2);
    catchError(() => r.structuredClone(Symbol('s')));
    expect(seen.map((o) => [o.via, o.predicted.o])).toEqual([['port', 'queued'], ['port', 'dropped'], ['clone', 'error']]);
  });
});

// BroadcastChannel (#broadcasting-to-other-browsing-contexts): same origin and name, never to
// itself, creation order, InvalidStateError once closed, messageerror on failed deserialization.
import { describe, expect, it } from 'vitest';
import { createRealm } from '../../../src/model/index.js';
import { catchError } from './helpers.js';

describe('BroadcastChannel', () => {
  it('postMessage reaches every other open channel of the same name and origin, in creation order, never itself', async () => {
    const r = createRealm({ origin: 'https://a.test' });
    const frame = r.openWindow();
    const other = r.openWindow({ origin: 'https://b.test' });
    const log: string[] = [];
    const mk = (realm: typeof r, name: string, tag: string) => {
      const b = new realm.BroadcastChannel(name) as any;
      b.onmessage = (e: any) => log.push(`${tag}:${e.data}:${e.origin}:${e.source}:${e.ports.length}:${Object.isFrozen(e.ports)}:${e.isTrusted}`);
      return b;
    };
    const a = mk(r, 'news', 'a');
    mk(frame, 'news', 'f');
    mk(r, 'news', 'a2');
    mk(r, 'other', 'x');
    mk(other, 'news', 'b');
    a.postMessage(1);
    expect(r.lastOutcome?.targets.length).toBe(2);
    await r.settle();
    expect(log).toEqual(['f:1:https://a.test:null:0:true:true', 'a2:1:https://a.test:null:0:true:true']);
    expect(a.name).toBe('news');
  });

  it('close(): a closed channel neither receives nor may post (InvalidStateError, before serializing)', async () => {
    const r = createRealm();
    const a = new r.BroadcastChannel('c') as any;
    const b = new r.BroadcastChannel('c') as any;
    const got: unknown[] = [];
    b.onmessage = (e: any) => got.push(e.data);
    a.postMessage('queued then closed');
    b.close();
    await r.settle();
    expect(got).toEqual([]);
    a.close();
    expect(catchError(() => a.postMessage(() => 1)).name).toBe('InvalidStateError');
  });

  it('a function is a DataCloneError; with no other channel the outcome is dropped no-target', () => {
    const r = createRealm();
    const a = new r.BroadcastChannel('solo') as any;
    expect(catchError(() => a.postMessage(() => 1)).name).toBe('DataCloneError');
    a.postMessage('alone');
    expect(r.lastOutcome?.predicted).toEqual({ o: 'dropped', reason: 'no-target' });
  });

  it('a worker of the same origin receives broadcasts', async () => {
    const r = createRealm({ origin: 'https://a.test' });
    const w = r.createWorker((self) => {
      const b = new self.BroadcastChannel('w') as any;
      b.onmessage = (e: any) => self.postMessage(['worker got', e.data]);
    });
    const got: unknown[] = [];
    w.onmessage = (e: any) => got.push(e.data);
    await r.settle();
    new r.BroadcastChannel('w').postMessage(7);
    await r.settle();
    expect(got).toEqual([['worker got', 7]]);
  });
});

// Tasks run on the host's macrotask queue, one model task per host task: browser-like order,
// and a handler that re-posts forever cannot starve the host's timers.
import { describe, expect, it } from 'vitest';
import { channel, realm } from './helpers.js';

describe('event loop', () => {
  it('a port whose handler re-posts forever does not starve setTimeout', async () => {
    const r = realm();
    const [a, b] = channel(r);
    let n = 0;
    let stop = false;
    b.onmessage = () => {
      n++;
      if (!stop) a.postMessage(0);
    };
    a.postMessage(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    stop = true;
    expect(n).toBeGreaterThan(0);
    await r.settle();
  });

  it('delivery is asynchronous: nothing is dispatched during postMessage', () => {
    const r = realm();
    const [a, b] = channel(r);
    let got = false;
    b.onmessage = () => (got = true);
    a.postMessage(1);
    expect(got).toBe(false);
  });

  it('a queue enabled later delivers after messages queued earlier on already-started ports', async () => {
    const r = realm('firefox');
    const [a1, a2] = channel(r);
    const [c1, c2] = channel(r);
    const [d1, d2] = channel(r);
    const log: string[] = [];
    c1.postMessage(1);
    c1.postMessage(2);
    d2.onmessage = (e: any) => log.push('d' + e.data);
    d1.postMessage(1);
    c2.onmessage = (e: any) => log.push('c' + e.data);
    d1.postMessage(2);
    a2.onmessage = (e: any) => log.push('a' + e.data);
    a1.postMessage(1);
    await r.settle();
    expect(log).toEqual(['d1', 'c1', 'a1', 'd2', 'c2']);
  });

  it('windows of one universe share an event loop; a worker has its own', () => {
    const r = realm();
    const w = r.openWindow();
    const worker = r.createWorker(() => {});
    expect(w.loop).toBe(r.loop);
    expect(worker.realm.loop).not.toBe(r.loop);
  });
});

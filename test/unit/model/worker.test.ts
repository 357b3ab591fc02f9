// Dedicated workers: Worker.postMessage / DedicatedWorkerGlobalScope.postMessage run the
// message port post message steps on the implicit ports; the worker has its own event loop.
import { describe, expect, it } from 'vitest';
import { createRealm } from '../../../src/model/index.js';
import { catchError, channel } from './helpers.js';

describe('dedicated worker postMessage', () => {
  it('messages go both ways; events fire at the Worker object and at the worker global', async () => {
    const r = createRealm({ origin: 'https://a.test' });
    const w = r.createWorker((self) => {
      self.onmessage = (e: any) => self.postMessage({ echo: e.data, trusted: e.isTrusted, origin: e.origin });
    });
    const got: any[] = [];
    w.onmessage = (e: any) => got.push([e.data, e.target === w, e.source]);
    w.postMessage('hi');
    expect(r.lastOutcome?.via).toBe('worker');
    await r.settle();
    expect(got).toEqual([[{ echo: 'hi', trusted: true, origin: '' }, true, null]]);
  });

  it('messages posted before the worker script ran are queued until it has run', async () => {
    const r = createRealm();
    const w = r.createWorker((self) => {
      const seen: unknown[] = [];
      self.addEventListener('message', (e: any) => {
        seen.push(e.data);
        if (seen.length === 2) self.postMessage(seen);
      });
    });
    w.postMessage(1);
    w.postMessage(2);
    const got: unknown[] = [];
    w.onmessage = (e: any) => got.push(e.data);
    await r.settle();
    expect(got).toEqual([[1, 2]]);
  });

  it('a MessagePort transferred to a worker connects the two event loops', async () => {
    const r = createRealm();
    const w = r.createWorker((self) => {
      self.onmessage = (e: any) => e.ports[0].postMessage('from worker');
    });
    const [a, b] = channel(r);
    const got: unknown[] = [];
    a.onmessage = (e: any) => got.push(e.data);
    w.postMessage(null, [b]);
    await r.settle();
    expect(got).toEqual(['from worker']);
  });

  it('DataCloneError is thrown at the Worker.postMessage call; terminate() stops delivery', async () => {
    const r = createRealm();
    let count = 0;
    const w = r.createWorker((self) => {
      self.onmessage = () => count++;
    });
    expect(catchError(() => w.postMessage(() => 1)).name).toBe('DataCloneError');
    w.terminate();
    w.postMessage('late');
    expect(r.lastOutcome?.predicted).toEqual({ o: 'dropped', reason: 'no-target' });
    await r.settle();
    expect(count).toBe(0);
  });
});

import { describe, it, expect } from 'vitest';
import { createRealm } from '../../../src/model/index.js';
describe('smoke', () => {
  it('delivers', async () => {
    const r = createRealm({ profile: 'chromium' });
    const c = new r.MessageChannel();
    const log: unknown[] = [];
    (c.port2 as any).onmessage = (e: any) => log.push(e.data, e.isTrusted, e.ports.length);
    (c.port1 as any).postMessage({ a: 1 });
    expect(r.lastOutcome?.predicted).toEqual({ o: 'sent' });
    await r.settle();
    expect(log).toEqual([{ a: 1 }, true, 0]);
  });
});

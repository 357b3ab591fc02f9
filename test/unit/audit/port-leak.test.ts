import { describe, expect, it } from 'vitest';
import { CHILD, Snap, TOP, pageAndWorker, shippedPair } from './build';
import { findings } from './helpers';

describe('port-leak: partner gone', () => {
  it('reports a port still listening after its partner was closed (info)', () => {
    const { s, top, child, a, b } = shippedPair();
    s.close(b);
    const [f, ...rest] = findings(s, 'port-leak');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'info', portIds: [a.id, b.id], messageIds: [], count: 1, contextIds: [top, child] });
    expect(f.message).toBe('port #1 in page 127.0.0.1:8080/index.html is still open and listening, but its partner port #2 was closed, so it will never receive another message.');
  });

  it('reports a partner lost in transit or gone with its document', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const child = s.ctx(CHILD, { parent: top });
    const [a, b] = s.channel(top);
    s.listen(a);
    b.lostIn = 7;
    const [c, d] = s.channel(top);
    s.listen(c);
    s.ship(d, child);
    s.context(child).endedAt = 2000;
    expect(findings(s, 'port-leak').map((f) => f.message)).toEqual([
      'port #1 in page 127.0.0.1:8080/index.html is still open and listening, but its partner port #2 was lost with message #7, which was never delivered, so it will never receive another message.',
      'port #3 in page 127.0.0.1:8080/index.html is still open and listening, but its partner port #4 went away with frame localhost:8080/child.html, so it will never receive another message.',
    ]);
  });

  it('is silent when both ends are closed, when the open end does not listen, or when its own document is gone', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const child = s.ctx(CHILD, { parent: top });
    const [a, b] = s.channel(top);
    s.listen(a);
    s.close(a);
    s.close(b);
    const [, d] = s.channel(top);
    s.close(d); // port #3 never listened: garbage, not a leak
    const [e, f] = s.channel(top);
    s.ship(e, child);
    s.listen(e);
    s.context(child).endedAt = 3000;
    s.close(f);
    expect(findings(s, 'port-leak')).toEqual([]);
  });
});

describe('port-leak: channels piling up', () => {
  function perRequest(n: number, closeEvery = false) {
    const { s, top, worker } = pageAndWorker('api.js');
    for (let i = 0; i < n; i++) {
      const [a, b] = s.channel(top);
      s.listen(a);
      const carrier = s.msg({ via: 'worker', fromContext: top, toContext: worker, transfer: [{ kind: 'MessagePort', id: b.id, bytes: null }], stack: 'at request (api-client.js:12:7)' });
      b.shipped = true;
      b.holders.push({ contextId: worker, since: carrier.deliveredAt!, messageId: carrier.id, startedAt: null });
      s.listen(b);
      s.post(b, { stack: 'at reply (api.js:3:1)' });
      if (closeEvery) {
        s.close(a);
        s.close(b);
      }
    }
    return { s, top, worker };
  }

  it('reports 100 or more channels made in one context and open on both ends, with the code that sent them', () => {
    const { s, top, worker } = perRequest(100);
    const [f, ...rest] = findings(s, 'port-leak');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', count: 200, contextIds: [top, worker], stacks: ['at request (api-client.js:12:7)'] });
    expect(f.portIds).toHaveLength(200);
    expect(f.messageIds).toHaveLength(100);
    expect(f.message).toBe('100 MessageChannels created in page 127.0.0.1:8080/index.html are still open on both ends; a channel per request that is never closed keeps every port and listener alive.');
  });

  it('is silent below the threshold and when each channel is closed', () => {
    expect(findings(perRequest(99).s, 'port-leak')).toEqual([]);
    expect(findings(perRequest(300, true).s, 'port-leak')).toEqual([]);
    expect(findings(perRequest(10).s, 'port-leak', { openChannels: 10 })).toHaveLength(1);
  });
});

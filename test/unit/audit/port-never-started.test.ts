import { describe, expect, it } from 'vitest';
import { shippedPair } from './build';
import { findings } from './helpers';

const setup = () => shippedPair({ listening: false });

const stuck = { deliveredAt: null, listeners: null, handlerMs: null, waitMs: null, outcome: { status: 'queued' as const, reason: null } };

describe('port-never-started', () => {
  it('reports messages queued on a port with a listener that was never started, once per port', () => {
    const { s, child, a, b } = setup();
    b.listeners = 1; // addEventListener('message') only
    s.post(a, stuck);
    s.post(a, { ...stuck, outcome: { status: 'sent', reason: null } });
    s.post(a, stuck);
    const [f, ...rest] = findings(s, 'port-never-started');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', messageIds: [2, 3, 4], portIds: [b.id], count: 3, stacks: ['at send (http://127.0.0.1:8080/app.js:10:5)'] });
    expect(f.contextIds).toContain(child);
    expect(f.message).toBe("3 messages were never delivered to port #2 in frame localhost:8080/child.html: it has a 'message' listener from addEventListener, but start() was never called.");
    expect(f.spec).toBe('https://html.spec.whatwg.org/multipage/web-messaging.html#dom-messageport-start');
  });

  it('is silent once the port is started, when it has no listener yet, or when it was closed', () => {
    for (const change of ['started', 'no-listener', 'closed'] as const) {
      const { s, a, b } = setup();
      b.listeners = change === 'no-listener' ? 0 : 1;
      if (change === 'started') b.started = true;
      if (change === 'closed') b.closed = true;
      s.post(a, stuck);
      expect(findings(s, 'port-never-started'), change).toEqual([]);
    }
  });

  it('ignores messages that were delivered', () => {
    const { s, a, b } = setup();
    b.listeners = 1;
    s.post(a);
    expect(findings(s, 'port-never-started')).toEqual([]);
  });
});

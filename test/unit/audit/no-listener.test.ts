import { describe, expect, it } from 'vitest';
import { CHILD, Snap, TOP } from './build';
import { findings } from './helpers';

const nobody = { listeners: 0, handlerMs: null, outcome: { status: 'dropped' as const, reason: 'no-listener' } };

describe('no-listener', () => {
  it('reports messages dispatched to a started port with no listener, once per port', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const [a, b] = s.channel(top);
    b.started = true; // start() without a listener
    const m = s.repeat(2, () => s.post(a, nobody));
    const [f, ...rest] = findings(s, 'no-listener');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', portIds: [b.id], messageIds: m.map((x) => x.id), count: 2 });
    expect(f.message).toBe("2 messages were delivered to port #2 in page 127.0.0.1:8080/index.html while it had no 'message' listener, so nobody received them.");
    expect(f.spec).toMatch(/#message-port-post-message-steps$/);
  });

  it('reports window and worker messages per receiver and call site', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const child = s.ctx(CHILD, { parent: top });
    const worker = s.ctx('http://127.0.0.1:8080/w.js', { parent: top, kind: 'worker' });
    s.window(top, child, nobody);
    s.window(top, child, nobody);
    s.msg({ via: 'worker', fromContext: top, toContext: worker, ...nobody });
    const fs = findings(s, 'no-listener');
    expect(fs.map((f) => [f.count, f.spec.split('#')[1]])).toEqual([
      [2, 'window-post-message-steps'],
      [1, 'dom-worker-postmessage'],
    ]);
    expect(fs[1].message).toBe("1 message was delivered to worker 127.0.0.1:8080/w.js while it had no 'message' listener, so nobody received it.");
  });

  it('is silent for messages that reached a listener, and for BroadcastChannel receivers', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const [a, b] = s.channel(top);
    s.listen(b);
    s.post(a);
    s.msg({ via: 'broadcast', fromContext: top, toContext: top, ...nobody });
    expect(findings(s, 'no-listener')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { Snap, TOP, shippedPair } from './build';
import { findings } from './helpers';

function setup() {
  const { s, top, child, a, b } = shippedPair();
  return { s, top, child, a, b };
}

describe('post-on-closed-port', () => {
  it('reports sends after close(), with both ports of the channel', () => {
    const { s, a, b } = setup();
    s.close(a);
    const m1 = s.dropped(a, 'port-closed');
    const m2 = s.dropped(a, 'port-closed');
    const [f, ...rest] = findings(s, 'post-on-closed-port');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', messageIds: [m1.id, m2.id], portIds: [a.id, b.id], count: 2 });
    expect(f.message).toBe('2 messages posted on port #1 were dropped because close() had already been called on it.');
  });

  it('reports sends after the partner closed', () => {
    const { s, a, b } = setup();
    s.close(b);
    s.dropped(a, 'partner-closed');
    const [f] = findings(s, 'post-on-closed-port');
    expect(f.message).toBe('1 message posted on port #1 was dropped because its partner port #2 had been closed.');
  });

  it('names the document that held the partner when it went away', () => {
    const { s, a } = setup();
    s.dropped(a, 'receiver-gone');
    s.dropped(a, 'receiver-gone');
    const [f] = findings(s, 'post-on-closed-port');
    expect(f.message).toBe('2 messages posted on port #1 were dropped because its partner port #2 was in frame localhost:8080/child.html, which went away (removed or navigated) before it was delivered.');
  });

  it('tells a message that transferred its own partner from a partner lost earlier', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const [a, b] = s.channel(top);
    s.dropped(a, 'doomed', { transfer: [{ kind: 'MessagePort', id: b.id, bytes: null }] });
    const [c, d] = s.channel(top);
    d.lostIn = 99;
    s.dropped(c, 'doomed');
    const fs = findings(s, 'post-on-closed-port');
    expect(fs.map((f) => f.message)).toEqual([
      '1 message posted on port #1 was dropped because the message transferred its own partner port #2.',
      '1 message posted on port #3 was dropped because its partner port #4 was lost in a message that was never delivered.',
    ]);
  });

  it('separates causes on one port, and ports from each other', () => {
    const { s, a, b } = setup();
    s.close(b);
    s.dropped(a, 'partner-closed');
    s.close(a);
    s.dropped(a, 'port-closed');
    s.dropped(b, 'port-closed');
    expect(findings(s, 'post-on-closed-port').map((f) => f.messageIds)).toEqual([[2], [3], [4]]);
  });

  it('is silent for a BroadcastChannel nobody else listens to, and for delivered messages', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    s.msg({ via: 'broadcast', fromContext: top, deliveredAt: null, outcome: { status: 'dropped', reason: 'no-target' } });
    const { a } = setup();
    void a;
    expect(findings(s, 'post-on-closed-port')).toEqual([]);
  });
});

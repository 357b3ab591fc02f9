import { describe, expect, it } from 'vitest';
import { CHILD, Snap, TOP, shippedPair } from './build';
import { findings } from './helpers';

describe('post-on-shipped-port', () => {
  it('reports sends on a port after it was transferred, naming where it went', () => {
    const { s, top, child, b } = shippedPair();
    s.post(b, { fromContext: child }); // the child uses it: fine
    const drops = s.repeat(3, () => s.dropped(b, 'port-shipped', { fromContext: top, toPort: null, toContext: null, stack: 'at late (app.js:3:1)' }));
    const fs = findings(s, 'post-on-shipped-port');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: 'error', messageIds: drops.map((m) => m.id), portIds: [b.id], count: 3, stacks: ['at late (app.js:3:1)'] });
    expect(fs[0].contextIds).toEqual([top, child]);
    expect(fs[0].message).toBe('3 messages posted on port #2 after it was transferred to frame localhost:8080/child.html were dropped.');
  });

  it('says when the message that carried the port was itself lost', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const child = s.ctx(CHILD, { parent: top });
    const [, b] = s.channel(top);
    const carrier = s.window(top, child, { transfer: [{ kind: 'MessagePort', id: b.id, bytes: null }], deliveredAt: null, outcome: { status: 'dropped', reason: 'target-origin-mismatch' } });
    b.shipped = true;
    b.lostIn = carrier.id;
    s.dropped(b, 'port-shipped', { fromContext: top });
    const [f] = findings(s, 'post-on-shipped-port');
    expect(f.message).toBe(`1 message posted on port #2 after it was transferred was dropped; the message that carried it (#${carrier.id}) was lost too.`);
  });

  it('one finding per port', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const child = s.ctx(CHILD, { parent: top });
    const [a, b] = s.channel(top);
    const [c, d] = s.channel(top);
    s.ship(b, child);
    s.ship(d, child);
    s.dropped(b, 'port-shipped', { fromContext: top });
    s.dropped(d, 'port-shipped', { fromContext: top });
    s.dropped(b, 'port-shipped', { fromContext: top });
    expect(findings(s, 'post-on-shipped-port').map((f) => [f.portIds, f.count])).toEqual([
      [[b.id], 2],
      [[d.id], 1],
    ]);
    void a, c;
  });

  it('is silent for other drop reasons and for delivered messages', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const [a] = s.channel(top);
    s.post(a);
    s.dropped(a, 'port-closed');
    expect(findings(s, 'post-on-shipped-port')).toEqual([]);
  });
});

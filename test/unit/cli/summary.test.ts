import { afterAll, describe, expect, it } from 'vitest';
import { CHILD, Snap, TOP } from '../audit/build';
import { callCounts } from '../../../src/cli/summary';
import { Dir, clean, neverStarted, run } from './fixtures';

const dir = new Dir();
afterAll(() => dir.remove());

describe('channel-inspector summary', () => {
  it('prints the frame tree with ports, the port moves and counts by outcome and via', async () => {
    const r = await run(['summary', dir.trace('clean.json', clean())]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Contexts: 2 (2 window current)  ·  Ports: 2  ·  Messages: 3');
    expect(r.out).toContain('\n  window http://127.0.0.1:8080 127.0.0.1:8080/index.html  ports: #1⇄#2\n    window http://localhost:8080 localhost:8080/child.html  ports: #2⇄#1\n');
    expect(r.out).toContain('Port moves:\n  #2: 127.0.0.1:8080/index.html → localhost:8080/child.html (msg #1)');
    expect(r.out).toContain('Messages by outcome: 3 delivered');
    expect(r.out).toContain('Messages by via:     2 port, 1 window');
  });

  it('counts outcomes with their reasons, a port moved through three contexts, evictions and drops', async () => {
    const s = new Snap();
    const a = s.ctx(TOP);
    const b = s.ctx(CHILD, { parent: a });
    const c = s.ctx('http://127.0.0.2:8080/grandchild.html', { parent: b });
    const [p1, p2] = s.channel(a);
    s.ship(p2, b);
    s.ship(p2, c);
    s.dropped(p1, 'port-closed');
    const snap = s.build();
    snap.firstMessageId = 1;
    snap.dropped = { 'page-queue-full': 4 };
    const { exportTrace, stringifyTrace } = await import('../../../src/trace');
    const file = dir.file('moves.json', stringifyTrace(exportTrace(snap, { firstMessageId: 1 })));
    const r = await run(['summary', file]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('#2: 127.0.0.1:8080/index.html → localhost:8080/child.html (msg #1) → 127.0.0.2:8080/grandchild.html (msg #2)');
    expect(r.out).toContain('Messages by outcome: 2 delivered, 1 dropped (port-closed)');
    expect(r.out).toContain('Not recorded: 4 page-queue-full');
    expect(r.out).toContain('      window http://127.0.0.2:8080 127.0.0.2:8080/grandchild.html  ports: #2⇄#1');
  });

  it('counts the calls, how many paired, and why the others are not', async () => {
    const snap = clean().build();
    const [a, b, c] = snap.messages;
    a.call = { protocol: 'jsonrpc', role: 'request', label: 'call m()', id: '1', pairedWith: null, latencyMs: null, unpaired: 'ambiguous' };
    b.call = { protocol: 'jsonrpc', role: 'request', label: 'call n()', id: '2', pairedWith: c.id, latencyMs: 3 };
    c.call = { protocol: 'jsonrpc', role: 'response', label: 'result', id: '2', pairedWith: b.id, latencyMs: 3 };
    const { exportTrace, stringifyTrace } = await import('../../../src/trace');
    const r = await run(['summary', dir.file('calls.json', stringifyTrace(exportTrace(snap)))]);
    expect(r.out).toContain('Calls:               3 requests and responses, 2 paired; unpaired: 1 ambiguous');
    expect(callCounts([])).toBeNull();
  });

  it('says which messages were evicted before export', async () => {
    const snap = neverStarted().build();
    snap.messages = snap.messages.slice(2);
    const { exportTrace, stringifyTrace } = await import('../../../src/trace');
    const r = await run(['summary', dir.file('evicted.json', stringifyTrace(exportTrace(snap, { firstMessageId: 3 })))]);
    expect(r.out).toContain('Evicted before export: messages #1–#2');
  });
});

// Correct usage must produce no finding at all: false positives are bugs.
import { describe, expect, it } from 'vitest';
import { runAudit } from '../../../src/audit';
import { CHILD, MiB, Snap, TOP, pageAndWorker, shippedPair } from './build';

describe('a corpus of correct pages yields no finding', () => {
  it('RPC over a port handed to a worker, with request ids and transferred results', () => {
    const { s, top, worker } = pageAndWorker('rpc-worker.js');
    const [client, server] = s.channel(top);
    s.listen(client);
    s.msg({ via: 'worker', fromContext: top, toContext: worker, transfer: [{ kind: 'MessagePort', id: server.id, bytes: null }] });
    server.shipped = true;
    server.holders.push({ contextId: worker, since: s.tick(), messageId: 1, startedAt: null });
    s.listen(server);
    for (let id = 0; id < 200; id++) {
      s.post(client, { preview: `{id: ${id}, method: "sum"}` });
      const bytes = id % 10 === 0 ? 4 * MiB : 256;
      s.post(server, { transfer: [{ kind: 'ArrayBuffer', id: null, bytes }], bufferBytes: bytes });
    }
    expect(runAudit(s.build())).toEqual([]);
  });

  it('an iframe handshake: the child says ready, the parent hands over a port, both use it', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const child = s.ctx(CHILD, { parent: top });
    // Cross-origin window sends are seen only at delivery (no send stack, no targetOrigin).
    s.window(null, top, { sentAt: null, stack: null, targetOrigin: null, origin: 'http://localhost:8080', originRead: true, preview: 'ready' });
    const [mine, theirs] = s.channel(top);
    s.listen(mine);
    s.window(null, child, { sentAt: null, stack: null, targetOrigin: null, origin: 'http://127.0.0.1:8080', originRead: true, transfer: [{ kind: 'MessagePort', id: theirs.id, bytes: null }] });
    theirs.shipped = true;
    theirs.holders.push({ contextId: child, since: s.tick(), messageId: 2, startedAt: null });
    s.listen(theirs);
    for (let i = 0; i < 20; i++) {
      s.post(mine);
      s.post(theirs);
    }
    expect(runAudit(s.build())).toEqual([]);
  });

  it('a scheduler that posts to itself on a MessageChannel thousands of times', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const [port1, port2] = s.channel(top);
    s.listen(port1); // port1.onmessage = performWork; port2 only sends
    for (let i = 0; i < 5000; i++) s.post(port2, { preview: 'null', bytes: 4 });
    expect(runAudit(s.build())).toEqual([]);
  });

  it('a channel closed on both sides after its exchange', () => {
    const { s, a, b } = shippedPair();
    s.post(a);
    s.post(b);
    s.close(b);
    s.close(a);
    expect(runAudit(s.build())).toEqual([]);
  });

  it('broadcast: BroadcastChannel fan-out (and an only tab nobody hears), a window telling each of its frames', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const a = s.ctx('http://127.0.0.1:8080/a.html', { parent: top });
    const b = s.ctx('http://127.0.0.1:8080/b.html', { parent: top });
    const c = s.ctx(CHILD, { parent: top });
    s.msg({ via: 'broadcast', fromContext: top, toContext: null, deliveredAt: null, outcome: { status: 'dropped', reason: 'no-target' } });
    s.msg({ via: 'broadcast', fromContext: top, toContext: null, deliveredAt: null, outcome: { status: 'sent', reason: null } });
    for (const to of [a, b]) s.msg({ via: 'broadcast', fromContext: null, toContext: to, sentAt: null });
    s.msg({ via: 'broadcast', fromContext: null, toContext: top, sentAt: null, listeners: 0, outcome: { status: 'dropped', reason: 'no-listener' } }); // the sender's own channel object
    for (const to of [a, b]) s.window(top, to, { targetOrigin: '/' });
    s.window(null, c, { sentAt: null, targetOrigin: null, stack: null, origin: 'http://127.0.0.1:8080', originRead: true });
    expect(runAudit(s.build())).toEqual([]);
  });

  it('setImmediate over window.postMessage to itself with "*"', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    for (let i = 0; i < 1000; i++) s.window(top, top, { targetOrigin: '*', originRead: false });
    expect(runAudit(s.build())).toEqual([]);
  });

  it('small buffers copied, a big one transferred, a port handed on twice', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const mid = s.ctx('http://127.0.0.1:8080/mid.html', { parent: top });
    const leaf = s.ctx('http://127.0.0.1:8080/leaf.html', { parent: mid });
    const [a, b] = s.channel(top);
    s.listen(a);
    s.ship(b, mid);
    s.ship(b, leaf);
    s.listen(b);
    s.post(a, { bufferBytes: 64 * 1024 });
    s.post(a, { bufferBytes: 16 * MiB, transfer: [{ kind: 'ArrayBuffer', id: null, bytes: 16 * MiB }] });
    s.post(b);
    expect(runAudit(s.build())).toEqual([]);
  });
});

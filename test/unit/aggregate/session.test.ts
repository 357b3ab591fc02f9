import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/aggregate';
import { compactEvents } from '../../../src/protocol/compact';
import { batchOfWire, type PageBatch } from '../../../src/protocol/messages';
import { A_URL, B_URL, C_URL, facts, feedAll, relayThroughMiddle, sessionOf } from './scenarios';
import { CHILD0, Doc, UP1, channel, ctx, deliverPort, deliverWindow, portIn, postPort, postWindow, shuffled, start } from './streams';

describe('a port relayed A → B → C through nested cross-origin frames', () => {
  it('keeps one id for the port, with holders A, B, C, and matches every message', () => {
    const s = sessionOf(relayThroughMiddle().feeds);
    const d = s.data();
    expect(d.contexts.map((c) => c.url)).toEqual([A_URL, B_URL, C_URL]);
    const [a, b, c] = d.contexts;
    expect(b.parentId).toBe(a.id);
    expect(c.parentId).toBe(b.id);
    expect(d.ports).toHaveLength(2);
    const moved = d.ports[1];
    expect(moved.holders.map((h) => h.contextId)).toEqual([a.id, b.id, c.id]);
    expect(moved.holders.map((h) => h.since)).toEqual([1001, 1003, 1005]);
    expect(moved.shipped).toBe(true);
    expect(moved.started).toBe(true);
    expect(moved.entangledWith).toBe(d.ports[0].id);
    expect(d.messages).toHaveLength(5);
    for (const m of d.messages) expect(m.outcome.status).toBe('delivered');
    const byPreview = Object.fromEntries(d.messages.map((m) => [m.preview, m]));
    expect(byPreview['port for B']).toMatchObject({ via: 'window', fromContext: a.id, toContext: b.id, sentAt: 1002, deliveredAt: 1003, waitMs: 1 });
    expect(byPreview['port for B'].transfer).toEqual([{ kind: 'MessagePort', id: moved.id, bytes: null }]);
    expect(byPreview['port for B'].stack).toBe('at main (a.js:1)');
    expect(byPreview['port for C']).toMatchObject({ fromContext: b.id, toContext: c.id, transfer: [{ kind: 'MessagePort', id: moved.id, bytes: null }] });
    expect(byPreview['hello A']).toMatchObject({ via: 'port', fromContext: c.id, toContext: a.id, fromPort: moved.id, toPort: d.ports[0].id });
    expect(byPreview['to C 1']).toMatchObject({ fromContext: a.id, toContext: c.id, sentAt: 1011, deliveredAt: 1012 });
    expect(byPreview['to C 2']).toMatchObject({ sentAt: 1012, deliveredAt: 1013 });
    expect(s.pendingWork()).toEqual({ heldBatches: 0, unknownPorts: 0, unresolvedWindows: 0, waitingHalves: 0, waitingBroadcasts: 0 });
  });

  it('reaches the same conclusions whatever order the batches arrive in', () => {
    const { feeds } = relayThroughMiddle();
    const expected = facts(sessionOf(feeds));
    for (let seed = 1; seed <= 40; seed++) {
      const s = sessionOf(shuffled(feeds, seed));
      expect(s.pendingWork().unknownPorts + s.pendingWork().heldBatches).toBe(0);
      expect(facts(s)).toEqual(expected);
    }
  });

  it('ignores resent batches', () => {
    const { feeds } = relayThroughMiddle();
    const once = sessionOf(feeds);
    const s = new Session();
    for (const f of feeds) {
      expect(s.ingest(f.batch, f.source)).toBe('applied');
      expect(s.ingest(structuredClone(f.batch), f.source)).toBe('duplicate');
    }
    feedAll(s, feeds);
    expect(s.data()).toEqual(once.data());
  });
});

describe('batch order per document', () => {
  it('holds a batch until the gap before it fills', () => {
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: A_URL });
    const b1 = A.batch([ctx(1, A_URL, true), channel(2, 1, 2)]);
    const b2 = A.batch([postPort(3, 1, 1)]);
    const b3 = A.batch([deliverPort(4, 2, 'x')]);
    const s = new Session();
    expect(s.ingest(b3.batch, b3.source)).toBe('held');
    expect(s.ingest(b2.batch, b2.source)).toBe('held');
    expect(s.ingest(b3.batch, b3.source)).toBe('duplicate');
    expect(s.messageCount).toBe(0);
    expect(s.pendingWork().heldBatches).toBe(2);
    expect(s.ingest(b1.batch, b1.source)).toBe('applied');
    expect(s.pendingWork().heldBatches).toBe(0);
    expect(s.data().messages.map((m) => m.outcome.status)).toEqual(['delivered']);
  });

  it('forces held batches through on request and counts the missing ones', () => {
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: A_URL });
    A.batch([ctx(1, A_URL, true), channel(2, 1, 2)]);
    A.batch([postPort(3, 1, 1)]);
    const b3 = A.batch([deliverPort(4, 2, 'x')]);
    const s = new Session();
    s.ingest(A.out[0].batch, A.out[0].source);
    s.ingest(b3.batch, b3.source);
    expect(s.messageCount).toBe(0);
    s.releaseHeld();
    expect(s.data().dropped['batch-gap']).toBe(1);
    expect(s.messageCount).toBe(1);
    // The lost batch arriving late is a duplicate now: the gap was given up on.
    expect(s.ingest(A.out[1].batch, A.out[1].source)).toBe('duplicate');
  });

  it('forces a gap by itself when too many batches wait behind it', () => {
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: A_URL });
    for (let i = 0; i < 10; i++) A.batch([ctx(i, A_URL, true)]);
    const s = new Session({ maxHeldBatches: 3 });
    for (const f of A.out.slice(1)) s.ingest(f.batch, f.source);
    expect(s.pendingWork().heldBatches).toBe(0);
    expect(s.data().dropped['batch-gap']).toBe(1);
  });

  it('rejects what is not a batch without throwing', () => {
    const s = new Session();
    const src = { frameId: 0 };
    for (const bad of [null, 1, 'x', {}, { v: 2, doc: 'a', seq: 1, events: [] }, { v: 1, doc: 'a', seq: 0, events: [] }, { v: 1, doc: 'a', seq: 1, events: {} }]) {
      expect(s.ingest(bad as never, src)).toBe('rejected');
    }
    expect(s.data().dropped['invalid-batch']).toBe(7);
  });

  it('counts malformed events and keeps going', () => {
    const s = new Session();
    const events = [null, { k: 'nope', at: 1 }, { k: 'post', at: 2 }, { k: 'post', at: 3, via: 'port', port: 1, transfer: [null], predicted: { o: 'sent' } }, { k: 'channel', at: 4, port1: 1, port2: 2 }];
    expect(s.ingest({ v: 1, doc: 'a', seq: 1, events: events as never }, { frameId: 0 })).toBe('applied');
    expect(s.data().dropped['invalid-event']).toBe(4);
    expect(s.data().ports).toHaveLength(2);
  });
});

describe('a service worker stopped mid-stream', () => {
  it('restores from toJSON and continues as if never stopped, resends included', () => {
    const { feeds } = relayThroughMiddle();
    const order = shuffled(feeds, 7);
    const whole = sessionOf(order);
    for (let cut = 0; cut <= order.length; cut++) {
      const first = sessionOf(order.slice(0, cut));
      const saved = JSON.parse(JSON.stringify(first.toJSON()));
      const s = Session.restore(saved);
      // The relays resend everything not yet acknowledged: some of it was already ingested.
      feedAll(s, order.slice(Math.max(0, cut - 2)));
      expect(s.data()).toEqual(whole.data());
      expect(facts(s)).toEqual(facts(whole));
    }
  });

  it('restores as well from the packed state meant for IndexedDB', () => {
    const { feeds } = relayThroughMiddle();
    const order = shuffled(feeds, 11);
    const whole = sessionOf(order);
    for (let cut = 0; cut <= order.length; cut++) {
      const s = Session.restore(structuredClone(sessionOf(order.slice(0, cut)).toState()));
      feedAll(s, order.slice(cut));
      expect(JSON.parse(JSON.stringify(s.data()))).toEqual(JSON.parse(JSON.stringify(whole.data())));
    }
  });

  it('keeps waiting halves, held batches and blocked events across the restart', () => {
    const { feeds } = relayThroughMiddle();
    // C first: its events on the arrived port wait for B's send, which waits for A's.
    const cFirst = [...feeds.filter((f) => f.batch.doc === 'C').reverse(), ...feeds.filter((f) => f.batch.doc !== 'C')];
    const s1 = sessionOf(cFirst.slice(0, 3));
    const work = s1.pendingWork();
    expect(work.heldBatches + work.unknownPorts).toBeGreaterThan(0);
    const s2 = Session.restore(structuredClone(s1.toJSON()));
    expect(s2.pendingWork()).toEqual(work);
    feedAll(s2, cFirst.slice(3));
    expect(facts(s2)).toEqual(facts(sessionOf(feeds)));
  });
});

describe('predicted drops', () => {
  it('skips sends the model predicted dropped so later sends still pair in order', () => {
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: A_URL });
    A.batch([ctx(1, A_URL, true), channel(2, 1, 2), start(2, 2)]);
    A.batch([
      postPort(3, 1, 1),
      postPort(4, 2, 1, [], { o: 'dropped', reason: 'doomed' }),
      postPort(5, 3, 1, [], { o: 'error', name: 'DataCloneError', message: 'function could not be cloned' }),
      postPort(6, 4, 1),
    ]);
    A.batch([deliverPort(7, 2, 'first'), deliverPort(8, 2, 'second')]);
    const d = sessionOf(A.out).data();
    expect(d.messages.map((m) => [m.sentAt, m.outcome.status, m.outcome.reason, m.deliveredAt, m.preview])).toEqual([
      [3, 'delivered', null, 7, 'first'],
      [4, 'dropped', 'doomed', null, null],
      [5, 'error', 'DataCloneError: function could not be cloned', null, null],
      [6, 'delivered', null, 8, 'second'],
    ]);
  });

  it('marks a port lost with the message that carried it', () => {
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: A_URL });
    A.batch([ctx(1, A_URL, true), channel(2, 1, 2), channel(3, 3, 4), close(3.5, 4)]);
    A.batch([postPort(4, 1, 3, [portIn(2)], { o: 'dropped', reason: 'partner-closed' })]);
    const d = sessionOf(A.out).data();
    expect(d.ports[1]).toMatchObject({ shipped: true, lostIn: d.messages[0].id });
  });

  it('drops a window message whose targetOrigin does not match the target document', () => {
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: A_URL });
    const B = new Doc('B', { frameId: 5, parentFrameId: 0, url: B_URL });
    B.batch([ctx(1, B_URL, false, 0)]);
    A.batch([ctx(1, A_URL, true)]);
    A.batch([postWindow(2, 1, CHILD0, 'https://evil.test'), postWindow(3, 2, CHILD0, 'https://b.test/other/path'), postWindow(4, 3, CHILD0, '*')]);
    B.batch([deliverWindow(5, UP1, 'https://a.test', 'second'), deliverWindow(6, UP1, 'https://a.test', 'third')]);
    const d = sessionOf([...B.out, ...A.out]).data();
    // Ids follow the order the background learned of messages: here the deliveries came first.
    const bySend = d.messages.slice().sort((x, y) => (x.sentAt as number) - (y.sentAt as number));
    expect(bySend.map((m) => [m.sentAt, m.outcome.status, m.outcome.reason, m.preview])).toEqual([
      [2, 'dropped', 'target-origin-mismatch', null],
      [3, 'delivered', null, 'second'],
      [4, 'delivered', null, 'third'],
    ]);
  });

  it('pairs a delivery that arrives before its send', () => {
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: A_URL });
    const B = new Doc('B', { frameId: 5, parentFrameId: 0, url: B_URL });
    A.batch([ctx(1, A_URL, true), postWindow(2, 1, CHILD0, '*')]);
    B.batch([ctx(1, B_URL, false, 0), deliverWindow(3, UP1, 'https://a.test', 'hi')]);
    const s = new Session();
    feedAll(s, B.out);
    expect(s.data().messages[0]).toMatchObject({ fromContext: null, deliveredAt: 3, outcome: { status: 'delivered' } });
    feedAll(s, A.out);
    expect(s.data().messages).toHaveLength(1);
    const [b, a] = s.data().contexts;
    expect(s.data().messages[0]).toMatchObject({ fromContext: a.id, toContext: b.id, sentAt: 2, deliveredAt: 3, waitMs: 1 });
  });

  it('does not pair a delivery with a send made after it', () => {
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: A_URL });
    const B = new Doc('B', { frameId: 5, parentFrameId: 0, url: B_URL });
    B.batch([ctx(1, B_URL, false, 0), deliverWindow(3, UP1, 'https://a.test', 'from elsewhere')]);
    A.batch([ctx(1, A_URL, true), postWindow(500, 1, CHILD0, '*')]);
    B.batch([deliverWindow(501, UP1, 'https://a.test', 'real')]);
    const d = sessionOf([...B.out, ...A.out]).data();
    const real = d.messages.find((m) => m.preview === 'real');
    expect(real).toMatchObject({ sentAt: 500, deliveredAt: 501 });
    expect(d.messages.find((m) => m.preview === 'from elsewhere')).toMatchObject({ sentAt: null });
  });
});

describe('message budget', () => {
  it('evicts the oldest in chunks and counts every one', () => {
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: A_URL });
    A.batch([ctx(1, A_URL, true), channel(2, 1, 2), start(2, 2)]);
    // Deliveries lag 6 sends behind: with chunked eviction some sends are evicted while waiting.
    const LAG = 6;
    for (let i = 0; i < 23 + LAG; i++) {
      const events = [];
      if (i < 23) events.push(postPort(10 + i, i + 1, 1));
      if (i >= LAG) events.push(deliverPort(10 + i + 0.5, 2, `m${i - LAG}`));
      A.batch(events);
    }
    const s = sessionOf(A.out, { maxMessages: 10, evictChunk: 4 });
    const d = s.data();
    expect(d.messages.length).toBeLessThanOrEqual(10);
    expect(d.messages.length).toBeGreaterThanOrEqual(6);
    const made = d.messages[d.messages.length - 1].id;
    expect(s.evicted + d.messages.length).toBe(made);
    expect(d.dropped['message-budget']).toBe(s.evicted);
    // The FIFO kept its place: deliveries of evicted sends did not shift the pairing.
    const paired = d.messages.filter((m) => m.sentAt !== null && m.deliveredAt !== null);
    expect(paired.length).toBeGreaterThan(0);
    for (const m of paired) expect(m.preview).toBe(`m${(m.sentAt as number) - 10}`);
    expect(d.messages[d.messages.length - 1]).toMatchObject({ preview: 'm22', sentAt: 32 });
    expect(s.snapshot().firstMessageId).toBe(d.messages[0].id);
  });
});

describe('workers reported by their page', () => {
  it('makes the worker a child context and pairs page ↔ worker messages', () => {
    const s = new Session();
    const events = [
      ctx(1, A_URL, true),
      { k: 'context', at: 2, kind: 'worker', url: 'https://a.test/w.js', origin: 'https://a.test', top: false, ctx: 1, parent: 0 },
      { k: 'post', at: 3, msg: 1, via: 'worker', object: 1, transfer: [], predicted: { o: 'sent' } },
      { k: 'deliver', at: 4, ctx: 1, type: 'message', via: 'worker', ports: [], listeners: 1, preview: 'to worker' },
      { k: 'post', at: 5, ctx: 1, msg: 2, via: 'worker', transfer: [], predicted: { o: 'sent' } },
      { k: 'deliver', at: 6, type: 'message', via: 'worker', object: 1, ports: [], listeners: 1, preview: 'to page' },
    ];
    s.ingest({ v: 1, doc: 'A', seq: 1, events: events as never }, { frameId: 0, parentFrameId: -1 });
    const d = s.data();
    expect(d.contexts.map((c) => [c.kind, c.parentId])).toEqual([
      ['window', null],
      ['worker', 1],
    ]);
    expect(d.messages.map((m) => [m.fromContext, m.toContext, m.preview])).toEqual([
      [1, 2, 'to worker'],
      [2, 1, 'to page'],
    ]);
  });
});

describe('navigation', () => {
  it('ends the old document when a new one reports from the same frame', () => {
    const s = new Session();
    const one = new Doc('one', { frameId: 5, parentFrameId: 0, url: B_URL });
    const two = new Doc('two', { frameId: 5, parentFrameId: 0, url: C_URL });
    one.batch([ctx(1, B_URL, false, 0)]);
    two.batch([ctx(10, C_URL, false, 0)]);
    one.batch([{ k: 'listen', at: 5, op: 'add', type: 'message', via: 'window' }]);
    feedAll(s, [...one.out, ...two.out]);
    const [a, b] = s.data().contexts;
    expect(a.endedAt).toBe(10);
    expect(b.endedAt).toBe(null);
  });

  it('a replaced top document takes its frames and their workers with it, not the new document\'s', () => {
    const s = new Session();
    const top1 = new Doc('top1', { frameId: 0, parentFrameId: -1, url: A_URL });
    const child1 = new Doc('child1', { frameId: 3, parentFrameId: 0, url: B_URL });
    const top2 = new Doc('top2', { frameId: 0, parentFrameId: -1, url: A_URL });
    const child2 = new Doc('child2', { frameId: 4, parentFrameId: 0, url: B_URL });
    top1.batch([ctx(1, A_URL, true)]);
    child1.batch([ctx(2, B_URL, false, 0), { k: 'context', at: 3, ctx: 1, kind: 'worker', url: '', origin: 'http://b.test', top: false, parent: 0 }]);
    top2.batch([ctx(20, A_URL, true)]);
    child2.batch([ctx(21, B_URL, false, 0)]);
    feedAll(s, [...top1.out, ...child1.out, ...top2.out, ...child2.out]);
    const byDoc = new Map(s.data().contexts.map((c) => [`${c.doc}:${c.ctx}`, c.endedAt]));
    expect(Object.fromEntries(byDoc)).toEqual({ 'top1:0': 20, 'child1:0': 20, 'child1:1': 20, 'top2:0': null, 'child2:0': null });
  });

  it('ends a removed frame\'s document and the frames it held when the background says it went, and only those', () => {
    const s = new Session();
    const top = new Doc('top', { frameId: 0, parentFrameId: -1, url: A_URL });
    const child = new Doc('child', { frameId: 3, parentFrameId: 0, url: B_URL });
    const grandchild = new Doc('grandchild', { frameId: 4, parentFrameId: 3, url: C_URL });
    top.batch([ctx(1, A_URL, true)]);
    child.batch([ctx(2, B_URL, false, 0)]);
    grandchild.batch([ctx(3, C_URL, false, 0)]);
    feedAll(s, [...top.out, ...child.out, ...grandchild.out]);
    s.documentGone('child', 50);
    s.documentGone('no such document', 50);
    const ended = () => Object.fromEntries(s.data().contexts.map((c) => [c.doc, c.endedAt]));
    expect(ended()).toEqual({ top: null, child: 50, grandchild: 50 });
    // Back from the back/forward cache: active again after it ended.
    feedAll(s, [child.batch([{ k: 'listen', at: 60, op: 'add', type: 'message', via: 'window' }])]);
    expect(ended()).toEqual({ top: null, child: null, grandchild: 50 });
  });

  it("names a frame's next document as a window message's sender, though its initial about:blank went first and the next one reported later", () => {
    const s = new Session();
    const top = new Doc('top', { frameId: 0, parentFrameId: -1, url: A_URL, origin: 'https://a.test' });
    const blank = new Doc('blank', { frameId: 3, parentFrameId: 0, url: 'about:blank', origin: 'https://a.test' });
    const child = new Doc('child', { frameId: 3, parentFrameId: 0, url: B_URL, origin: 'https://b.test' });
    feedAll(s, [top.batch([ctx(1, A_URL, true)]), blank.batch([{ k: 'context', at: 2, kind: 'window', url: 'about:blank', origin: 'https://a.test', top: false, indexInParent: 0 }])]);
    // The blank's relay goes (on the background's clock, later than the delivery below), then
    // the top's batch with the delivery comes, and only then the child's first one.
    s.documentGone('blank', 40);
    feedAll(s, [top.batch([deliverWindow(10, CHILD0, 'https://b.test', 'ready')])]);
    const sender = () => s.data().contexts.find((c) => c.id === s.data().messages[0]?.fromContext)?.url;
    // The blank (https://a.test) cannot have sent a message of origin https://b.test: not known yet.
    expect(sender()).toBeUndefined();
    feedAll(s, [child.batch([ctx(5, B_URL, false, 0)])]);
    expect(sender()).toBe(B_URL);
  });

  it('leaves alone what was posted to a port held by a worker before the worker\'s page went (nothing inside a worker reports its deliveries), not what came after', () => {
    const s = new Session();
    const top = new Doc('top', { frameId: 0, parentFrameId: -1, url: A_URL, origin: 'https://a.test' });
    const child = new Doc('child', { frameId: 3, parentFrameId: 0, url: B_URL, origin: 'https://b.test' });
    top.batch([ctx(1, A_URL, true), channel(2, 1, 2), postWindow(3, top.nextMsg(), CHILD0, '*', [portIn(2)])]);
    child.batch([
      ctx(1.5, B_URL, false, 0),
      deliverWindow(4, UP1, 'https://a.test', 'port', [1]),
      { k: 'context', at: 4.5, ctx: 1, object: 7, kind: 'worker', url: '', origin: 'https://b.test', top: false, parent: 0 },
      { k: 'post', at: 5, msg: 1, via: 'worker', object: 7, transfer: [{ kind: 'MessagePort', id: 1 }], predicted: { o: 'sent' } },
    ]);
    feedAll(s, [...top.out, ...child.out]);
    feedAll(s, [top.batch([postPort(6, top.nextMsg(), 1)])]);
    const toWorker = () => s.data().messages.find((m) => m.via === 'port' && m.sentAt === 6)!;
    expect(toWorker().toContext).toBe(s.data().contexts.find((c) => c.kind === 'worker')!.id);
    s.documentGone('child', 50);
    expect(s.data().contexts.find((c) => c.kind === 'worker')!.endedAt).toBe(50);
    expect(toWorker().outcome).toEqual({ status: 'sent', reason: null });
    // Sent once the worker was gone with its page: lost.
    feedAll(s, [top.batch([postPort(60, top.nextMsg(), 1)])]);
    expect(s.data().messages.find((m) => m.sentAt === 60)!.outcome).toEqual({ status: 'dropped', reason: 'receiver-gone' });
  });

  it('ends a worker its page terminated; the page cannot end itself that way, nor a context it never reported', () => {
    const s = new Session();
    const top = new Doc('top', { frameId: 0, parentFrameId: -1, url: A_URL, origin: 'https://a.test' });
    const worker = { k: 'context' as const, at: 2, ctx: 1, object: 7, kind: 'worker' as const, url: '', origin: 'https://a.test', top: false, parent: 0 };
    feedAll(s, [top.batch([ctx(1, A_URL, true), worker, channel(3, 1, 2), { k: 'post', at: 4, msg: 1, via: 'worker', object: 7, transfer: [{ kind: 'MessagePort', id: 2 }], predicted: { o: 'sent' } }])]);
    feedAll(s, [top.batch([{ k: 'end', at: 10, ctx: 1 }, postPort(10, top.nextMsg(), 1), { k: 'end', at: 11, ctx: 0 } as never, { k: 'end', at: 12, ctx: 5 }])]);
    const d = s.data();
    expect(d.contexts.map((c) => [c.kind, c.endedAt])).toEqual([['window', null], ['worker', 10]]);
    expect(d.dropped['invalid-event']).toBe(2);
    // The worker still reports nothing of its own: what was sent to it before stays sent.
    expect(d.messages.map((m) => [m.via, m.sentAt, m.outcome.status, m.outcome.reason])).toEqual([
      ['worker', 4, 'sent', null],
      ['port', 10, 'dropped', 'receiver-gone'],
    ]);
  });

  it('counts a post in the same clock tick as terminate() as after it, whichever form each event travelled in', () => {
    // Chromium's performance.now() on its 100 µs grid, with its float error: the post travels
    // compact (whole microseconds, 10.0 here), the end event as an object (10.000000000372529).
    const tick = 10.000000000372529;
    const s = new Session();
    const top = new Doc('top', { frameId: 0, parentFrameId: -1, url: A_URL, origin: 'https://a.test' });
    const worker = { k: 'context' as const, at: 2, ctx: 1, object: 7, kind: 'worker' as const, url: '', origin: 'https://a.test', top: false, parent: 0 };
    feedAll(s, [top.batch([ctx(1, A_URL, true), worker, channel(3, 1, 2), { k: 'post', at: 4, msg: 1, via: 'worker', object: 7, transfer: [{ kind: 'MessagePort', id: 2 }], predicted: { o: 'sent' } }])]);
    const events: unknown[] = [{ k: 'end', at: tick, ctx: 1 }, postPort(tick, top.nextMsg(), 1)];
    compactEvents(events, () => [], Object.keys, Array.isArray);
    const wire = top.batch(events as never, undefined, tick);
    s.ingest(batchOfWire({ t: 'text', seq: wire.batch.seq, text: JSON.stringify(wire.batch) }) as PageBatch, wire.source);
    const d = s.data();
    expect(d.contexts.find((c) => c.kind === 'worker')!.endedAt).toBe(10);
    expect(d.messages.filter((m) => m.via === 'port').map((m) => [m.sentAt, m.outcome])).toEqual([[10, { status: 'dropped', reason: 'receiver-gone' }]]);
  });

  it('drops what is still on its way to a port the gone document held, and what is posted to it later; a late delivery still pairs', () => {
    const s = new Session();
    const top = new Doc('top', { frameId: 0, parentFrameId: -1, url: A_URL, origin: 'https://a.test' });
    const child = new Doc('child', { frameId: 3, parentFrameId: 0, url: B_URL, origin: 'https://b.test' });
    const other = new Doc('other', { frameId: 4, parentFrameId: 0, url: C_URL, origin: 'https://c.test' });
    top.batch([ctx(1, A_URL, true), channel(2, 1, 2), postWindow(3, top.nextMsg(), CHILD0, '*', [portIn(2)]), channel(4, 3, 4)]);
    top.batch([postPort(6, top.nextMsg(), 1), postPort(7, top.nextMsg(), 1), postPort(8, top.nextMsg(), 3)]);
    child.batch([ctx(1.5, B_URL, false, 0), deliverWindow(4, UP1, 'https://a.test', 'port', [1]), start(5, 1), deliverPort(6.5, 1, 'answered')]);
    other.batch([ctx(1.7, C_URL, false, 1)]);
    feedAll(s, [...top.out, ...child.out, ...other.out]);
    const bySent = () => Object.fromEntries(s.data().messages.filter((m) => m.via === 'port').map((m) => [m.sentAt, [m.outcome.status, m.outcome.reason]]));
    expect(bySent()).toEqual({ 6: ['delivered', null], 7: ['sent', null], 8: ['sent', null] });
    s.documentGone('child', 50);
    // Sent at 7, never delivered before the frame went: lost. Port 3's partner is still in the top.
    expect(bySent()).toEqual({ 6: ['delivered', null], 7: ['dropped', 'receiver-gone'], 8: ['sent', null] });
    feedAll(s, [top.batch([postPort(60, top.nextMsg(), 1)])]);
    expect(bySent()[60]).toEqual(['dropped', 'receiver-gone']);
    // Back from the back/forward cache, it reports the delivery after all: the delivery wins.
    feedAll(s, [child.batch([deliverPort(70, 1, 'late')])]);
    expect(bySent()[7]).toEqual(['delivered', null]);
    expect(s.data().messages.find((m) => m.sentAt === 7)?.deliveredAt).toBe(70);
  });
});

function close(at: number, port: number) {
  return { k: 'close' as const, at, port };
}

describe('clear', () => {
  it('forgets messages but keeps topology, and messages in flight still pair in order', () => {
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: A_URL });
    A.batch([ctx(1, A_URL, true), channel(2, 1, 2), start(2, 2), postPort(3, 1, 1), postPort(4, 2, 1)]);
    A.batch([deliverPort(5, 2, 'before clear, delivered after')]);
    A.batch([postPort(6, 3, 1), deliverPort(7, 2, 'second'), deliverPort(8, 2, 'third', [], 0)]);
    const s = sessionOf(A.out.slice(0, 1));
    s.clear();
    expect(s.messageCount).toBe(0);
    expect(s.data().ports).toHaveLength(2);
    feedAll(s, A.out.slice(1));
    const d = s.data();
    expect(d.messages.map((m) => [m.sentAt, m.deliveredAt, m.preview, m.outcome.status, m.outcome.reason])).toEqual([
      [null, 5, 'before clear, delivered after', 'delivered', null],
      [6, 8, 'third', 'dropped', 'no-listener'],
      [null, 7, 'second', 'delivered', null],
    ]);
  });
});

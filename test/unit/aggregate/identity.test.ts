import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/aggregate';
import { english } from '../../../src/audit/text';
import type { PageEvent } from '../../../src/protocol/messages';
import { facts, feedAll, sessionOf } from './scenarios';
import { CHILD0, Doc, UP1, channel, ctx, deliverPort, deliverWindow, postPort, shuffled, start, type Fed } from './streams';

const TOP = 'http://127.0.0.1:8080/demo/';
const CHILD = 'http://localhost:8080/demo/child.html';

/**
 * The demo page as the instrumentation reports it: the top frame never sees its own
 * child.contentWindow.postMessage(connect, [port2]), the child never sees its window.parent
 * .postMessage(ready). Everything else is reported where it happens.
 */
function demo(): Fed[] {
  const T = new Doc('top', { frameId: 0, parentFrameId: -1, url: TOP });
  const C = new Doc('child', { frameId: 3, parentFrameId: 0, url: CHILD });
  T.batch([ctx(1000, TOP, true), { k: 'channel', at: 1001, port1: 1, port2: 2, stack: 1 }, { k: 'start', at: 1001.5, port: 1, implicit: true }], [[1, 'at demo.js:7']]);
  T.batch([postPort(1010, T.nextMsg(), 1), postPort(1010.2, T.nextMsg(), 1, [{ kind: 'ArrayBuffer', id: 1, bytes: 1024 }])]);
  C.batch([ctx(1005, CHILD, false, 0)]);
  C.batch([
    { ...deliverWindow(1012, UP1, 'http://127.0.0.1:8080', 'connect', [1]), originRead: false, bufferBytes: 0 } as PageEvent,
    { k: 'start', at: 1012.5, port: 1, implicit: true },
    deliverPort(1013, 1, 'ping'),
    postPort(1013.2, C.nextMsg(), 1),
    { ...deliverPort(1013.5, 1, 'bytes'), bufferBytes: 1024 } as PageEvent,
    postPort(1013.7, C.nextMsg(), 1),
  ]);
  T.batch([deliverWindow(1014, CHILD0, 'http://localhost:8080', 'ready'), deliverPort(1015, 1, 'pong ping'), deliverPort(1016, 1, 'pong bytes')]);
  return [...T.out, ...C.out];
}

function checkDemo(s: Session): void {
  const d = s.data();
  const top = d.contexts.find((c) => c.url === TOP) as (typeof d.contexts)[0];
  const child = d.contexts.find((c) => c.url === CHILD) as (typeof d.contexts)[0];
  expect(d.contexts).toHaveLength(2);
  expect(d.ports).toHaveLength(2);
  const [p1, p2] = d.ports;
  expect(p2.holders.map((h) => h.contextId)).toEqual([top.id, child.id]);
  expect(p2).toMatchObject({ shipped: true, started: true, entangledWith: p1.id, createdStack: 'at demo.js:7' });
  const by = Object.fromEntries(d.messages.map((m) => [m.preview, m]));
  expect(d.messages).toHaveLength(6);
  const connect = by['connect'];
  expect(connect).toMatchObject({ via: 'window', fromContext: top.id, toContext: child.id, sentAt: null, deliveredAt: 1012, originRead: false, outcome: { status: 'delivered' } });
  expect(connect.transfer).toEqual([{ kind: 'MessagePort', id: p2.id, bytes: null }]);
  expect(p2.holders[1].messageId).toBe(connect.id);
  expect(by['ready']).toMatchObject({ via: 'window', fromContext: child.id, toContext: top.id, originRead: null, transfer: [] });
  for (const [name, sentAt, deliveredAt] of [['ping', 1010, 1013], ['bytes', 1010.2, 1013.5]] as const) {
    expect(by[name]).toMatchObject({ via: 'port', fromContext: top.id, toContext: child.id, fromPort: p1.id, toPort: p2.id, sentAt, deliveredAt, outcome: { status: 'delivered' } });
  }
  expect(by['bytes'].bufferBytes).toBe(1024);
  for (const [name, sentAt, deliveredAt] of [['pong ping', 1013.2, 1015], ['pong bytes', 1013.7, 1016]] as const) {
    expect(by[name]).toMatchObject({ via: 'port', fromContext: child.id, toContext: top.id, fromPort: p2.id, toPort: p1.id, sentAt, deliveredAt, outcome: { status: 'delivered' } });
  }
  expect(s.pendingWork()).toEqual({ heldBatches: 0, unknownPorts: 0, unresolvedWindows: 0, waitingHalves: 0, waitingBroadcasts: 0 });
  expect(d.dropped['port-identity-unknown']).toBeUndefined();
}

describe('the demo: a port handed over by a window message nobody reports sending', () => {
  it('gives port2 holders [top, child] and pairs every port message', () => {
    checkDemo(sessionOf(demo()));
  });

  it('concludes the same whatever order the batches arrive in', () => {
    const feeds = demo();
    const expected = facts(sessionOf(feeds));
    for (let seed = 1; seed <= 40; seed++) {
      const s = sessionOf(shuffled(feeds, seed));
      checkDemo(s);
      expect(facts(s)).toEqual(expected);
    }
  });

  it('survives a restart (toState or toJSON → restore) at any point', () => {
    const feeds = shuffled(demo(), 5);
    const expected = facts(sessionOf(feeds));
    for (let cut = 0; cut <= feeds.length; cut++) {
      const first = sessionOf(feeds.slice(0, cut));
      for (const saved of [structuredClone(first.toState()), JSON.parse(JSON.stringify(first.toJSON()))]) {
        const s = Session.restore(saved);
        feedAll(s, feeds.slice(Math.max(0, cut - 1)));
        checkDemo(s);
        expect(facts(s)).toEqual(expected);
      }
    }
  });

  it('holds messages on the arrived port back until it is known, then sends them in a delta', () => {
    const feeds = demo();
    const s = new Session();
    // The child first: its port is unknown, nothing of its stream waits.
    for (const f of feeds.filter((x) => x.batch.doc === 'child')) s.ingest(f.batch, f.source);
    expect(s.pendingWork().unknownPorts).toBe(1);
    expect(s.data().messages.map((m) => m.preview)).toEqual(['connect']);
    s.takeDelta();
    for (const f of feeds.filter((x) => x.batch.doc === 'top')) s.ingest(f.batch, f.source);
    const delta = s.takeDelta();
    expect(delta?.messages.map((m) => m.preview).sort()).toEqual(['bytes', 'connect', 'ping', 'pong bytes', 'pong ping', 'ready']);
    expect(delta?.ports.map((p) => p.id)).toContain(2);
    checkDemo(s);
  });
});

describe('choosing between several ports the source held', () => {
  it('follows the traffic: what the source posts on a candidate’s partner arrives on the new port', () => {
    const T = new Doc('top', { frameId: 0, parentFrameId: -1, url: TOP });
    const C = new Doc('child', { frameId: 3, parentFrameId: 0, url: CHILD });
    T.batch([ctx(1000, TOP, true), channel(1001, 1, 2), channel(1001, 3, 4), start(1001, 1), start(1001, 2)]);
    // Port 4 goes to the child unseen; ports 1 and 2 talk inside the top frame.
    T.batch([postPort(1010, T.nextMsg(), 3), postPort(1011, T.nextMsg(), 1), deliverPort(1011.5, 2, 'local')]);
    C.batch([ctx(1002, CHILD, false, 0), deliverWindow(1005, UP1, 'http://127.0.0.1:8080', 'connect', [9]), start(1006, 9), deliverPort(1012, 9, 'to child')]);
    T.batch([postPort(1020, T.nextMsg(), 1), deliverPort(1020.5, 2, 'local 2')]);
    for (const order of [[...T.out, ...C.out], [...C.out, ...T.out], shuffled([...T.out, ...C.out], 3)]) {
      const d = sessionOf(order).data();
      const p4 = d.ports[3];
      expect(p4.holders.map((h) => h.contextId)).toEqual([1, 2].map((i) => d.contexts.find((c) => c.url === (i === 1 ? TOP : CHILD))?.id));
      expect(d.ports).toHaveLength(4);
      expect(d.messages.find((m) => m.preview === 'to child')).toMatchObject({ fromPort: 3, toPort: 4, sentAt: 1010, deliveredAt: 1012 });
      expect(d.messages.find((m) => m.preview === 'connect')?.transfer).toEqual([{ kind: 'MessagePort', id: 4, bytes: null }]);
    }
  });

  it('takes the one candidate left when the others were used after the arrival', () => {
    const T = new Doc('top', { frameId: 0, parentFrameId: -1, url: TOP });
    const C = new Doc('child', { frameId: 3, parentFrameId: 0, url: CHILD });
    T.batch([ctx(1000, TOP, true), channel(1001, 1, 2)]);
    C.batch([ctx(1002, CHILD, false, 0), deliverWindow(1005, UP1, 'http://127.0.0.1:8080', 'connect', [9])]);
    // Long after, the top still has port 1: the port that left was port 2.
    T.batch([start(2000, 1)]);
    const d = sessionOf([...C.out, ...T.out]).data();
    expect(d.ports.map((p) => p.holders.length)).toEqual([1, 2]);
  });

  it('gives a port that can never be identified its own id, and counts it', () => {
    const T = new Doc('top', { frameId: 0, parentFrameId: -1, url: TOP });
    const C = new Doc('child', { frameId: 3, parentFrameId: 0, url: CHILD });
    T.batch([ctx(1000, TOP, true), channel(1001, 1, 2), channel(1001, 3, 4)]);
    C.batch([ctx(1002, CHILD, false, 0), deliverWindow(1005, UP1, 'http://127.0.0.1:8080', 'connect', [9]), start(1006, 9), postPort(1007, 1, 9)]);
    T.batch([{ k: 'listen', at: 1008, op: 'add', type: 'message', via: 'window' }]);
    const s = sessionOf([...T.out, ...C.out]);
    expect(s.pendingWork().unknownPorts).toBe(1);
    expect(s.data().messages).toHaveLength(1);
    s.releaseHeld();
    const d = s.data();
    expect(d.dropped['port-identity-unknown']).toBe(1);
    expect(d.ports).toHaveLength(5);
    expect(d.ports[4]).toMatchObject({ channelId: null, started: true, shipped: true });
    expect(d.messages.find((m) => m.via === 'port')).toMatchObject({ fromPort: 5, sentAt: 1007, outcome: { status: 'sent' } });
  });
});

describe('workers seen from their page', () => {
  // This once asserted one id with holders [page, worker, page], inferred from the traffic on
  // port 1 and the returned port. That was a guess shown as fact: nothing inside the worker is
  // seen, and a worker that made a channel of its own and relayed would show the same traffic
  // (Comlink answers makeCounter() with a port it made: the guess joined unrelated messages).
  it('a port that comes back from a worker is a port of its own, with the ports it may be', () => {
    const P = new Doc('page', { frameId: 0, parentFrameId: -1, url: TOP });
    const events: PageEvent[] = [
      ctx(1000, TOP, true),
      { k: 'context', at: 1000.5, ctx: 1, object: 7, kind: 'worker', url: '', origin: 'http://127.0.0.1:8080', top: false, parent: 0 },
      channel(1001, 1, 2),
      { k: 'post', at: 1002, msg: 1, via: 'worker', object: 7, transfer: [{ kind: 'MessagePort', id: 2 }], predicted: { o: 'sent' } },
      { k: 'post', at: 1003, msg: 2, via: 'worker', object: 7, transfer: [], predicted: { o: 'sent' } },
      { k: 'deliver', at: 1010, type: 'message', via: 'worker', object: 7, ports: [5], listeners: 1, preview: 'port back' },
      start(1010.5, 5),
      start(1010.5, 1),
      postPort(1011, 3, 1),
      deliverPort(1012, 5, 'to returned'),
      postPort(1013, 4, 5),
      deliverPort(1014, 1, 'from returned'),
      { k: 'deliver', at: 1015, type: 'message', via: 'worker', object: 7, ports: [6], listeners: -1, preview: 'made there' },
    ];
    P.batch(events.slice(0, 8));
    P.batch(events.slice(8));
    const s = sessionOf(P.out);
    const d = s.data();
    const [page, worker] = d.contexts;
    expect(worker).toMatchObject({ kind: 'worker', parentId: page.id });
    // The page's port 2 went to the worker: that much is seen.
    expect(d.ports[1].holders.map((h) => h.contextId)).toEqual([page.id, worker.id]);
    // What came back is held by the worker first, then the page; it may be port 2 or a port the worker made.
    const back = d.ports[2];
    expect(back.holders.map((h) => h.contextId)).toEqual([worker.id, page.id]);
    expect(back).toMatchObject({ createdIn: null, entangledWith: null, identity: { status: 'unknown', candidates: [2] } });
    const by = Object.fromEntries(d.messages.map((m) => [m.preview ?? `sent ${m.sentAt}`, m]));
    expect(by['sent 1002']).toMatchObject({ fromContext: page.id, toContext: worker.id, outcome: { status: 'sent', reason: null } });
    expect(by['port back']).toMatchObject({ fromContext: worker.id, toContext: page.id, sentAt: null, transfer: [{ kind: 'MessagePort', id: 3, bytes: null }] });
    // No join across the unknown: the send on port 1 went toward port 2 in the worker, and the
    // delivery on the returned port stays a delivery whose send is not seen.
    expect(by['sent 1011']).toMatchObject({ fromPort: 1, toPort: 2, toContext: worker.id, deliveredAt: null });
    expect(by['to returned']).toMatchObject({ toPort: 3, sentAt: null, deliveredAt: 1012 });
    expect(by['sent 1013']).toMatchObject({ fromPort: 3, toPort: null, deliveredAt: null });
    expect(by['from returned']).toMatchObject({ toPort: 1, sentAt: null, deliveredAt: 1014 });
    // listeners -1 is unknown; the second port may again be port 2.
    expect(by['made there'].listeners).toBeNull();
    expect(d.ports[3]).toMatchObject({ channelId: null, identity: { status: 'unknown', candidates: [2] } });
    expect(d.ports[3].holders.map((h) => h.contextId)).toEqual([worker.id, page.id]);
    // The reason also as a catalogue key for the panel, whose English is the trace's `why`.
    for (const p of [back, d.ports[3]]) {
      expect(p.identity?.text?.key).toBe('idWhy_worker_inside');
      expect(english(p.identity!.text!)).toBe(p.identity!.why);
    }
    expect(s.pendingWork()).toEqual({ heldBatches: 0, unknownPorts: 0, unresolvedWindows: 0, waitingHalves: 0, waitingBroadcasts: 0 });
  });

  it('a port from a worker that held none was made there', () => {
    const P = new Doc('page', { frameId: 0, parentFrameId: -1, url: TOP });
    P.batch([
      ctx(1000, TOP, true),
      { k: 'context', at: 1000.5, ctx: 1, object: 7, kind: 'worker', url: '', origin: 'http://127.0.0.1:8080', top: false, parent: 0 },
      { k: 'deliver', at: 1015, type: 'message', via: 'worker', object: 7, ports: [6], listeners: 1, preview: 'made there' },
    ]);
    const d = sessionOf(P.out).data();
    const [page, worker] = d.contexts;
    expect(d.ports).toHaveLength(1);
    expect(d.ports[0]).toMatchObject({ createdIn: worker.id, entangledWith: null });
    expect(d.ports[0].identity ?? null).toBeNull();
    expect(d.ports[0].holders.map((h) => h.contextId)).toEqual([worker.id, page.id]);
  });
});

describe('BroadcastChannel', () => {
  it('records one message per (send, receiving object), in order, in any arrival order', () => {
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: 'https://a.test/' });
    const B = new Doc('B', { frameId: 1, parentFrameId: 0, url: 'https://a.test/b' });
    const C = new Doc('C', { frameId: 2, parentFrameId: 0, url: 'https://a.test/c' });
    const post = (at: number, msg: number, object: number, name: string): PageEvent => ({ k: 'post', at, msg, via: 'broadcast', object, name, transfer: [], predicted: { o: 'sent' } });
    const del = (at: number, object: number, name: string, preview: string): PageEvent => ({ k: 'deliver', at, type: 'message', via: 'broadcast', object, name, ports: [], listeners: 1, preview });
    // Each stream reported past the last delivery and BROADCAST_SETTLE_MS (the batcher's upTo).
    A.batch([ctx(1000, 'https://a.test/', true), post(1010, 1, 1, 'news'), post(1020, 2, 1, 'news'), post(1030, 3, 2, 'nobody')], undefined, 2000);
    B.batch([ctx(1001, 'https://a.test/b', false, 0), del(1011, 4, 'news', 'first'), del(1021, 4, 'news', 'second')], undefined, 2000);
    C.batch([ctx(1002, 'https://a.test/c', false, 1), del(1012, 1, 'news', 'first'), del(1022, 1, 'news', 'second')], undefined, 2000);
    const feeds = [...A.out, ...B.out, ...C.out];
    const expected = facts(sessionOf(feeds));
    for (let seed = 0; seed <= 10; seed++) {
      const d = sessionOf(seed ? shuffled(feeds, seed) : feeds).data();
      const url = (id: number | null) => d.contexts.find((c) => c.id === id)?.url;
      const rows = d.messages.map((m) => [url(m.fromContext), url(m.toContext), m.sentAt, m.deliveredAt, m.preview, m.outcome.status]).sort((x, y) => String(x).localeCompare(String(y)));
      expect(rows).toEqual([
        ['https://a.test/', undefined, 1030, null, null, 'sent'],
        ['https://a.test/', 'https://a.test/b', 1010, 1011, 'first', 'delivered'],
        ['https://a.test/', 'https://a.test/b', 1020, 1021, 'second', 'delivered'],
        ['https://a.test/', 'https://a.test/c', 1010, 1012, 'first', 'delivered'],
        ['https://a.test/', 'https://a.test/c', 1020, 1022, 'second', 'delivered'],
      ]);
      expect(facts(sessionOf(seed ? shuffled(feeds, seed) : feeds))).toEqual(expected);
    }
  });
});

describe('record fields', () => {
  it('keeps errorPath from the prediction and createdStack from the channel', () => {
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: TOP });
    A.batch([ctx(1, TOP, true), { k: 'channel', at: 2, port1: 1, port2: 2, stack: 4 }, postPort(3, 1, 1, [], { o: 'error', name: 'DataCloneError', message: 'no', path: 'data.fn' })], [[4, 'at make (a.js:1)']]);
    const d = sessionOf(A.out).data();
    expect(d.messages[0]).toMatchObject({ errorPath: 'data.fn', originRead: null, bufferBytes: null });
    expect(d.ports.map((p) => p.createdStack)).toEqual(['at make (a.js:1)', 'at make (a.js:1)']);
  });
});

// A worker that reports from inside (issue 21): its stream comes through its creator's relay,
// named by the owner (the creator's document and its number for the worker), and becomes
// that worker's context: its sends and deliveries pair with the page's, ports it is handed
// are its by observation, and a worker it makes itself is its child.
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/aggregate';
import { Session as SessionClass } from '../../../src/aggregate/session';
import type { PageEvent } from '../../../src/protocol/messages';
import { A_URL, feedAll } from './scenarios';
import { Doc, channel, ctx, deliverPort, portIn, postPort } from './streams';

const W_URL = 'https://a.test/w.js';
const top = () => new Doc('top', { frameId: 0, parentFrameId: -1, url: A_URL, origin: 'https://a.test' });
const inside = (doc: string, ownerDoc: string, n: number) => new Doc(doc, { frameId: 0, parentFrameId: -1, url: A_URL, origin: 'https://a.test', owner: { doc: ownerDoc, ctx: n } });
const workerCtx = (at: number, n: number, object: number, parent = 0): PageEvent => ({ k: 'context', at, kind: 'worker', url: '', origin: 'https://a.test', top: false, ctx: n, object, parent });
const selfCtx = (at: number, url = W_URL): PageEvent => ({ k: 'context', at, kind: 'worker', url, origin: 'https://a.test', top: false });

function scenario() {
  const page = top();
  const w = inside('w', 'top', 1);
  // The page makes a channel, keeps port 1 and sends port 2 to the worker.
  page.batch([ctx(1, A_URL, true), workerCtx(2, 1, 1), channel(3, 1, 2), { k: 'post', at: 4, msg: page.nextMsg(), via: 'worker', object: 1, transfer: [portIn(2)], predicted: { o: 'sent' } }]);
  // Inside: the port arrives (local 1), the worker answers on it and over its own postMessage.
  w.batch([
    selfCtx(2.5),
    { k: 'deliver', at: 5, type: 'message', via: 'worker', ports: [1], listeners: 1, preview: 'port for worker' },
    postPort(6, w.nextMsg(), 1),
    { k: 'post', at: 7, msg: w.nextMsg(), via: 'worker', transfer: [], predicted: { o: 'sent' } },
  ]);
  page.batch([deliverPort(6.5, 1, 'over the port'), { k: 'deliver', at: 7.5, type: 'message', via: 'worker', object: 1, ports: [], listeners: 1, preview: 'to page' }]);
  return { page, w };
}

describe("a worker's own stream", () => {
  it('is the context its creator numbered: every message pairs, the port is the worker\'s by observation', () => {
    const { page, w } = scenario();
    const s = new Session();
    feedAll(s, [...page.out.slice(0, 1), ...w.out, ...page.out.slice(1)]);
    const d = s.data();
    expect(d.contexts.map((c) => [c.kind, c.url])).toEqual([
      ['window', A_URL],
      ['worker', W_URL],
    ]);
    const [pageCtx, worker] = d.contexts;
    expect(worker.parentId).toBe(pageCtx.id);
    for (const m of d.messages) expect(m.outcome.status, m.preview ?? '').toBe('delivered');
    const by = Object.fromEntries(d.messages.map((m) => [m.preview, m]));
    expect(by['port for worker']).toMatchObject({ fromContext: pageCtx.id, toContext: worker.id, sentAt: 4, deliveredAt: 5 });
    expect(by['over the port']).toMatchObject({ via: 'port', fromContext: worker.id, toContext: pageCtx.id, sentAt: 6 });
    expect(by['to page']).toMatchObject({ via: 'worker', fromContext: worker.id, toContext: pageCtx.id, sentAt: 7, deliveredAt: 7.5 });
    expect(d.ports).toHaveLength(2);
    expect(d.ports[1].holders.map((h) => h.contextId)).toEqual([pageCtx.id, worker.id]);
    expect(s.pendingWork()).toEqual({ heldBatches: 0, unknownPorts: 0, unresolvedWindows: 0, waitingHalves: 0, waitingBroadcasts: 0 });
  });

  it('replaces a holder it inferred by the worker\'s own report also after a checkpoint', () => {
    const { page, w } = scenario();
    const s = new Session();
    // The page's send to the worker comes first: the port is handed over by inference...
    feedAll(s, page.out.slice(0, 1));
    expect(s.data().ports[1].holders).toHaveLength(2);
    // ...the service worker is stopped and restored, then the worker's stream reports the arrival.
    for (const state of [JSON.parse(JSON.stringify(s.toJSON())), structuredClone(s.toState())]) {
      const restored = SessionClass.restore(state);
      feedAll(restored, [...w.out, ...page.out.slice(1)]);
      const d = restored.data();
      const [pageCtx, worker] = d.contexts;
      expect(d.ports[1].holders.map((h) => [h.contextId, h.since])).toEqual([
        [pageCtx.id, 3],
        [worker.id, 5],
      ]);
    }
  });

  it('keeps a worker the worker made as its child, and survives a checkpoint', () => {
    const page = top();
    const w = inside('w', 'top', 1);
    const nested = inside('n', 'w', 1);
    page.batch([ctx(1, A_URL, true), workerCtx(2, 1, 1)]);
    w.batch([selfCtx(3), workerCtx(4, 1, 1), { k: 'post', at: 5, msg: w.nextMsg(), via: 'worker', object: 1, transfer: [], predicted: { o: 'sent' } }]);
    const s = new Session();
    feedAll(s, [...page.out, ...w.out]);
    const restored = SessionClass.restore(JSON.parse(JSON.stringify(s.toState())));
    nested.batch([selfCtx(5.5, 'https://a.test/nested.js'), { k: 'deliver', at: 6, type: 'message', via: 'worker', ports: [], listeners: 1, preview: 'to nested' }]);
    feedAll(restored, nested.out);
    const d = restored.data();
    expect(d.contexts.map((c) => c.url)).toEqual([A_URL, W_URL, 'https://a.test/nested.js']);
    expect(d.contexts[2].parentId).toBe(d.contexts[1].id);
    expect(d.messages).toHaveLength(1);
    expect(d.messages[0]).toMatchObject({ fromContext: d.contexts[1].id, toContext: d.contexts[2].id, outcome: { status: 'delivered' } });
  });

  it("pairs the page's delivery of a worker's message that came before the worker's own stream (the hello said it reports)", () => {
    const page = top();
    const w = inside('w', 'top', 1);
    page.batch([ctx(1, A_URL, true), workerCtx(2, 1, 1), { ...workerCtx(2.1, 1, 1), inside: true } as PageEvent, { k: 'deliver', at: 5, type: 'message', via: 'worker', object: 1, ports: [1], listeners: 1, preview: 'port for page' }]);
    w.batch([selfCtx(2.5), channel(3, 1, 2), { k: 'post', at: 4, msg: w.nextMsg(), via: 'worker', transfer: [portIn(1)], predicted: { o: 'sent' } }]);
    const s = new Session();
    feedAll(s, [...page.out, ...w.out]);
    const d = s.data();
    const [pageCtx, worker] = d.contexts;
    expect(d.messages).toHaveLength(1);
    expect(d.messages[0]).toMatchObject({ fromContext: worker.id, toContext: pageCtx.id, sentAt: 4, deliveredAt: 5, outcome: { status: 'delivered' } });
    // The port is the one the worker made: no second identity was invented for it.
    expect(d.ports).toHaveLength(2);
    expect(d.ports[0].holders.map((h) => h.contextId)).toEqual([worker.id, pageCtx.id]);
  });

  it('keeps an observed holder: a port the worker sends to itself is held twice there, not replaced', () => {
    const page = top();
    const w = inside('w', 'top', 1);
    page.batch([ctx(1, A_URL, true), workerCtx(2, 1, 1)]);
    // Inside: two channels; port 4 goes over port 1 and arrives on port 2 (local 9), all in the worker.
    w.batch([selfCtx(3), channel(4, 1, 2), channel(4, 3, 4), postPort(5, w.nextMsg(), 1, [portIn(4)]), deliverPort(6, 2, 'to itself', [9])]);
    const s = new Session();
    feedAll(s, [...page.out, ...w.out]);
    const d = s.data();
    const worker = d.contexts[1];
    expect(d.messages).toHaveLength(1);
    expect(d.ports[3].holders.map((h) => [h.contextId, h.since])).toEqual([
      [worker.id, 4],
      [worker.id, 6],
    ]);
  });

  it("pairs a send that carries the sender's own sample with the worker's delivery, though they differ (a transferred buffer reads detached at the sender)", () => {
    const page = top();
    const w = inside('w', 'top', 1);
    // As the two sides read it: the sender's after the send, the receiver's from its clone.
    const sent = JSON.stringify({ $: 'object', entries: [['type', 'APPLY'], ['bytes', 0]], count: 2 });
    const got = JSON.stringify({ $: 'object', entries: [['type', 'APPLY'], ['bytes', 32]], count: 2 });
    page.batch([ctx(1, A_URL, true), workerCtx(2, 1, 1), { ...workerCtx(2.1, 1, 1), inside: true } as PageEvent, { k: 'post', at: 4, msg: page.nextMsg(), via: 'worker', object: 1, transfer: [{ kind: 'ArrayBuffer' }], predicted: { o: 'sent' }, sample: sent } as PageEvent]);
    w.batch([selfCtx(3), { k: 'deliver', at: 5, type: 'message', via: 'worker', ports: [], listeners: 1, sample: got } as PageEvent]);
    const s = new Session();
    feedAll(s, [...page.out, ...w.out]);
    const d = s.data();
    expect(d.messages).toHaveLength(1);
    expect(d.messages[0]).toMatchObject({ sentAt: 4, deliveredAt: 5, outcome: { status: 'delivered' }, sample: got });
  });

  it('is refused, and counted, when its owner is unknown', () => {
    const s = new Session();
    const w = inside('w', 'nobody', 1);
    w.batch([selfCtx(1)]);
    expect(s.ingest(w.out[0].batch, w.out[0].source)).toBe('rejected');
    expect(s.data().dropped['worker-owner-unknown']).toBe(1);
    expect(s.data().contexts).toHaveLength(0);
  });
});

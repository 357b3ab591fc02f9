// The programs the ground-truth e2e reduced (test/fixtures/ground-truth/reduced-*.json), as
// the instrumentation reports them, fed to the Session without a browser. Each once made a
// wrong record; each now must give the right one or say unknown (with candidates).
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../src/aggregate';
import type { MessageRecord } from '../../../src/protocol/session';
import type { PageEvent } from '../../../src/protocol/messages';
import { sessionOf } from './scenarios';
import { Doc, UP1, channel, ctx, deliverPort, deliverWindow, portIn, postPort, shuffled, start, type Fed } from './streams';

const TOP = 'http://127.0.0.1:8080/gt/';
const CHILD = 'http://localhost:8080/gt/child.html';

// ───── ports of an unseen window send ─────

/** Every record that joins a send and a delivery joins these (sentAt → deliveredAt); none other. */
function joinsOnly(s: Session, allowed: Record<number, number>): void {
  for (const m of s.data().messages) {
    if (m.sentAt === null || m.deliveredAt === null || m.via !== 'port') continue;
    expect({ sent: m.sentAt, delivered: m.deliveredAt }).toEqual({ sent: m.sentAt, delivered: allowed[m.sentAt] });
  }
}

const byTime = (s: Session, at: number): MessageRecord | undefined => s.data().messages.find((m) => m.sentAt === at || m.deliveredAt === at);

// The decoders page's two cases below are what a stricter identity rule (one fitting candidate,
// c40644a, reverted in 91fefdb; tried again on branch truth3, cffbc34) must keep: the nearest-fit
// rule of today gets both right. The reduced programs queued-send and swapped-ends, which it gets
// wrong, come back with a rule that passes these too.

/**
 * decoders page (Comlink across an iframe), reduced: the top makes two channels, hands 4 to
 * the child in a window message (unseen send) and calls on 3; the child answers with a proxy,
 * a port of its own (the send is loose on the unknown port until it is known), and the top
 * calls on that proxy at once. When the top's calls and the proxy's arrival come in one batch
 * (relays pace their batches under load), the proxy is an unknown port with loose sends; it
 * may be only a port that left in a seen send (here the child's 6), never a partner of the
 * top's candidates, so it must not make them all fit (it left the child's port unknown, and
 * every Comlink call split in two: the revert 91fefdb).
 */
function comlinkProxy(): Fed[] {
  const T = new Doc('top', { frameId: 0, parentFrameId: -1, url: TOP });
  const F = new Doc('f1', { frameId: 3, parentFrameId: 0, url: CHILD });
  T.batch([ctx(1000, TOP, true), channel(1001, 1, 2), start(1001.1, 1), channel(1003, 3, 4), start(1003.1, 3)], undefined, 1004);
  // (Here the top posts [4] to the child: not reported.)
  F.batch([ctx(1002, CHILD, false, 0), deliverWindow(1005, UP1, 'http://127.0.0.1:8080', 'comlink-port', [1]), start(1005.1, 1)], undefined, 1005.5);
  F.batch([deliverPort(1007, 1, 'makeCounter'), channel(1008, 5, 6), start(1008.1, 5), postPort(1009, F.nextMsg(), 1, [portIn(6)]), deliverPort(1012, 5, 'inc')], undefined, 1013);
  // The top's call, the proxy's arrival and the call on it: one batch.
  T.batch([postPort(1006, T.nextMsg(), 3), deliverPort(1010, 3, 'proxy', [7]), start(1010.1, 7), postPort(1011, T.nextMsg(), 7)], undefined, 1200);
  return [...T.out, ...F.out];
}

describe('reduced: a port that arrived by window, whose traffic brings a port of its own', () => {
  it('a port brought by its own loose traffic does not make every candidate fit (Comlink proxy)', () => {
    // The child's batches before the top's second one (the late order), and the reverse.
    for (const order of [[0, 2, 3, 1], [0, 2, 1, 3], [0, 1, 2, 3], [2, 3, 0, 1]]) {
      const feeds = comlinkProxy();
      const s = sessionOf(order.map((i) => feeds[i]));
      // Decided before anything is forced: the top's stream has passed the arrival.
      const d = s.data();
      const child = d.contexts.find((c) => c.url === CHILD)!.id;
      const top = d.contexts.find((c) => c.url === TOP)!.id;
      const port4 = d.ports.find((p) => p.createdIn === top && p.createdAt === 1003 && p.entangledWith !== null && p.id > p.entangledWith)!;
      expect(port4.holders.map((h) => h.contextId), `order ${order}`).toEqual([top, child]);
      expect(port4.identity ?? null).toBeNull();
      joinsOnly(s, { 1006: 1007, 1009: 1010, 1011: 1012 });
      expect(byTime(s, 1007)?.sentAt).toBe(1006);
      expect(byTime(s, 1010)?.sentAt).toBe(1009);
      // The proxy is the child's port 6, now held by the top.
      const proxy = d.ports.find((p) => p.holders.some((h) => h.contextId === top && h.since === 1010))!;
      expect(proxy.createdIn).toBe(child);
      expect(d.ports[(proxy.entangledWith as number) - 1].holders.map((h) => h.contextId)).toEqual([child]);
    }
  });
});

/**
 * decoders page in Firefox, reduced: the top hands the child two ports by window (unseen
 * sends), Penpal's (2) then Comlink's (4), and the child answers on each. With the top's
 * stream late, both arrived ports are unknown with loose traffic at once, and each made the
 * other's wrong candidate fit: the Comlink port could take the Penpal one's replies, and back.
 * The child's first delivery on the Penpal port came before any send on the Comlink port (one
 * clock), so that port is not its partner.
 */
function twoWindowPorts(): Fed[] {
  const T = new Doc('top', { frameId: 0, parentFrameId: -1, url: TOP });
  const F = new Doc('f1', { frameId: 3, parentFrameId: 0, url: CHILD });
  T.batch([ctx(1000, TOP, true), channel(1001, 1, 2), start(1001.1, 1)], undefined, 1002);
  F.batch([ctx(1002, CHILD, false, 0), deliverWindow(1005, UP1, 'http://127.0.0.1:8080', 'penpal', [1]), start(1005.1, 1), deliverPort(1007, 1, 'multiply'), postPort(1008, F.nextMsg(), 1)], undefined, 1010);
  F.batch([deliverWindow(1021, UP1, 'http://127.0.0.1:8080', 'comlink', [2]), start(1021.1, 2), deliverPort(1023, 2, 'add'), postPort(1024, F.nextMsg(), 2)], undefined, 1200);
  T.batch([postPort(1006, T.nextMsg(), 1), deliverPort(1009, 1, '42'), channel(1020, 3, 4), start(1020.1, 3), postPort(1022, T.nextMsg(), 3), deliverPort(1025, 3, '5')], undefined, 1200);
  return [...T.out, ...F.out];
}

describe('reduced: two ports that arrived by window, each with loose traffic', () => {
  it("one arrived port's loose traffic does not make the other's wrong candidate fit (Penpal and Comlink, Firefox)", () => {
    for (const order of [[0, 1, 2, 3], [0, 2, 1, 3], [1, 2, 0, 3], [0, 3, 1, 2]]) {
      const feeds = twoWindowPorts();
      const s = sessionOf(order.map((i) => feeds[i]));
      const d = s.data();
      const child = d.contexts.find((c) => c.url === CHILD)!.id;
      const top = d.contexts.find((c) => c.url === TOP)!.id;
      const of = (at: number, second: boolean) => d.ports.find((p) => p.createdAt === at && (p.entangledWith as number) < p.id === second)!;
      expect(of(1001, true).holders.map((h) => h.contextId), `order ${order}`).toEqual([top, child]);
      expect(of(1020, true).holders.map((h) => h.contextId), `order ${order}`).toEqual([top, child]);
      expect(d.ports.filter((p) => p.identity)).toEqual([]);
      joinsOnly(s, { 1006: 1007, 1008: 1009, 1022: 1023, 1024: 1025 });
      for (const at of [1007, 1009, 1023, 1025]) expect(byTime(s, at)?.sentAt).not.toBeNull();
    }
  });
});

// ───── BroadcastChannel: a delivery is joined with a send only when one sender can have made it ─────

const bcPost = (at: number, msg: number, object: number, name = 'gt'): PageEvent => ({ k: 'post', at, msg, via: 'broadcast', object, name, transfer: [], predicted: { o: 'sent' } });
const bcDeliver = (at: number, object: number, preview: string, name = 'gt'): PageEvent => ({ k: 'deliver', at, type: 'message', via: 'broadcast', object, name, ports: [], listeners: 1, preview });
const bcWorker = (at: number, n: number, object: number): PageEvent => ({ k: 'context', at, kind: 'worker', url: '', origin: 'http://127.0.0.1:8080', top: false, ctx: n, object, parent: 0 });
const SIB = 'http://127.0.0.1:8080/gt/sib.html';
const SIB2 = 'http://127.0.0.1:8080/gt/sib2.html';

/** Every broadcast record that joins a send and a delivery joins these (sentAt → deliveredAt). */
function bcJoinsOnly(s: Session, allowed: Record<number, number>): void {
  for (const m of s.data().messages) {
    if (m.via !== 'broadcast' || m.sentAt === null || m.deliveredAt === null) continue;
    expect({ sent: m.sentAt, delivered: m.deliveredAt }).toEqual({ sent: m.sentAt, delivered: allowed[m.sentAt] });
  }
}

/**
 * reduced-bc-two-senders: the top and a sibling frame each post once on "gt"; a third frame's
 * object was made between the two sends (its constructor is not reported), so it gets only
 * the sibling's message. Joining by time gave it the top's (older) send.
 */
function bcTwoSenders(): Fed[] {
  const T = new Doc('top', { frameId: 0, parentFrameId: -1, url: TOP });
  const A = new Doc('a', { frameId: 3, parentFrameId: 0, url: SIB });
  const B = new Doc('b', { frameId: 4, parentFrameId: 0, url: SIB2 });
  T.batch([ctx(1000, TOP, true), bcPost(1010, T.nextMsg(), 1)], undefined, 1100);
  A.batch([ctx(1001, SIB, false, 0), bcPost(1011, A.nextMsg(), 1)], undefined, 1100);
  B.batch([ctx(1002, SIB2, false, 1), bcDeliver(1012, 1, 'from-sib')], undefined, 1100);
  return [...T.out, ...A.out, ...B.out];
}

/** The senders' streams in any order, the receiver's last (a stream not known yet when a delivery is judged cannot be counted: see the report). */
const receiverLast = (f: Fed[], seed: number): Fed[] => [...(seed ? shuffled(f.slice(0, -1), seed) : f.slice(0, -1)), f[f.length - 1]];

/**
 * reduced-bc-unseen-worker: the top made a worker (not recorded inside) that posts on "gt";
 * a frame's object gets that message. The only reported send (a sibling's, whose message the
 * frame's object, made later, never got) fits by time: it must not be taken.
 */
function bcUnseenWorker(): Fed[] {
  const T = new Doc('top', { frameId: 0, parentFrameId: -1, url: TOP });
  const A = new Doc('a', { frameId: 3, parentFrameId: 0, url: SIB });
  const B = new Doc('b', { frameId: 4, parentFrameId: 0, url: SIB2 });
  T.batch([ctx(1000, TOP, true), bcWorker(1003, 1, 1)], undefined, 1100);
  A.batch([ctx(1001, SIB, false, 0), bcPost(1010, A.nextMsg(), 1)], undefined, 1100);
  B.batch([ctx(1002, SIB2, false, 1), bcDeliver(1012, 1, 'from-worker')], undefined, 1100);
  return [...T.out, ...A.out, ...B.out];
}

describe('reduced ground-truth programs: BroadcastChannel', () => {
  it('two senders fit a delivery: it stays unpaired, never given the older send', () => {
    for (const seed of [0, 1, 2, 3, 4, 5]) {
      const s = sessionOf(receiverLast(bcTwoSenders(), seed));
      s.releaseHeld();
      // The top's send (1010) never reached the third frame; joining 1011 → 1012 would need certainty it lacks.
      bcJoinsOnly(s, { 1011: 1012 });
      expect(s.data().messages.find((m) => m.sentAt === 1010)?.deliveredAt).toBeNull();
    }
  });

  it('one sender fits: the delivery is joined with it', () => {
    const T = new Doc('top', { frameId: 0, parentFrameId: -1, url: TOP });
    const B = new Doc('b', { frameId: 4, parentFrameId: 0, url: SIB2 });
    // (Each stream is seen up to 2000, past the delivery and BROADCAST_SETTLE_MS, as the batcher's upTo says.)
    T.batch([ctx(1000, TOP, true), bcPost(1010, T.nextMsg(), 1)], undefined, 2000);
    B.batch([ctx(1002, SIB2, false, 1), bcDeliver(1012, 1, 'from-top')], undefined, 2000);
    const s = sessionOf([...T.out, ...B.out]);
    s.releaseHeld();
    expect(s.data().messages.filter((m) => m.via === 'broadcast').map((m) => [m.sentAt, m.deliveredAt])).toEqual([[1010, 1012]]);
  });

  it('a delivery waits until every other document has reported past it: its send may still be on the way', () => {
    // broadcast-channel (npm), reduced: the page's objects a (1) and b (2), the frame's c (1).
    // c says "ready"; a hears it and answers "go" at once, before b hears "ready"; c hears "go".
    // The page's batch came first: b's delivery was joined with a's "go", the only send known
    // then, and "go" was credited to the page as heard by the page.
    const T = new Doc('top', { frameId: 0, parentFrameId: -1, url: TOP });
    const B = new Doc('b', { frameId: 4, parentFrameId: 0, url: SIB2 });
    // Both documents said they exist (their first batches), then the page's events came first.
    T.batch([ctx(990, TOP, true)], undefined, 992);
    B.batch([ctx(991, SIB2, false, 1)], undefined, 992);
    T.batch([bcDeliver(1005, 1, 'ready'), bcPost(1006, T.nextMsg(), 1), bcDeliver(1007, 2, 'ready')], undefined, 1200);
    B.batch([bcPost(1000, B.nextMsg(), 1), bcDeliver(1010, 1, 'go')], undefined, 1200);
    T.batch([], undefined, 2000);
    B.batch([], undefined, 2000);
    const truth = new Set(['1000→1005', '1000→1007', '1006→1010']);
    const [t1, t2, t3] = T.out;
    const [b1, b2, b3] = B.out;
    // Until both documents have reported past the deliveries (and BROADCAST_SETTLE_MS), they wait, and both are asked.
    const early = sessionOf([t1, b1, t2]);
    expect(early.awaitedStreams().sort((x, y) => x.doc.localeCompare(y.doc))).toEqual([{ doc: 'b', until: 1507 }, { doc: 'top', until: 1507 }]);
    expect(early.data().messages.filter((m) => m.via === 'broadcast' && m.sentAt !== null && m.deliveredAt !== null)).toEqual([]);
    // The frame's first batch comes after the page's deliveries: it was not known when they came.
    const fr = new Doc('b', { frameId: 4, parentFrameId: 0, url: SIB2 });
    fr.batch([ctx(991, SIB2, false, 1), bcPost(1000, fr.nextMsg(), 1), bcDeliver(1010, 1, 'go')], undefined, 1200);
    fr.batch([], undefined, 2000);
    for (const feeds of [[t1, b1, t2, b2, t3, b3], [t1, b1, b2, t2, b3, t3], [t1, t2, ...fr.out, t3]]) {
      const s = sessionOf(feeds);
      s.releaseHeld();
      const joined = s.data().messages.filter((m) => m.via === 'broadcast' && m.sentAt !== null && m.deliveredAt !== null);
      for (const m of joined) expect(truth, `${m.sentAt}→${m.deliveredAt}`).toContain(`${m.sentAt}→${m.deliveredAt}`);
      for (const m of joined) expect(m.fromContext).not.toBe(m.toContext);
      // "go" has one sender that fits and nobody else of the origin talks then: it is joined.
      expect(joined.map((m) => `${m.sentAt}→${m.deliveredAt}`)).toContain('1006→1010');
    }
  });

  it('a delivery an unrecorded worker may have sent stays unpaired', () => {
    for (const seed of [0, 1, 2, 3, 4, 5]) {
      const s = sessionOf(receiverLast(bcUnseenWorker(), seed));
      s.releaseHeld();
      bcJoinsOnly(s, {});
      const d = s.data();
      expect(d.messages.find((m) => m.deliveredAt === 1012)).toMatchObject({ sentAt: null, fromContext: null });
    }
  });
});

// ───── window messages: the sender is a document that was in the source frame then ─────

const OLD = 'http://localhost:8080/gt/old.html';
const F1 = 'http://127.0.0.2:8080/gt/f1.html';

/**
 * chromium-150, reduced: an earlier frame (another origin) was the top's child 0 and is gone;
 * f1, now child 0, posts to the top, and the top's delivery is handled before f1's first
 * batch says where f1 sits. Child index 0 still named the old frame: its document was
 * credited with f1's message. (Its origin tells it apart; a same-origin old frame does not
 * yet: see the report.)
 */
function staleChildIndex(): Fed[] {
  const oldUrl = OLD;
  const T = new Doc('top', { frameId: 0, parentFrameId: -1, url: TOP });
  const O = new Doc('old', { frameId: 5, parentFrameId: 0, url: oldUrl });
  const F = new Doc('f1', { frameId: 7, parentFrameId: 0, url: F1 });
  O.batch([ctx(1001, oldUrl, false, 0)]);
  T.batch([ctx(1000, TOP, true), deliverWindow(1020, { up: 0, down: [0] }, 'http://127.0.0.2:8080', 't1')]);
  F.batch([ctx(1010, F1, false, 0)]);
  return [...O.out, ...T.out, ...F.out];
}

describe('reduced ground-truth programs: window sender', () => {
  it("a stale child index never credits a window message to an old frame's document of another origin", () => {
    for (const order of [[0, 1, 2], [0, 2, 1], [2, 0, 1], [1, 0, 2]]) {
      const feeds = staleChildIndex();
      const s = sessionOf(order.map((i) => feeds[i]));
      s.releaseHeld();
      const d = s.data();
      const old = d.contexts.find((c) => c.url.endsWith('/old.html'))!.id;
      const f1 = d.contexts.find((c) => c.url === F1)!.id;
      const m = d.messages.find((x) => x.deliveredAt === 1020)!;
      expect(m.fromContext).not.toBe(old);
      // f1, or unknown: the old frame's report may come between (the registry keeps the last
      // report per index, and a credit taken back is not given again).
      expect([f1, null]).toContain(m.fromContext);
      // The fixture's order (old frame known, the delivery before f1's first batch): f1 once it reports.
      if (order.join() === '0,1,2') expect(m.fromContext).toBe(f1);
    }
  });
});

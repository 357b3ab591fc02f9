// Two ports cross between a page and its iframe in window messages (unseen sends), within the
// clock-skew allowance of each other: the iframe hands the page a port (Penpal's ACK2), then
// the page hands the iframe another (Comlink's). Which is which waits on each document's
// stream passing the other's arrival; once both pages are idle, nothing more comes unless
// the background asks (Session.awaitedStreams → SyncRequest → a batch with only `upTo`).
// Times are those of a Firefox run of test/pages/decoders, in ms.
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../src/aggregate';
import { sessionOf } from './scenarios';
import { CHILD0, Doc, UP1, channel, ctx, deliverPort, deliverWindow, postPort, start, type Fed } from './streams';

const TOP = 'http://127.0.0.1:43799/decoders/index.html';
const CHILD = 'http://localhost:43799/decoders/child.html';
const top = () => new Doc('top', { frameId: 0, parentFrameId: -1, url: TOP });
const child = () => new Doc('child', { frameId: 7, parentFrameId: 0, url: CHILD });

function crossing(swap = false): { feeds: Fed[]; docs: Record<'top' | 'child', Doc> } {
  const T = top();
  const C = child();
  // Each page flushes 15 ms after its first event: the calls of both ports share batches.
  const feeds = [
    T.batch([ctx(50, TOP, true)]),
    C.batch([ctx(100, CHILD, false, 0), channel(163, 1, 2), start(168, 1)]),
    T.batch([
      // ACK2 brought the child's port 2 (the top's local 1); the page calls over it,
      deliverWindow(170, CHILD0, 'http://localhost:43799', 'ACK2', [1]),
      start(170, 1),
      postPort(171, T.nextMsg(), 1, [], { o: 'queued' }),
      deliverPort(173, 1, 'reply 42'),
      // then hands its new channel's port 3 to the child (unseen) and calls over port 2.
      channel(179, 2, 3),
      postPort(179, T.nextMsg(), 2, [], { o: 'queued' }),
      deliverPort(182, 2, 'reply 5'),
    ]),
    C.batch([
      deliverPort(171, 1, 'call multiply'),
      postPort(172, C.nextMsg(), 1, [], { o: 'queued' }),
      deliverWindow(179, UP1, 'http://127.0.0.1:43799', 'comlink-port', [3]),
      start(179, 3),
      deliverPort(180, 3, 'APPLY add'),
      postPort(181, C.nextMsg(), 3, [], { o: 'queued' }),
    ]),
    // The top's last event, then nothing: both pages are idle.
    T.batch([deliverWindow(258, CHILD0, 'http://localhost:43799', 'last')]),
  ];
  if (swap) [feeds[2], feeds[3]] = [feeds[3], feeds[2]];
  return { feeds, docs: { top: T, child: C } };
}

/** Answers every sync the session asks for, as an idle page does once its clock passes `until`. */
function answerSyncs(s: Session, docs: Record<string, Doc>): number {
  let asked = 0;
  for (let round = 0; round < 10; round++) {
    const waits = s.awaitedStreams();
    if (!waits.length) break;
    for (const { doc, until } of waits) {
      asked++;
      const f = docs[doc].batch([], undefined, until + 1);
      s.ingest(f.batch, f.source);
    }
  }
  return asked;
}

function holdersOf(s: Session) {
  const d = s.data();
  const id = (url: string) => d.contexts.find((c) => c.url === url)!.id;
  return {
    d,
    top: id(TOP),
    child: id(CHILD),
    moved: d.ports.filter((p) => p.holders.length > 1).map((p) => ({ createdIn: p.createdIn, holders: p.holders.map((h) => h.contextId) })),
  };
}

describe('ports that cross between two idle documents', () => {
  it.each([false, true])('wait on the documents the session names, and are identified once they answer (batches swapped: %s)', (swap) => {
    const { feeds, docs } = crossing(swap);
    const s = sessionOf(feeds);
    // Neither port is known yet, and their traffic is held back: the session says what it waits on.
    expect(s.pendingWork().unknownPorts).toBe(2);
    expect(s.awaitedStreams().sort((a, b) => a.doc.localeCompare(b.doc))).toEqual([
      { doc: 'child', until: 270 },
      { doc: 'top', until: 279 },
    ]);
    expect(s.data().messages.some((m) => m.preview === 'APPLY add')).toBe(false);

    expect(answerSyncs(s, docs)).toBeGreaterThan(0);
    expect(s.pendingWork().unknownPorts).toBe(0);
    expect(s.awaitedStreams()).toEqual([]);
    const { d, top, child, moved } = holdersOf(s);
    expect(moved).toEqual(
      expect.arrayContaining([
        { createdIn: child, holders: [child, top] },
        { createdIn: top, holders: [top, child] },
      ]),
    );
    expect(moved).toHaveLength(2);
    expect(d.dropped['port-identity-unknown']).toBeUndefined();
    // Each call is one record, from the send on one side to the delivery on the other.
    for (const preview of ['APPLY add', 'call multiply']) {
      const m = d.messages.find((x) => x.preview === preview)!;
      expect(m, preview).toMatchObject({ outcome: { status: 'delivered' } });
      expect(m.sentAt, preview).not.toBeNull();
      expect(m.fromContext, preview).not.toBe(m.toContext);
    }
  });

  it('an answer short of the time leaves the wait as it was', () => {
    const { feeds, docs } = crossing();
    const s = sessionOf(feeds);
    const first = s.awaitedStreams().find((w) => w.doc === 'child')!;
    // A flush that stops short of the time leaves the wait as it was.
    const short = docs.child.batch([], undefined, first.until - 1);
    s.ingest(short.batch, short.source);
    expect(s.awaitedStreams().find((w) => w.doc === 'child')?.until).toBe(first.until);
    answerSyncs(s, docs);
    expect(s.pendingWork().unknownPorts).toBe(0);
  });
});

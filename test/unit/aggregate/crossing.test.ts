// Ports that cross in flight, from a failing Firefox run of the relay3 page (test/pages/relay3):
// A (top) gives port2 to B, B passes it on to C at once, then A and C talk over it. B also
// holds another port of unseen origin (an early window message with a port, from a window
// outside the frame tree), never used. Window sends are not reported, so who got which port
// is inferred; B never touches the relayed port, so only C's traffic says which one it is.
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/aggregate';
import type { PageEvent, WindowPath } from '../../../src/protocol/messages';
import { feedAll, sessionOf } from './scenarios';
import { CHILD0, Doc, UP1, channel, ctx, deliverPort, deliverWindow, postPort, shuffled, start, type Fed } from './streams';

const A_URL = 'http://127.0.0.1:34871/relay3/index.html';
const B_URL = 'http://localhost:34871/relay3/b.html';
const C_URL = 'http://127.0.0.2:34871/relay3/c.html';
const OUTSIDE: WindowPath = { up: 0, down: [], rel: 'unknown' };

/** The batches as the background received them, in that order (times: ms after 1796168559000). */
function relay3Firefox(): Fed[] {
  const blank = new Doc('blank', { frameId: 0, parentFrameId: -1, url: 'about:blank' });
  const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: A_URL });
  const B = new Doc('B', { frameId: 21, parentFrameId: 0, url: B_URL });
  const C = new Doc('C', { frameId: 22, parentFrameId: 21, url: C_URL });
  const queued = { o: 'queued' } as const;
  const feeds: Fed[] = [];
  feeds.push(blank.batch([{ k: 'context', at: 186, kind: 'window', url: 'about:blank', origin: 'null', top: true } as PageEvent]));
  feeds.push(A.batch([ctx(292, A_URL, true), channel(344, 1, 2), start(345, 1), deliverWindow(505, CHILD0, 'http://localhost:34871', 'b-ready'), postPort(505, A.nextMsg(), 1, [], queued)]));
  feeds.push(
    B.batch([
      ctx(411, B_URL, false, 0),
      deliverWindow(457, OUTSIDE, 'http://127.0.0.1:34871', 'early', [1]),
      deliverWindow(504, CHILD0, 'http://127.0.0.2:34871', 'c-ready'),
      deliverWindow(505, UP1, 'http://127.0.0.1:34871', 'port for B', [2]),
      { k: 'listenerStats', at: 506, stats: [] } as PageEvent,
    ]),
  );
  feeds.push(
    A.batch([
      deliverPort(517, 1, 'n: 1'),
      postPort(518, A.nextMsg(), 1, [], queued),
      deliverPort(521, 1, 'n: 2'),
      postPort(521, A.nextMsg(), 1, [], queued),
      deliverPort(522, 1, 'n: 3'),
      { k: 'listenerStats', at: 546, stats: [] } as PageEvent,
    ]),
  );
  feeds.push(
    C.batch([
      ctx(486, C_URL, false, 0),
      deliverWindow(506, UP1, 'http://localhost:34871', 'port for C', [1]),
      start(506, 1),
      deliverPort(515, 1, 'ask: 1'),
      postPort(516, C.nextMsg(), 1),
      deliverPort(519, 1, 'ask: 2'),
      postPort(520, C.nextMsg(), 1),
      deliverPort(521, 1, 'ask: 3'),
      postPort(521, C.nextMsg(), 1),
      { k: 'listenerStats', at: 568, stats: [] } as PageEvent,
    ]),
  );
  return feeds;
}

/** What the panel shows: port2 moved A → B → C, and the six port messages paired end to end. */
function checkRelayed(s: Session): void {
  const d = s.data();
  const [a, b, c] = [A_URL, B_URL, C_URL].map((u) => d.contexts.find((x) => x.url === u)!.id);
  const relayed = d.ports.filter((p) => p.createdIn === a && p.holders.length > 1);
  expect(relayed, 'one record for the relayed port').toHaveLength(1);
  const port2 = relayed[0];
  expect(port2.holders.map((h) => h.contextId), 'the port went A → B → C').toEqual([a, b, c]);
  const byId = new Map(d.messages.map((m) => [m.id, m]));
  // Its moves, in order, are the two hand-overs (window messages seen where they arrived).
  const handovers = port2.holders.slice(1).map((h) => byId.get(h.messageId!)!);
  expect(handovers.map((m) => [m.preview, m.fromContext, m.toContext])).toEqual([
    ['port for B', a, b],
    ['port for C', b, c],
  ]);
  expect(handovers.map((m) => m.transfer.map((t) => t.id))).toEqual([[port2.id], [port2.id]]);
  const portMessages = d.messages.filter((m) => m.via === 'port');
  expect(portMessages.map((m) => m.preview).sort()).toEqual(['ask: 1', 'ask: 2', 'ask: 3', 'n: 1', 'n: 2', 'n: 3']);
  for (const m of portMessages) {
    expect(m.outcome.status, `${m.preview}`).toBe('delivered');
    expect(m.sentAt, `${m.preview}`).not.toBeNull();
    expect([m.fromContext, m.toContext].sort(), `${m.preview}`).toEqual([a, c].sort());
  }
  expect(portMessages.find((m) => m.preview === 'ask: 1')).toMatchObject({ fromContext: a, toContext: c, toPort: port2.id, sentAt: 505, deliveredAt: 515 });
  // The other port B holds stays apart: unknown origin, B its only holder.
  const others = d.ports.filter((p) => p.createdIn !== a);
  expect(others.map((p) => p.holders.map((h) => h.contextId))).toEqual([[b]]);
}

describe('a port relayed on at once while another port sits unused in the middle frame', () => {
  it('is identified through the traffic of its last holder (the batches in the order Firefox delivered them)', () => {
    // B's stream ends at the ms C got the port, so this waits for the background's release.
    const s = sessionOf(relay3Firefox());
    s.releaseHeld();
    checkRelayed(s);
  });

  it('concludes the same in any arrival order', () => {
    const feeds = relay3Firefox();
    for (let seed = 1; seed <= 40; seed++) {
      const s = sessionOf(shuffled(feeds, seed));
      s.releaseHeld();
      checkRelayed(s);
    }
  });

  it('concludes the same after a restart (toState → restore) at any point', () => {
    const feeds = shuffled(relay3Firefox(), 7);
    for (let cut = 0; cut <= feeds.length; cut++) {
      const s = Session.restore(structuredClone(sessionOf(feeds.slice(0, cut)).toState()));
      feedAll(s, feeds.slice(Math.max(0, cut - 1)));
      s.releaseHeld();
      checkRelayed(s);
    }
  });
});

// A new top-level page load in the same tab: the previous load's documents and workers are
// gone from then on (their records kept), never shown as still live next to the new ones.
import { describe, expect, it } from 'vitest';
import { sessionOf } from './scenarios';
import { CHILD0, Doc, ctx, deliverWindow, shuffled, type Fed } from './streams';

const A = 'http://127.0.0.1:8080/a/';
const A_CHILD = 'http://localhost:8080/a/child.html';
const A_GRAND = 'http://127.0.0.2:8080/a/grand.html';
const B = 'http://127.0.0.1:8080/b/';

function twoLoads(): Fed[] {
  const T1 = new Doc('top-1', { frameId: 0, parentFrameId: -1, url: A });
  const C1 = new Doc('child-1', { frameId: 5, parentFrameId: 0, url: A_CHILD });
  const G1 = new Doc('grand-1', { frameId: 6, parentFrameId: 5, url: A_GRAND });
  const T2 = new Doc('top-2', { frameId: 0, parentFrameId: -1, url: B });
  T1.batch([ctx(1000, A, true), { k: 'context', at: 1001, ctx: 1, kind: 'worker', url: `${A}w.js`, origin: 'http://127.0.0.1:8080', top: false, object: 1 }]);
  C1.batch([ctx(1002, A_CHILD, false, 0)]);
  G1.batch([ctx(1003, A_GRAND, false, 0)]);
  T1.batch([deliverWindow(1004, CHILD0, 'http://localhost:8080', 'hi')]);
  // The tab loads B: a new document in frame 0.
  T2.batch([ctx(2000, B, true)]);
  return [...T1.out, ...C1.out, ...G1.out, ...T2.out];
}

describe('a new top-level load in the same tab', () => {
  it('ends every context of the previous load, keeping their records', () => {
    for (const seed of [0, 1, 2, 3, 4, 5, 6, 7]) {
      const s = sessionOf(seed ? shuffled(twoLoads(), seed) : twoLoads());
      const d = s.data();
      const live = d.contexts.filter((c) => c.endedAt === null).map((c) => c.url);
      expect(live, `seed ${seed} ${(seed ? shuffled(twoLoads(), seed) : twoLoads()).map((f) => f.batch.doc).join(",")}`).toEqual([B]);
      expect(d.contexts).toHaveLength(5);
      expect(d.messages.some((m) => m.preview === 'hi')).toBe(true);
      // Gone no later than the new load began.
      for (const c of d.contexts) if (c.url !== B) expect(c.endedAt, `${c.url} seed ${seed}`).toBeLessThanOrEqual(2000);
    }
  });
});

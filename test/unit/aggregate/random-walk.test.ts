import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/aggregate';
import type { PageEvent, WindowPath } from '../../../src/protocol/messages';
import { feedAll } from './scenarios';
import { Doc, shuffled, type Fed } from './streams';

/**
 * Ports wander at random between three nested cross-origin frames while both ends of every
 * channel talk. Each delivery's preview names its send, which the Session never looks at, so
 * the test can check every pairing and every port's path against the truth.
 */
function randomWalk(seed: number, steps: number) {
  let s = seed >>> 0 || 1;
  const rnd = (n: number) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 8) % n;
  const frames = [
    { url: 'https://a.test/', doc: new Doc('A', { frameId: 0, parentFrameId: -1, url: 'https://a.test/' }), depth: 0 },
    { url: 'https://b.test/', doc: new Doc('B', { frameId: 5, parentFrameId: 0, url: 'https://b.test/' }), depth: 1 },
    { url: 'https://c.test/', doc: new Doc('C', { frameId: 9, parentFrameId: 5, url: 'https://c.test/' }), depth: 2 },
  ];
  const pending: PageEvent[][] = frames.map(() => []);
  let t = 1000;
  const emit = (f: number, e: PageEvent) => pending[f].push(e);
  frames.forEach((f, i) => emit(i, { k: 'context', at: t, kind: 'window', url: f.url, origin: new URL(f.url).origin, top: i === 0, ...(i ? { indexInParent: 0 } : {}) }));
  // The truth: each port object as [frame, local id], its path, and its partner.
  const ports: { frame: number; local: number; path: string[]; partner: number }[] = [];
  const nextLocal = [100, 200, 300];
  const expected = new Map<string, { from: string; to: string; sentAt: number }>();
  let tag = 0;
  const flush = (f: number) => {
    if (!pending[f].length) return;
    frames[f].doc.batch(pending[f]);
    pending[f] = [];
  };
  for (let step = 0; step < steps; step++) {
    t += 1;
    const action = ports.length < 2 ? 0 : rnd(10);
    if (action === 0 && ports.length < 12) {
      const f = rnd(3);
      const a = nextLocal[f]++;
      const b = nextLocal[f]++;
      emit(f, { k: 'channel', at: t, port1: a, port2: b });
      emit(f, { k: 'start', at: t, port: a }, );
      emit(f, { k: 'start', at: t, port: b });
      ports.push({ frame: f, local: a, path: [frames[f].url], partner: ports.length + 1 }, { frame: f, local: b, path: [frames[f].url], partner: ports.length });
    } else if (action <= 3) {
      // Move a port to the parent or the child frame in a window message.
      const i = rnd(ports.length);
      const p = ports[i];
      const to = p.frame === 0 ? 1 : p.frame === 2 ? 1 : rnd(2) ? 0 : 2;
      const target: WindowPath = to < p.frame ? { up: 1, down: [] } : { up: 0, down: [0] };
      const source: WindowPath = to < p.frame ? { up: 0, down: [0] } : { up: 1, down: [] };
      const name = `w${++tag}`;
      emit(p.frame, { k: 'post', at: t, msg: tag, via: 'window', target, targetOrigin: '*', transfer: [{ kind: 'MessagePort', id: p.local }], predicted: { o: 'sent' } });
      const arrived = nextLocal[to]++;
      emit(to, { k: 'deliver', at: t + 0.5, type: 'message', via: 'window', source, origin: new URL(frames[p.frame].url).origin, ports: [arrived], listeners: 1, preview: name });
      expected.set(name, { from: frames[p.frame].url, to: frames[to].url, sentAt: t });
      p.frame = to;
      p.local = arrived;
      p.path.push(frames[to].url);
    } else {
      // Talk over a channel.
      const i = rnd(ports.length);
      const p = ports[i];
      const q = ports[p.partner];
      const name = `p${++tag}`;
      emit(p.frame, { k: 'post', at: t, msg: tag, via: 'port', port: p.local, transfer: [], predicted: { o: 'sent' } });
      emit(q.frame, { k: 'deliver', at: t + 0.5, type: 'message', via: 'port', port: q.local, ports: [], listeners: 1, preview: name });
      expected.set(name, { from: frames[p.frame].url, to: frames[q.frame].url, sentAt: t });
    }
    for (let f = 0; f < 3; f++) if (rnd(3) === 0) flush(f);
  }
  for (let f = 0; f < 3; f++) flush(f);
  const feeds: Fed[] = frames.flatMap((f) => f.doc.out);
  return { feeds, expected, paths: ports.map((p) => p.path) };
}

function check(s: Session, w: ReturnType<typeof randomWalk>) {
  const d = s.data();
  const url = (id: number | null) => (id === null ? null : d.contexts[id - 1].url);
  expect(d.messages).toHaveLength(w.expected.size);
  for (const m of d.messages) {
    const e = w.expected.get(m.preview as string);
    expect({ preview: m.preview, from: url(m.fromContext), to: url(m.toContext), sentAt: m.sentAt, status: m.outcome.status }).toEqual({
      preview: m.preview,
      ...e,
      status: 'delivered',
    });
  }
  // Port ids follow arrival order, so compare the set of paths.
  const paths = (list: (string | null)[][]) => list.map((p) => p.join(' > ')).sort();
  expect(paths(d.ports.map((p) => p.holders.map((h) => url(h.contextId))))).toEqual(paths(w.paths));
  expect(s.pendingWork()).toMatchObject({ heldBatches: 0, unknownPorts: 0, waitingHalves: 0 });
}

describe('ports wandering between nested cross-origin frames', () => {
  it('pairs every message and follows every port, in any arrival order', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const w = randomWalk(seed, 300);
      check(feedSession(shuffled(w.feeds, seed * 7)), w);
    }
  }, 60_000);

  it('does the same with resends and a worker restart at a random point', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const w = randomWalk(seed, 300);
      const order = shuffled(w.feeds, seed * 13);
      const cut = (seed * 37) % order.length;
      const first = feedSession(order.slice(0, cut));
      // Odd seeds persist as JSON, even ones as the packed state for IndexedDB.
      const s = Session.restore(seed % 2 ? JSON.parse(JSON.stringify(first.toJSON())) : structuredClone(first.toState()));
      feedAll(s, shuffled(order.slice(Math.max(0, cut - 5)), seed));
      check(s, w);
    }
  }, 60_000);
});

function feedSession(feeds: Fed[]): Session {
  const s = new Session();
  feedAll(s, feeds);
  return s;
}

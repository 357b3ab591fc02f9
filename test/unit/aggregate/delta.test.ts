import { describe, expect, it } from 'vitest';
import { Session, topologyAt } from '../../../src/aggregate';
import type { AggregateDelta, AggregateSnapshot } from '../../../src/protocol/session';
import { relayThroughMiddle, sessionOf } from './scenarios';
import { Doc, channel, ctx, deliverPort, postPort, shuffled, start } from './streams';

/** What a panel does: keep a snapshot, upsert records from each newer delta. */
function applyDelta(view: AggregateSnapshot, d: AggregateDelta): void {
  if (d.rev <= view.rev) return;
  view.rev = d.rev;
  const upsert = <T extends { id: number }>(list: T[], recs: T[]) => {
    for (const r of recs) {
      const i = list.findIndex((x) => x.id === r.id);
      if (i >= 0) list[i] = r;
      else list.push(r);
    }
    list.sort((a, b) => a.id - b.id);
  };
  upsert(view.contexts, d.contexts);
  upsert(view.ports, d.ports);
  upsert(view.messages, d.messages);
  view.firstMessageId = d.firstMessageId;
  view.messages = view.messages.filter((m) => m.id >= d.firstMessageId);
  view.mismatches.push(...d.mismatches);
  if (d.dropped) view.dropped = d.dropped;
  if (d.findings) view.findings = d.findings;
}

describe('snapshot and deltas for the panel', () => {
  it('a snapshot plus every later delta equals the final snapshot', () => {
    const feeds = shuffled(relayThroughMiddle().feeds, 3);
    for (let cut = 0; cut <= feeds.length; cut++) {
      const s = new Session({ maxMessages: 3, evictChunk: 1 });
      for (const f of feeds.slice(0, cut)) s.ingest(f.batch, f.source);
      s.takeDelta();
      const view = structuredClone(s.snapshot());
      for (const f of feeds.slice(cut)) {
        s.ingest(f.batch, f.source);
        const d = s.takeDelta();
        if (d) applyDelta(view, structuredClone(d));
      }
      const final = s.snapshot();
      expect(view).toEqual({ ...final, rev: view.rev });
    }
  });

  it('sends nothing when nothing changed, and only the changed records otherwise', () => {
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: 'https://a.test/' });
    A.batch([ctx(1, 'https://a.test/', true), channel(2, 1, 2), start(2, 2), postPort(3, 1, 1), postPort(4, 2, 1)]);
    A.batch([deliverPort(5, 2, 'one')]);
    const s = sessionOf(A.out.slice(0, 1));
    expect(s.takeDelta()?.messages).toHaveLength(2);
    expect(s.takeDelta()).toBeNull();
    s.ingest(A.out[1].batch, A.out[1].source);
    const d = s.takeDelta() as AggregateDelta;
    expect(d.messages.map((m) => [m.id, m.outcome.status])).toEqual([[1, 'delivered']]);
    expect(d.ports).toEqual([]);
    expect(d.dropped).toBeNull();
  });

  it('carries findings set by the audit', () => {
    const s = new Session();
    s.takeDelta();
    s.setFindings([{ rule: 'never-started', severity: 'warning', message: 'port 2 queued 3 messages', messageIds: [1], portIds: [2] }]);
    expect(s.takeDelta()?.findings).toHaveLength(1);
    expect(s.snapshot().findings[0].rule).toBe('never-started');
  });
});

describe('topology at a recorded instant', () => {
  it('follows the relayed port from A through flight to B and C', () => {
    const s = sessionOf(relayThroughMiddle().feeds);
    const d = s.data();
    const [a, b, c] = d.contexts.map((x) => x.id);
    const moved = (t: number) => topologyAt(d, t).ports.find((p) => p.id === 2);
    expect(topologyAt(d, 1000.6).contexts.map((x) => x.id)).toEqual([a, b]);
    expect(moved(1000)).toBeUndefined();
    expect(moved(1001.5)).toMatchObject({ holder: a, inFlight: null, entangledWith: 1, started: false });
    expect(moved(1002.5)).toMatchObject({ holder: null, inFlight: d.messages.find((m) => m.preview === 'port for B')?.id });
    expect(moved(1003.5)).toMatchObject({ holder: b, inFlight: null });
    expect(moved(1004.5)).toMatchObject({ holder: null });
    expect(moved(1005.5)).toMatchObject({ holder: c, started: false });
    expect(moved(1006.5)).toMatchObject({ holder: c, started: true });
  });

  it('shows entanglement ending when a side closes', () => {
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: 'https://a.test/' });
    A.batch([ctx(1, 'https://a.test/', true), channel(2, 1, 2), { k: 'close', at: 5, port: 1 }]);
    const d = sessionOf(A.out).data();
    expect(topologyAt(d, 3).ports.map((p) => p.entangledWith)).toEqual([2, 1]);
    expect(topologyAt(d, 6).ports.map((p) => [p.entangledWith, p.closed])).toEqual([
      [null, true],
      [null, false],
    ]);
  });
});

describe('packed snapshot (columns) for large sessions', () => {
  it('unpacks to exactly the records, after a structured clone', async () => {
    const { packSnapshot, unpackSnapshot, blockRowAt } = await import('../../../src/aggregate');
    const s = sessionOf(relayThroughMiddle().feeds);
    const A = new Doc('X', { frameId: 0, parentFrameId: -1, url: 'https://a.test/' });
    A.batch([
      ctx(1, 'https://a.test/', true),
      channel(2, 1, 2),
      postPort(3, 1, 1, [{ kind: 'MessagePort', id: 2 }, { kind: 'ArrayBuffer', id: 0, bytes: 8 }, { kind: 'other' }], { o: 'dropped', reason: 'doomed' }),
      { k: 'post', at: 4, msg: 2, via: 'broadcast', object: 1, transfer: [], predicted: { o: 'error', name: 'DataCloneError', message: 'no' } },
      { k: 'deliver', at: 5, type: 'messageerror', via: 'worker', object: 3, ports: [], listeners: 0 },
    ]);
    for (const f of A.out) s.ingest(f.batch, f.source);
    const snap = s.snapshot();
    const packed = structuredClone(packSnapshot(snap));
    expect(unpackSnapshot(packed)).toEqual(JSON.parse(JSON.stringify(snap)));
    expect(blockRowAt(packed.messages, 0)).toEqual(snap.messages[0]);
    expect(unpackSnapshot(structuredClone(s.packedSnapshot()))).toEqual(JSON.parse(JSON.stringify(snap)));
  });

  it('packs unchanged full blocks once, and repacks a block when a message in it changes', async () => {
    const { unpackSnapshot } = await import('../../../src/aggregate');
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: 'https://a.test/' });
    const N = 70_000;
    A.batch([ctx(1, 'https://a.test/', true), channel(1, 1, 2), start(1, 2), channel(1, 3, 4), postPort(2, 0, 3)]);
    const posts = [];
    for (let i = 0; i < N; i++) posts.push(postPort(10 + i, i + 1, 1));
    A.batch(posts);
    const delivers = [];
    for (let i = 0; i < N - 1; i++) delivers.push(deliverPort(10.5 + i, 2, `m${i}`));
    A.batch(delivers);
    const s = sessionOf(A.out, { maxMessages: 100_000 });
    const first = s.packedSnapshot();
    expect(first.messages.map((b) => b.count)).toEqual([65_536, N + 1 - 65_536]);
    const again = s.packedSnapshot();
    expect(again.messages[0]).toBe(first.messages[0]);
    // A message of the second block changes: the first block is still reused.
    A.batch([deliverPort(10.5 + N, 2, 'last')]);
    s.ingest(A.out[3].batch, A.out[3].source);
    const third = s.packedSnapshot();
    expect(third.messages[0]).toBe(first.messages[0]);
    expect(unpackSnapshot(third).messages[N]).toMatchObject({ preview: 'last', outcome: { status: 'delivered' } });
    // The very first message is delivered at last: its block is packed anew.
    A.batch([deliverPort(20 + N, 4, 'first')]);
    s.ingest(A.out[4].batch, A.out[4].source);
    const fourth = s.packedSnapshot();
    expect(fourth.messages[0]).not.toBe(first.messages[0]);
    expect(unpackSnapshot(fourth).messages[0]).toMatchObject({ preview: 'first', outcome: { status: 'delivered' } });
    expect(unpackSnapshot(fourth)).toEqual(JSON.parse(JSON.stringify(s.snapshot())));
    // After a restart from the packed state, full blocks are reused as they were stored.
    const state = structuredClone(s.toState());
    const restored = Session.restore(state);
    const fifth = restored.packedSnapshot();
    expect(fifth.messages[0]).toBe(state.messageBlocks?.[0]);
    expect(restored.data().messages[0]).toMatchObject({ preview: 'first', sentAt: 2, deliveredAt: 20 + N });
  }, 120_000);
});

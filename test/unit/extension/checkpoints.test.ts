// Incremental checkpoints (src/background/checkpoints.ts): only changed chunks are written,
// a restart gives back the same session, and a worker stopped between the chunks and the head
// (a torn write) loses nothing and leaves nothing behind for long.
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/aggregate';
import { CHUNK } from '../../../src/aggregate/store';
import { CheckpointWriter, type HeadMeta } from '../../../src/background/checkpoints';
import { Intake, type IntakeTab } from '../../../src/background/intake';
import { restoreTab } from '../../../src/background/restore';
import type { RelayToBackground } from '../../../src/protocol/messages';
import { channel, ctx, deliverPort, Doc, postPort } from '../aggregate/streams';
import { FakeLink, MemoryStore } from './fakes';

const TAB = 3;
const URL_A = 'https://a.test/';

/** A tab recorded through the intake into the store, as the background does. */
function recorder(store: MemoryStore, maxMessages = 1_000_000) {
  const t: IntakeTab = { session: new Session({ maxMessages }), lastKey: 0, logged: 0 };
  const intake = new Intake<FakeLink>({ store: () => store, tab: () => t, openTab: () => t, checkpointDue: () => {} });
  const d = new Doc('doc-a', { frameId: 0, parentFrameId: -1, url: URL_A, documentId: 'D0' });
  const from = { tab: TAB, frameId: 0, documentId: 'D0' };
  const link = new FakeLink();
  let at = 10;
  const feed = async (events: Parameters<Doc['batch']>[0]) => {
    const fed = d.batch(events);
    const wire: RelayToBackground = { t: 'text', seq: fed.batch.seq, text: JSON.stringify(fed.batch) };
    intake.receive(TAB, d.source, from, wire, link);
    await intake.flush();
  };
  /** n messages posted in one batch; delivered in the same one unless `later`. */
  const posts: number[] = [];
  const send = async (n: number, later = false) => {
    const evs = [];
    for (let i = 0; i < n; i++) {
      const m = d.nextMsg();
      posts.push(m);
      evs.push(postPort(at++, m, 1));
      if (!later) evs.push(deliverPort(at++, 2, `"m${m}"`));
    }
    await feed(evs);
  };
  const deliverPending = async (n: number) => {
    const evs = [];
    for (let i = 0; i < n; i++) evs.push(deliverPort(at++, 2, `"late${i}"`));
    await feed(evs);
  };
  const writer = new CheckpointWriter(TAB);
  const meta = (): HeadMeta => ({ upTo: t.lastKey, preserveLog: false, paused: false, bindings: intake.bindings.toState(new Set([TAB])), notices: [] });
  const checkpoint = () => writer.run(store, () => t.session, meta);
  return { t, intake, writer, start: () => feed([ctx(1, URL_A, true), channel(2, 1, 2)]), send, deliverPending, checkpoint, meta };
}

/** Counts the chunks each checkpoint stores. */
function counting(store: MemoryStore) {
  const puts: number[] = [];
  const put = store.putChunk.bind(store);
  store.putChunk = async (tab, serial, cols) => {
    puts.push(cols.count);
    return put(tab, serial, cols);
  };
  return puts;
}

async function restarted(store: MemoryStore) {
  const intake = new Intake<FakeLink>({ store: () => store, tab: () => null as never, openTab: () => undefined, checkpointDue: () => {} });
  return restoreTab((await store.loadAll()).get(TAB)!, intake, TAB);
}

const view = (s: Session) => {
  const snap = s.snapshot();
  return { messages: snap.messages, ports: snap.ports, contexts: snap.contexts, dropped: snap.dropped };
};

// Sessions of a few chunks (8,000+ messages): seconds on a quiet machine, more under load.
describe('incremental checkpoints', { timeout: 60_000 }, () => {
  it('write only the chunks that changed, and a restart gives the same session', async () => {
    const store = new MemoryStore();
    const puts = counting(store);
    const r = recorder(store);
    await r.start();
    await r.send(2 * CHUNK + 100);
    await r.checkpoint();
    expect(puts).toEqual([CHUNK, CHUNK, 100]);
    // The log up to the head is gone; the messages are in three chunks.
    expect(store.log.size).toBe(0);
    expect(store.chunks.get(TAB)!.size).toBe(3);
    puts.length = 0;
    await r.send(50);
    await r.checkpoint();
    // Only the last chunk changed: the first two are not written again.
    expect(puts).toEqual([150]);
    expect(store.chunks.get(TAB)!.size).toBe(3);
    const back = await restarted(store);
    expect(back.session.messageCount).toBe(2 * CHUNK + 150);
    expect(view(back.session)).toEqual(view(r.t.session));
  });

  it('rewrite an old chunk when its messages changed (a delivery joined an early send)', async () => {
    const store = new MemoryStore();
    const puts = counting(store);
    const r = recorder(store);
    await r.start();
    await r.send(CHUNK + 10, true);
    await r.checkpoint();
    expect(puts).toEqual([CHUNK, 10]);
    puts.length = 0;
    // Deliveries of the first 20 sends: they land in chunk 0, whose records change.
    await r.deliverPending(20);
    await r.checkpoint();
    expect(puts).toEqual([CHUNK]);
    const back = await restarted(store);
    expect(view(back.session)).toEqual(view(r.t.session));
    expect(back.session.snapshot().messages.filter((m) => m.outcome.status === 'delivered')).toHaveLength(20);
  });

  it('a torn write (stopped between chunks and head) restores the previous head and the log after it, then cleans up', async () => {
    const store = new MemoryStore();
    const r = recorder(store);
    await r.start();
    await r.send(CHUNK + 5);
    await r.checkpoint();
    const before = new Set(store.chunks.get(TAB)!.keys());
    await r.send(30, true);
    await r.deliverPending(30);
    store.headFailures = 1;
    await expect(r.checkpoint()).rejects.toThrow('the worker stopped');
    // The new chunk is on disk, named by nothing; the old head and its chunks are untouched.
    expect(store.chunks.get(TAB)!.size).toBe(before.size + 1);
    expect(store.log.size).toBe(2);
    const back = await restarted(store);
    expect(view(back.session)).toEqual(view(r.t.session));
    // The next checkpoint of the restarted worker deletes the orphan.
    await back.writer.run(store, () => back.session, r.meta);
    const left = store.chunks.get(TAB)!;
    expect(left.size).toBe(2);
    expect([...left.keys()].every((k) => store.checkpoints.get(TAB)!.chunks!.some(([, s]) => s === k))).toBe(true);
    expect(view((await restarted(store)).session)).toEqual(view(r.t.session));
  });

  it('a failed head leaves its chunks dirty: the same worker writes them at the next checkpoint', async () => {
    const store = new MemoryStore();
    const r = recorder(store);
    await r.start();
    await r.send(10);
    await r.checkpoint();
    await r.send(10);
    store.headFailures = 1;
    await expect(r.checkpoint()).rejects.toThrow();
    await r.checkpoint();
    expect(store.chunks.get(TAB)!.size).toBe(1);
    expect(view((await restarted(store)).session)).toEqual(view(r.t.session));
  });

  it('a chunk missing on disk is a partial restore, said, never a wrong session', async () => {
    const store = new MemoryStore();
    const r = recorder(store);
    await r.start();
    await r.send(CHUNK + 1);
    await r.checkpoint();
    store.chunks.get(TAB)!.delete(store.checkpoints.get(TAB)!.chunks![0][1]);
    const back = await restarted(store);
    expect(back.notices[0].message).toMatch(/^Partial recording: .*chunk \d+ of its messages is missing/);
    expect(back.session.messageCount).toBe(0);
  });

  it('drops the chunks of evicted and cleared messages from disk', async () => {
    const store = new MemoryStore();
    const r = recorder(store, 2 * CHUNK);
    await r.start();
    await r.send(2 * CHUNK);
    await r.checkpoint();
    await r.send(2 * CHUNK);
    await r.checkpoint();
    const firstChunk = Math.floor((r.t.session.snapshot().messages[0].id - 1) / CHUNK);
    expect(store.checkpoints.get(TAB)!.chunks![0][0]).toBe(firstChunk);
    expect(store.chunks.get(TAB)!.size).toBe(store.checkpoints.get(TAB)!.chunks!.length);
    expect(view((await restarted(store)).session)).toEqual(view(r.t.session));
    r.t.session.clear();
    await r.checkpoint();
    expect(store.chunks.get(TAB)!.size).toBe(0);
    expect(store.dump()).not.toContain('"m1"');
  });

  it('a checkpoint asked for while one runs follows it, with the state of its own start', async () => {
    const store = new MemoryStore();
    const r = recorder(store);
    await r.start();
    await r.send(10);
    const first = r.checkpoint();
    await r.send(10);
    const second = r.checkpoint();
    await Promise.all([first, second]);
    expect(view((await restarted(store)).session)).toEqual(view(r.t.session));
    expect(store.log.size).toBe(0);
  });
});

// The background's batch handling with a fake transport and store: what is acknowledged and
// when, resends, duplicates, batches out of order, malformed ones, documents claimed from the
// wrong frame, storage failures and a restart.
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/aggregate';
import { Intake, type IntakeTab } from '../../../src/background/intake';
import { restoreTab } from '../../../src/background/restore';
import { tabNotices } from '../../../src/background/notices';
import type { RelayToBackground } from '../../../src/protocol/messages';
import { channel, ctx, deliverPort, Doc, postPort } from '../aggregate/streams';
import { FakeLink, MemoryStore } from './fakes';

const TAB = 7;
const URL_A = 'https://a.test/';

function setup(store: MemoryStore | null = new MemoryStore(), checkpointEvery = 2000) {
  const tabs = new Map<number, IntakeTab>();
  const due: number[] = [];
  const tab = (id: number) => {
    let t = tabs.get(id);
    if (!t) tabs.set(id, (t = { session: new Session(), lastKey: 0, logged: 0 }));
    return t;
  };
  const intake = new Intake<FakeLink>({ store: () => store, tab, openTab: (id) => tabs.get(id), checkpointDue: (id) => due.push(id) }, checkpointEvery);
  return { intake, tab, tabs, store, due };
}

/** A document that talks to itself over one channel: batch 1 opens it, each later batch posts and delivers one message. */
function talker(name = 'doc-a', frameId = 0, documentId = 'D0') {
  const d = new Doc(name, { frameId, parentFrameId: -1, url: URL_A, documentId });
  const from = { tab: TAB, frameId, documentId };
  d.batch([ctx(1, URL_A, true), channel(2, 1, 2)]);
  const message = (text: string) => {
    const n = d.nextMsg();
    return d.batch([postPort(10 + n, n, 1), deliverPort(11 + n, 2, text)]);
  };
  const wire = (i: number): RelayToBackground => ({ t: 'text', seq: d.out[i].batch.seq, text: JSON.stringify(d.out[i].batch) });
  return { d, from, message, wire, source: d.source };
}

const delivered = (s: Session) => s.snapshot().messages.filter((m) => m.outcome.status === 'delivered').map((m) => m.preview);

describe('Intake: acknowledgements', () => {
  it('acknowledges a batch only once the store holds it', async () => {
    const { intake, store } = setup();
    const a = talker();
    const link = new FakeLink();
    intake.receive(TAB, a.source, a.from, a.wire(0), link);
    expect(link.acks()).toEqual([]);
    expect(store!.log.size).toBe(0);
    await intake.flush();
    expect(store!.log.size).toBe(1);
    expect(link.acks()).toEqual([1]);
  });

  it('applies a resent batch once, logs it once and acknowledges it again', async () => {
    const { intake, tab, store } = setup();
    const a = talker();
    a.message('"one"');
    const link = new FakeLink();
    for (const i of [0, 1]) intake.receive(TAB, a.source, a.from, a.wire(i), link);
    await intake.flush();
    // The acks were lost with the port (it closed): the relay sends both again on a new one.
    intake.bindings.release(link);
    const again = new FakeLink();
    expect(intake.receive(TAB, a.source, a.from, a.wire(0), again).result).toBe('duplicate');
    expect(intake.receive(TAB, a.source, a.from, a.wire(1), again).result).toBe('duplicate');
    await intake.flush();
    expect(store!.log.size).toBe(2);
    // Acks are cumulative: one per relay and document per flush, the highest.
    expect(again.acks()).toEqual([2]);
    expect(delivered(tab(TAB).session)).toHaveLength(1);
  });

  it('holds a batch that came before an earlier one and acknowledges nothing past the gap', async () => {
    const { intake, tab } = setup();
    const a = talker();
    a.message('"one"');
    a.message('"two"');
    const link = new FakeLink();
    intake.receive(TAB, a.source, a.from, a.wire(0), link);
    expect(intake.receive(TAB, a.source, a.from, a.wire(2), link).result).toBe('held');
    await intake.flush();
    // Batch 3 is logged, but an ack of 3 would let the relay forget batch 2, which never came.
    expect(link.acks()).toEqual([1]);
    expect(intake.receive(TAB, a.source, a.from, a.wire(1), link).result).toBe('applied');
    await intake.flush();
    expect(link.acks()).toEqual([1, 3]);
    expect(delivered(tab(TAB).session)).toEqual(['"one"', '"two"']);
  });

  it('keeps and acknowledges nothing of a malformed batch, and the session counts it', async () => {
    const { intake, tab, store } = setup();
    const a = talker();
    const link = new FakeLink();
    expect(intake.receive(TAB, a.source, a.from, { t: 'text', seq: 1, text: '{"v":1,"doc":' }, link).result).toBe('rejected');
    expect(intake.receive(TAB, a.source, a.from, { t: 'batch', batch: { v: 1, doc: 'x', seq: -4, events: [] } }, link).result).toBe('rejected');
    await intake.flush();
    expect(store!.log.size).toBe(0);
    expect(link.sent).toEqual([]);
    expect(tab(TAB).session.snapshot().dropped['invalid-batch']).toBe(2);
  });

  it('leaves batches unacknowledged when the store fails, says so, and takes their resend', async () => {
    const { intake, tab, store } = setup();
    const a = talker();
    a.message('"one"');
    const link = new FakeLink();
    store!.failures = 1;
    for (const i of [0, 1]) intake.receive(TAB, a.source, a.from, a.wire(i), link);
    await intake.flush();
    expect(link.acks()).toEqual([]);
    expect(intake.storeFailures).toBe(1);
    expect(tabNotices({ id: TAB, notices: [], instrumentErrors: [] }, intake).map((n) => n.kind)).toEqual(['store-failed']);
    // The worker restarts: nothing was durable, so the relay's resend is all there is.
    const fresh = setup(store);
    const again = new FakeLink();
    for (const i of [0, 1]) fresh.intake.receive(TAB, a.source, a.from, a.wire(i), again);
    await fresh.intake.flush();
    expect(again.acks()).toEqual([2]);
    expect(store!.log.size).toBe(2);
    expect(delivered(fresh.tab(TAB).session)).toEqual(['"one"']);
    expect(tab(TAB).session.snapshot().dropped).toEqual({});
  });

  it('asks for a checkpoint once enough batches are durable', async () => {
    const { intake, due } = setup(new MemoryStore(), 3);
    const a = talker();
    a.message('"1"');
    a.message('"2"');
    const link = new FakeLink();
    for (const i of [0, 1]) intake.receive(TAB, a.source, a.from, a.wire(i), link);
    await intake.flush();
    expect(due).toEqual([]);
    intake.receive(TAB, a.source, a.from, a.wire(2), link);
    await intake.flush();
    expect(due).toEqual([TAB]);
  });
});

describe('Intake: a document is bound to where its first batch came from', () => {
  it('refuses and counts batches naming the document from another frame, document or live port', async () => {
    const { intake, tab } = setup();
    const a = talker('doc-a', 0, 'D0');
    a.message('"real"');
    const forged = a.d.batch([postPort(50, 99, 1), deliverPort(51, 2, '"forged"')]);
    const forgedWire: RelayToBackground = { t: 'batch', batch: forged.batch };
    const link = new FakeLink();
    intake.receive(TAB, a.source, a.from, a.wire(0), link);
    intake.receive(TAB, a.source, a.from, a.wire(1), link);
    const other = new FakeLink();
    const src = (frameId: number) => ({ frameId, parentFrameId: 0, url: 'https://evil.test/' });
    expect(intake.receive(TAB, src(3), { tab: TAB, frameId: 3, documentId: 'D3' }, forgedWire, other).result).toBe('refused-other-frame');
    expect(intake.receive(TAB, a.source, { tab: 8, frameId: 0, documentId: 'D0' }, forgedWire, other).result).toBe('refused-other-frame');
    expect(intake.receive(TAB, a.source, { tab: TAB, frameId: 0, documentId: 'D9' }, forgedWire, other).result).toBe('refused-other-document');
    expect(intake.receive(TAB, a.source, a.from, forgedWire, other).result).toBe('refused-other-port');
    await intake.flush();
    expect(delivered(tab(TAB).session)).toEqual(['"real"']);
    expect(other.sent).toEqual([]);
    expect(intake.refused.get(TAB)).toEqual({ 'batch-other-frame': 2, 'batch-other-document': 1, 'batch-other-port': 1 });
    expect(tabNotices({ id: TAB, notices: [], instrumentErrors: [] }, intake).filter((n) => n.kind === 'refused-batches')).toHaveLength(3);
  });

  it('lets the document continue on a new port once its port closed (recording resumed, back/forward cache)', async () => {
    const { intake, tab } = setup();
    const a = talker();
    a.message('"before"');
    a.message('"after"');
    const first = new FakeLink();
    intake.receive(TAB, a.source, a.from, a.wire(0), first);
    intake.receive(TAB, a.source, a.from, a.wire(1), first);
    intake.bindings.release(first);
    const second = new FakeLink();
    expect(intake.receive(TAB, a.source, a.from, a.wire(2), second).result).toBe('applied');
    // The old port cannot come back while the new one holds the document.
    expect(intake.receive(TAB, a.source, a.from, a.wire(2), first).result).toBe('refused-other-port');
    await intake.flush();
    expect(delivered(tab(TAB).session)).toEqual(['"before"', '"after"']);
  });
});

describe('restoreTab: a restarted background', () => {
  async function recorded(store: MemoryStore) {
    const { intake, tab } = setup(store);
    const a = talker();
    a.message('"one"');
    a.message('"two"');
    const link = new FakeLink();
    for (const i of [0, 1]) intake.receive(TAB, a.source, a.from, a.wire(i), link);
    await intake.flush();
    const t = tab(TAB);
    await store.checkpoint({ tabId: TAB, upTo: t.lastKey, state: t.session.toState(), preserveLog: true, paused: true, bindings: intake.bindings.toState(new Set([TAB])), notices: [] });
    intake.receive(TAB, a.source, a.from, a.wire(2), link);
    await intake.flush();
    return a;
  }

  it('comes back paused, with its log and its documents bound', async () => {
    const store = new MemoryStore();
    const a = await recorded(store);
    const { intake } = setup(store);
    const t = restoreTab((await store.loadAll()).get(TAB)!, intake);
    expect(t.paused).toBe(true);
    expect(t.preserveLog).toBe(true);
    expect(t.notices).toEqual([]);
    expect(delivered(t.session)).toEqual(['"one"', '"two"']);
    const forged = a.d.batch([postPort(50, 99, 1), deliverPort(51, 2, '"forged"')]);
    expect(intake.receive(TAB, { frameId: 2 }, { tab: TAB, frameId: 2 }, { t: 'batch', batch: forged.batch }, new FakeLink()).result).toBe('refused-other-frame');
  });

  it('says so when the checkpoint cannot be read, and keeps saying it', async () => {
    const store = new MemoryStore();
    await recorded(store);
    const cp = store.checkpoints.get(TAB)!;
    cp.state = { ...cp.state, version: 999 };
    const { intake } = setup(store);
    const t = restoreTab((await store.loadAll()).get(TAB)!, intake);
    expect(t.notices).toHaveLength(1);
    expect(t.notices[0].message).toMatch(/^Partial recording: a saved session could not be restored/);
    expect(t.notices[0].text?.key).toBe('noticePartialRestore');
    // What the log still held after the checkpoint is there; what the checkpoint held is not.
    expect(delivered(t.session)).toEqual([]);
    expect(t.session.snapshot().dropped['batch-gap']).toBeUndefined();
    const notices = tabNotices({ id: TAB, notices: t.notices, instrumentErrors: [] }, intake);
    expect(notices.map((n) => n.kind)).toEqual(['partial-restore']);
    // A later checkpoint carries the notice on.
    await store.checkpoint({ tabId: TAB, upTo: t.lastKey, state: t.session.toState(), preserveLog: false, notices: t.notices });
    expect(restoreTab((await store.loadAll()).get(TAB)!, setup(store).intake).notices).toEqual(t.notices);
  });
});

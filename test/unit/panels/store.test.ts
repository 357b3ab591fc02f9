// The panel store: snapshot then deltas (upsert, eviction), traces opened over the live
// session, selection and filters, and UI choices that survive a reload of the panel.
import { describe, expect, it } from 'vitest';
import { packDelta, packSnapshot } from '../../../src/aggregate/columns';
import type { AggregateDelta, MessageRecord } from '../../../src/protocol/session';
import { exportTrace, importTrace, stringifyTrace } from '../../../src/trace/format';
import { Store, shown, type KeyValue } from '../../../panels/store';
import { selectMessage } from '../../../panels/model/selection';
import { fixtureSnapshot } from './fixture';

const state = { tabId: 7, recording: true, preserveLog: false };

function loaded(storage: KeyValue | null = null) {
  const store = new Store(() => {}, storage);
  store.apply({ t: 'snapshot', state, snapshot: packSnapshot(fixtureSnapshot()) });
  return store;
}

function delta(over: Partial<AggregateDelta>): AggregateDelta {
  return { rev: 2, contexts: [], ports: [], messages: [], firstMessageId: 1, mismatches: [], dropped: null, findings: null, ...over };
}

function memory(): KeyValue & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, get: (k) => data.get(k) ?? null, set: (k, v) => void data.set(k, v) };
}

describe('panel store', () => {
  it('decodes the packed snapshot into contexts, ports and id-ordered messages', () => {
    const s = loaded().state;
    expect(s.tab).toEqual(state);
    expect(s.live.contexts.size).toBe(3);
    expect(s.live.ports.size).toBe(4);
    expect(s.live.messages.map((m) => m.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(s.live.messages[3].transfer).toEqual([
      { kind: 'MessagePort', id: 4, bytes: null },
      { kind: 'ArrayBuffer', id: 7, bytes: 1024 },
    ]);
    expect(s.live.findings.map((f) => f.rule)).toEqual(['port-never-started', 'post-on-shipped-port']);
  });

  it('upserts delta records by id and keeps messages in id order', () => {
    const store = loaded();
    const five = store.state.live.messages[4];
    const delivered: MessageRecord = { ...five, deliveredAt: five.sentAt! + 3, outcome: { status: 'delivered', reason: null } };
    const eight: MessageRecord = { ...five, id: 8, preview: 'late' };
    store.apply({ t: 'delta', delta: delta({ messages: [delivered, eight], contexts: [{ ...store.state.live.contexts.get(2)!, url: 'http://localhost:8000/other.html' }] }) });
    const live = store.state.live;
    expect(live.messages.map((m) => m.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(live.messages[4].outcome.status).toBe('delivered');
    expect(live.contexts.get(2)!.url).toBe('http://localhost:8000/other.html');
    expect(live.contexts.size).toBe(3);
  });

  it('applies a delta whose messages come as columns (what the background sends) as the records themselves', () => {
    const byRecords = loaded();
    const byColumns = loaded();
    const five = byRecords.state.live.messages[4];
    const messages: MessageRecord[] = [
      { ...five, deliveredAt: five.sentAt! + 3, outcome: { status: 'delivered', reason: null } },
      { ...byRecords.state.live.messages[3], id: 8, preview: 'with transfers', sample: '{"$":"object","entries":[],"count":0}', sampleFrom: 'receiver' },
    ];
    byRecords.apply({ t: 'delta', delta: delta({ messages }) });
    byColumns.apply({ t: 'packedDelta', delta: packDelta(delta({ messages })) });
    expect(byColumns.state.live.messages).toEqual(byRecords.state.live.messages);
    expect(byColumns.state.live.messages[7].transfer).toEqual(byRecords.state.live.messages[3].transfer);
  });

  it('inserts a message that arrives out of order at its place', () => {
    const store = loaded();
    store.apply({ t: 'delta', delta: delta({ messages: [{ ...store.state.live.messages[0], id: 10 }] }) });
    store.apply({ t: 'delta', delta: delta({ messages: [{ ...store.state.live.messages[0], id: 9 }] }) });
    expect(store.state.live.messages.map((m) => m.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 9, 10]);
  });

  it('evicts messages below the delta’s firstMessageId', () => {
    const store = loaded();
    store.apply({ t: 'delta', delta: delta({ firstMessageId: 5 }) });
    expect(store.state.live.messages.map((m) => m.id)).toEqual([5, 6, 7]);
    expect(store.state.live.firstMessageId).toBe(5);
  });

  it('replaces findings and dropped counts only when the delta carries them', () => {
    const store = loaded();
    store.apply({ t: 'delta', delta: delta({}) });
    expect(store.state.live.findings).toHaveLength(2);
    store.apply({ t: 'delta', delta: delta({ findings: [], dropped: { 'message-budget': 3 } }) });
    expect(store.state.live.findings).toHaveLength(0);
    expect(store.state.live.dropped).toEqual({ 'message-budget': 3 });
  });

  it('a new snapshot (after Clear) replaces the live data', () => {
    const store = loaded();
    const empty = { ...fixtureSnapshot(), contexts: [], ports: [], messages: [], findings: [] };
    store.apply({ t: 'snapshot', state, snapshot: packSnapshot(empty) });
    expect(store.state.live.messages).toHaveLength(0);
    expect(store.state.live.contexts.size).toBe(0);
  });

  it('shows an imported trace instead of the live session until it is closed, while live deltas still apply', () => {
    const store = loaded();
    const doc = importTrace(stringifyTrace(exportTrace({ ...fixtureSnapshot(), messages: fixtureSnapshot().messages.slice(0, 2) })));
    store.select(selectMessage(store.state.live.messages[0]));
    store.openTrace(doc, 'saved.json');
    expect(shown(store.state).messages).toHaveLength(2);
    expect(store.state.selection.focus).toBeNull();
    store.apply({ t: 'delta', delta: delta({ messages: [{ ...store.state.live.messages[0], id: 8 }] }) });
    expect(shown(store.state).messages).toHaveLength(2);
    store.closeTrace();
    expect(shown(store.state).messages).toHaveLength(8);
  });

  it('sends commands to the background', () => {
    const sent: unknown[] = [];
    const store = new Store((m) => sent.push(m));
    store.command({ t: 'record', on: false });
    store.command({ t: 'clear' });
    expect(sent).toEqual([{ t: 'record', on: false }, { t: 'clear' }]);
  });

  it('notifies subscribers on every change', () => {
    const store = loaded();
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.setView('messages');
    store.apply({ t: 'state', state: { ...state, recording: false } });
    off();
    store.setView('findings');
    expect(calls).toBe(2);
    expect(store.state.tab?.recording).toBe(false);
  });

  it('keeps view, selection, filters and brush across a reload of the panel', () => {
    const kv = memory();
    const store = loaded(kv);
    store.setView('messages');
    store.select(selectMessage(store.state.live.messages[2]));
    store.setFilter({ text: 'pong', outcome: 'delivered' });
    store.setBrush({ from: 5, to: 9 });
    const again = new Store(() => {}, kv);
    expect(again.state.view).toBe('messages');
    expect(again.state.selection).toEqual(store.state.selection);
    expect(again.state.filter).toEqual(store.state.filter);
    expect(again.state.brush).toEqual({ from: 5, to: 9 });
  });

  it('ignores stored UI state that is damaged or hostile', () => {
    for (const raw of ['{', 'null', '"x"', JSON.stringify({ view: 'evil', selection: { focus: { kind: 'message', id: 'x' }, messageIds: ['1', 2] }, filter: { outcome: 'nope', context: 1.5 }, brush: { from: 9, to: 1 } })]) {
      const kv = memory();
      kv.data.set('channel-inspector.ui', raw);
      const s = new Store(() => {}, kv).state;
      expect(s.view).toBe('topology');
      expect(s.selection.focus).toBeNull();
      expect(s.filter.outcome).toBe('');
      expect(s.filter.context).toBeNull();
      expect(s.brush).toBeNull();
    }
  });

  it('an empty brush is no brush', () => {
    const store = loaded();
    store.setBrush({ from: 3, to: 3 });
    expect(store.state.brush).toBeNull();
  });
});

// The Listeners view's model, and the listener counts the topology shows.
import { describe, expect, it } from 'vitest';
import { applyDelta, datasetOf } from '../../../panels/model/dataset';
import { attachedCount, listenerGroups } from '../../../panels/model/listeners';
import { topologyModel } from '../../../panels/model/topology';
import type { ListenerRecord } from '../../../src/protocol/session';
import { fixtureSnapshot, T0 } from './fixture';

const rec = (id: number, over: Partial<ListenerRecord>): ListenerRecord => ({
  id,
  contextId: 1,
  target: { via: 'window', port: null, contextId: 1, object: null, channel: null },
  type: 'message',
  kind: 'listener',
  capture: false,
  once: false,
  addedAt: T0 + id,
  removedAt: null,
  removedBy: null,
  stack: 'at init (http://127.0.0.1:8000/demo/app.js:4:12)',
  name: `fn${id}`,
  source: `function fn${id}(e) {}`,
  sourceTruncated: false,
  wrappedBy: null,
  handled: 0,
  originRead: false,
  ...over,
});

function data() {
  return datasetOf({
    ...fixtureSnapshot(),
    listeners: [
      rec(1, { name: 'onWindow', handled: 3, originRead: true }),
      rec(2, { target: { via: 'port', port: 1, contextId: null, object: null, channel: null }, name: '', handled: 2, wrappedBy: 'zone.js' }),
      rec(3, { target: { via: 'port', port: 1, contextId: null, object: null, channel: null }, once: true, removedAt: T0 + 20, removedBy: 'once', handled: 1 }),
      rec(4, { contextId: 2, target: { via: 'broadcast', port: null, contextId: null, object: 2, channel: 'news' }, kind: 'handler', name: null, wrappedBy: 'bugsnag' }),
      rec(5, { target: { via: 'worker', port: null, contextId: 3, object: 1, channel: null }, type: 'messageerror', capture: true }),
    ],
  });
}

describe('listener rows', () => {
  it('groups by registering context, attached first, with what a person reads in each column', () => {
    const groups = listenerGroups(data());
    expect(groups.map((g) => [g.contextId, g.attached, g.rows.map((r) => r.id)])).toEqual([
      [1, 3, [1, 2, 5, 3]],
      [2, 1, [4]],
    ]);
    const [win, zone, worker, once] = groups[0].rows;
    expect(win).toMatchObject({ target: 'window', event: 'message', name: 'onWindow', state: 'attached', handled: 3, originRead: 'yes', wrappedBy: null });
    expect(zone).toMatchObject({ target: 'port 1', portId: 1, name: '(anonymous)', originRead: 'no', wrappedBy: 'zone.js', wrapperOnly: false });
    expect(worker).toMatchObject({ target: 'worker 3', event: 'messageerror', options: 'capture', originRead: 'never handled' });
    expect(once).toMatchObject({ attached: false, state: 'removed after its one call (once)', options: 'once' });
    expect(groups[1].rows[0]).toMatchObject({ target: 'BroadcastChannel “news”', event: 'onmessage', name: '?', wrapperOnly: true });
    expect(groups[0].label).toContain('127.0.0.1:8000');
  });

  it('counts attached listeners for the tab, and follows deltas', () => {
    const d = data();
    expect(attachedCount(d)).toBe(4);
    const before = d.version;
    applyDelta(d, { rev: 9, contexts: [], ports: [], messages: [], firstMessageId: 1, mismatches: [], dropped: null, findings: null, listeners: [rec(1, { removedAt: T0 + 30, removedBy: 'remove' }), rec(6, {})] });
    expect(d.version).toBe(before + 1);
    expect(attachedCount(d)).toBe(4);
    expect(listenerGroups(d)[0].rows.find((r) => r.id === 1)!.state).toBe('removed');
  });

  it('shows the listeners of a replaced document as gone with it', () => {
    const snap = fixtureSnapshot();
    snap.contexts[1] = { ...snap.contexts[1], endedAt: T0 + 50 };
    const d = datasetOf({ ...snap, listeners: [rec(1, { contextId: 2 })] });
    expect(listenerGroups(d)[0].rows[0]).toMatchObject({ attached: false, state: 'gone with its document' });
    expect(attachedCount(d)).toBe(0);
    // A frame inside a replaced document went with it too.
    const top = fixtureSnapshot();
    top.contexts[0] = { ...top.contexts[0], endedAt: T0 + 50 };
    expect(listenerGroups(datasetOf({ ...top, listeners: [rec(1, { contextId: 2 })] }))[0].rows[0].attached).toBe(false);
  });
});

describe('topology listener counts', () => {
  it('puts attached listeners on their port chip and on the window', () => {
    const t = topologyModel(data(), Infinity);
    const top = t.roots[0];
    expect(top.listeners).toBe(1);
    expect(top.ports.find((p) => p.id === 1)!.listeners).toBe(1);
    expect(top.workers[0].listeners).toBe(1);
    // Before the `once` listener ran it was attached too.
    expect(topologyModel(data(), T0 + 10).roots[0].ports.find((p) => p.id === 1)!.listeners).toBe(2);
  });
});

// Listener records in the Session: built from `listen` / `listenerStats` events, live in deltas,
// kept across a worker restart (state), exported to and imported from traces.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/aggregate';
import { listenerCounts } from '../../../src/aggregate/listeners';
import { exportTrace, importTrace, stringifyTrace, TraceImportError } from '../../../src/trace/format';
import type { PageEvent } from '../../../src/protocol/messages';
import { checkSchema } from '../trace/schema-check';
import { A_URL } from './scenarios';
import { Doc, channel, ctx, deliverPort, deliverWindow, UP1 } from './streams';

const schema = JSON.parse(readFileSync(new URL('../../../docs/trace.schema.json', import.meta.url), 'utf8'));

const STACK = 'at setup (http://127.0.0.1/app.js:12:10)';
const SOURCE = 'function onPort(e) { return e.data; }';

function listen(at: number, id: number, extra: Partial<Extract<PageEvent, { k: 'listen' }>> = {}): PageEvent {
  return { k: 'listen', at, op: 'add', id, type: 'message', via: 'window', ...extra } as PageEvent;
}

/** A document with a window listener (read origin), a port listener wrapped by Sentry, and a `once` one. */
function recorded() {
  const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: A_URL });
  const s = new Session();
  s.ingest(
    A.batch(
      [
        ctx(1000, A_URL, true),
        channel(1001, 1, 2),
        listen(1002, 1, { name: 'onWindow', stack: 1 }),
        listen(1003, 2, { via: 'port', port: 1, name: 'onPort', source: 2, wrappedBy: 'sentry', stack: 1 }),
        listen(1004, 3, { via: 'port', port: 2, name: '', once: true }),
        { k: 'listen', at: 1005, op: 'add', id: 4, type: 'message', via: 'port', port: 1, handler: true, name: 'onmessage' },
      ],
      [
        [1, STACK],
        [2, SOURCE],
      ],
    ).batch,
    A.source,
  );
  s.takeDelta();
  s.ingest(
    A.batch([
      deliverWindow(1010, UP1, 'https://b.test', 'hi'),
      deliverPort(1011, 1, 'p'),
      deliverPort(1012, 2, 'q'),
      { k: 'listen', at: 1012.5, op: 'remove', id: 3, type: 'message', via: 'port', port: 2, cause: 'once' },
      { k: 'listenerStats', at: 1013, stats: [1, 1, 1, 2, 1, 0, 3, 1, 0] },
    ]).batch,
    A.source,
  );
  return { s, A };
}

describe('listener records', () => {
  it('keeps one record per registration with the author’s function, stack, counts and state', () => {
    const { s } = recorded();
    const [win, port, once, handler] = s.data().listeners;
    const ctxId = s.data().contexts[0].id;
    const [p1, p2] = s.data().ports;
    expect(win).toMatchObject({ id: 1, contextId: ctxId, target: { via: 'window', contextId: ctxId, port: null }, type: 'message', kind: 'listener', name: 'onWindow', stack: STACK, handled: 1, originRead: true, removedAt: null });
    expect(port).toMatchObject({ target: { via: 'port', port: p1.id }, name: 'onPort', source: SOURCE, wrappedBy: 'sentry', handled: 1, originRead: false });
    expect(once).toMatchObject({ target: { port: p2.id }, name: '', once: true, handled: 1, removedAt: 1012.5, removedBy: 'once' });
    expect(handler).toMatchObject({ kind: 'handler', target: { port: p1.id }, handled: 0 });
    // PortRecord.listeners counts addEventListener only; the handler is not one.
    expect(p1.listeners).toBe(1);
    expect(p2.listeners).toBe(0);
  });

  it('sends records that changed in the next delta, whole', () => {
    const { s, A } = recorded();
    const first = s.takeDelta()!;
    expect(first.listeners!.map((l) => l.id)).toEqual([1, 2, 3]);
    s.ingest(A.batch([{ k: 'listenerStats', at: 1020, stats: [2, 5, 1] }]).batch, A.source);
    const next = s.takeDelta()!;
    expect(next.listeners).toEqual([expect.objectContaining({ id: 2, handled: 5, originRead: true })]);
    expect(s.takeDelta()).toBeNull();
  });

  it('treats counts as totals: a resent or older stats event changes nothing', () => {
    const { s, A } = recorded();
    s.ingest(A.batch([{ k: 'listenerStats', at: 1020, stats: [1, 0, 0, 99, 4, 1] }]).batch, A.source);
    expect(s.data().listeners[0]).toMatchObject({ handled: 1, originRead: true });
  });

  it('ignores malformed listener events without losing the rest', () => {
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: A_URL });
    const s = new Session();
    s.ingest(
      A.batch([
        ctx(1000, A_URL, true),
        listen(1001, 1, { via: 'clone' as never }),
        listen(1002, -4),
        listen(1003, 2, { name: 'x'.repeat(100_000), wrappedBy: 'evil' as never }),
        listen(1004, 2),
        { k: 'listenerStats', at: 1005, stats: 'nope' as never },
        { k: 'listenerStats', at: 1006, stats: [2, -1, 1, 2, 'x', 1] as never },
      ]).batch,
      A.source,
    );
    const ls = s.data().listeners;
    expect(ls).toHaveLength(1);
    expect(ls[0].name!.length).toBe(256);
    expect(ls[0].wrappedBy).toBeNull();
    expect(ls[0].handled).toBe(0);
    expect(s.data().dropped['invalid-event']).toBe(1);
  });

  it('survives a stopped worker (state round trip), and keeps matching later removals', () => {
    const { s, A } = recorded();
    const restored = Session.restore(JSON.parse(JSON.stringify(s.toJSON())));
    expect(restored.data().listeners).toEqual(s.data().listeners);
    restored.ingest(A.batch([{ k: 'listen', at: 1030, op: 'remove', id: 1, type: 'message', via: 'window', cause: 'remove' }]).batch, A.source);
    expect(restored.data().listeners[0]).toMatchObject({ removedAt: 1030, removedBy: 'remove' });
  });

  it('counts listeners attached at an instant per port and per window', () => {
    const { s } = recorded();
    const [p1, p2] = s.data().ports;
    const ctxId = s.data().contexts[0].id;
    const now = listenerCounts(s.data().listeners);
    expect(now.byPort.get(p1.id)).toBe(2);
    expect(now.byPort.get(p2.id)).toBeUndefined();
    expect(now.byContext.get(ctxId)).toBe(1);
    expect(listenerCounts(s.data().listeners, 1004.5).byPort.get(p2.id)).toBe(1);
  });
});

describe('listeners in traces', () => {
  it('round-trip through export and import, and match the schema', () => {
    const { s } = recorded();
    const doc = exportTrace(s.data());
    expect(checkSchema(schema, JSON.parse(stringifyTrace(doc)))).toEqual([]);
    const back = importTrace(stringifyTrace(doc));
    expect(back.listeners).toEqual(s.data().listeners);
  });

  it('import a trace written before listeners were recorded with none', () => {
    const { s } = recorded();
    const doc = JSON.parse(stringifyTrace(exportTrace(s.data())));
    delete doc.listeners;
    expect(importTrace(doc).listeners).toEqual([]);
  });

  it('reject a malformed listener with its path, and listeners naming a context or port not in the file', () => {
    const { s } = recorded();
    const doc = JSON.parse(stringifyTrace(exportTrace(s.data())));
    const bad = structuredClone(doc);
    bad.listeners[1].handled = -3;
    expect(() => importTrace(bad)).toThrow(TraceImportError);
    expect(() => importTrace(bad)).toThrow(/listeners\[1\]\.handled/);
    const dangling = structuredClone(doc);
    dangling.listeners[1].target.port = 99;
    expect(() => importTrace(dangling)).toThrow(/listeners\[1\]\.target\.port: no port with id 99/);
    const hostile = structuredClone(doc);
    hostile.listeners[0] = JSON.parse('{"__proto__": {"polluted": true}}');
    expect(() => importTrace(hostile)).toThrow(TraceImportError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

// Budgets of port and listener records (src/aggregate/budgets.ts): a recording that makes
// records without end stays bounded, says how many it evicted, and an evicted record never
// turns into another one.
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/aggregate';
import { english } from '../../../src/audit/text';
import { exportTrace, importTrace, stringifyTrace } from '../../../src/trace';
import type { PageEvent } from '../../../src/protocol/messages';
import { readFileSync } from 'node:fs';
import { checkSchema } from '../trace/schema-check';
import { Doc, UP1, channel, close, ctx, deliverPort, deliverWindow, postPort } from './streams';

const TOP = 'http://127.0.0.1:8080/many/';
const CHILD = 'http://localhost:8080/many/child.html';
const top = () => new Doc('top', { frameId: 0, parentFrameId: -1, url: TOP });

describe('the port budget', () => {
  it('keeps a session fed 1,000,000 channels and no messages under its budget, and counts what it evicted', () => {
    const s = new Session();
    const T = top();
    const feed = (f: ReturnType<Doc['batch']>) => expect(s.ingest(f.batch, f.source)).toBe('applied');
    feed(T.batch([ctx(1, TOP, true), channel(2, 1, 2)]));
    const CHANNELS = 1_000_000;
    const PER_BATCH = 2_000;
    let local = 3;
    for (let made = 1; made < CHANNELS; ) {
      const events: PageEvent[] = [];
      for (let i = 0; i < PER_BATCH && made < CHANNELS; i++, made++, local += 2) events.push(channel(3 + made / 1000, local, local + 1));
      feed(T.batch(events));
    }
    // Traffic on the last channel (it survives) pairs as before.
    const last = local - 2;
    feed(T.batch([postPort(5000, T.nextMsg(), last), deliverPort(5001, last + 1, 'on a kept port')]));
    // A delivery on the first channel's port, whose record was evicted long ago.
    feed(T.batch([deliverPort(5002, 2, 'on an evicted port')]));

    const d = s.data();
    const max = s.options.maxPorts;
    expect(max).toBe(100_000);
    expect(d.ports.length).toBeLessThanOrEqual(max);
    expect(d.dropped['port-budget']).toBeGreaterThan(0);
    // Every port made is either kept or counted (the delivery on an evicted one made one more).
    expect(d.ports.length + d.dropped['port-budget']).toBe(2 * CHANNELS + 1);
    // The context's local ids of evicted ports went with them: its map stays bounded too.
    expect(s.contextState(1)?.ports.size).toBeLessThanOrEqual(max + 1);
    // Evicted ids are a run or two, not a list of a million.
    expect(d.evicted.ports.length).toBeLessThanOrEqual(2);

    const kept = d.messages.find((m) => m.preview === 'on a kept port');
    const a = d.ports.find((p) => p.holders[0]?.since !== undefined && p.id === kept?.fromPort);
    expect(a).toBeDefined();
    expect(kept).toMatchObject({ fromPort: a?.id, toPort: a?.entangledWith, sentAt: 5000, deliveredAt: 5001, outcome: { status: 'delivered' } });

    // The evicted port's delivery names a new record that says so, never a kept port.
    const late = d.messages.find((m) => m.preview === 'on an evicted port');
    const to = d.ports.find((p) => p.id === late?.toPort);
    expect(to?.identity?.why).toMatch(/evicted by the port budget/);
    expect(english(to!.identity!.text!)).toBe(to!.identity!.why);
    expect(to).toMatchObject({ entangledWith: null, stateKnown: 'unknown' });
    expect(to?.id).toBe(2 * CHANNELS + 1);
  }, 120_000);

  it('evicts closed ports before open ones', () => {
    const s = new Session({ maxPorts: 4 });
    const T = top();
    T.batch([ctx(1, TOP, true), channel(2, 1, 2), channel(3, 3, 4), close(4, 1), close(4.5, 2)]);
    T.batch([channel(5, 5, 6)]);
    for (const f of T.out) s.ingest(f.batch, f.source);
    const d = s.data();
    // The open channel made before the new one stays; the closed one went.
    expect(d.ports.map((p) => p.id)).toEqual([3, 4, 5, 6]);
    expect(d.dropped['port-budget']).toBe(2);
    expect(d.evicted.ports).toEqual([[1, 2]]);
  });

  it('does not infer the identity of a port from a context whose held ports were evicted', () => {
    // Channel X (1, 2) is evicted by the budget while the top still holds it; Y (3, 4) is
    // kept, 4 used after the arrival. The child gets X's port 2 by a window message whose send
    // is not seen: the one candidate left (3) must not be taken for it.
    const s = new Session({ maxPorts: 2 });
    const T = top();
    const C = new Doc('child', { frameId: 3, parentFrameId: 0, url: CHILD });
    T.batch([ctx(1000, TOP, true), channel(1001, 1, 2)]);
    T.batch([channel(1002, 3, 4)]);
    C.batch([ctx(1005, CHILD, false, 0)]);
    C.batch([deliverWindow(1012, UP1, 'http://127.0.0.1:8080', 'connect', [1])]);
    T.batch([postPort(1200, T.nextMsg(), 4)]);
    for (const f of [...T.out, ...C.out]) s.ingest(f.batch, f.source);
    s.releaseHeld();
    const d = s.data();
    const connect = d.messages.find((m) => m.preview === 'connect');
    const arrived = connect?.transfer[0]?.id;
    expect(arrived).not.toBe(3);
    // X's two ports, then (the arrival's own record made at release) the oldest idle one, 3.
    expect(d.dropped['port-budget']).toBe(3);
    const p = d.ports.find((x) => x.id === arrived);
    expect(p?.identity).toMatchObject({ status: 'unknown', candidates: [3] });
  });

  it('exports a trace that says which ids were evicted and imports again', () => {
    const s = new Session({ maxPorts: 2 });
    const T = top();
    T.batch([ctx(1, TOP, true), channel(2, 1, 2), postPort(3, T.nextMsg(), 1)]);
    T.batch([channel(4, 3, 4)]);
    for (const f of T.out) s.ingest(f.batch, f.source);
    const doc = exportTrace(s.data());
    // Port 1 has a send waiting for its delivery: the idle ones went first.
    expect(doc.ports.map((p) => p.id)).toEqual([1, 4]);
    expect(doc.meta.evicted?.ports).toEqual([[2, 3]]);
    // The send still names its partner 2: the trace is valid because the id is declared evicted.
    expect(doc.messages[0]).toMatchObject({ fromPort: 1, toPort: 2 });
    expect(doc.ports[0].entangledWith).toBe(2);
    const schema = JSON.parse(readFileSync(new URL('../../../docs/trace.schema.json', import.meta.url), 'utf8'));
    expect(checkSchema(schema, JSON.parse(stringifyTrace(doc)))).toEqual([]);
    const back = importTrace(stringifyTrace(doc));
    expect(back.meta.evicted?.ports).toEqual([[2, 3]]);
    // Without the runs, the same file is refused (a reference to no port).
    const bare = JSON.parse(stringifyTrace(doc));
    delete bare.meta.evicted;
    expect(() => importTrace(JSON.stringify(bare))).toThrow(/no port with id 2/);
    expect(back.dropped['port-budget']).toBe(2);
  });

  it('survives a checkpoint: restored, it keeps its budget state and next ids', () => {
    const s = new Session({ maxPorts: 2 });
    const T = top();
    T.batch([ctx(1, TOP, true), channel(2, 1, 2)]);
    T.batch([channel(4, 3, 4)]);
    for (const f of T.out) s.ingest(f.batch, f.source);
    const r = Session.restore(JSON.parse(JSON.stringify(s.toJSON())));
    expect(r.data()).toEqual(s.data());
    const f = T.batch([channel(5, 5, 6), deliverPort(6, 1, 'late')]);
    r.ingest(f.batch, f.source);
    const d = r.data();
    expect(d.ports.map((p) => p.id)).toEqual([6, 7]);
    const late = d.messages.find((m) => m.preview === 'late');
    const id = d.ports.find((p) => p.id === late?.toPort)?.identity;
    expect(id?.why).toMatch(/evicted/);
    expect(english(id!.text!)).toBe(id!.why);
  });
});

describe('the listener budget', () => {
  it('evicts removed listeners first and counts every eviction', () => {
    const s = new Session({ maxListeners: 3 });
    const T = top();
    const listen = (at: number, id: number, op: 'add' | 'remove'): PageEvent => ({ k: 'listen', at, op, id, via: 'window', type: 'message' }) as PageEvent;
    T.batch([ctx(1, TOP, true), listen(2, 1, 'add'), listen(3, 2, 'add'), listen(4, 3, 'add'), listen(5, 2, 'remove'), listen(6, 4, 'add')]);
    for (const f of T.out) s.ingest(f.batch, f.source);
    const d = s.data();
    expect(d.listeners.map((l) => l.id)).toEqual([1, 3, 4]);
    expect(d.dropped['listener-budget']).toBe(1);
    expect(d.evicted.listeners).toEqual([[2, 2]]);
    const delta = s.takeDelta();
    expect(delta?.evicted?.listeners).toEqual([2]);
  });
});

describe('the panel follows evictions', () => {
  it('drops the ports a delta says were evicted, so its topology stays bounded too', async () => {
    const { datasetOf, applyDelta } = await import('../../../panels/model/dataset');
    const s = new Session({ maxPorts: 2 });
    const T = top();
    const first = T.batch([ctx(1, TOP, true), channel(2, 1, 2)]);
    s.ingest(first.batch, first.source);
    const d = datasetOf(s.snapshot());
    s.takeDelta();
    expect([...d.ports.keys()]).toEqual([1, 2]);
    const next = T.batch([channel(3, 3, 4)]);
    s.ingest(next.batch, next.source);
    const delta = s.takeDelta();
    expect(delta?.evicted?.ports).toEqual([1, 2]);
    applyDelta(d, delta as NonNullable<typeof delta>);
    expect([...d.ports.keys()]).toEqual([3, 4]);
    expect(d.dropped['port-budget']).toBe(2);
  });
});

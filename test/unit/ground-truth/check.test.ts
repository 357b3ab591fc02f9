// The ground-truth checker on hand-made sessions: a true one passes; a send joined with
// another message's delivery, a port shown where it never was, two ports taken for one and a
// logged delivery left out are each flagged, with the tag and the record.
import { describe, expect, it } from 'vitest';
import type { AggregateSnapshot, ContextRecord, MessageRecord, PortRecord } from '../../../src/protocol/session';
import { checkProgram, trueHolders, type GtLogs } from '../../support/ground-truth-check';
import type { GtProgram } from '../../support/ground-truth-program';

// top makes a channel, hands P1b to its cross-origin frame f1 in a window message (t1-1);
// f1 answers twice on P1b (t1-2, t1-3), both delivered in top on P1a.
const program: GtProgram = {
  seed: 1,
  contexts: [
    { name: 'top', kind: 'window', host: '127.0.0.1', parent: null, path: [] },
    { name: 'f1', kind: 'window', host: 'localhost', parent: 'top', path: [0] },
  ],
  broadcast: [],
  ports: [
    { label: 'P1a', partner: 'P1b', autostart: true },
    { label: 'P1b', partner: 'P1a', autostart: true },
  ],
  ops: [
    { k: 'channel', at: 'top', a: 'P1a', b: 'P1b', wait: [] },
    { k: 'window', at: 'top', to: 'f1', targetOrigin: 'star', tag: 't1-1', carry: ['P1b'], buf: null, wait: [] },
    { k: 'post', at: 'f1', port: 'P1b', tag: 't1-2', carry: [], buf: null, wait: [] },
    { k: 'post', at: 'f1', port: 'P1b', tag: 't1-3', carry: [], buf: null, wait: [] },
  ],
};

const logs: GtLogs = {
  top: [
    { e: 'channel', a: 'P1a', b: 'P1b', t: 1000 },
    { e: 'send', via: 'window', tag: 't1-1', carry: ['P1b'], buf: null, to: 'f1', targetOrigin: '*', t0: 1001.1, t1: 1001.2 },
    { e: 'recv', via: 'port', port: 'P1a', tag: 't1-2', carry: [], n: 0, buf: null, t: 1010 },
    { e: 'recv', via: 'port', port: 'P1a', tag: 't1-3', carry: [], n: 0, buf: null, t: 1011 },
    { e: 'done', t: 1012 },
  ],
  f1: [
    { e: 'recv', via: 'window', tag: 't1-1', carry: ['P1b'], n: 1, buf: null, t: 1002 },
    { e: 'send', via: 'port', port: 'P1b', tag: 't1-2', carry: [], buf: null, t0: 1005.1, t1: 1005.2 },
    { e: 'send', via: 'port', port: 'P1b', tag: 't1-3', carry: [], buf: null, t0: 1006.1, t1: 1006.2 },
    { e: 'done', t: 1007 },
  ],
};

const sample = (tag: string, carry: string[]) =>
  JSON.stringify({ $: 'object', entries: [['gt', tag], ['carry', { $: 'array', items: carry, length: carry.length }]], count: 2 });

const context = (id: number, url: string, top: boolean): ContextRecord => ({
  id, kind: 'window', url, origin: new URL(url).origin, parentId: top ? null : 1, frameId: id - 1, parentFrameId: top ? -1 : 0, documentId: null,
  doc: `d${id}`, ctx: 0, top, indexInParent: top ? null : 0, openerId: null, createdAt: 900, endedAt: null,
});
const port = (id: number, holders: PortRecord['holders']): PortRecord => ({
  id, channelId: 1, entangledWith: id === 1 ? 2 : 1, createdIn: 1, createdAt: 1000, holders, started: true, closed: false, closedAt: null, shipped: id === 2, lostIn: null, listeners: 0,
});
const message = (m: Partial<MessageRecord> & Pick<MessageRecord, 'id' | 'via'>): MessageRecord => ({
  type: 'message', fromContext: null, toContext: null, fromPort: null, toPort: null, sentAt: null, deliveredAt: null, outcome: { status: 'delivered', reason: null },
  transfer: [], preview: null, bytes: null, targetOrigin: null, origin: null, stack: null, listeners: 1, handlerMs: null, waitMs: null, sample: null, ...m,
});

function trueSession(): AggregateSnapshot {
  return {
    rev: 1,
    contexts: [context(1, 'http://127.0.0.1:8000/ground-truth/index.html?batch=1', true), context(2, 'http://localhost:8000/ground-truth/frame.html?s=1&c=f1&k=x', false)],
    ports: [port(1, [{ contextId: 1, since: 1000, messageId: null, startedAt: 1000 }]), port(2, [{ contextId: 1, since: 1000, messageId: null, startedAt: 1000 }, { contextId: 2, since: 1002, messageId: 1, startedAt: 1002 }])],
    messages: [
      message({ id: 1, via: 'window', fromContext: 1, toContext: 2, deliveredAt: 1002, transfer: [{ kind: 'MessagePort', id: 2, bytes: null }], sample: sample('t1-1', ['P1b']) }),
      message({ id: 2, via: 'port', fromContext: 2, toContext: 1, fromPort: 2, toPort: 1, sentAt: 1005.15, deliveredAt: 1010, sample: sample('t1-2', []) }),
      message({ id: 3, via: 'port', fromContext: 2, toContext: 1, fromPort: 2, toPort: 1, sentAt: 1006.15, deliveredAt: 1011, sample: sample('t1-3', []) }),
    ],
    firstMessageId: 1, findings: [], mismatches: [], dropped: {}, listeners: [],
  };
}

describe('ground-truth checker', () => {
  it('finds nothing wrong in a true session, and counts nothing unknown in it', () => {
    const r = checkProgram(program, logs, trueSession());
    expect({ joins: r.wrongJoins, holders: r.wrongHolders, missing: r.missing, other: r.otherWrong, harness: r.harness }).toEqual({ joins: [], holders: [], missing: [], other: [], harness: [] });
    expect([r.messages, r.deliveries, r.unknown]).toEqual([3, 3, 0]);
  });

  it('follows a label through its holders', () => {
    expect(trueHolders(logs, 'P1b')).toEqual([{ ctx: 'top', carrier: null }, { ctx: 'f1', carrier: 't1-1' }]);
    expect(trueHolders(logs, 'P1a')).toEqual([{ ctx: 'top', carrier: null }]);
  });

  it('flags a send joined with the delivery of another message', () => {
    const s = trueSession();
    // The two answers' deliveries swapped between the sends.
    s.messages[1].sample = sample('t1-3', []);
    s.messages[2].sample = sample('t1-2', []);
    const r = checkProgram(program, logs, s);
    expect(r.wrongJoins.map((p) => [p.kind, p.tag, p.record])).toEqual([['wrong-join', 't1-3', 2], ['wrong-join', 't1-2', 3]]);
    expect(r.wrongJoins[0].recorded).toContain('joined with the send of t1-2 by f1');
  });

  it('flags a port shown in a context where it never was', () => {
    const s = trueSession();
    s.ports[0].holders.push({ contextId: 2, since: 1003, messageId: null, startedAt: null });
    const r = checkProgram(program, logs, s);
    expect(r.wrongHolders.map((p) => [p.kind, p.port])).toEqual([['wrong-holder', 1]]);
    expect(r.wrongHolders[0].expected).toBe('P1a held by top');
    expect(r.wrongHolders[0].recorded).toBe('holders top → f1');
  });

  it('flags a holder that names the wrong carrier message', () => {
    const s = trueSession();
    s.ports[1].holders[1].messageId = 2;
    expect(checkProgram(program, logs, s).wrongHolders.map((p) => [p.kind, p.port, p.tag])).toEqual([['wrong-holder', 2, 't1-2']]);
  });

  it('flags two ports taken for one', () => {
    const s = trueSession();
    s.messages[2].toPort = 2;
    const r = checkProgram(program, logs, s);
    expect(r.wrongHolders.map((p) => [p.kind, p.port])).toEqual([['conflated-port', 2]]);
    expect(r.wrongHolders[0].expected).toBe('one port per record; these are P1b, P1a');
  });

  it('flags a logged delivery left out, and a delivery put in the wrong context', () => {
    const s = trueSession();
    s.messages.splice(2, 1);
    expect(checkProgram(program, logs, s).missing.map((p) => [p.kind, p.tag])).toEqual([['missing-delivery', 't1-3']]);
    const t = trueSession();
    t.messages[1].toContext = 2;
    const r = checkProgram(program, logs, t);
    expect(r.otherWrong.map((p) => [p.kind, p.tag])).toEqual([['wrong-receiver', 't1-2']]);
    expect(r.missing.map((p) => p.tag)).toEqual(['t1-2']);
  });

  it('flags a delivery attributed to a context that did not send it', () => {
    const s = trueSession();
    s.messages[0].fromContext = 2;
    expect(checkProgram(program, logs, s).wrongJoins.map((p) => [p.kind, p.tag])).toEqual([['wrong-sender', 't1-1']]);
  });

  it('counts what the session leaves unknown', () => {
    const s = trueSession();
    // The second answer's send and delivery recorded apart, and the first one's port unknown.
    s.messages[2].sentAt = null;
    s.messages.push(message({ id: 4, via: 'port', fromContext: 2, fromPort: 2, toPort: 1, sentAt: 1006.15, outcome: { status: 'sent', reason: null } }));
    s.messages[1].fromPort = null;
    const r = checkProgram(program, logs, s);
    expect(r.wrongJoins).toEqual([]);
    expect([r.unknown, r.unknownWhy]).toEqual([2, { 'port unknown': 1, 'delivery not joined to its send': 1 }]);
  });
});

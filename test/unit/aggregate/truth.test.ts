// The record is true or says unknown (issue #20): joins only when both halves agree, never a
// delivery before its send on one clock, state reported when recording began, candidates kept.
import { describe, expect, it } from 'vitest';
import { Matcher, NO_SEND, type JoinCheck } from '../../../src/aggregate/matcher';
import { newMessage } from '../../../src/aggregate/records';
import type { PageEvent } from '../../../src/protocol/messages';
import type { MessageRecord } from '../../../src/protocol/session';
import { sessionOf } from './scenarios';
import { Doc, UP1, channel, ctx, deliverPort, deliverWindow, portIn, postPort } from './streams';

const TOP = 'https://a.test/';
const CHILD = 'https://b.test/frame';

/** Every joined record: its delivery does not precede its send (one clock) and nothing else is off. */
function expectInvariants(messages: MessageRecord[]): void {
  for (const m of messages) {
    if (m.sentAt === null || m.deliveredAt === null) continue;
    if (m.fromContext === m.toContext) expect(m.deliveredAt, `message ${m.id}`).toBeGreaterThanOrEqual(m.sentAt);
  }
}

describe('joins', () => {
  it('on one clock a delivery that began before a send is never its delivery', () => {
    const A = new Doc('a', { frameId: 0, parentFrameId: -1, url: TOP });
    // A delivery on port 2 at 1005 whose send was not seen (lost events), then a send at 1010.
    A.batch([ctx(1000, TOP, true), channel(1001, 1, 2), deliverPort(1005, 2, 'older'), postPort(1010, 1, 1), deliverPort(1011, 2, 'its own')]);
    const d = sessionOf(A.out).data();
    expectInvariants(d.messages);
    const older = d.messages.find((m) => m.preview === 'older')!;
    const own = d.messages.find((m) => m.preview === 'its own')!;
    expect(older).toMatchObject({ sentAt: null, deliveredAt: 1005 });
    expect(own).toMatchObject({ sentAt: 1010, deliveredAt: 1011, fromPort: 1, toPort: 2 });
  });

  it('the matcher allows the skew only across two clocks', () => {
    const A = new Doc('a', { frameId: 0, parentFrameId: -1, url: TOP });
    // Same context: 2 ms early is not allowed.
    A.batch([ctx(1000, TOP, true), channel(1001, 1, 2), deliverPort(1008, 2, 'early'), postPort(1010, 1, 1)]);
    const d = sessionOf(A.out).data();
    expect(d.messages.filter((m) => m.sentAt !== null && m.deliveredAt !== null)).toEqual([]);
  });

  it('a send and a delivery that disagree on the ports transferred are not joined', () => {
    const A = new Doc('a', { frameId: 0, parentFrameId: -1, url: TOP });
    A.batch([
      ctx(1000, TOP, true),
      channel(1001, 1, 2),
      channel(1001, 3, 4),
      // One port sent; the delivery brought none: another message (its send unseen).
      postPort(1010, 1, 1, [portIn(4)]),
      deliverPort(1011, 2, 'no port'),
    ]);
    const d = sessionOf(A.out).data();
    const send = d.messages.find((m) => m.sentAt === 1010)!;
    expect(send.deliveredAt).toBeNull();
    expect(d.messages.find((m) => m.preview === 'no port')).toMatchObject({ sentAt: null });
  });

  it('with the same ports they are one message', () => {
    const A = new Doc('a', { frameId: 0, parentFrameId: -1, url: TOP });
    A.batch([ctx(1000, TOP, true), channel(1001, 1, 2), channel(1001, 3, 4), postPort(1010, 1, 1, [portIn(4)]), deliverPort(1011, 2, 'with port', [9])]);
    const d = sessionOf(A.out).data();
    expect(d.messages).toHaveLength(1);
    expect(d.messages[0]).toMatchObject({ sentAt: 1010, deliveredAt: 1011, transfer: [{ kind: 'MessagePort', id: 4 }] });
    expect(d.ports[3].holders).toHaveLength(2);
  });

  it('the matcher asks its JoinCheck: a delivery that disagrees gets NO_SEND, the send keeps waiting', () => {
    const check: JoinCheck = { skew: () => 0, agree: (s, d) => s.sample === d.sample };
    const m = new Matcher(100, check);
    const send = { ...newMessage('port'), sentAt: 10, sample: '"a"' };
    const other = { ...newMessage('port'), deliveredAt: 11, sample: '"b"' };
    const own = { ...newMessage('port'), deliveredAt: 12, sample: '"a"' };
    expect(m.offerSend(1, send)).toBeNull();
    expect(m.offerDelivery(1, other)).toBe(NO_SEND);
    expect(m.offerDelivery(1, own)).toBe(send);
  });
});

describe('state known when recording began', () => {
  const report = (at: number, ports: number[]): PageEvent => ({ k: 'ports', at, ports });

  it('reported ports keep the state the page knew: started, one channel, shipped ones left out', () => {
    const A = new Doc('a', { frameId: 0, parentFrameId: -1, url: TOP });
    // [id, flags, partner]: 1 and 2 started partners; 3 not started, partner elsewhere; 5 shipped.
    A.batch([ctx(1000, TOP, true), report(1001, [1, 1, 2, 2, 1, 1, 3, 0, -1, 5, 4, 0]), postPort(1002, 1, 1), deliverPort(1003, 2, 'after')]);
    const d = sessionOf(A.out).data();
    expect(d.ports).toHaveLength(3);
    const [p1, p2, p3] = d.ports;
    expect(p1).toMatchObject({ started: true, stateKnown: 'reported', entangledWith: p2.id, createdIn: 1 });
    expect(p2).toMatchObject({ started: true, stateKnown: 'reported', entangledWith: p1.id });
    expect(p3).toMatchObject({ started: false, stateKnown: 'reported', entangledWith: null, createdIn: null });
    expect(d.messages).toHaveLength(1);
    expect(d.messages[0]).toMatchObject({ fromPort: p1.id, toPort: p2.id, sentAt: 1002, deliveredAt: 1003 });
  });

  it('a port first seen in use says its earlier state is unknown, and makes no birth claim', () => {
    const A = new Doc('a', { frameId: 0, parentFrameId: -1, url: TOP });
    A.batch([ctx(1000, TOP, true), postPort(1002, 1, 7)]);
    const d = sessionOf(A.out).data();
    expect(d.ports[0]).toMatchObject({ started: false, stateKnown: 'unknown', createdIn: null, channelId: null });
  });

  it('a port the background already follows keeps what it saw', () => {
    const A = new Doc('a', { frameId: 0, parentFrameId: -1, url: TOP });
    A.batch([ctx(1000, TOP, true), channel(1001, 1, 2), report(1005, [1, 1, 2, 2, 0, 1])]);
    const d = sessionOf(A.out).data();
    expect(d.ports).toHaveLength(2);
    expect(d.ports.map((p) => [p.started, p.stateKnown])).toEqual([
      [false, 'observed'],
      [false, 'observed'],
    ]);
  });

  it('a malformed report is counted, not applied', () => {
    const A = new Doc('a', { frameId: 0, parentFrameId: -1, url: TOP });
    A.batch([ctx(1000, TOP, true), report(1001, [1, 1])]);
    const d = sessionOf(A.out).data();
    expect(d.ports).toHaveLength(0);
    expect(d.dropped['invalid-event']).toBe(1);
  });
});

describe('candidates and later evidence', () => {
  /** The top hands one of its two idle ports to its child in a window message (its send unseen). */
  function handOver(later: PageEvent[]) {
    const T = new Doc('top', { frameId: 0, parentFrameId: -1, url: TOP });
    const C = new Doc('child', { frameId: 1, parentFrameId: 0, url: CHILD });
    T.batch([ctx(1000, TOP, true), channel(1001, 1, 2), postPort(1002, 1, 1)]);
    C.batch([ctx(1000, CHILD, false, 0), deliverWindow(1010, UP1, 'https://a.test', 'connect', [1]), { k: 'listen', at: 1011, op: 'add', type: 'message', via: 'port', port: 1, id: 1 }]);
    T.batch(later, undefined, 1500);
    return sessionOf([...T.out, ...C.out]);
  }

  it('a listener added later on one candidate, in its holder, settles which port left', () => {
    const s = handOver([{ k: 'listen', at: 1300, op: 'add', type: 'message', via: 'port', port: 1, id: 1 }]);
    const d = s.data();
    expect(s.pendingWork().unknownPorts).toBe(0);
    expect(d.ports).toHaveLength(2);
    expect(d.ports[1].holders.map((h) => h.contextId)).toEqual([1, 2]);
    // The top's send on port 1 waits in port 2's queue: started never, one listener.
    expect(d.ports[1]).toMatchObject({ started: false, listeners: 1 });
    expect(d.messages.find((m) => m.sentAt === 1002)).toMatchObject({ toPort: 2, deliveredAt: null });
  });

  it('until then it is unknown, and a port given up on names its candidates', () => {
    const s = handOver([]);
    expect(s.pendingWork().unknownPorts).toBe(1);
    s.releaseHeld();
    const d = s.data();
    expect(d.dropped['port-identity-unknown']).toBe(1);
    expect(d.ports[2]).toMatchObject({ identity: { status: 'unknown', candidates: [1, 2] } });
    expect(d.ports[2].holders.map((h) => h.contextId)).toEqual([2]);
  });
});

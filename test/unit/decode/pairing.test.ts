import { describe, expect, it } from 'vitest';
import { CallPairing, callScope, latencyOf, refreshLatency } from '../../../src/decode/pairing';
import { decodeValue } from '../../../src/decode';
import { newMessage } from '../../../src/aggregate/records';
import type { MessageRecord } from '../../../src/protocol/session';
import { rec } from './call-records';

const noChannel = () => null;

function offer(p: CallPairing, r: MessageRecord, data: unknown, scope = callScope(r, noChannel)) {
  return p.offer(r, decodeValue(data)!, scope!);
}

describe('call pairing', () => {
  it('pairs a request with its response and gives both the latency', () => {
    const p = new CallPairing();
    const reqData = { id: 'u1', type: 'APPLY', path: ['add'], argumentList: [{ type: 'RAW', value: 1 }] };
    const resData = { id: 'u1', type: 'RAW', value: 2 };
    const req = rec(reqData, { toPort: 2, fromPort: 1, sentAt: 100, deliveredAt: 101 });
    const res = rec(resData, { toPort: 1, fromPort: 2, sentAt: 104, deliveredAt: 107 });
    const channel = () => 9;
    expect(p.offer(req, decodeValue(reqData)!, callScope(req, channel)!)).toEqual([]);
    expect(p.offer(res, decodeValue(resData)!, callScope(res, channel)!)).toEqual([req, res]);
    expect(req.call).toMatchObject({ pairedWith: res.id, latencyMs: 7 });
    expect(res.call).toMatchObject({ pairedWith: req.id, latencyMs: 7 });
    expect(p.waiting).toBe(0);
  });

  it('pairs a response seen before its request (batches from two frames arrive in any order)', () => {
    const p = new CallPairing();
    const res = rec({ jsonrpc: '2.0', id: 5, result: 1 }, { via: 'window', fromContext: 2, toContext: 1, deliveredAt: 50 });
    const req = rec({ jsonrpc: '2.0', id: 5, method: 'm' }, { via: 'window', fromContext: 1, toContext: 2, sentAt: null, deliveredAt: 20 });
    expect(offer(p, res, { jsonrpc: '2.0', id: 5, result: 1 })).toEqual([]);
    expect(offer(p, req, { jsonrpc: '2.0', id: 5, method: 'm' })).toEqual([res, req]);
    // The request's send was not seen: latency runs from its delivery.
    expect(req.call?.latencyMs).toBe(30);
  });

  it('does not cross two apps that use the same ids on different channels or context pairs', () => {
    const p = new CallPairing();
    const q = { jsonrpc: '2.0', id: 1, method: 'm' };
    const a = { jsonrpc: '2.0', id: 1, result: 'x' };
    const reqA = rec(q, { via: 'window', fromContext: 1, toContext: 2, sentAt: 0, deliveredAt: 1 });
    const reqB = rec(q, { via: 'window', fromContext: 1, toContext: 3, sentAt: 0, deliveredAt: 1 });
    const resB = rec(a, { via: 'window', fromContext: 3, toContext: 1, deliveredAt: 9 });
    offer(p, reqA, q);
    offer(p, reqB, q);
    expect(offer(p, resB, a)).toEqual([reqB, resB]);
    expect(reqA.call?.pairedWith).toBeNull();
    // Ports: the scope is the channel.
    expect(callScope({ ...newMessage('port'), toPort: 4 }, (port) => (port === 4 ? 2 : null), (port) => (port === 4 ? 3 : null))).toEqual({ key: 'c2', from: 3, to: 4 });
    expect(callScope({ ...newMessage('window'), fromContext: null, toContext: 1 }, noChannel)).toBeNull();
    expect(callScope({ ...newMessage('broadcast'), fromContext: 1, toContext: 2 }, noChannel)).toBeNull();
  });

  it('does not pair two protocols that share an id, nor notifications and handshakes', () => {
    const p = new CallPairing();
    const q = { jsonrpc: '2.0', id: 'k', method: 'm' };
    const r = rec(q, { via: 'window', fromContext: 1, toContext: 2, deliveredAt: 1 });
    offer(p, r, q);
    const other = { namespace: 'penpal', type: 'REPLY', callId: 'k', value: 1 };
    expect(offer(p, rec(other, { via: 'window', fromContext: 2, toContext: 1, deliveredAt: 2 }), other)).toEqual([]);
    const n = { jsonrpc: '2.0', method: 'tick' };
    expect(offer(p, rec(n, { via: 'window', fromContext: 1, toContext: 2 }), n)).toEqual([]);
    expect(p.waiting).toBe(2);
  });

  it('pairs JSON-RPC batches by any member id', () => {
    const p = new CallPairing();
    const q = [{ jsonrpc: '2.0', id: 1, method: 'a' }, { jsonrpc: '2.0', id: 2, method: 'b' }];
    const a = [{ jsonrpc: '2.0', id: 2, result: 'B' }, { jsonrpc: '2.0', id: 1, result: 'A' }];
    const req = rec(q, { via: 'worker', fromContext: 1, toContext: 2, sentAt: 10, deliveredAt: 11 });
    const res = rec(a, { via: 'worker', fromContext: 2, toContext: 1, deliveredAt: 15 });
    offer(p, req, q);
    expect(offer(p, res, a)).toEqual([req, res]);
    expect(res.call?.latencyMs).toBe(5);
  });

  it('keeps at most max halves, forgetting the oldest', () => {
    const p = new CallPairing(3);
    for (let i = 0; i < 10; i++) {
      const q = { jsonrpc: '2.0', id: i, method: 'm' };
      offer(p, rec(q, { via: 'window', fromContext: 1, toContext: 2, deliveredAt: i }), q);
    }
    expect(p.size).toBe(3);
    const late = { jsonrpc: '2.0', id: 0, result: 1 };
    // The late response finds nothing, and holding it forgets the oldest waiting request (id 7), which says so.
    const changed = offer(p, rec(late, { via: 'window', fromContext: 2, toContext: 1, deliveredAt: 20 }), late);
    expect(changed.map((r) => r.call?.label)).toEqual(['call m()']);
    expect(changed[0].call?.unpaired).toBe('forgotten');
    const kept = { jsonrpc: '2.0', id: 9, result: 1 };
    // The pair is made; holding it forgets the next oldest waiting request (id 8).
    const got = offer(p, rec(kept, { via: 'window', fromContext: 2, toContext: 1, deliveredAt: 20 }), kept);
    expect(got.filter((r) => r.call?.pairedWith != null)).toHaveLength(2);
    expect(got.filter((r) => r.call?.unpaired === 'forgotten').map((r) => r.call?.id)).toEqual(['8']);
  });

  it('recomputes the latency when the request send is seen late', () => {
    const p = new CallPairing();
    const q = { namespace: 'penpal', type: 'CALL', id: 'c', methodPath: ['f'], args: [] };
    const a = { namespace: 'penpal', type: 'REPLY', callId: 'c', value: 0 };
    const req = rec(q, { toPort: 2, deliveredAt: 10 });
    const res = rec(a, { toPort: 1, deliveredAt: 30 });
    offer(p, req, q, { key: 'c1', from: 1, to: 2 });
    offer(p, res, a, { key: 'c1', from: 2, to: 1 });
    expect(req.call?.latencyMs).toBe(20);
    req.sentAt = 4;
    const byId = new Map([req, res].map((r) => [r.id, r]));
    expect(refreshLatency(req, (id) => byId.get(id))).toBe(res);
    expect(res.call?.latencyMs).toBe(26);
    expect(refreshLatency(req, (id) => byId.get(id))).toBeNull();
    expect(latencyOf({ ...req, sentAt: null, deliveredAt: null }, res)).toBeNull();
    // A reply seen a little before its request's delivery (two processes' clocks): 0, not negative.
    expect(latencyOf({ ...req, sentAt: null, deliveredAt: 31 }, res)).toBe(0);
  });
});

describe('call pairing: direction and ambiguity', () => {
  const q = (id: number, method = 'm') => ({ jsonrpc: '2.0', id, method });
  const a = (id: number, result: unknown) => ({ jsonrpc: '2.0', id, result });
  const channel = () => 7;
  const partner = (port: number) => (port === 1 ? 2 : port === 2 ? 1 : null);
  const onPort = (p: CallPairing, data: unknown, toPort: number, at: number) => {
    const r = rec(data, { toPort, deliveredAt: at });
    p.offer(r, decodeValue(data)!, callScope(r, channel, partner)!);
    return r;
  };

  it('pairs a response only with a request that went the other way (JSON-RPC both ways on one channel)', () => {
    const p = new CallPairing();
    // Each end numbers its own requests from 1; each answers the other's.
    const r1 = onPort(p, q(1, 'fromA'), 2, 1); // A → B
    const s1 = onPort(p, q(1, 'fromB'), 1, 2); // B → A
    const ansB = onPort(p, a(1, 'b-answers-A'), 1, 3); // B → A answers r1
    const ansA = onPort(p, a(1, 'a-answers-B'), 2, 4); // A → B answers s1
    expect(r1.call?.pairedWith).toBe(ansB.id);
    expect(ansB.call?.pairedWith).toBe(r1.id);
    expect(s1.call?.pairedWith).toBe(ansA.id);
    expect(ansA.call?.pairedWith).toBe(s1.id);
    expect(p.waiting).toBe(0);
  });

  it('never pairs a request with a same-id response travelling the same way', () => {
    const p = new CallPairing();
    const req = onPort(p, q(3), 2, 1);
    const same = onPort(p, a(3, 'x'), 2, 2);
    expect(req.call?.pairedWith).toBeNull();
    expect(same.call?.pairedWith).toBeNull();
    // Windows and workers: the same two contexts, the other direction only.
    const w = new CallPairing();
    const wq = rec(q(9), { via: 'worker', fromContext: 1, toContext: 2, sentAt: 0 });
    const wSame = rec(a(9, 1), { via: 'worker', fromContext: 1, toContext: 2, deliveredAt: 3 });
    const wBack = rec(a(9, 2), { via: 'worker', fromContext: 2, toContext: 1, deliveredAt: 4 });
    expect(offer(w, wq, q(9))).toEqual([]);
    expect(offer(w, wSame, a(9, 1))).toEqual([]);
    expect(offer(w, wBack, a(9, 2))).toEqual([wq, wBack]);
  });

  it('leaves unknown, not guessed, a response when two requests wait with its id in the same direction', () => {
    const p = new CallPairing();
    const first = onPort(p, q(1, 'x'), 2, 1);
    const second = onPort(p, q(1, 'y'), 2, 2);
    const r1 = onPort(p, a(1, 'X'), 1, 3);
    const r2 = onPort(p, a(1, 'Y'), 1, 4);
    for (const r of [first, second, r1, r2]) expect(r.call?.pairedWith).toBeNull();
    // A call with that id well after them (more than the clock skew) is told apart by time: it pairs.
    const third = onPort(p, q(1, 'z'), 2, 1000);
    const r3 = onPort(p, a(1, 'Z'), 1, 1001);
    expect(third.call?.pairedWith).toBe(r3.id);
    // Two responses waiting for one request (responses seen first): unknown too.
    const s1 = onPort(p, a(5, 1), 1, 7);
    const s2 = onPort(p, a(5, 2), 1, 8);
    const late = onPort(p, q(5), 2, 9);
    for (const r of [s1, s2, late]) expect(r.call?.pairedWith).toBeNull();
  });

  it('counts a half that met an ambiguous id once, however often it is offered again', () => {
    const p = new CallPairing();
    onPort(p, q(1), 2, 1);
    onPort(p, q(1), 2, 2);
    const r1 = onPort(p, a(1, 0), 1, 3);
    // Offered again (its send joined it): it must not count as the second answer.
    p.offer(r1, decodeValue(a(1, 0))!, callScope(r1, channel, partner)!);
    const r2 = onPort(p, a(1, 1), 1, 4);
    expect(r2.call?.pairedWith).toBeNull();
    // Both requests are answered now: a new request with that id does not pair with an old answer.
    const fresh = onPort(p, q(1), 2, 1000);
    expect(fresh.call?.pairedWith).toBeNull();
    const ans = onPort(p, a(1, 2), 1, 1001);
    expect(fresh.call?.pairedWith).toBe(ans.id);
  });

  it('keeps a half waiting where it was when it is offered again (its send joined its delivery)', () => {
    const p = new CallPairing();
    const req = rec(q(4), { fromPort: 1, sentAt: 1 });
    p.offer(req, decodeValue(q(4))!, callScope(req, channel, partner)!);
    req.toPort = 2;
    req.deliveredAt = 2;
    p.offer(req, decodeValue(q(4))!, callScope(req, channel, partner)!);
    expect(p.size).toBe(1);
    expect(p.waiting).toBe(1);
    const res = onPort(p, a(4, 0), 1, 3);
    expect(req.call?.pairedWith).toBe(res.id);
  });

  it('keeps the waiting halves and the ambiguity across a save and restore', () => {
    const p = new CallPairing();
    const x = onPort(p, q(1), 2, 1);
    const y = onPort(p, q(1), 2, 2);
    const z = onPort(p, a(1, 0), 1, 3); // ambiguous: one of x, y answered
    const byId = new Map([x, y, z].map((r) => [r.id, r]));
    const restored = CallPairing.fromState(p.toState((r) => r.id), 100, (id) => byId.get(id), (r) => callScope(r, channel, partner));
    expect(restored.size).toBe(3);
    const last = onPort(restored, a(1, 1), 1, 4);
    expect(last.call?.pairedWith).toBeNull();
    const fresh = onPort(restored, q(1), 2, 1000);
    const ans = onPort(restored, a(1, 2), 1, 1001);
    expect(fresh.call?.pairedWith).toBe(ans.id);
  });

  it('holds again the waiting halves of a state written before pairing was order-free', () => {
    const req = rec(q(6), { toPort: 2, deliveredAt: 1 });
    const byId = new Map([[req.id, req]]);
    // The old key: 'q' + scope + protocol + id + direction.
    const old: [string, number][] = [['q' + ['c7', 'jsonrpc', '6', '1>2'].join('\u0000'), req.id], ['#q', req.id]];
    const restored = CallPairing.fromState(old, 100, (id) => byId.get(id), (r) => callScope(r, channel, partner));
    expect(restored.size).toBe(1);
    const res = onPort(restored, a(6, 0), 1, 2);
    expect(req.call?.pairedWith).toBe(res.id);
  });
});

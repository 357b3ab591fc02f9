import { describe, expect, it } from 'vitest';
import { CallPairing, callScope, latencyOf, refreshLatency, toCallRecord } from '../../../src/decode/pairing';
import { decodeValue } from '../../../src/decode';
import { newMessage } from '../../../src/aggregate/records';
import type { MessageRecord } from '../../../src/protocol/session';

let nextId = 1;
function rec(data: unknown, over: Partial<MessageRecord>): MessageRecord {
  const r = { ...newMessage('port'), id: nextId++, ...over };
  const c = decodeValue(data);
  r.call = c ? toCallRecord(c) : null;
  return r;
}
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
    expect(p.offer(req, decodeValue(reqData)!, callScope(req, channel)!)).toBeNull();
    expect(p.offer(res, decodeValue(resData)!, callScope(res, channel)!)).toBe(req);
    expect(req.call).toMatchObject({ pairedWith: res.id, latencyMs: 7 });
    expect(res.call).toMatchObject({ pairedWith: req.id, latencyMs: 7 });
    expect(p.size).toBe(0);
  });

  it('pairs a response seen before its request (batches from two frames arrive in any order)', () => {
    const p = new CallPairing();
    const res = rec({ jsonrpc: '2.0', id: 5, result: 1 }, { via: 'window', fromContext: 2, toContext: 1, deliveredAt: 50 });
    const req = rec({ jsonrpc: '2.0', id: 5, method: 'm' }, { via: 'window', fromContext: 1, toContext: 2, sentAt: null, deliveredAt: 20 });
    expect(offer(p, res, { jsonrpc: '2.0', id: 5, result: 1 })).toBeNull();
    expect(offer(p, req, { jsonrpc: '2.0', id: 5, method: 'm' })).toBe(res);
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
    expect(offer(p, resB, a)).toBe(reqB);
    expect(reqA.call?.pairedWith).toBeNull();
    // Ports: the scope is the channel.
    expect(callScope({ ...newMessage('port'), toPort: 4 }, (port) => (port === 4 ? 2 : null))).toBe('c2');
    expect(callScope({ ...newMessage('window'), fromContext: null, toContext: 1 }, noChannel)).toBeNull();
    expect(callScope({ ...newMessage('broadcast'), fromContext: 1, toContext: 2 }, noChannel)).toBeNull();
  });

  it('does not pair two protocols that share an id, nor notifications and handshakes', () => {
    const p = new CallPairing();
    const q = { jsonrpc: '2.0', id: 'k', method: 'm' };
    const r = rec(q, { via: 'window', fromContext: 1, toContext: 2, deliveredAt: 1 });
    offer(p, r, q);
    const other = { namespace: 'penpal', type: 'REPLY', callId: 'k', value: 1 };
    expect(offer(p, rec(other, { via: 'window', fromContext: 2, toContext: 1, deliveredAt: 2 }), other)).toBeNull();
    const n = { jsonrpc: '2.0', method: 'tick' };
    expect(offer(p, rec(n, { via: 'window', fromContext: 1, toContext: 2 }), n)).toBeNull();
    expect(p.size).toBe(2);
  });

  it('pairs JSON-RPC batches by any member id', () => {
    const p = new CallPairing();
    const q = [{ jsonrpc: '2.0', id: 1, method: 'a' }, { jsonrpc: '2.0', id: 2, method: 'b' }];
    const a = [{ jsonrpc: '2.0', id: 2, result: 'B' }, { jsonrpc: '2.0', id: 1, result: 'A' }];
    const req = rec(q, { via: 'worker', fromContext: 1, toContext: 2, sentAt: 10, deliveredAt: 11 });
    const res = rec(a, { via: 'worker', fromContext: 2, toContext: 1, deliveredAt: 15 });
    offer(p, req, q);
    expect(offer(p, res, a)).toBe(req);
    expect(res.call?.latencyMs).toBe(5);
  });

  it('keeps at most max halves waiting, forgetting the oldest', () => {
    const p = new CallPairing(3);
    for (let i = 0; i < 10; i++) {
      const q = { jsonrpc: '2.0', id: i, method: 'm' };
      offer(p, rec(q, { via: 'window', fromContext: 1, toContext: 2, deliveredAt: i }), q);
    }
    expect(p.size).toBe(3);
    const late = { jsonrpc: '2.0', id: 0, result: 1 };
    expect(offer(p, rec(late, { via: 'window', fromContext: 2, toContext: 1, deliveredAt: 20 }), late)).toBeNull();
    const kept = { jsonrpc: '2.0', id: 9, result: 1 };
    expect(offer(p, rec(kept, { via: 'window', fromContext: 2, toContext: 1, deliveredAt: 20 }), kept)).not.toBeNull();
  });

  it('recomputes the latency when the request send is seen late', () => {
    const p = new CallPairing();
    const q = { namespace: 'penpal', type: 'CALL', id: 'c', methodPath: ['f'], args: [] };
    const a = { namespace: 'penpal', type: 'REPLY', callId: 'c', value: 0 };
    const req = rec(q, { toPort: 1, deliveredAt: 10 });
    const res = rec(a, { toPort: 1, deliveredAt: 30 });
    offer(p, req, q, 'c1');
    offer(p, res, a, 'c1');
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

// Every request or response left without a pair says why (CallRecord.unpaired): the panel and
// the trace show "unknown, because…" instead of a bare "not seen".
import { describe, expect, it } from 'vitest';
import { CallGlue } from '../../../src/aggregate/calls';
import { CallPairing, callScope, type CallScope } from '../../../src/decode/pairing';
import { decodeValue } from '../../../src/decode';
import type { MessageRecord } from '../../../src/protocol/session';
import { rec, toSample } from './call-records';

const offer = (p: CallPairing, r: MessageRecord, data: unknown, scope: CallScope | null = callScope(r, () => null)) => p.offer(r, decodeValue(data)!, scope!);
const q = (id: number) => ({ jsonrpc: '2.0', id, method: 'm' });
const a = (id: number) => ({ jsonrpc: '2.0', id, result: 1 });
const ab = { via: 'window' as const, fromContext: 1, toContext: 2 };
const ba = { via: 'window' as const, fromContext: 2, toContext: 1 };

describe('why a call has no pair', () => {
  it('a request nothing answered is "unseen"; once answered, neither half has a reason', () => {
    const p = new CallPairing();
    const req = rec(q(1), { ...ab, sentAt: 0, deliveredAt: 1 });
    expect(req.call?.unpaired).toBe('unseen');
    offer(p, req, q(1));
    expect(req.call?.unpaired).toBe('unseen');
    const res = rec(a(1), { ...ba, deliveredAt: 5 });
    offer(p, res, a(1));
    expect(req.call?.pairedWith).toBe(res.id);
    expect(req.call?.unpaired).toBeUndefined();
    expect(res.call?.unpaired).toBeUndefined();
    // Notifications and events are not waiting for anything.
    expect(rec({ jsonrpc: '2.0', method: 'tick' }, ab).call?.unpaired).toBeUndefined();
  });

  it('a same-id response that went the same way is no answer: "unseen"', () => {
    const p = new CallPairing();
    const req = rec(q(1), { ...ab, sentAt: 0, deliveredAt: 1 });
    const same = rec(a(1), { ...ab, deliveredAt: 3 });
    offer(p, req, q(1));
    offer(p, same, a(1));
    expect([req.call?.unpaired, same.call?.unpaired]).toEqual(['unseen', 'unseen']);
  });

  it('two same-id requests within the clock skew and one answer: "ambiguous" on all three', () => {
    const p = new CallPairing(100, 100);
    const r1 = rec(q(4), { ...ab, sentAt: 0 });
    const r2 = rec(q(4), { ...ab, sentAt: 30 });
    const res = rec(a(4), { ...ba, deliveredAt: 60 });
    for (const [r, d] of [[r1, q(4)], [r2, q(4)], [res, a(4)]] as const) offer(p, r, d);
    expect([r1, r2, res].map((r) => r.call?.pairedWith)).toEqual([null, null, null]);
    expect([r1, r2, res].map((r) => r.call?.unpaired)).toEqual(['ambiguous', 'ambiguous', 'ambiguous']);
  });

  it('a possible answer on a port whose way is not known: "direction-unknown"', () => {
    const p = new CallPairing();
    // The channel is not known: the request is held in its port's own scope, going into port 4;
    // the reply's direction within that scope cannot be told.
    const req = rec(q(7), { toPort: 4, deliveredAt: 1 });
    const res = rec(a(7), { toPort: 4, fromPort: null, deliveredAt: 5 });
    offer(p, req, q(7), { key: 'p4', from: null, to: 4 });
    offer(p, res, a(7), { key: 'p4', from: null, to: null });
    expect([req.call?.unpaired, res.call?.unpaired]).toEqual(['direction-unknown', 'direction-unknown']);
  });

  it('a window message whose sender is not known is "no-scope" until it is, then pairs', () => {
    const byId = new Map<number, MessageRecord>();
    const touched: number[] = [];
    const glue = new CallGlue({ get: (id) => byId.get(id), touch: (r) => touched.push(r.id), channelOf: () => null, partnerOf: () => null });
    const res = rec(a(2), { ...ba, fromContext: null, deliveredAt: 9 });
    const req = rec(q(2), { ...ab, sentAt: 1, deliveredAt: 2 });
    for (const r of [res, req]) byId.set(r.id, r);
    glue.decode(res, toSample(a(2)));
    glue.seen(res);
    expect(res.call?.unpaired).toBe('no-scope');
    expect(touched).toContain(res.id);
    glue.decode(req, toSample(q(2)));
    glue.seen(req);
    // The reply's sender becomes known (its send was joined): it pairs, and the reason goes.
    res.fromContext = 2;
    glue.seen(res);
    expect(res.call?.pairedWith).toBe(req.id);
    expect(res.call?.unpaired).toBeUndefined();
  });
});

// Call pairing is a function of the records, not of the order they arrive in (issue #20): the
// same records, fed in every order — responses before requests, records before their port's
// channel and direction are known and the identity after — give the same pairs.
import { describe, expect, it } from 'vitest';
import { CallGlue } from '../../../src/aggregate/calls';
import { newMessage } from '../../../src/aggregate/records';
import { decodeValue } from '../../../src/decode';
import { CallPairing, callScope, toCallRecord } from '../../../src/decode/pairing';
import type { MessageRecord } from '../../../src/protocol/session';
import { toSample } from './call-records';

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [xs.slice()];
  const out: T[][] = [];
  xs.forEach((x, i) => {
    for (const rest of permutations([...xs.slice(0, i), ...xs.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out;
}

const q = (id: number | string, method = 'm') => ({ jsonrpc: '2.0', id, method });
const a = (id: number | string, result: unknown = 0) => ({ jsonrpc: '2.0', id, result });

interface Spec {
  name: string;
  data: unknown;
  over: Partial<MessageRecord>;
}

/** Fresh records for one run (ids fixed by name, so that runs compare). */
function make(specs: readonly Spec[]): Map<string, MessageRecord> {
  const out = new Map<string, MessageRecord>();
  specs.forEach((s, i) => {
    const r = { ...newMessage('port'), id: i + 1, ...s.over };
    const c = decodeValue(s.data);
    r.call = c ? toCallRecord(c) : null;
    out.set(s.name, r);
  });
  return out;
}

/** name → name of its pair (or null), for every record. */
function pairsOf(recs: Map<string, MessageRecord>): Record<string, string | null> {
  const byId = new Map([...recs].map(([n, r]) => [r.id, n]));
  const out: Record<string, string | null> = {};
  for (const [n, r] of recs) out[n] = r.call?.pairedWith == null ? null : (byId.get(r.call.pairedWith) ?? '?');
  return out;
}

/** Offers the records to one CallPairing in `order`, each with its scope on one known channel. */
function runPairing(specs: readonly Spec[], order: readonly string[]): Record<string, string | null> {
  const recs = make(specs);
  const p = new CallPairing();
  const channel = () => 7;
  const partner = (port: number) => (port === 1 ? 2 : port === 2 ? 1 : null);
  for (const n of order) {
    const r = recs.get(n) as MessageRecord;
    const spec = specs.find((s) => s.name === n) as Spec;
    p.offer(r, decodeValue(spec.data)!, callScope(r, channel, partner)!);
  }
  return pairsOf(recs);
}

function expectSameInEveryOrder(specs: readonly Spec[], expected: Record<string, string | null>): void {
  for (const order of permutations(specs.map((s) => s.name))) {
    expect({ order, pairs: runPairing(specs, order) }).toEqual({ order, pairs: expected });
  }
}

describe('call pairing does not depend on the order records arrive in', () => {
  it('pairs JSON-RPC both ways on one channel the same in all 24 orders', () => {
    const specs: Spec[] = [
      { name: 'askA', data: q(1, 'fromA'), over: { toPort: 2, sentAt: 0, deliveredAt: 1 } },
      { name: 'askB', data: q(1, 'fromB'), over: { toPort: 1, sentAt: 2, deliveredAt: 3 } },
      { name: 'ansB', data: a(1, 'b'), over: { toPort: 1, sentAt: 4, deliveredAt: 5 } },
      { name: 'ansA', data: a(1, 'a'), over: { toPort: 2, sentAt: 6, deliveredAt: 7 } },
    ];
    expectSameInEveryOrder(specs, { askA: 'ansB', ansB: 'askA', askB: 'ansA', ansA: 'askB' });
  });

  it('pairs an id used again a second later (one call after the other) in every order, responses first too', () => {
    const specs: Spec[] = [
      { name: 'q1', data: q(1), over: { toPort: 2, sentAt: 0, deliveredAt: 1 } },
      { name: 's1', data: a(1, 'x'), over: { toPort: 1, sentAt: 5, deliveredAt: 6 } },
      { name: 'q2', data: q(1), over: { toPort: 2, sentAt: 1000, deliveredAt: 1001 } },
      { name: 's2', data: a(1, 'y'), over: { toPort: 1, sentAt: 1005, deliveredAt: 1006 } },
    ];
    expectSameInEveryOrder(specs, { q1: 's1', s1: 'q1', q2: 's2', s2: 'q2' });
  });

  it('leaves two same-id requests the same way and their one response unpaired in every order', () => {
    const specs: Spec[] = [
      { name: 'first', data: q(3, 'x'), over: { toPort: 2, sentAt: 0, deliveredAt: 1 } },
      { name: 'second', data: q(3, 'y'), over: { toPort: 2, sentAt: 2, deliveredAt: 3 } },
      { name: 'answer', data: a(3), over: { toPort: 1, sentAt: 5, deliveredAt: 6 } },
    ];
    expectSameInEveryOrder(specs, { first: null, second: null, answer: null });
  });

  it('leaves a request with two same-way responses unpaired in every order', () => {
    const specs: Spec[] = [
      { name: 'ask', data: q(4), over: { toPort: 2, sentAt: 0, deliveredAt: 1 } },
      { name: 'one', data: a(4, 1), over: { toPort: 1, sentAt: 2, deliveredAt: 3 } },
      { name: 'two', data: a(4, 2), over: { toPort: 1, sentAt: 4, deliveredAt: 5 } },
    ];
    expectSameInEveryOrder(specs, { ask: null, one: null, two: null });
  });

  it('pairs JSON-RPC batches answered in another order, in either order of arrival', () => {
    const specs: Spec[] = [
      { name: 'batch', data: [q(2, 'b'), q(1, 'a')], over: { toPort: 2, sentAt: 0, deliveredAt: 1 } },
      { name: 'reply', data: [a(1, 'A'), a(2, 'B')], over: { toPort: 1, sentAt: 3, deliveredAt: 4 } },
    ];
    expectSameInEveryOrder(specs, { batch: 'reply', reply: 'batch' });
  });
});

/**
 * The Session's glue over ports whose channel is learnt at `IDENT` (before that neither the
 * channel nor the partner of ports 1 and 2 is known): each step is a record offered or the
 * identity update.
 */
function runGlue(specs: readonly Spec[], order: readonly string[]): Record<string, string | null> {
  const recs = make(specs);
  let known = false;
  const glue = new CallGlue({
    get: (id) => [...recs.values()].find((r) => r.id === id),
    touch: () => {},
    channelOf: (port) => (known && (port === 1 || port === 2) ? 7 : null),
    partnerOf: (port) => (known ? (port === 1 ? 2 : port === 2 ? 1 : null) : null),
  });
  for (const n of order) {
    if (n === 'IDENT') {
      known = true;
      glue.portsChanged([1, 2]);
      continue;
    }
    const r = recs.get(n) as MessageRecord;
    const spec = specs.find((s) => s.name === n) as Spec;
    glue.decode(r, toSample(spec.data));
    glue.seen(r);
  }
  return pairsOf(recs);
}

describe('call pairing when a port’s channel and direction become known later', () => {
  it('pairs a request and its response offered before their ports were identified, in every order', () => {
    // The request reached port 2, the reply port 1: without the channel, two unrelated ports.
    const specs: Spec[] = [
      { name: 'ask', data: q('k'), over: { toPort: 2, deliveredAt: 1 } },
      { name: 'reply', data: a('k'), over: { toPort: 1, deliveredAt: 4 } },
    ];
    for (const order of permutations(['ask', 'reply', 'IDENT'])) {
      expect({ order, pairs: runGlue(specs, order) }).toEqual({ order, pairs: { ask: 'reply', reply: 'ask' } });
    }
  });

  it('undoes a pair made on one port when the identity shows a second same-id request the same way', () => {
    // Seen on port 2 alone, `ask` (in) and `reply` (out) pair; `again` left port 1 towards port
    // 2 (its delivery unseen). Once 1 and 2 are one channel, two requests went the same way.
    const specs: Spec[] = [
      { name: 'ask', data: q(9), over: { toPort: 2, deliveredAt: 1 } },
      { name: 'again', data: q(9), over: { fromPort: 1, sentAt: 2 } },
      { name: 'reply', data: a(9), over: { fromPort: 2, sentAt: 3 } },
    ];
    for (const order of permutations(['ask', 'again', 'reply', 'IDENT'])) {
      expect({ order, pairs: runGlue(specs, order) }).toEqual({ order, pairs: { ask: null, again: null, reply: null } });
    }
  });
});

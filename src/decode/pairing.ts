// Pairs each decoded request with its response: same protocol and correlation id within one
// scope — the MessageChannel for port messages, the two contexts for window and worker
// messages — so two apps that happen to use the same ids do not cross. A response answers only
// a request that travelled the other way: each side of a channel may number its own requests
// from 1 (JSON-RPC both ways), so the same id going the same way is another call. When two
// halves wait under the same id and direction, which one a counterpart answers is not known:
// nothing is paired (unknown beats a guess). Each pair gets its latency: response delivered −
// request sent (or delivered, when the send was not seen).
// Bounded: at most `max` halves wait for their other half; the oldest are forgotten first.

import type { CallRecord, MessageRecord } from '../protocol/session';
import { callIds, type DecodedCall } from './types';

/** Where a message's correlation ids are unique enough to pair by, and which way it went. */
export interface CallScope {
  /** The channel (`c…`, or `p…` for a port whose birth was not seen) or the pair of contexts. */
  key: string;
  /** The sending end: a port or a context id; null when not known. */
  from: number | null;
  /** The receiving end, likewise. */
  to: number | null;
}

/**
 * The scope of a message, or null: do not pair it. `partnerOf` gives the port a port was
 * entangled with at birth, so that either half of a port message tells both ends.
 */
export function callScope(m: MessageRecord, channelOf: (port: number) => number | null, partnerOf: (port: number) => number | null = () => null): CallScope | null {
  switch (m.via) {
    case 'port': {
      const port = m.toPort ?? m.fromPort;
      if (port === null) return null;
      const ch = channelOf(port);
      const from = m.fromPort ?? (m.toPort !== null ? partnerOf(m.toPort) : null);
      const to = m.toPort ?? (m.fromPort !== null ? partnerOf(m.fromPort) : null);
      // Without a channel both ends cannot be told apart from a third port: one side must be
      // the scope's own port, which is then the side that is known.
      return { key: ch === null ? `p${port}` : `c${ch}`, from, to };
    }
    case 'window':
    case 'worker': {
      const a = m.fromContext;
      const b = m.toContext;
      if (a === null || b === null) return null;
      return { key: `${m.via}:${Math.min(a, b)}-${Math.max(a, b)}`, from: a, to: b };
    }
    default:
      return null;
  }
}

export function toCallRecord(c: DecodedCall): CallRecord {
  return { protocol: c.protocol, role: c.role, label: c.label, id: c.id, pairedWith: null, latencyMs: null };
}

export function latencyOf(request: MessageRecord, response: MessageRecord): number | null {
  const start = request.sentAt ?? request.deliveredAt;
  const end = response.deliveredAt;
  // Times from two processes (a request delivered in a cross-origin frame, its reply in the
  // page) can be a millisecond apart the wrong way, Firefox's coarse clocks included: never below 0.
  return start === null || end === null ? null : Math.max(0, end - start);
}

const end = (x: number | null): string => (x === null ? '?' : String(x));

/** The halves waiting under one key, and how many counterparts were already seen for them (unpaired). */
interface Waiting {
  recs: MessageRecord[];
  answered: number;
}

export class CallPairing {
  /** 'q'|'s' + scope + protocol + id + from>to → the requests or responses waiting for their other half. */
  private waiting = new Map<string, Waiting>();
  /** Where each waiting half waits. */
  private where = new Map<MessageRecord, string>();
  /** Halves that met an ambiguous key: counted once there, whenever they are offered again. */
  private unsure = new Set<MessageRecord>();

  constructor(readonly max = 10_000) {}

  /** Halves waiting. */
  get size(): number {
    return this.where.size;
  }

  /**
   * Takes a stored record whose `call` is set (from `decoded`) and pairs it when its one other
   * half waits. Returns the other record when a pair was made (both calls were updated).
   */
  offer(rec: MessageRecord, decoded: DecodedCall, scope: CallScope): MessageRecord | null {
    const call = rec.call;
    if (!call || call.pairedWith !== null) return null;
    const role = decoded.role;
    if (role !== 'request' && role !== 'response') return null;
    const ids = callIds(decoded);
    const mine = role === 'request' ? 'q' : 's';
    const theirs = role === 'request' ? 's' : 'q';
    const way = `${end(scope.from)}>${end(scope.to)}`;
    const back = `${end(scope.to)}>${end(scope.from)}`;
    const base = (id: string) => `${scope.key}\u0000${decoded.protocol}\u0000${id}\u0000`;
    if (this.unsure.has(rec)) return null;
    const before = this.where.get(rec);
    if (before !== undefined) {
      // Offered again (its other half joined it): waiting where it was, nothing new to pair.
      if (ids.some((id) => mine + base(id) + way === before)) return null;
      this.unwait(rec, before);
    }
    for (const id of ids) {
      const key = theirs + base(id) + back;
      const w = this.waiting.get(key);
      if (!w || w.recs.length <= w.answered) continue;
      if (w.recs.length === 1 && w.answered === 0 && w.recs[0] !== rec) {
        const other = w.recs[0];
        this.unwait(other, key);
        if (!other.call || other.call.pairedWith !== null) continue;
        this.link(role === 'request' ? rec : other, role === 'request' ? other : rec);
        return other;
      }
      // Two or more halves asked (or answered) under this id the same way: which one this
      // answers is unknown. None is paired; the key is forgotten once each had its counterpart.
      w.answered++;
      this.unsure.add(rec);
      if (w.answered >= w.recs.length) this.forget(key, w);
      return null;
    }
    if (ids.length === 0) return null;
    // A batch waits under its first id: the answering batch names it among its own.
    this.wait(mine + base(ids[0]) + way, rec);
    while (this.where.size > this.max) {
      const [key, w] = this.waiting.entries().next().value as [string, Waiting];
      this.forget(key, w);
    }
    while (this.unsure.size > this.max) this.unsure.delete(this.unsure.values().next().value as MessageRecord);
    return null;
  }

  private wait(key: string, rec: MessageRecord): void {
    let w = this.waiting.get(key);
    if (!w) this.waiting.set(key, (w = { recs: [], answered: 0 }));
    else {
      // Newest last, so eviction takes the oldest.
      this.waiting.delete(key);
      this.waiting.set(key, w);
    }
    w.recs.push(rec);
    this.where.set(rec, key);
  }

  private unwait(rec: MessageRecord, key: string): void {
    this.where.delete(rec);
    const w = this.waiting.get(key);
    if (!w) return;
    const i = w.recs.indexOf(rec);
    if (i >= 0) w.recs.splice(i, 1);
    if (w.recs.length === 0) this.waiting.delete(key);
  }

  private forget(key: string, w: Waiting): void {
    this.waiting.delete(key);
    for (const r of w.recs) {
      this.where.delete(r);
      // A half that waited under an ambiguous key stays unpaired (unknown) for good.
      if (w.recs.length > 1 || w.answered > 0) this.unsure.add(r);
    }
  }

  private link(request: MessageRecord, response: MessageRecord): void {
    const latency = latencyOf(request, response);
    (request.call as CallRecord).pairedWith = response.id;
    (response.call as CallRecord).pairedWith = request.id;
    (request.call as CallRecord).latencyMs = latency;
    (response.call as CallRecord).latencyMs = latency;
  }

  clear(): void {
    this.waiting.clear();
    this.where.clear();
    this.unsure.clear();
  }

  /**
   * The waiting halves as [key, reference] (state.ts), oldest first; a key's counterparts
   * already seen unpaired as ['#' + key, its first half] each.
   */
  toState<R>(ref: (r: MessageRecord) => R | null): [string, R][] {
    const out: [string, R][] = [];
    for (const [k, w] of this.waiting) {
      for (const r of w.recs) {
        const x = ref(r);
        if (x !== null) out.push([k, x]);
      }
      const first = w.recs.length ? ref(w.recs[0]) : null;
      if (first !== null) for (let i = 0; i < w.answered; i++) out.push(['#' + k, first]);
    }
    for (const r of this.unsure) {
      const x = ref(r);
      if (x !== null) out.push(['!', x]);
    }
    return out;
  }

  static fromState<R>(entries: readonly [string, R][], max: number, deref: (x: R) => MessageRecord | undefined): CallPairing {
    const p = new CallPairing(max);
    for (const [k, x] of entries) {
      if (k === '!') {
        const r = deref(x);
        if (r) p.unsure.add(r);
        continue;
      }
      if (k.startsWith('#')) {
        const w = p.waiting.get(k.slice(1));
        if (w) w.answered++;
        continue;
      }
      const r = deref(x);
      // States written before directions had keys without one: their halves are not kept.
      if (r && r.call && k.split('\u0000').length === 4 && !p.where.has(r)) p.wait(k, r);
    }
    return p;
  }
}

/**
 * Recomputes a paired record's latency after its times changed (a send seen late).
 * Returns the pair's other record when the latency changed.
 */
export function refreshLatency(rec: MessageRecord, get: (id: number) => MessageRecord | undefined): MessageRecord | null {
  const call = rec.call;
  if (!call || call.pairedWith === null) return null;
  const other = get(call.pairedWith);
  if (!other || !other.call) return null;
  const request = call.role === 'request' ? rec : other;
  const response = request === rec ? other : rec;
  const latency = latencyOf(request, response);
  if (latency === call.latencyMs && latency === other.call.latencyMs) return null;
  call.latencyMs = latency;
  other.call.latencyMs = latency;
  return other;
}

// Pairs each decoded request with its response: same protocol and correlation id within one
// scope — the MessageChannel for port messages, the two contexts for window and worker
// messages — so two apps that happen to use the same ids do not cross. Each pair gets its
// latency: response delivered − request sent (or delivered, when the send was not seen).
// Bounded: at most `max` halves wait for their other half; the oldest are forgotten first.

import type { CallRecord, MessageRecord } from '../protocol/session';
import { callIds, type DecodedCall } from './types';

/** Where a message's correlation ids are unique enough to pair by; null: do not pair it. */
export function callScope(m: MessageRecord, channelOf: (port: number) => number | null): string | null {
  switch (m.via) {
    case 'port': {
      const port = m.toPort ?? m.fromPort;
      if (port === null) return null;
      const ch = channelOf(port);
      return ch === null ? `p${port}` : `c${ch}`;
    }
    case 'window':
    case 'worker': {
      const a = m.fromContext;
      const b = m.toContext;
      if (a === null || b === null) return null;
      return `${m.via}:${Math.min(a, b)}-${Math.max(a, b)}`;
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

export class CallPairing {
  /** 'q'|'s' + scope + protocol + id → the request or response waiting for its other half. */
  private waiting = new Map<string, MessageRecord>();

  constructor(readonly max = 10_000) {}

  get size(): number {
    return this.waiting.size;
  }

  /**
   * Takes a stored record whose `call` is set (from `decoded`) and pairs it when its other
   * half waits. Returns the other record when a pair was made (both calls were updated).
   */
  offer(rec: MessageRecord, decoded: DecodedCall, scope: string): MessageRecord | null {
    const call = rec.call;
    if (!call || call.pairedWith !== null) return null;
    const role = decoded.role;
    if (role !== 'request' && role !== 'response') return null;
    const ids = callIds(decoded);
    const mine = role === 'request' ? 'q' : 's';
    const theirs = role === 'request' ? 's' : 'q';
    for (const id of ids) {
      const key = `${scope}\u0000${decoded.protocol}\u0000${id}`;
      const other = this.waiting.get(theirs + key);
      if (other && other !== rec && other.call && other.call.pairedWith === null) {
        this.waiting.delete(theirs + key);
        this.link(role === 'request' ? rec : other, role === 'request' ? other : rec);
        return other;
      }
    }
    for (const id of ids) {
      const key = mine + `${scope}\u0000${decoded.protocol}\u0000${id}`;
      this.waiting.delete(key); // re-insert: newest last, so eviction takes the oldest
      this.waiting.set(key, rec);
    }
    while (this.waiting.size > this.max) this.waiting.delete(this.waiting.keys().next().value as string);
    return null;
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
  }

  /** The waiting halves as [key, reference] (state.ts), oldest first. */
  toState<R>(ref: (r: MessageRecord) => R | null): [string, R][] {
    const out: [string, R][] = [];
    for (const [k, r] of this.waiting) {
      const x = ref(r);
      if (x !== null) out.push([k, x]);
    }
    return out;
  }

  static fromState<R>(entries: readonly [string, R][], max: number, deref: (x: R) => MessageRecord | undefined): CallPairing {
    const p = new CallPairing(max);
    for (const [k, x] of entries) {
      const r = deref(x);
      if (r && r.call) p.waiting.set(k, r);
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

// Pairs each decoded request with its response: same protocol and correlation id within one
// scope — the MessageChannel for port messages, the two contexts for window and worker
// messages — so two apps that happen to use the same ids do not cross. A response answers only
// a request that travelled the other way: each side of a channel may number its own requests
// from 1 (JSON-RPC both ways), so the same id going the same way is another call. When two
// halves wait under the same id and direction, which one a counterpart answers is not known:
// nothing is paired (unknown beats a guess). Each pair gets its latency: response delivered −
// request sent (or delivered, when the send was not seen).
//
// The pairs are a function of the records (scope, direction, times), never of the order they
// arrive in (issue #20): a half offered again — its other side joined it, its port was
// identified — moves to where it now belongs, and the groups it left and joined are worked out
// again from their members alone. A pair that a later record makes uncertain is undone.
// Bounded: at most `max` halves are held (paired or not), the oldest group forgotten first, and
// at most GROUP_MAX halves per group; a forgotten half keeps its pairing.
//
// A half left without a pair says why (CallRecord.unpaired): nothing answering its id was seen;
// something was, but which way one of them went is not known; several calls share the id too
// close in time to tell; or the budget forgot it before its answer came.

import type { CallUnpaired } from '../protocol/enums';
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
  const rec: CallRecord = { protocol: c.protocol, role: c.role, label: c.label, id: c.id, pairedWith: null, latencyMs: null };
  // Until the pairing places it, a request or response has seen nothing that answers it.
  if (c.role === 'request' || c.role === 'response') rec.unpaired = 'unseen';
  return rec;
}

export function latencyOf(request: MessageRecord, response: MessageRecord): number | null {
  const start = request.sentAt ?? request.deliveredAt;
  const end = response.deliveredAt;
  // Times from two processes (a request delivered in a cross-origin frame, its reply in the
  // page) can be a millisecond apart the wrong way, Firefox's coarse clocks included: never below 0.
  return start === null || end === null ? null : Math.max(0, end - start);
}

/** Decoded requests and responses a live session holds for pairing (the oldest go first). */
export const PAIRING_MAX = 10_000;
/** How far apart two contexts' clocks may be, unless the session is told otherwise. */
export const PAIRING_SKEW_MS = 100;

/** Halves held per group (one id in one scope): an id used more often loses its oldest. */
export const GROUP_MAX = 32;

type Role = 'request' | 'response';

/** A decoded request or response held for pairing. */
interface Half {
  rec: MessageRecord;
  protocol: string;
  role: Role;
  ids: string[];
  group: string;
  /** Which way it went: the sending and receiving end (-1: the other end of a port's own scope); null when not known. */
  from: number;
  to: number;
  known: boolean;
}

/**
 * Which way a message went within its scope, [from, to], or null when that is not known. In a
 * port's own scope (`p…`, channel unknown) the way is into or out of that port (-1: whatever
 * the other end).
 */
export function directionOf(scope: CallScope): [number, number] | null {
  if (scope.key.charCodeAt(0) === 112 /* p */) {
    const port = Number(scope.key.slice(1));
    return scope.to === port ? [-1, port] : scope.from === port ? [port, -1] : null;
  }
  return scope.from === null || scope.to === null ? null : [scope.from, scope.to];
}

/** y went the other way from x. */
const back = (x: Half, y: Half): boolean => x.known && y.known && x.from === y.to && x.to === y.from;

/** When a half happened, to tell apart calls that reuse an id: sent, else delivered. */
const timeOf = (h: Half): number | null => h.rec.sentAt ?? h.rec.deliveredAt;

/**
 * Why a half of a group has no pair: nothing of the other role answers its id (or only calls
 * that went the same way); a possible answer whose way, or its own, is not known; or a possible
 * answer that went back, shared with other calls too close in time to tell which.
 */
function whyAlone(h: Half, members: readonly Half[]): CallUnpaired {
  let why: CallUnpaired = 'unseen';
  for (const x of members) {
    if (x === h || x.role === h.role) continue;
    if (!h.known || !x.known) return 'direction-unknown';
    if (back(h, x)) why = 'ambiguous';
  }
  return why;
}

export class CallPairing {
  /** Group key → its halves. */
  private groups = new Map<string, Half[]>();
  private halves = new Map<MessageRecord, Half>();
  /** Groups in the order they were made, oldest first from `head` (forgotten in that order). */
  private made: Half[][] = [];
  private madeKeys: string[] = [];
  private head = 0;

  /**
   * @param max halves held at most
   * @param skewMs how far apart two contexts' clocks may be: calls reusing an id are told
   *   apart only when more than this separates them
   * @param forgotten told of each half no longer held
   */
  constructor(
    readonly max = PAIRING_MAX,
    readonly skewMs = PAIRING_SKEW_MS,
    private readonly forgotten: (r: MessageRecord) => void = () => {},
  ) {}

  /** Halves held (paired or waiting). */
  get size(): number {
    return this.halves.size;
  }

  /** Halves held and not paired. */
  get waiting(): number {
    let n = 0;
    for (const h of this.halves.values()) if (h.rec.call?.pairedWith == null) n++;
    return n;
  }

  has(rec: MessageRecord): boolean {
    return this.halves.has(rec);
  }

  /**
   * Takes a stored record whose `call` is set (from `decoded`), or the same record again after
   * its scope or times changed. Returns the records whose pairing or latency changed (a list
   * reused by the next call).
   */
  offer(rec: MessageRecord, decoded: DecodedCall, scope: CallScope): MessageRecord[] {
    const role = decoded.role;
    if (role !== 'request' && role !== 'response') return [];
    return this.place(rec, decoded.protocol, role, callIds(decoded), scope);
  }

  /** A held half whose scope changed (null: it can no longer be paired). */
  rescope(rec: MessageRecord, scope: CallScope | null): MessageRecord[] {
    const h = this.halves.get(rec);
    if (!h) return [];
    if (scope === null) {
      const changed = this.reset();
      this.remove(h, changed);
      if (rec.call && rec.call.pairedWith === null && rec.call.unpaired !== 'no-scope') {
        rec.call.unpaired = 'no-scope';
        if (!changed.includes(rec)) changed.push(rec);
      }
      return changed;
    }
    return this.place(rec, h.protocol, h.role, h.ids, scope);
  }

  private place(rec: MessageRecord, protocol: string, role: Role, ids: string[], scope: CallScope): MessageRecord[] {
    if (!rec.call || ids.length === 0) return [];
    // A batch is keyed by its smallest id: the answering batch holds the same ids in any order.
    let min = ids[0];
    for (const id of ids) if (id < min) min = id;
    const group = `${scope.key}\u0000${protocol}\u0000${min}`;
    const dir = directionOf(scope);
    const changed = this.reset();
    let h = this.halves.get(rec);
    if (h && h.group !== group) {
      this.remove(h, changed);
      h = undefined;
    }
    let members = this.groups.get(group);
    if (!members) {
      this.groups.set(group, (members = []));
      this.made.push(members);
      this.madeKeys.push(group);
    }
    if (!h) {
      h = { rec, protocol, role, ids, group, from: dir ? dir[0] : -1, to: dir ? dir[1] : -1, known: dir !== null };
      members.push(h);
      this.halves.set(rec, h);
      if (members.length > GROUP_MAX) this.dropOldest(members, changed);
    } else {
      h.from = dir ? dir[0] : -1;
      h.to = dir ? dir[1] : -1;
      h.known = dir !== null;
      h.role = role;
    }
    this.settle(members, changed);
    while (this.halves.size > this.max && this.head < this.made.length) {
      const key = this.madeKeys[this.head];
      const old = this.made[this.head++];
      if (this.groups.get(key) !== old) continue; // emptied and gone already
      this.groups.delete(key);
      for (const x of old) this.evict(x, changed);
    }
    // Entries of forgotten or emptied groups are dropped now and then (amortised: O(1) each).
    if ((this.head > 1024 && this.head * 2 > this.made.length) || this.made.length - this.head > 2 * this.max + 1024) {
      const made: Half[][] = [];
      const keys: string[] = [];
      for (let i = this.head; i < this.made.length; i++) {
        if (this.groups.get(this.madeKeys[i]) !== this.made[i]) continue;
        made.push(this.made[i]);
        keys.push(this.madeKeys[i]);
      }
      this.made = made;
      this.madeKeys = keys;
      this.head = 0;
    }
    return changed;
  }

  /** The list of changed records a call returns (reused: read it before the next call). */
  private changed: MessageRecord[] = [];

  private reset(): MessageRecord[] {
    this.changed.length = 0;
    return this.changed;
  }

  private remove(h: Half, changed: MessageRecord[]): void {
    const members = this.groups.get(h.group);
    this.forget(h);
    if (!members) return;
    const i = members.indexOf(h);
    if (i >= 0) members.splice(i, 1);
    if (!members.length) this.groups.delete(h.group);
    // Its pair is undone with it: where it goes next decides its pairing again.
    this.setPair(h, null, 'unseen', changed);
    this.settle(members, changed);
  }

  /** A group over GROUP_MAX forgets its oldest half (and that half's pair: they leave together). */
  private dropOldest(members: Half[], changed: MessageRecord[]): void {
    const old = members.shift() as Half;
    this.evict(old, changed);
    const partner = old.rec.call?.pairedWith;
    if (partner == null) return;
    const i = members.findIndex((x) => x.rec.id === partner);
    if (i >= 0) this.forget(members.splice(i, 1)[0]);
  }

  /** Forgets a half for the budget: one still waiting will never pair now, and says so. */
  private evict(h: Half, changed: MessageRecord[]): void {
    this.forget(h);
    const call = h.rec.call;
    if (!call || call.pairedWith !== null || call.unpaired === 'forgotten') return;
    call.unpaired = 'forgotten';
    changed.push(h.rec);
  }

  private forget(h: Half): void {
    if (this.halves.get(h.rec) !== h) return;
    this.halves.delete(h.rec);
    this.forgotten(h.rec);
  }

  /** Works a group's pairs out again from its members and applies what differs. */
  private settle(members: Half[], changed: MessageRecord[]): void {
    // Most ids are used once: one half waits, or a request and its response pair.
    if (members.length <= 2) {
      const [x, y] = members;
      if (x === undefined) return;
      const pair = y !== undefined && x.role !== y.role && back(x, y);
      this.setPair(x, pair ? y : null, pair ? null : whyAlone(x, members), changed);
      if (y !== undefined) this.setPair(y, pair ? x : null, pair ? null : whyAlone(y, members), changed);
      return;
    }
    const want = new Map<Half, Half>();
    if (members.every((h) => h.known)) {
      const firsts = members.filter((h, i) => h.role === 'request' && members.findIndex((x) => x.role === 'request' && x.from === h.from && x.to === h.to) === i);
      for (const d of firsts) {
        const qs = members.filter((h) => h.role === 'request' && h.from === d.from && h.to === d.to);
        const ss = members.filter((h) => h.role === 'response' && back(d, h));
        for (const [x, y] of this.match(qs, ss)) {
          want.set(x, y);
          want.set(y, x);
        }
      }
    }
    for (const h of members) {
      const other = want.get(h) ?? null;
      this.setPair(h, other, other ? null : whyAlone(h, members), changed);
    }
  }

  /** The certain pairs among requests that went one way and responses that came back. */
  private match(qs: Half[], ss: Half[]): [Half, Half][] {
    if (!qs.length || !ss.length) return [];
    if (qs.length === 1 && ss.length === 1) return [[qs[0], ss[0]]];
    const all = [...qs, ...ss];
    if (all.some((h) => timeOf(h) === null)) return [];
    all.sort((x, y) => (timeOf(x) as number) - (timeOf(y) as number) || (x.role === y.role ? 0 : x.role === 'request' ? -1 : 1));
    const out: [Half, Half][] = [];
    let runQ: Half[] = [];
    let runS: Half[] = [];
    for (let i = 0; i < all.length; i++) {
      const h = all[i];
      (h.role === 'request' ? runQ : runS).push(h);
      const next = all[i + 1];
      // A run ends only where the next half is more than the clock skew later.
      if (next && (timeOf(next) as number) - (timeOf(h) as number) <= this.skewMs) continue;
      if (!runQ.length) runS = []; // responses well before any request: theirs were not seen
      else if (runS.length >= runQ.length) {
        if (runQ.length === 1 && runS.length === 1) out.push([runQ[0], runS[0]]);
        runQ = [];
        runS = [];
      }
    }
    return out;
  }

  private setPair(h: Half, other: Half | null, why: CallUnpaired | null, changed: MessageRecord[]): void {
    const call = h.rec.call as CallRecord;
    const id = other ? other.rec.id : null;
    const latency = other ? (h.role === 'request' ? latencyOf(h.rec, other.rec) : latencyOf(other.rec, h.rec)) : null;
    const unpaired = other ? undefined : (why ?? 'unseen');
    if (call.pairedWith === id && call.latencyMs === latency && call.unpaired === unpaired) return;
    call.pairedWith = id;
    call.latencyMs = latency;
    call.unpaired = unpaired;
    changed.push(h.rec);
  }

  clear(): void {
    this.groups.clear();
    this.halves.clear();
    this.made = [];
    this.madeKeys = [];
    this.head = 0;
  }

  /** The halves held as ['h' + their ids, reference] (state.ts), oldest group first. */
  toState<R>(ref: (r: MessageRecord) => R | null): [string, R][] {
    const out: [string, R][] = [];
    for (let i = this.head; i < this.made.length; i++) {
      const members = this.made[i];
      if (this.groups.get(this.madeKeys[i]) !== members) continue;
      for (const h of members) {
        const x = ref(h.rec);
        if (x !== null) out.push(['h' + h.ids.join('\u0000'), x]);
      }
    }
    return out;
  }

  /**
   * Holds the halves of a saved state again, each where its scope puts it now. States written
   * before pairing was order-free name waiting halves by their old keys: those are held again
   * under the id in the key.
   */
  static fromState<R>(
    entries: readonly [string, R][],
    max: number,
    deref: (x: R) => MessageRecord | undefined,
    scopeOf: (r: MessageRecord) => CallScope | null,
    skewMs?: number,
    forgotten?: (r: MessageRecord) => void,
  ): CallPairing {
    const p = new CallPairing(max, skewMs, forgotten);
    for (const [k, x] of entries) {
      if (k.startsWith('#')) continue;
      const r = deref(x);
      const call = r?.call;
      if (!r || !call || (call.role !== 'request' && call.role !== 'response')) continue;
      let ids: string[];
      if (k.startsWith('h')) ids = k.slice(1).split('\u0000');
      else if (k === '!') ids = call.id === null ? [] : [call.id];
      else {
        const parts = k.split('\u0000');
        if (parts.length !== 4) continue;
        ids = [parts[2]];
      }
      const scope = scopeOf(r);
      if (scope !== null) p.place(r, call.protocol, call.role, ids, scope);
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

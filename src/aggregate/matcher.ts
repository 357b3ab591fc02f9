// Send ↔ delivery correlation. Messages on one lane (one sending port, one frame → frame
// pair, one page ↔ worker pair) are FIFO, and the sender's model has already taken out the
// sends it predicted lost, so the k-th remaining send is the k-th delivery. Either side may
// reach the background first (different frames, different relays), so both sides queue.
// Timing is only a cross-check: a delivery cannot start before its send.

import type { MessageRecord } from '../protocol/session';

export type LaneKey = number | string;

/** A send or a delivery waiting for its other half. */
export type Waiting = MessageRecord;

interface Lane {
  sends: Waiting[];
  sHead: number;
  deliveries: Waiting[];
  dHead: number;
  /** Evicted waiting sends/deliveries that were let go: they still count for FIFO order. */
  skipSends: number;
  skipDeliveries: number;
  /** Both sides were offered at least once. Until then the other side may never be reported
   * (window sends, deliveries in workers): such a lane keeps only its newest ONE_SIDED halves. */
  both: boolean;
  sawSend: boolean;
  sawDelivery: boolean;
}

/** Clock skew allowed to a one-off send: the lane's waiting deliveries are the page's own
 * older messages, so only a delivery that began about when it was sent can be its own. */
export const ONE_OFF_SKEW_MS = 10;

/** Halves kept waiting on a lane whose other side was never reported. */
export const ONE_SIDED = 1024;

/** The other half was evicted by the budget: only its place in the FIFO was kept. */
export const EVICTED_HALF = 'evicted';
/** No send can match this delivery (the lane's oldest send is later than it). */
export const NO_SEND = 'no-send';

export type MatchResult = Waiting | typeof EVICTED_HALF | typeof NO_SEND | null;

export interface LaneState {
  key: LaneKey;
  /** References to waiting records (see state.ts). */
  sends: number[];
  deliveries: number[];
  skipSends: number;
  skipDeliveries: number;
  /** [sawSend, sawDelivery] */
  saw?: [boolean, boolean];
}

/**
 * What both halves recorded must agree before they are one record (kind, transfer shape,
 * sample, time): the Session knows the clocks and the ports that arrived.
 */
export interface JoinCheck {
  /** How much earlier than its send a delivery may appear: 0 on one clock, the skew across two. */
  skew(send: Waiting, delivery: Waiting): number;
  /** Everything else both halves recorded agrees. */
  agree(send: Waiting, delivery: Waiting): boolean;
}

/** Any pair agrees, with the same skew for all (tests of the lanes alone). */
export const plainCheck = (skewMs: number): JoinCheck => ({ skew: () => skewMs, agree: () => true });

export class Matcher {
  private readonly lanes = new Map<LaneKey, Lane>();
  private readonly check: JoinCheck;

  /** @param skewMs how much earlier than its send a delivery may appear (clocks of two processes). */
  constructor(
    readonly skewMs: number,
    check?: JoinCheck,
  ) {
    this.check = check ?? plainCheck(skewMs);
  }

  private lane(key: LaneKey): Lane {
    let l = this.lanes.get(key);
    if (!l) {
      l = { sends: [], sHead: 0, deliveries: [], dHead: 0, skipSends: 0, skipDeliveries: 0, both: false, sawSend: false, sawDelivery: false };
      this.lanes.set(key, l);
    }
    return l;
  }

  /**
   * Matches a send with the oldest waiting delivery, or queues it (then returns null).
   * `oneOff`: a send on a lane whose sends are otherwise never reported (a replayed window
   * message): it pairs, but the lane stays one-sided and keeps trimming its deliveries.
   */
  offerSend(key: LaneKey, send: Waiting, oneOff = false): MatchResult {
    const l = this.lane(key);
    if (!l.sawSend && !oneOff) {
      l.sawSend = true;
      l.both = l.sawDelivery;
    }
    if (l.skipDeliveries > 0) {
      l.skipDeliveries--;
      return EVICTED_HALF;
    }
    const sentAt = send.sentAt ?? 0;
    while (l.dHead < l.deliveries.length) {
      const d = l.deliveries[l.dHead];
      l.dHead++;
      const skew = oneOff ? Math.min(this.check.skew(send, d), ONE_OFF_SKEW_MS) : this.check.skew(send, d);
      // A delivery that began before this send cannot be its delivery: its send was never seen.
      // Nor one that disagrees with it (another message whose send was not seen).
      if ((d.deliveredAt ?? 0) + skew < sentAt || !this.check.agree(send, d)) continue;
      compact(l);
      return d;
    }
    compact(l);
    l.sends.push(send);
    if (!l.both && l.sends.length - l.sHead > ONE_SIDED && oneSided(key)) l.sHead++;
    return null;
  }

  /** Matches a delivery with the oldest waiting send, or queues it (then returns null). */
  offerDelivery(key: LaneKey, delivery: Waiting): MatchResult {
    const l = this.lane(key);
    if (!l.sawDelivery) {
      l.sawDelivery = true;
      l.both = l.sawSend;
    }
    if (l.skipSends > 0) {
      l.skipSends--;
      return EVICTED_HALF;
    }
    if (l.sHead < l.sends.length) {
      const s = l.sends[l.sHead];
      // Sends on a lane arrive in time order: if the oldest is later, all are. One that
      // disagrees with it is not its send either: the delivery stays alone, the send waits.
      if ((s.sentAt ?? 0) > (delivery.deliveredAt ?? 0) + this.check.skew(s, delivery) || !this.check.agree(s, delivery)) return NO_SEND;
      l.sHead++;
      compact(l);
      return s;
    }
    l.deliveries.push(delivery);
    if (!l.both && l.deliveries.length - l.dHead > ONE_SIDED && oneSided(key)) {
      l.dHead++;
      compact(l);
    }
    return null;
  }

  /** The oldest waiting send and delivery of a lane (evidence for port identity). */
  head(key: LaneKey): { send: Waiting | undefined; delivery: Waiting | undefined } {
    const l = this.lanes.get(key);
    if (!l) return { send: undefined, delivery: undefined };
    return { send: l.sends[l.sHead], delivery: l.deliveries[l.dHead] };
  }

  /** Every send of a lane still waiting for its delivery, oldest first. */
  *waitingSends(key: LaneKey): IterableIterator<Waiting> {
    const l = this.lanes.get(key);
    if (!l) return;
    for (let i = l.sHead; i < l.sends.length; i++) yield l.sends[i];
  }

  /**
   * After the budget evicted messages below `firstId`: let go of evicted waiting records at
   * the head of each lane unless `keep` says they are still needed (they carry ports).
   */
  trim(firstId: number, keep: (r: Waiting) => boolean): void {
    for (const l of this.lanes.values()) {
      while (l.sHead < l.sends.length && l.sends[l.sHead].id < firstId && !keep(l.sends[l.sHead])) {
        l.sHead++;
        l.skipSends++;
      }
      while (l.dHead < l.deliveries.length && l.deliveries[l.dHead].id < firstId && !keep(l.deliveries[l.dHead])) {
        l.dHead++;
        l.skipDeliveries++;
      }
      compact(l);
    }
  }

  /**
   * The port `key` was evicted by the budget: its lane goes too when nothing waits on it (a
   * lane with waiting sends stays, so that its partner's later deliveries still pair).
   */
  forgetIdle(key: LaneKey): void {
    const l = this.lanes.get(key);
    if (l && l.sHead === l.sends.length && l.dHead === l.deliveries.length && !l.skipSends && !l.skipDeliveries) this.lanes.delete(key);
  }

  /** Records still waiting for their other half, on lanes where both sides are reported. */
  waiting(): number {
    let n = 0;
    for (const l of this.lanes.values()) if (l.both) n += l.sends.length - l.sHead + l.deliveries.length - l.dHead;
    return n;
  }

  clear(): void {
    this.lanes.clear();
  }

  /** Waiting records as references (`ref` decides how a record is written). */
  toState(ref: (r: MessageRecord) => number): LaneState[] {
    const out: LaneState[] = [];
    for (const [key, l] of this.lanes) {
      if (l.sHead === l.sends.length && l.dHead === l.deliveries.length && !l.skipSends && !l.skipDeliveries && !l.sawSend && !l.sawDelivery) continue;
      out.push({
        key,
        sends: l.sends.slice(l.sHead).map(ref),
        deliveries: l.deliveries.slice(l.dHead).map(ref),
        skipSends: l.skipSends,
        skipDeliveries: l.skipDeliveries,
        saw: [l.sawSend, l.sawDelivery],
      });
    }
    return out;
  }

  static fromState(skewMs: number, lanes: LaneState[], deref: (n: number) => MessageRecord | undefined, check?: JoinCheck): Matcher {
    const m = new Matcher(skewMs, check);
    const list = (xs: number[]) => xs.map(deref).filter((r): r is MessageRecord => r !== undefined);
    for (const s of lanes) {
      m.lanes.set(s.key, {
        sends: list(s.sends),
        sHead: 0,
        deliveries: list(s.deliveries),
        dHead: 0,
        skipSends: s.skipSends,
        skipDeliveries: s.skipDeliveries,
        sawSend: s.saw?.[0] ?? true,
        sawDelivery: s.saw?.[1] ?? true,
        both: s.saw ? s.saw[0] && s.saw[1] : true,
      });
    }
    return m;
  }
}

/** Window lanes (sends unreported) and page → worker lanes (deliveries unseen) may stay one-sided. */
function oneSided(key: LaneKey): boolean {
  return typeof key === 'string' && (key[0] === 'w' || key[0] === 'k');
}

/** Drops consumed heads once they dominate, so lanes stay O(1) per operation. */
function compact(l: Lane): void {
  if (l.sHead > 1024 && l.sHead * 2 > l.sends.length) {
    l.sends = l.sends.slice(l.sHead);
    l.sHead = 0;
  }
  if (l.dHead > 1024 && l.dHead * 2 > l.deliveries.length) {
    l.deliveries = l.deliveries.slice(l.dHead);
    l.dHead = 0;
  }
  if (l.sHead === l.sends.length && l.sHead > 0) {
    l.sends.length = 0;
    l.sHead = 0;
  }
  if (l.dHead === l.deliveries.length && l.dHead > 0) {
    l.deliveries.length = 0;
    l.dHead = 0;
  }
}

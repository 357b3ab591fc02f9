// BroadcastChannel traffic routed through its lanes (broadcast.ts): a send waits for the
// deliveries of every receiver of its name and origin, and a delivery joins a send only when
// no context that may have sent it goes unrecorded, and every document of the origin has
// reported its events well past the delivery (until then a send, or a new frame's first batch,
// may still be on the way, and another sender's send would be taken for it): it is held.

import type { DeliverEvent, PostEvent } from '../protocol/messages';
import type { MessageRecord } from '../protocol/session';
import type { Core, CtxState } from './core';
import type { Joins } from './joins';

/**
 * How far past a delivery every document must have reported before it is joined: a document
 * not known yet (a frame just made, whose first batch, sent at once, is still on the way) may
 * have sent it. Longer than any clock skew between documents.
 */
export const BROADCAST_SETTLE_MS = 500;

export class BroadcastRoute {
  /**
   * Deliveries not stored yet, per lane, in arrival order: a document of the origin has not
   * reported past them (bcSendersSeen), so which send each is cannot be told yet. Stored once
   * it can (joined, or not), or on release; held rather than stored so that a join keeps one
   * record per send and receiver.
   */
  private held = new Map<string, { obj: string; rec: MessageRecord }[]>();
  private heldCount = 0;
  /** Lanes whose stored, waiting deliveries could not be decided for a document behind (retried after each batch). */
  private behind = new Set<string>();
  /**
   * Sends not stored yet: a stored delivery of their lane waits on a document behind and may
   * turn out to be theirs (one record per send and receiver: it then holds both).
   */
  private deferred: { key: string; send: { rec: MessageRecord; used: boolean } }[] = [];

  constructor(
    private readonly k: Core,
    private readonly joins: Joins,
  ) {}

  private bcKey(c: CtxState, name: unknown): string {
    return `${c.rec.origin}\n${typeof name === 'string' ? name : ''}`;
  }

  send(r: MessageRecord, c: CtxState, ev: PostEvent): void {
    if (typeof ev.object !== 'number') return this.joins.commit(r);
    const key = this.bcKey(c, ev.name);
    const obj = `${c.rec.id}:${ev.object}`;
    // A receiver skips sends made before it existed: no earlier than its document began, and
    // its first event does not say when it was made (it may have waited long for a message).
    this.k.bc.seen(key, obj, Math.min(ev.at, c.rec.createdAt ?? ev.at));
    const send = { rec: r, used: false };
    this.k.bc.addSend(key, obj, send);
    // Deliveries that came first take it now, oldest receivers first.
    this.retryBroadcastLane(key);
    if (send.used) return;
    if (this.behind.has(key)) this.deferred.push({ key, send });
    else this.joins.commit(r);
  }

  deliver(r: MessageRecord, c: CtxState, ev: DeliverEvent): void {
    if (typeof ev.object !== 'number') return this.joins.commit(r);
    const key = this.bcKey(c, ev.name);
    const obj = `${c.rec.id}:${ev.object}`;
    // A receiver skips sends made before it existed: no earlier than its document began, and
    // its first event does not say when it was made (it may have waited long for a message).
    this.k.bc.seen(key, obj, Math.min(ev.at, c.rec.createdAt ?? ev.at));
    const held = this.held.get(key);
    // Behind an earlier held delivery of its lane: in order (each receiver takes FIFO).
    if (held) {
      held.push({ obj, rec: r });
      this.heldCount++;
      // Asks the documents behind to report past this one too (one round, not one per delivery).
      this.bcSendersSeen(key.slice(0, key.indexOf('\n')), r.deliveredAt as number);
      return;
    }
    this.decide(key, obj, r);
  }

  /** A delivery whose senders may all be known: joined, or stored to wait for a send; false if it must be held. */
  private decide(key: string, obj: string, r: MessageRecord): boolean {
    const seen = this.bcSendersSeen(key.slice(0, key.indexOf('\n')), r.deliveredAt as number);
    if (seen === 'behind') {
      const held = this.held.get(key);
      if (held) held.push({ obj, rec: r });
      else this.held.set(key, [{ obj, rec: r }]);
      this.heldCount++;
      return false;
    }
    const s = seen === 'yes' ? this.takeFit(key, obj, r) : undefined;
    if (s) {
      this.bcJoin(s, r, false);
      return true;
    }
    this.joins.commit(r);
    const rcv = this.k.bc.lane(key).receivers.get(obj);
    if (rcv) {
      rcv.waiting.push(r);
      if (rcv.waiting.length > 1024) rcv.waiting.shift();
    }
    return true;
  }

  /** After a batch: held deliveries whose documents may have reported far enough are decided, in order. */
  retryBehind(): void {
    if (this.behind.size) {
      const keys = [...this.behind];
      this.behind.clear();
      for (const key of keys) this.retryBroadcastLane(key);
    }
    if (this.deferred.length) this.storeDeferred(false);
    if (!this.heldCount) return;
    for (const [key, list] of [...this.held]) {
      this.held.delete(key);
      this.heldCount -= list.length;
      let i = 0;
      for (; i < list.length; i++) {
        if (!this.decide(key, list[i].obj, list[i].rec)) break;
      }
      // decide() held the first undecided one again (first in its lane): the rest follow it.
      if (i < list.length) {
        const again = this.held.get(key) as { obj: string; rec: MessageRecord }[];
        for (let j = i + 1; j < list.length; j++) again.push(list[j]);
        this.heldCount += list.length - i - 1;
        // The documents behind are asked to report past the last of them.
        this.bcSendersSeen(key.slice(0, key.indexOf('\n')), list[list.length - 1].rec.deliveredAt as number);
      }
    }
  }

  /** Held deliveries and sends (PendingWork: released when the documents' reports do not come). */
  get waiting(): number {
    return this.heldCount + this.deferred.length;
  }

  /** The reports will not come (Session.releaseHeld): what is held is stored, not joined. */
  release(): void {
    for (const list of this.held.values()) for (const h of list) this.joins.commit(h.rec);
    this.held.clear();
    this.heldCount = 0;
    this.behind.clear();
    this.storeDeferred(true);
  }

  private storeDeferred(all: boolean): void {
    const keep: typeof this.deferred = [];
    for (const x of this.deferred) {
      if (x.send.used) continue;
      if (all || !this.behind.has(x.key)) this.joins.commit(x.send.rec);
      else keep.push(x);
    }
    this.deferred = keep;
  }

  /** Waiting deliveries of one lane try again (a send came, or a stream moved on). */
  private retryBroadcastLane(key: string): void {
    for (const [ro, rcv] of this.k.bc.lane(key).receivers) {
      if (!rcv.waiting.length) continue;
      const left: MessageRecord[] = [];
      for (const d of rcv.waiting) {
        const s = this.bcTake(key, ro, d);
        if (!s) left.push(d);
        else this.bcJoin(s, d, true);
      }
      rcv.waiting = left;
    }
  }

  /** The send a broadcast delivery surely is: none while a context that may have sent it is not recorded. */
  private bcTake(key: string, obj: string, d: MessageRecord): { rec: MessageRecord; used: boolean } | undefined {
    const seen = this.bcSendersSeen(key.slice(0, key.indexOf('\n')), d.deliveredAt as number);
    if (seen === 'behind') this.behind.add(key);
    return seen === 'yes' ? this.takeFit(key, obj, d) : undefined;
  }

  /** The one send that fits the delivery, taken (broadcast.ts), once every sender is known. */
  private takeFit(key: string, obj: string, d: MessageRecord): { rec: MessageRecord; used: boolean } | undefined {
    const at = d.deliveredAt as number;
    return this.k.bc.take(key, obj, at, (send) => this.joins.agree(send, d) && (send.sentAt ?? 0) <= at + this.joins.clockSkew(send.fromContext, d.toContext));
  }

  /**
   * Whether every send that may be the delivery's is known: 'no' when a context of this origin
   * alive at `at` does not report its own events (a worker seen only from its page may have
   * made it); 'behind' when a document of the origin (the receiver's included) has not reported
   * past `at` + BROADCAST_SETTLE_MS yet: its send, or the first batch of a document not known
   * yet, may still be on the way. That document is asked to report, and the delivery waits.
   */
  private bcSendersSeen(origin: string, at: number): 'yes' | 'no' | 'behind' {
    const skew = this.k.options.clockSkewMs;
    const until = at + Math.max(skew, BROADCAST_SETTLE_MS);
    let behind = false;
    for (const c of this.k.ctxById.values()) {
      const r = c.rec;
      if (r.origin !== origin) continue;
      if ((r.createdAt !== null && r.createdAt > at + skew) || (r.endedAt !== null && r.endedAt < at - skew)) continue;
      if (!c.reports) return 'no';
      if (c.doc.lastAt > until) continue;
      behind = true;
      if (until > (this.k.awaited.get(c.doc) ?? -Infinity)) this.k.awaited.set(c.doc, until);
    }
    return behind ? 'behind' : 'yes';
  }

  /** One record per (send, receiver): the stored send takes its first delivery, later ones copy it. */
  private bcJoin(s: { rec: MessageRecord; used: boolean }, d: MessageRecord, dStored: boolean): void {
    if (!dStored && !s.used && s.rec.id > 0) {
      s.used = true;
      this.joins.join(s.rec, d, s.rec);
      return;
    }
    s.used = true;
    this.joins.join(s.rec, d, d);
    if (!dStored) this.joins.commit(d);
  }
}

// BroadcastChannel traffic routed through its lanes (broadcast.ts): a send waits for the
// deliveries of every receiver of its name and origin, and a delivery joins a send only when
// no context that may have sent it goes unrecorded, and every other document that may have
// sent it has reported its events past the delivery (until then its send may still be on the
// way, and another sender's send would be taken for it).

import type { DeliverEvent, PostEvent } from '../protocol/messages';
import type { MessageRecord } from '../protocol/session';
import type { Core, CtxState } from './core';
import type { Joins } from './joins';

export class BroadcastRoute {
  /** Lanes with a delivery waiting for another document's events to pass its time. */
  private behind = new Set<string>();
  /**
   * Sends not stored yet because a delivery of their lane waits on a stream and may turn out
   * to be theirs (one record per send and receiver: it then holds both). Stored once their lane
   * stops waiting, or on release.
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
    this.k.bc.seen(key, obj, ev.at);
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
    const rcv = this.k.bc.seen(key, obj, ev.at);
    const s = this.bcTake(key, obj, r);
    if (s) return this.bcJoin(s, r, false);
    this.joins.commit(r);
    rcv.waiting.push(r);
    if (rcv.waiting.length > 1024) rcv.waiting.shift();
  }

  /** After a batch: lanes whose deliveries waited on other documents' streams try again. */
  retryBehind(): void {
    if (this.behind.size) {
      const keys = [...this.behind];
      this.behind.clear();
      for (const key of keys) this.retryBroadcastLane(key);
    }
    if (this.deferred.length) this.storeDeferred(false);
  }

  /** Sends held back for a waiting lane (PendingWork: released when their streams do not come). */
  get waiting(): number {
    return this.deferred.length;
  }

  /** The streams will not come (Session.releaseHeld): held sends are stored; deliveries stay unjoined. */
  release(): void {
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
    const at = d.deliveredAt as number;
    const seen = this.bcSendersSeen(key.slice(0, key.indexOf('\n')), at, d.toContext);
    if (seen === 'behind') this.behind.add(key);
    if (seen !== 'yes') return undefined;
    return this.k.bc.take(key, obj, at, (send) => this.joins.agree(send, d) && (send.sentAt ?? 0) <= at + this.joins.clockSkew(send.fromContext, d.toContext));
  }

  /**
   * Whether every send that may be the delivery's is known: 'no' when a context of this origin
   * alive at `at` does not report its own events (a worker seen only from its page may have
   * made it); 'behind' when another document's events are not known past `at` yet (its send
   * may be in a batch still on the way: that document is asked to report, and the delivery
   * waits); 'yes' otherwise.
   */
  private bcSendersSeen(origin: string, at: number, receiver: number | null): 'yes' | 'no' | 'behind' {
    const skew = this.k.options.clockSkewMs;
    const own = receiver === null ? undefined : this.k.ctxById.get(receiver)?.doc;
    let behind = false;
    for (const c of this.k.ctxById.values()) {
      const r = c.rec;
      if (r.origin !== origin) continue;
      if ((r.createdAt !== null && r.createdAt > at + skew) || (r.endedAt !== null && r.endedAt < at - skew)) continue;
      if (!c.reports) return 'no';
      // The receiver's own stream is on the delivery's clock and in order: it has passed `at`.
      if (c.doc === own || c.doc.lastAt > at + skew) continue;
      behind = true;
      if (at + skew > (this.k.awaited.get(c.doc) ?? -Infinity)) this.k.awaited.set(c.doc, at + skew);
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

// BroadcastChannel traffic routed through its lanes (broadcast.ts): a send waits for the
// deliveries of every receiver of its name and origin, and a delivery joins a send only when
// no context that may have sent it goes unrecorded.

import type { DeliverEvent, PostEvent } from '../protocol/messages';
import type { MessageRecord } from '../protocol/session';
import type { Core, CtxState } from './core';
import type { Joins } from './joins';

export class BroadcastRoute {
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
    if (!send.used) this.joins.commit(r);
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
    if (!this.bcSendersSeen(key.slice(0, key.indexOf('\n')), at)) return undefined;
    return this.k.bc.take(key, obj, at, (send) => this.joins.agree(send, d) && (send.sentAt ?? 0) <= at + this.joins.clockSkew(send.fromContext, d.toContext));
  }

  /**
   * Every known context of this origin alive at `at` reports its own events: a worker seen
   * only from its page may have made the delivery's send.
   */
  private bcSendersSeen(origin: string, at: number): boolean {
    const skew = this.k.options.clockSkewMs;
    for (const c of this.k.ctxById.values()) {
      const r = c.rec;
      if (r.origin !== origin) continue;
      if ((r.createdAt !== null && r.createdAt > at + skew) || (r.endedAt !== null && r.endedAt < at - skew)) continue;
      if (!c.reports) return false;
    }
    return true;
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

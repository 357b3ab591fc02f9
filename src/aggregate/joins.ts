// Joining a send with its delivery: a half is offered to its lane (matcher.ts), the two become
// one record only when what both sides recorded agrees, the ports that arrived become the ports
// the send transferred, and every record is stored here (commit) with the message budget kept.

import type { MessageRecord, TransferRecord } from '../protocol/session';
import type { Core } from './core';
import { EVICTED_HALF, NO_SEND, type LaneKey } from './matcher';
import type { PortBook } from './port-book';
import type { UnknownPorts } from './port-identity';

export class Joins {
  /** Ports each delivery brought: a send joins it only with as many ports in its transfer list. */
  private readonly arrivedPorts = new WeakMap<MessageRecord, number>();

  constructor(
    private readonly k: Core,
    private readonly book: PortBook,
    private readonly unknownPorts: UnknownPorts,
  ) {}

  /** A delivery brought `n` ports (the join check compares them with the send's transfer list). */
  brought(del: MessageRecord, n: number): void {
    this.arrivedPorts.set(del, n);
  }

  /** Pairs an incoming half with the lane's waiting other half, or stores it to wait. */
  route(r: MessageRecord, side: 'send' | 'deliver', key: LaneKey): void {
    const m = side === 'send' ? this.k.matcher.offerSend(key, r, r.replayOf != null && r.via === 'window') : this.k.matcher.offerDelivery(key, r);
    if (m === null || m === NO_SEND) {
      this.commit(r);
      return;
    }
    if (m === EVICTED_HALF) {
      // The other half was evicted by the budget; keep this one, marked so.
      if (side === 'send') r.outcome = { status: 'delivered', reason: 'delivery-evicted' };
      this.commit(r);
      return;
    }
    if (side === 'send') this.join(r, m, m);
    else this.join(m, r, m);
  }

  /**
   * How much earlier than a send on context `a`'s clock a delivery on context `b`'s may be
   * stamped: nothing on one clock (one context), the allowed skew between two.
   */
  clockSkew(a: number | null, b: number | null): number {
    return a !== null && a === b ? 0 : this.k.options.clockSkewMs;
  }

  /**
   * A send and a delivery are one message only when what both recorded agrees: the kind,
   * the ports the send transferred and the ports that arrived, and the data when both sides
   * sampled it. (Sizes are not compared: the send side reports none it could vouch for.)
   */
  agree(send: MessageRecord, del: MessageRecord): boolean {
    if (send.via !== del.via) return false;
    const arrived = this.arrivedPorts.get(del);
    if (arrived !== undefined) {
      let sent = 0;
      for (const t of send.transfer) if (t.kind === 'MessagePort') sent++;
      if (sent !== arrived) return false;
    }
    // A sender's own sample (a send into a worker, send-sample.ts) is its object after the
    // send: transferred buffers detached, accessors unread. It cannot disagree with what a
    // worker that reports from inside received (issue 21); the lane's order decides.
    if (send.sampleFrom === 'sender') return true;
    return send.sample === null || del.sample === null || send.sample === del.sample;
  }

  /** Makes one record of a send and its delivery; `into` is the half kept. */
  join(send: MessageRecord, del: MessageRecord, into: MessageRecord): void {
    if (into === send) {
      into.toContext = del.toContext;
      into.deliveredAt = del.deliveredAt;
      into.type = del.type;
      if (del.toPort !== null) into.toPort = del.toPort;
      into.origin = del.origin;
      into.listeners = del.listeners;
      into.handlerMs = del.handlerMs;
      // What the receiver got replaces the sender's sample; a messageerror's send keeps its own.
      if (del.sample != null || into.sample == null) {
        into.preview = del.preview;
        into.sample = del.sample;
        into.sampleFrom = del.sampleFrom;
      }
      into.outcome = del.outcome;
      into.originRead = del.originRead;
      into.bufferBytes = del.bufferBytes;
    } else {
      into.fromContext = send.fromContext;
      into.sentAt = send.sentAt;
      into.fromPort = send.fromPort;
      into.transfer = send.transfer;
      into.bytes = send.bytes;
      into.targetOrigin = send.targetOrigin;
      into.stack = send.stack;
      into.errorPath = send.errorPath;
      into.replayOf = send.replayOf;
      // The recent-message ring of the sender points at the discarded half: repoint it.
      const sc = this.k.ctxById.get(send.fromContext as number);
      if (sc) {
        const i = sc.recentRec.lastIndexOf(send);
        if (i >= 0) sc.recentRec[i] = into;
      }
      this.book.moveRefs(send, into);
    }
    // Never below 0: on two clocks (two contexts) a delivery may be stamped a little before its
    // send (Firefox rounds each context's times to 1 ms); both times stay as each side saw them.
    if (into.sentAt !== null && into.deliveredAt !== null) into.waitMs = Math.max(0, into.deliveredAt - into.sentAt);
    // A call decoded at the send is already offered for pairing: it stays.
    if (into === send && del.call && !into.call) {
      into.call = del.call;
      this.k.calls.carry(del, into);
    }
    this.k.store.touch(into);
    if (into.call) this.k.calls.seen(into);
    this.arrive(del, into);
  }

  /** Ports that came with `del` are the ports of the send's transfer list, in order. */
  private arrive(del: MessageRecord, msg: MessageRecord): void {
    const us = this.k.byCarrier.get(del);
    if (!us) return;
    this.k.byCarrier.delete(del);
    const sent: TransferRecord[] = [];
    for (const t of msg.transfer) if (t.kind === 'MessagePort' && !(t.id === null && this.k.byTransfer.get(t)?.carrier === del)) sent.push(t);
    if (del !== msg) this.k.carrierHolders.delete(del);
    for (const u of us) {
      if (del !== msg) {
        u.carrier = msg;
        let x = u;
        while (x.into) x = x.into;
        const rec = x.id ? this.k.ports.get(x.id) : x.rec;
        const h = rec?.holders.find((x) => x.contextId === del.toContext && x.since === del.deliveredAt);
        if (h) this.unknownPorts.setHolderMessage(h, msg);
      }
      if (u.done) continue;
      const t = sent[u.k];
      if (!t) {
        if (!u.infer) this.k.count('port-identity-lost', 1);
        continue;
      }
      this.k.inFlight.delete(t.id ?? -1);
      if (t.id !== null) {
        const p = this.k.ports.get(t.id);
        if (p) this.unknownPorts.resolveTo(u, p);
        else this.unknownPorts.evicted(u, t.id);
      }
      else {
        const same = this.k.byTransfer.get(t);
        if (same && same !== u) this.unknownPorts.merge(same, u);
      }
    }
  }

  /** Stores a record (it gets its id now) and keeps the budget. */
  commit(r: MessageRecord): void {
    r.id = this.k.store.nextId;
    this.k.store.add(r);
    if (r.call) this.k.calls.seen(r);
    if (this.k.carrierHolders.size) {
      const hs = this.k.carrierHolders.get(r);
      if (hs) {
        this.k.carrierHolders.delete(r);
        for (const h of hs) h.messageId = r.id;
      }
    }
    if (this.k.store.records.length > this.k.options.maxMessages) {
      const n = this.k.store.enforce();
      this.k.count('message-budget', n);
      const first = this.k.store.firstId;
      this.k.matcher.trim(first, (w) => this.carriesPorts(w));
    }
  }

  carriesPorts(r: MessageRecord): boolean {
    return r.transfer.length > 0 || this.k.byCarrier.has(r);
  }
}

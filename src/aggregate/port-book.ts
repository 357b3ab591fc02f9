// Port bookkeeping over the shared state: a context's local port id to its global record (or
// the Unknown it is until identified), when a port was last used, and what a send's transfer
// list does to its ports (shipped, handed to a worker, lost with a dropped message).

import type { TransferRef } from '../protocol/messages';
import type { HolderRecord, MessageRecord, PortRecord, TransferRecord } from '../protocol/session';
import type * as E from '../protocol/enums';
import type { Core, CtxState } from './core';
import { TRANSFER_KINDS, finite, int } from './input';
import { say } from './port-identity';
import { newPort } from './records';
import { lastHolder, type Unknown } from './unknown';

export class PortBook {
  constructor(private readonly k: Core) {}

  /** Global id of a context's local port, or the Unknown it is while not identified. */
  portRef(c: CtxState, local: number, at: number): number | Unknown {
    const g = c.ports.get(local);
    if (g !== undefined) return g;
    const u = c.unknown.get(local);
    if (u) return u;
    // Never seen made or arriving (its events were lost, or it predates recording): a port of
    // unknown birth whose earlier state (started, listeners) was not seen.
    const p = this.addPort(null, c, at);
    p.createdIn = p.createdAt = null;
    p.stateKnown = 'unknown';
    // Its earlier record was evicted by the port budget: this one says so and stands alone.
    if (c.evictedLocals?.has(local)) p.identity = { status: 'unknown', candidates: [], why: 'its earlier record was evicted by the port budget', text: say('idWhy_evicted') };
    c.ports.set(local, p.id);
    return p.id;
  }

  /** The record a reference names: the port's, or the Unknown's own while it is not identified. */
  recordOf(ref: number | Unknown): PortRecord {
    return typeof ref === 'number' ? (this.k.ports.get(ref) as PortRecord) : ref.rec;
  }

  used(ref: number | Unknown | null, at: number): void {
    if (ref === null) return;
    if (typeof ref === 'number') {
      if (!((this.k.lastUse.get(ref) ?? -Infinity) >= at)) this.k.lastUse.set(ref, at);
    } else if (at > ref.lastUse) ref.lastUse = at;
  }

  addPort(channelId: number | null, c: CtxState | null, at: number): PortRecord {
    const p = newPort(this.k.ports.nextId, channelId, c ? c.rec.id : null, at);
    if (c) p.holders.push({ contextId: c.rec.id, since: at, messageId: null, startedAt: null });
    this.k.ports.add(p);
    this.k.dirtyPorts.add(p.id);
    return p;
  }

  transferOf(c: CtxState, tr: TransferRef[], at: number): TransferRecord[] {
    const out: TransferRecord[] = new Array(tr.length);
    for (let i = 0; i < tr.length; i++) {
      const t = tr[i];
      const kind: E.TransferKind = TRANSFER_KINDS.has(t.kind) ? t.kind : 'other';
      let id = int(t.id);
      const rec: TransferRecord = { kind, id, bytes: finite(t.bytes) };
      if (kind === 'MessagePort' && id !== null) {
        const ref = this.portRef(c, id, at);
        if (typeof ref === 'number') rec.id = ref;
        else {
          rec.id = null;
          ref.refs.push(rec);
          this.k.byTransfer.set(rec, ref);
        }
        this.used(ref, at);
      }
      out[i] = rec;
    }
    return out;
  }

  /** Remembers stored messages naming unknown ports, to re-send them once those are known. */
  keepRefs(r: MessageRecord): void {
    if (!this.k.byTransfer.size) return;
    for (const t of r.transfer) {
      const u = t.id === null ? this.k.byTransfer.get(t) : undefined;
      if (u && !u.touched.includes(r)) u.touched.push(r);
    }
  }

  moveRefs(from: MessageRecord, into: MessageRecord): void {
    if (!this.k.byTransfer.size) return;
    for (const t of into.transfer) {
      const u = t.id === null ? this.k.byTransfer.get(t) : undefined;
      if (u) {
        const i = u.touched.indexOf(from);
        if (i >= 0) u.touched[i] = into;
        else if (!u.touched.includes(into)) u.touched.push(into);
      }
    }
  }

  /** The context holding a port now; null while it travels in a message, or where unseen. */
  holderOf(port: number): number | null {
    const p = this.k.ports.get(port);
    return p && !this.k.inFlight.has(port) ? (lastHolder(p)?.contextId ?? null) : null;
  }

  /** The context holding `port` when that context reports no events of its own, else null. */
  silentHolder(port: number): number | null {
    const p = this.k.ports.get(port);
    const holder = p ? (lastHolder(p)?.contextId ?? null) : null;
    if (holder === null) return null;
    const ctx = this.k.ctxById.get(holder);
    return ctx && !ctx.reports ? holder : null;
  }

  /** A send to a worker: its ports are held by the worker from now on. */
  handOver(r: MessageRecord, to: CtxState): void {
    for (const t of r.transfer) {
      if (t.kind !== 'MessagePort') continue;
      const h: HolderRecord = { contextId: to.rec.id, since: r.sentAt as number, messageId: r.id || null, startedAt: null };
      this.k.handedOver.add(h);
      if (t.id !== null) {
        const p = this.k.ports.get(t.id);
        this.k.inFlight.delete(t.id);
        if (!p) continue;
        p.holders.push(h);
        p.started = false;
        p.listeners = 0;
        this.k.dirtyPorts.add(t.id);
      } else {
        const u = this.k.byTransfer.get(t);
        if (!u) continue;
        u.inFlight = false;
        u.rec.holders.push(h);
        u.rec.started = false;
        u.rec.listeners = 0;
      }
    }
  }

  ship(transfer: TransferRecord[]): void {
    for (const t of transfer) {
      if (t.kind !== 'MessagePort') continue;
      if (t.id === null) {
        const u = this.k.byTransfer.get(t);
        if (u) {
          u.rec.shipped = true;
          u.inFlight = true;
        }
        continue;
      }
      const p = this.k.ports.get(t.id);
      if (!p) continue;
      p.shipped = true;
      this.k.inFlight.add(p.id);
      this.k.dirtyPorts.add(p.id);
    }
  }

  loseTransfer(r: MessageRecord): void {
    for (const t of r.transfer) {
      if (t.kind !== 'MessagePort') continue;
      if (t.id === null) {
        const u = this.k.byTransfer.get(t);
        if (u) {
          u.rec.lostIn = r.id;
          u.inFlight = false;
        }
        continue;
      }
      const p = this.k.ports.get(t.id);
      this.k.inFlight.delete(t.id);
      if (!p) continue;
      p.lostIn = r.id;
      this.k.dirtyPorts.add(t.id);
    }
  }
}

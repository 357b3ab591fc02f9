// Listener registrations as the page reports them (listen and listenerStats events): one
// record per listener, its port filled in once that port is identified, and the ids changed
// since the last delta.

import type { ListenEvent, ListenerStatsEvent } from '../protocol/messages';
import type { ListenerRecord } from '../protocol/session';
import type { Core, CtxState } from './core';
import type { Documents } from './documents';
import { int } from './input';
import { listenerRecord, LISTENER_TARGETS } from './listeners';
import type { PortBook } from './port-book';
import type { Unknown } from './unknown';

export class ListenerBook {
  /** Listener ids changed since the last delta. */
  private readonly dirty = new Set<number>();

  constructor(
    private readonly k: Core,
    private readonly book: PortBook,
    private readonly documents: Documents,
  ) {}

  /** Something changed since the last delta. */
  get changed(): boolean {
    return this.dirty.size > 0;
  }

  /** The records changed since the last delta (those still kept), and forgets them. */
  takeChanged(): ListenerRecord[] {
    const out = [...this.dirty].sort((a, b) => a - b).flatMap((id) => {
      const r = this.k.listeners.get(id);
      return r ? [r] : [];
    });
    this.dirty.clear();
    return out;
  }

  onListen(c: CtxState, ev: ListenEvent): void {
    let ref: number | Unknown | null = null;
    if (ev.via === 'port' && typeof ev.port === 'number') {
      ref = this.book.portRef(c, ev.port, ev.at);
      // A listener added or removed is a use by its holder: evidence that it is still here.
      this.book.used(ref, ev.at);
      // PortRecord.listeners counts addEventListener only (an on* handler also starts the port).
      if (ev.type === 'message' && ev.handler !== true) {
        const p = this.book.recordOf(ref);
        p.listeners = Math.max(0, p.listeners + (ev.op === 'add' ? 1 : -1));
        if (typeof ref === 'number') this.k.dirtyPorts.add(ref);
      }
    }
    const local = int(ev.id);
    if (local === null || local <= 0 || !LISTENER_TARGETS.has(ev.via)) return;
    const key = `${c.rec.id}:${local}`;
    if (ev.op === 'add') {
      if (this.k.listenerByLocal.has(key)) return;
      const worker = ev.via === 'worker' ? this.documents.workerPeer(c, ev.object) : undefined;
      const r = listenerRecord(this.k.listeners.nextId, c.rec.id, ev, {
        port: typeof ref === 'number' ? ref : null,
        contextId: ev.via === 'window' ? c.rec.id : (worker?.rec.id ?? null),
        stack: ev.stack !== undefined ? (c.doc.strings.get(ev.stack) ?? null) : null,
        source: ev.source !== undefined ? (c.doc.strings.get(ev.source) ?? null) : null,
      });
      this.k.listeners.add(r);
      this.k.listenerByLocal.set(key, r);
      if (ref !== null && typeof ref !== 'number' && typeof ev.port === 'number') this.k.listenerPorts.set(r, [c.rec.id, ev.port]);
      this.dirty.add(r.id);
    } else if (ev.op === 'remove') {
      const r = this.k.listenerByLocal.get(key);
      if (!r || r.removedAt !== null) return;
      r.removedAt = ev.at;
      r.removedBy = ev.cause === 'once' || ev.cause === 'abort' || ev.cause === 'handler' ? ev.cause : 'remove';
      this.dirty.add(r.id);
    }
  }

  onListenerStats(c: CtxState, ev: ListenerStatsEvent): void {
    const stats = ev.stats;
    if (!Array.isArray(stats)) return void this.k.count('invalid-event', 1);
    for (let i = 0; i + 2 < stats.length; i += 3) {
      const r = this.k.listenerByLocal.get(`${c.rec.id}:${int(stats[i])}`);
      const handled = int(stats[i + 1]);
      if (!r || handled === null || handled < 0) continue;
      // Totals, not increments: a resent batch changes nothing.
      if (handled > r.handled) r.handled = handled;
      if (stats[i + 2] === 1) r.originRead = true;
      this.dirty.add(r.id);
    }
  }

  /** Listener records, with the ports identified since they were added filled in. */
  settled(): ListenerRecord[] {
    this.settle();
    return this.k.listeners.list();
  }

  settle(): void {
    for (const [r, [cid, local]] of this.k.listenerPorts) {
      const id = this.k.ctxById.get(cid)?.ports.get(local);
      if (id === undefined) continue;
      r.target.port = id;
      this.k.listenerPorts.delete(r);
      this.dirty.add(r.id);
    }
  }
}

// Budgets for what a recording makes besides messages (those are store.ts's): port and
// listener records. Past its budget a kind loses its oldest records in chunks, the finished
// ones first (a port closed, lost in a dropped message or held by a document that ended; a
// listener removed), each eviction counted in dropped (`port-budget`, `listener-budget`) and
// its id kept in a run of evicted ids, so that what still names it says "evicted", never
// another record. A page that makes a million channels and posts nothing keeps the
// background at the budget, not at a million records.

import type { EvictedIds, ListenerRecord, PortRecord } from '../protocol/session';
import type { Core } from './core';
import { IdRanges } from './ranges';

/** Evicted since the last delta: the panel drops them. */
export interface EvictedNow {
  ports: number[];
  listeners: number[];
}

/** How many to evict at once: 5% of the budget, so the scan for victims is rare. */
export const chunkOf = (max: number): number => Math.max(1, Math.ceil(max / 20));

export class Budgets {
  /** Ids evicted since the last delta. */
  private now: EvictedNow = { ports: [], listeners: [] };

  constructor(private readonly k: Core) {}

  /** Evicts what is over budget; called between batches, never in the middle of one. */
  enforce(): void {
    this.ports();
    this.listeners();
  }

  take(): EvictedNow | null {
    if (!this.now.ports.length && !this.now.listeners.length) return null;
    const out = this.now;
    this.now = { ports: [], listeners: [] };
    return out;
  }

  evicted(): EvictedIds {
    return { ports: this.k.evictedPorts.toJSON(), listeners: this.k.evictedListeners.toJSON() };
  }

  private ports(): void {
    const k = this.k;
    const max = k.options.maxPorts;
    if (k.ports.size <= max) return;
    const n = Math.min(k.ports.size, Math.max(k.ports.size - max, chunkOf(max)));
    const ended = (id: number | undefined) => id !== undefined && (k.contexts[id - 1]?.endedAt ?? null) !== null;
    const holderOf = (p: PortRecord) => p.holders[p.holders.length - 1]?.contextId;
    const finished = (p: PortRecord) => p.closed || p.lostIn !== null || ended(holderOf(p));
    // Then a port nothing waits on (no send of it waiting for its delivery), then any.
    const idle = (p: PortRecord) => !k.inFlight.has(p.id) && k.matcher.head(p.id).send === undefined;
    const victims = pick(k.ports.values(), n, [finished, idle, () => true]);
    const gone = new Set<number>();
    for (const p of victims) {
      gone.add(p.id);
      k.ports.delete(p.id);
      k.lastUse.delete(p.id);
      k.inFlight.delete(p.id);
      k.dirtyPorts.delete(p.id);
      k.matcher.forgetIdle(p.id);
      // Its holder held it until now: a port that arrives from there without its send may be
      // this one, so inference there is never certain again (identify.ts).
      const h = holderOf(p);
      if (!finished(p) && h !== undefined) {
        const c = k.ctxById.get(h);
        if (c) c.lostPorts = (c.lostPorts ?? 0) + 1;
      }
    }
    // The contexts' local ids of those ports: a later event naming one makes a record that
    // says it was evicted (Session.portRef), not a mapping to a record that is gone.
    for (const c of k.ctxById.values()) {
      for (const [local, id] of c.ports) {
        if (!gone.has(id)) continue;
        c.ports.delete(local);
        (c.evictedLocals ??= new IdRanges()).add(local);
      }
    }
    const ids = [...gone];
    k.evictedPorts.addAll(ids);
    for (const id of ids) this.now.ports.push(id);
    k.count('port-budget', ids.length);
  }

  private listeners(): void {
    const k = this.k;
    const max = k.options.maxListeners;
    if (k.listeners.size <= max) return;
    const n = Math.min(k.listeners.size, Math.max(k.listeners.size - max, chunkOf(max)));
    const victims = pick(k.listeners.values(), n, [(l: ListenerRecord) => l.removedAt !== null, () => true]);
    const gone = new Set(victims);
    for (const l of victims) {
      k.listeners.delete(l.id);
      k.listenerPorts.delete(l);
    }
    for (const [key, l] of k.listenerByLocal) if (gone.has(l)) k.listenerByLocal.delete(key);
    const ids = victims.map((l) => l.id);
    k.evictedListeners.addAll(ids);
    for (const id of ids) this.now.listeners.push(id);
    k.count('listener-budget', ids.length);
  }
}

/** The first `n` records in id order by tier: all of tier 1 that there are, then tier 2… */
function pick<T>(records: Iterable<T>, n: number, tiers: ((r: T) => boolean)[]): T[] {
  const all = [...records];
  const out: T[] = [];
  const taken = new Set<T>();
  for (const tier of tiers) {
    for (const r of all) {
      if (out.length >= n) return out;
      if (!taken.has(r) && tier(r)) {
        out.push(r);
        taken.add(r);
      }
    }
  }
  return out;
}

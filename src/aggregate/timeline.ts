// The topology at any recorded instant, rebuilt from the records alone (a live Session's
// data, a snapshot in the panel, or an imported trace): which contexts existed, where each
// port was, which were in flight, entangled, started or closed.

import type { ContextRecord, MessageRecord, PortRecord } from '../protocol/session';

export interface PortAt {
  id: number;
  channelId: number | null;
  /** Context holding it at that instant; null while in flight, lost, or not yet born. */
  holder: number | null;
  /** The message carrying it at that instant. */
  inFlight: number | null;
  /** Its partner while still entangled (neither side closed yet). */
  entangledWith: number | null;
  started: boolean;
  closed: boolean;
}

export interface TopologyAt {
  at: number;
  contexts: ContextRecord[];
  ports: PortAt[];
}

export interface TimelineSource {
  contexts: ContextRecord[];
  ports: PortRecord[];
  /** Sorted by id (as in a Session, snapshot or trace). */
  messages: MessageRecord[];
}

/** Finds a message by id in an id-sorted array. */
export function findMessage(messages: MessageRecord[], id: number): MessageRecord | undefined {
  let lo = 0;
  let hi = messages.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = messages[mid];
    if (m.id === id) return m;
    if (m.id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

export function topologyAt(src: TimelineSource, at: number): TopologyAt {
  const contexts = src.contexts.filter((c) => (c.createdAt === null || c.createdAt <= at) && (c.endedAt === null || c.endedAt > at));
  const byId = new Map<number, PortRecord>();
  for (const p of src.ports) byId.set(p.id, p);
  const ports: PortAt[] = [];
  for (const p of src.ports) {
    if (p.createdAt !== null && p.createdAt > at) continue;
    let holderIndex = -1;
    for (let i = 0; i < p.holders.length && p.holders[i].since <= at; i++) holderIndex = i;
    if (holderIndex < 0 && p.createdAt === null) continue; // first seen arriving, later than `at`
    let holder = holderIndex >= 0 ? p.holders[holderIndex].contextId : null;
    let inFlight: number | null = null;
    let startedAt = holderIndex >= 0 ? p.holders[holderIndex].startedAt : null;
    // It left the holder when the next holder's message (or the one it was lost in) was sent.
    const next = p.holders[holderIndex + 1];
    const leaving = next?.messageId ?? (p.lostIn ?? null);
    if (leaving !== null) {
      const m = findMessage(src.messages, leaving);
      if (m && m.sentAt !== null && m.sentAt <= at) {
        holder = null;
        inFlight = p.lostIn === leaving && !next ? null : leaving;
        startedAt = null;
      }
    }
    const partner = p.entangledWith !== null ? byId.get(p.entangledWith) : undefined;
    const closedBy = (q: PortRecord | undefined) => q !== undefined && q.closedAt !== null && q.closedAt <= at;
    const closed = closedBy(p);
    ports.push({
      id: p.id,
      channelId: p.channelId,
      holder,
      inFlight,
      entangledWith: closed || closedBy(partner) ? null : p.entangledWith,
      started: startedAt !== null && startedAt <= at,
      closed,
    });
  }
  return { at, contexts, ports };
}

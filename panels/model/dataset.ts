// One recording as the views read it: contexts and ports by id, messages sorted by id.
// Both the live session (snapshot + deltas) and an imported trace become a Dataset.
import type { AggregateDelta, AggregateSnapshot, ContextRecord, DroppedCounts, FindingRecord, ListenerRecord, MessageRecord, MismatchRecord, PortRecord } from '../../src/protocol/session';

export interface Dataset {
  contexts: Map<number, ContextRecord>;
  ports: Map<number, PortRecord>;
  /** Sorted by id; ids below firstMessageId were evicted by the background's budget. */
  messages: MessageRecord[];
  firstMessageId: number;
  findings: FindingRecord[];
  mismatches: MismatchRecord[];
  dropped: DroppedCounts;
  /** Listener registrations by id. */
  listeners: Map<number, ListenerRecord>;
  /** Bumped on every change, so derived views can be memoised on it. */
  version: number;
}

export function emptyDataset(): Dataset {
  return { contexts: new Map(), ports: new Map(), messages: [], firstMessageId: 1, findings: [], mismatches: [], dropped: {}, listeners: new Map(), version: 0 };
}

export function datasetOf(s: Omit<AggregateSnapshot, 'rev'>, version = 1): Dataset {
  const messages = s.messages.slice();
  if (!isSortedById(messages)) messages.sort((a, b) => a.id - b.id);
  return {
    contexts: new Map(s.contexts.map((c) => [c.id, c])),
    ports: new Map(s.ports.map((p) => [p.id, p])),
    messages,
    firstMessageId: s.firstMessageId,
    findings: s.findings,
    mismatches: s.mismatches,
    dropped: s.dropped,
    listeners: new Map((s.listeners ?? []).map((l) => [l.id, l])),
    version,
  };
}

function isSortedById(list: MessageRecord[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1].id >= list[i].id) return false;
  return true;
}

/** First index whose message id is >= id. */
export function lowerBound(list: MessageRecord[], id: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function messageById(d: Dataset, id: number): MessageRecord | undefined {
  const i = lowerBound(d.messages, id);
  const m = d.messages[i];
  return m && m.id === id ? m : undefined;
}

/** Applies a delta in place: records are whole, so upsert by id; then evict below firstMessageId. */
export function applyDelta(d: Dataset, delta: AggregateDelta): void {
  for (const c of delta.contexts) d.contexts.set(c.id, c);
  for (const p of delta.ports) d.ports.set(p.id, p);
  const list = d.messages;
  for (const m of delta.messages) {
    // Live traffic appends; only updates (a delivery seen later) search.
    if (list.length === 0 || m.id > list[list.length - 1].id) {
      list.push(m);
      continue;
    }
    const i = lowerBound(list, m.id);
    if (list[i]?.id === m.id) list[i] = m;
    else list.splice(i, 0, m);
  }
  if (delta.firstMessageId > d.firstMessageId) {
    d.firstMessageId = delta.firstMessageId;
    const cut = lowerBound(list, delta.firstMessageId);
    if (cut > 0) list.splice(0, cut);
  }
  if (delta.mismatches.length) d.mismatches = d.mismatches.concat(delta.mismatches);
  if (delta.findings) d.findings = delta.findings;
  if (delta.dropped) d.dropped = delta.dropped;
  for (const l of delta.listeners ?? []) d.listeners.set(l.id, l);
  d.version++;
}

/** The dataset back as the plain source src/trace exports. */
export function sourceOf(d: Dataset) {
  return {
    contexts: [...d.contexts.values()],
    ports: [...d.ports.values()],
    messages: d.messages,
    findings: d.findings,
    mismatches: d.mismatches,
    dropped: d.dropped,
    firstMessageId: d.firstMessageId,
    listeners: [...d.listeners.values()],
  };
}

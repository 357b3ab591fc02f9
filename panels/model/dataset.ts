// One recording as the views read it: contexts and ports by id, messages sorted by id.
// Both the live session (snapshot + deltas) and an imported trace become a Dataset.
import type { AggregateDelta, AggregateSnapshot, ContextRecord, DroppedCounts, FindingRecord, ListenerRecord, MessageRecord, MismatchRecord, PortRecord } from '../../src/protocol/session';
import { buildIndex, idPosition, indexAdd, indexRemove, indexReplace, type MessageIndex } from './message-index';

/** Versions of the parts of a dataset, each bumped when that part changed. */
export interface Parts {
  contexts: number;
  ports: number;
  messages: number;
  findings: number;
  listeners: number;
}

/** The ids of the messages one delta added or changed, and the dataset version it made. */
export interface JournalEntry {
  version: number;
  ids: number[];
}

/** How many deltas the journal keeps: a cache further behind than that starts over. */
export const JOURNAL_LENGTH = 64;

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
  /** Finer versions, so that what depends on one part is not redone when another changed. */
  parts: Parts;
  /** The last deltas' message ids, oldest first: caches over the messages catch up from it. */
  journal: JournalEntry[];
  /** Built on first use (indexOf), then kept current by applyDelta. */
  index: MessageIndex | null;
}

const noParts = (): Parts => ({ contexts: 0, ports: 0, messages: 0, findings: 0, listeners: 0 });

/** The dataset's message index, built now if it was not yet. */
export function indexOf(d: Dataset): MessageIndex {
  return (d.index ??= buildIndex(d.messages));
}

export function emptyDataset(): Dataset {
  return { contexts: new Map(), ports: new Map(), messages: [], firstMessageId: 1, findings: [], mismatches: [], dropped: {}, listeners: new Map(), version: 0, parts: noParts(), journal: [], index: null };
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
    parts: noParts(),
    journal: [],
    index: null,
  };
}

function isSortedById(list: MessageRecord[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1].id >= list[i].id) return false;
  return true;
}

export function messageById(d: Dataset, id: number): MessageRecord | undefined {
  const i = idPosition(d.messages, id);
  const m = d.messages[i];
  return m && m.id === id ? m : undefined;
}

/** Applies a delta in place: records are whole, so upsert by id; then evict below firstMessageId. */
export function applyDelta(d: Dataset, delta: AggregateDelta): void {
  const p = d.parts;
  for (const c of delta.contexts) d.contexts.set(c.id, c);
  if (delta.contexts.length) p.contexts++;
  for (const pr of delta.ports) d.ports.set(pr.id, pr);
  // Records the background's budgets evicted (src/aggregate/budgets.ts): counted in dropped.
  for (const id of delta.evicted?.ports ?? []) d.ports.delete(id);
  if (delta.ports.length || delta.evicted?.ports.length) p.ports++;
  const list = d.messages;
  const ix = d.index;
  for (const m of delta.messages) {
    // Live traffic appends; only updates (a delivery seen later) search.
    if (list.length === 0 || m.id > list[list.length - 1].id) {
      list.push(m);
      if (ix) indexAdd(ix, m);
      continue;
    }
    const i = idPosition(list, m.id);
    if (list[i]?.id === m.id) {
      if (ix) indexReplace(ix, list[i], m);
      list[i] = m;
    } else {
      list.splice(i, 0, m);
      if (ix) indexAdd(ix, m);
    }
  }
  if (delta.messages.length) p.messages++;
  if (delta.firstMessageId > d.firstMessageId) {
    d.firstMessageId = delta.firstMessageId;
    const cut = idPosition(list, delta.firstMessageId);
    if (cut > 0) {
      const gone = list.splice(0, cut);
      p.messages++;
      // A few evicted are taken out; a budget's chunk (5% of it) is cheaper to index again.
      if (ix && gone.length <= 64) for (const m of gone) indexRemove(ix, m);
      else d.index = null;
    }
  }
  if (delta.mismatches.length) d.mismatches = d.mismatches.concat(delta.mismatches);
  if (delta.findings) {
    d.findings = delta.findings;
    p.findings++;
  }
  if (delta.dropped) d.dropped = delta.dropped;
  for (const l of delta.listeners ?? []) d.listeners.set(l.id, l);
  for (const id of delta.evicted?.listeners ?? []) d.listeners.delete(id);
  if (delta.listeners?.length || delta.evicted?.listeners.length) p.listeners++;
  d.version++;
  d.journal.push({ version: d.version, ids: delta.messages.map((m) => m.id) });
  if (d.journal.length > JOURNAL_LENGTH) d.journal.shift();
}

/**
 * The message ids changed since version `since`, or null when the journal does not reach back
 * that far (the caller starts over).
 */
export function changedSince(d: Dataset, since: number): number[][] | null {
  if (since === d.version) return [];
  const j = d.journal;
  if (!j.length || j[0].version > since + 1) return null;
  const out: number[][] = [];
  for (const e of j) if (e.version > since) out.push(e.ids);
  return out;
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

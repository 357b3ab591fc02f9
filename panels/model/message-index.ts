// Indexes over a dataset's messages that the views read on every frame, kept current as deltas
// arrive (panels/model/dataset.ts applies them), so that a frame under live traffic costs what
// changed and what is in view, not the whole recording: the messages by start time (the
// timeline's arrows, found by binary search), the sorted start times of each route (sender →
// receiver context) for the timeline's density bins, the recording's time bounds, and message
// counts per port. Built on first use; a delta updates it in O(changed · log n). byStart then
// noStart is the time order of every message, the order of the Messages view's rows.
import type { MessageRecord } from '../../src/protocol/session';

/** When a message happened: its send, or its delivery when the send was not seen. */
export function startOf(m: MessageRecord): number | null {
  return m.sentAt ?? m.deliveredAt;
}

export function endOf(m: MessageRecord): number | null {
  return m.deliveredAt ?? m.sentAt;
}

/** The messages of one sender → receiver pair of contexts. */
export interface Route {
  from: number | null;
  to: number | null;
  /** Messages on this route, with or without a time. */
  count: number;
  /** Start times of those that have one, ascending (duplicates kept). */
  starts: number[];
}

export interface MessageIndex {
  /** Messages that have a start (send, or delivery when the send was not seen), by (start, id). */
  byStart: MessageRecord[];
  /** Messages with neither a send nor a delivery time (a malformed trace's), by id. */
  noStart: MessageRecord[];
  /** At least the longest flight (end − start) of any message in byStart. */
  maxSpan: number;
  /** Earliest and latest sentAt/deliveredAt of any message (±Infinity without any). */
  minTime: number;
  maxTime: number;
  /** Latest end of a message in byStart (-Infinity without any). */
  maxEnd: number;
  /** Routes by sender, then receiver context. */
  routes: Map<number | null, Map<number | null, Route>>;
  /** Bumped when a route gains its first message or loses its last (which contexts talked). */
  routesVersion: number;
  /** Messages sent from / delivered to each port. */
  ports: Map<number, { sent: number; received: number }>;
  /** Bumped on every change. */
  version: number;
}

export function buildIndex(messages: MessageRecord[]): MessageIndex {
  const ix: MessageIndex = {
    byStart: [],
    noStart: [],
    maxSpan: 0,
    minTime: Infinity,
    maxTime: -Infinity,
    maxEnd: -Infinity,
    routes: new Map(),
    routesVersion: 0,
    ports: new Map(),
    version: 0,
  };
  let sorted = true;
  let last = -Infinity;
  for (const m of messages) {
    count(ix, m, 1);
    const s = startOf(m);
    if (s === null) {
      ix.noStart.push(m);
      continue;
    }
    if (s < last) sorted = false;
    last = s;
    ix.byStart.push(m);
    route(ix, m).starts.push(s);
  }
  // Ids are usually in time order already; otherwise sort by (start, id) (messages come in id order, sort is stable).
  if (!sorted) {
    ix.byStart.sort((a, b) => (startOf(a) as number) - (startOf(b) as number));
    for (const byTo of ix.routes.values()) for (const r of byTo.values()) r.starts.sort((a, b) => a - b);
  }
  return ix;
}

/** A message that was not in the index. */
export function indexAdd(ix: MessageIndex, m: MessageRecord): void {
  count(ix, m, 1);
  const s = startOf(m);
  if (s !== null) {
    const list = ix.byStart;
    const tail = list[list.length - 1];
    // Live traffic appends: compare with the last before searching.
    if (!tail || before(tail, s, m.id)) list.push(m);
    else list.splice(positionOf(list, s, m.id), 0, m);
    insertSorted(route(ix, m).starts, s);
  } else {
    const list = ix.noStart;
    list.splice(idPosition(list, m.id), 0, m);
  }
  ix.version++;
}

/** A message that leaves the index. */
export function indexRemove(ix: MessageIndex, m: MessageRecord): void {
  count(ix, m, -1);
  const s = startOf(m);
  if (s !== null) {
    const i = positionOf(ix.byStart, s, m.id);
    if (ix.byStart[i]?.id === m.id) ix.byStart.splice(i, 1);
    const r = ix.routes.get(m.fromContext)?.get(m.toContext);
    if (r) {
      const j = lowerBound(r.starts, s);
      if (r.starts[j] === s) r.starts.splice(j, 1);
    }
  } else {
    const i = idPosition(ix.noStart, m.id);
    if (ix.noStart[i]?.id === m.id) ix.noStart.splice(i, 1);
  }
  ix.version++;
}

/** A newer record of a message already in the index (say, its delivery was seen). */
export function indexReplace(ix: MessageIndex, old: MessageRecord, m: MessageRecord): void {
  const s = startOf(m);
  if (s === null || s !== startOf(old)) {
    indexRemove(ix, old);
    indexAdd(ix, m);
    return;
  }
  // The usual update: same start, so the same place in byStart. The receiver (and its port) is
  // often learnt only at delivery: then the counts and the start move to the new route.
  const i = positionOf(ix.byStart, s, m.id);
  if (ix.byStart[i]?.id === m.id) ix.byStart[i] = m;
  if (old.fromContext !== m.fromContext || old.toContext !== m.toContext || old.fromPort !== m.fromPort || old.toPort !== m.toPort) {
    count(ix, old, -1);
    const r = ix.routes.get(old.fromContext)?.get(old.toContext);
    if (r) {
      const j = lowerBound(r.starts, s);
      if (r.starts[j] === s) r.starts.splice(j, 1);
    }
    count(ix, m, 1);
    insertSorted(route(ix, m).starts, s);
  }
  bounds(ix, m);
  ix.version++;
}

/** Where a message sorts in time order: its start, after every start when it has none. */
export function timeKey(m: MessageRecord): number {
  return startOf(m) ?? Infinity;
}

/** Whether (time key, id) of `a` sorts before (s, id). */
export function before(a: MessageRecord, s: number, id: number): boolean {
  const t = timeKey(a);
  return t < s || (t === s && a.id < id);
}

/** First position in a list in time order (byStart, say) not before (s, id). */
export function positionOf(list: MessageRecord[], s: number, id: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(list[mid], s, id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position in a list in id order whose message id is >= id. */
export function idPosition(list: MessageRecord[], id: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function lowerBound(list: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(list: number[], t: number) {
  if (!list.length || list[list.length - 1] <= t) list.push(t);
  else list.splice(lowerBound(list, t), 0, t);
}

function route(ix: MessageIndex, m: MessageRecord): Route {
  let byTo = ix.routes.get(m.fromContext);
  if (!byTo) ix.routes.set(m.fromContext, (byTo = new Map()));
  let r = byTo.get(m.toContext);
  if (!r) byTo.set(m.toContext, (r = { from: m.fromContext, to: m.toContext, count: 0, starts: [] }));
  return r;
}

/** Adds (+1) or takes away (-1) a message's counts; bounds only widen (exact again at the next build). */
function count(ix: MessageIndex, m: MessageRecord, k: 1 | -1) {
  const r = route(ix, m);
  r.count += k;
  if (r.count === 0 || (r.count === 1 && k === 1)) ix.routesVersion++;
  if (m.fromPort !== null) portCounts(ix, m.fromPort).sent += k;
  if (m.toPort !== null) portCounts(ix, m.toPort).received += k;
  if (k === 1) bounds(ix, m);
}

function portCounts(ix: MessageIndex, port: number) {
  let c = ix.ports.get(port);
  if (!c) ix.ports.set(port, (c = { sent: 0, received: 0 }));
  return c;
}

function bounds(ix: MessageIndex, m: MessageRecord) {
  if (m.sentAt !== null) {
    if (m.sentAt < ix.minTime) ix.minTime = m.sentAt;
    if (m.sentAt > ix.maxTime) ix.maxTime = m.sentAt;
  }
  if (m.deliveredAt !== null) {
    if (m.deliveredAt < ix.minTime) ix.minTime = m.deliveredAt;
    if (m.deliveredAt > ix.maxTime) ix.maxTime = m.deliveredAt;
  }
  const s = startOf(m);
  if (s === null) return;
  const e = endOf(m) as number;
  if (e > ix.maxEnd) ix.maxEnd = e;
  if (e - s > ix.maxSpan) ix.maxSpan = e - s;
}

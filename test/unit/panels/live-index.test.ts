// The indexes the panel keeps current under live traffic (panels/model/message-index.ts and the
// Messages rows of panels/model/filter.ts) must show exactly what a full pass over the messages
// shows, whatever the deltas do: appends, deliveries seen later, late sends, out-of-order ids,
// evictions by the background's budget.
import { describe, expect, it } from 'vitest';
import type { AggregateDelta, MessageRecord, OutcomeStatus } from '../../../src/protocol/session';
import { applyDelta, datasetOf, indexOf, type Dataset } from '../../../panels/model/dataset';
import { buildIndex } from '../../../panels/model/message-index';
import { filterMessages, NO_FILTER, RowFilter, type MessageFilter } from '../../../panels/model/filter';
import { density, inView, laneIndex, lanesOf, LABEL_WIDTH, messageExtent } from '../../../panels/model/timeline';
import { timeExtent } from '../../../panels/model/format';
import { fixtureSnapshot, T0 } from './fixture';

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const template = fixtureSnapshot().messages[0];
const STATUSES: OutcomeStatus[] = ['sent', 'queued', 'delivered', 'dropped', 'error'];

function message(id: number, r: () => number, at: number): MessageRecord {
  const sentSeen = r() > 0.1;
  const delivered = r() > 0.4;
  return {
    ...template,
    id,
    fromContext: sentSeen ? 1 + Math.floor(r() * 3) : null,
    toContext: r() > 0.05 ? 1 + Math.floor(r() * 3) : null,
    fromPort: r() > 0.5 ? 1 + Math.floor(r() * 4) : null,
    toPort: r() > 0.5 ? 1 + Math.floor(r() * 4) : null,
    sentAt: sentSeen ? at : null,
    deliveredAt: delivered || !sentSeen ? at + r() * 30 : null,
    outcome: { status: delivered ? 'delivered' : STATUSES[Math.floor(r() * STATUSES.length)], reason: null },
    preview: r() > 0.5 ? 'ping' : 'pong',
  };
}

const emptyDelta = (rev: number, firstMessageId: number): AggregateDelta => ({
  rev,
  contexts: [],
  ports: [],
  messages: [],
  firstMessageId,
  mismatches: [],
  dropped: null,
  findings: null,
  listeners: [],
});

/** What a full pass finds, compared with what the kept index holds. */
function expectIndexCurrent(d: Dataset) {
  const kept = indexOf(d);
  const fresh = buildIndex(d.messages);
  expect(kept.byStart.map((m) => m.id)).toEqual(fresh.byStart.map((m) => m.id));
  expect(kept.noStart.map((m) => m.id)).toEqual(fresh.noStart.map((m) => m.id));
  // Records are whole: the index holds the newest record of each message.
  expect(kept.byStart.every((m) => d.messages.includes(m))).toBe(true);
  const routes = (ix: typeof kept) =>
    [...ix.routes.values()]
      .flatMap((byTo) => [...byTo.values()])
      .filter((r) => r.count > 0)
      .map((r) => ({ from: r.from, to: r.to, count: r.count, starts: r.starts }))
      .sort((a, b) => String(a.from).localeCompare(String(b.from)) || String(a.to).localeCompare(String(b.to)));
  expect(routes(kept)).toEqual(routes(fresh));
  for (const [p, c] of fresh.ports) expect(kept.ports.get(p)).toEqual(c);
  // Bounds may only be wider than exact (they are exact again at the next build), never narrower.
  expect(kept.maxSpan).toBeGreaterThanOrEqual(fresh.maxSpan);
  expect(kept.minTime).toBeLessThanOrEqual(fresh.minTime);
  expect(kept.maxTime).toBeGreaterThanOrEqual(fresh.maxTime);
}

/** Density by one division per message, as the timeline first did it. */
function naiveDensity(d: Dataset, v: { from: number; to: number }, width: number) {
  const lanes = laneIndex(lanesOf(d));
  const cols = Math.max(1, Math.ceil(width - LABEL_WIDTH));
  const bins = Array.from({ length: lanesOf(d).length }, () => new Uint32Array(cols));
  const k = cols / (v.to - v.from);
  for (const m of d.messages) {
    const t = m.sentAt ?? m.deliveredAt;
    if (t === null) continue;
    const c = Math.floor((t - v.from) * k);
    if (c < 0 || c >= cols) continue;
    const lane = lanes.get(m.fromContext) ?? lanes.get(m.toContext);
    if (lane !== undefined) bins[lane][c]++;
  }
  return bins;
}

// The oracle is a full pass at every revision (quadratic by design); on a loaded 2-core machine
// that alone can pass vitest's 5 s default, which says nothing about the code under test.
const ORACLE_TIMEOUT = 60_000;

describe('the panel under live deltas', () => {
  it('keeps the timeline index, lanes, extent and density equal to a full pass', () => {
    const r = rng(7);
    const d = datasetOf({ ...fixtureSnapshot(), messages: [] });
    indexOf(d); // built before the deltas, so that they update it
    let next = 1;
    let first = 1;
    let at = T0 + 10;
    for (let rev = 1; rev <= 120; rev++) {
      const delta = emptyDelta(rev, first);
      const batch: MessageRecord[] = [];
      for (let k = Math.floor(r() * 25); k > 0; k--) batch.push(message(next++, r, (at += r() * 3)));
      // Deliveries seen later, late sends (the start moves), a message that changed route.
      for (let k = Math.floor(r() * 6); k > 0 && d.messages.length; k--) {
        const old = d.messages[Math.floor(r() * d.messages.length)];
        const pick = r();
        if (pick < 0.5) batch.push({ ...old, deliveredAt: (old.sentAt ?? at) + r() * 40, outcome: { status: 'delivered', reason: null } });
        else if (pick < 0.8) batch.push({ ...old, sentAt: (old.deliveredAt ?? at) - r() * 5, fromContext: old.fromContext ?? 2 });
        else batch.push({ ...old, toContext: 3, toPort: 2 });
      }
      // Now and then an id that arrives after higher ones: a message the background first saw late.
      if (r() < 0.1) batch.push(message(next + 1000 + rev, r, at - r() * 50));
      // Evictions: a few at a time, or a whole chunk (the index is then rebuilt).
      if (rev % 17 === 0) first += Math.floor(r() * 8) + 1;
      if (rev % 53 === 0) first += 150;
      delta.firstMessageId = first;
      const byId = new Map(batch.map((m) => [m.id, m]));
      delta.messages = [...byId.values()].sort((a, b) => a.id - b.id);
      applyDelta(d, structuredClone(delta));
      expectIndexCurrent(d);
      const ix = indexOf(d);
      const fresh = datasetOf({ ...fixtureSnapshot(), messages: d.messages, firstMessageId: d.firstMessageId });
      expect(lanesOf(d)).toEqual(lanesOf(fresh));
      expect(messageExtent(ix)).toEqual(messageExtent(indexOf(fresh)));
      const e = timeExtent(fresh);
      expect(timeExtent(d).from).toBeLessThanOrEqual(e.from);
      expect(timeExtent(d).to).toBeGreaterThanOrEqual(e.to);
      const all = messageExtent(ix);
      if (all) {
        const width = LABEL_WIDTH + 300;
        expect(density(ix, laneIndex(lanesOf(d)), lanesOf(d).length, all, width)).toEqual(naiveDensity(d, all, width));
        const mid = { from: (all.from * 2 + all.to) / 3, to: (all.from + all.to * 2) / 3 };
        expect(density(ix, laneIndex(lanesOf(d)), lanesOf(d).length, mid, width)).toEqual(naiveDensity(d, mid, width));
        const range = inView(ix, mid);
        const overlapping = d.messages.filter((m) => (m.sentAt ?? m.deliveredAt) !== null && (m.sentAt ?? m.deliveredAt)! <= mid.to && (m.deliveredAt ?? m.sentAt)! >= mid.from);
        const found = new Set(ix.byStart.slice(range.start, range.end).map((m) => m.id));
        for (const m of overlapping) expect(found.has(m.id)).toBe(true);
      }
    }
    expect(d.messages.length).toBeGreaterThan(500);
  }, ORACLE_TIMEOUT);

  it('keeps the Messages rows in time order, equal to filtering every message, through filter changes and deltas', () => {
    const r = rng(11);
    const d = datasetOf({ ...fixtureSnapshot(), messages: [] });
    const rows = new RowFilter();
    const filters: MessageFilter[] = [NO_FILTER, { ...NO_FILTER, outcome: 'delivered' }, { ...NO_FILTER, text: 'ping', context: 2 }, { ...NO_FILTER, origin: 'http://localhost:8000' }];
    let filter = filters[0];
    let brush: { from: number; to: number } | null = null;
    let next = 1;
    let first = 1;
    let at = T0 + 10;
    for (let rev = 1; rev <= 150; rev++) {
      const delta = emptyDelta(rev, first);
      const batch: MessageRecord[] = [];
      // Times interleave across ids (frames flush their batches at their own pace).
      for (let k = Math.floor(r() * 20); k > 0; k--) batch.push(message(next++, r, (at += r() * 3) - r() * 20));
      for (let k = Math.floor(r() * 5); k > 0 && d.messages.length; k--) {
        const old = d.messages[Math.floor(r() * d.messages.length)];
        const pick = r();
        // A new outcome; a late send (the start moves back); a record with no time at all.
        if (pick < 0.6) batch.push({ ...old, outcome: { status: STATUSES[Math.floor(r() * STATUSES.length)], reason: null } });
        else if (pick < 0.9) batch.push({ ...old, sentAt: (old.deliveredAt ?? at) - r() * 30, fromContext: old.fromContext ?? 2 });
        else batch.push({ ...old, sentAt: null, deliveredAt: null });
      }
      if (rev % 23 === 0) first += 5;
      // A new context of a filtered origin changes which messages the origin filter keeps.
      if (rev === 90) delta.contexts = [{ ...fixtureSnapshot().contexts[2], id: 3, origin: 'http://localhost:8000' }];
      delta.firstMessageId = first;
      delta.messages = [...new Map(batch.map((m) => [m.id, m])).values()].sort((a, b) => a.id - b.id);
      applyDelta(d, structuredClone(delta));
      if (rev % 30 === 0) filter = filters[(rev / 30) % filters.length];
      if (rev === 100) brush = { from: T0 + 100, to: at - 50 };
      // Some frames are skipped (no render), as when several deltas come within one frame.
      if (r() < 0.3) continue;
      const shown = rows.rows(d, filter, brush);
      const expected = filterMessages(d, filter, brush).map((i) => d.messages[i].id);
      const got = Array.from({ length: shown.length }, (_, i) => shown.at(i));
      expect(got.map((m) => m.id)).toEqual(expected);
      // The newest record of each, in time order.
      expect(got.every((m) => d.messages.includes(m))).toBe(true);
      const key = (m: MessageRecord) => m.sentAt ?? m.deliveredAt ?? Infinity;
      for (let i = 1; i < got.length; i++) expect(key(got[i - 1]) <= key(got[i])).toBe(true);
      if (expected.length) {
        const id = expected[Math.floor(r() * expected.length)];
        expect(shown.rowOf(id)).toBe(expected.indexOf(id));
      }
      expect(shown.rowOf(-5)).toBe(-1);
    }
    expect(d.messages.some((m) => m.sentAt === null && m.deliveredAt === null)).toBe(true);
  }, ORACLE_TIMEOUT);
});

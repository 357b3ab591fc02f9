// The Timeline view's math, free of canvas: lanes, the time ↔ pixel scale, zoom and pan,
// ruler ticks, which messages fall in view, and hit testing of arrows.
import type { ContextRecord, MessageRecord } from '../../src/protocol/session';
import { indexOf, type Dataset } from './dataset';
import { positionOf, startOf, type MessageIndex } from './message-index';

export const LANE_HEIGHT = 28;
export const RULER_HEIGHT = 22;
export const LABEL_WIDTH = 180;
/** Above this many messages in view, lanes show a density strip instead of arrows. */
export const MAX_ARROWS = 5000;

export interface TimeView {
  from: number;
  to: number;
}

export interface Lane {
  contextId: number | null;
  context: ContextRecord | null;
  depth: number;
}

/**
 * One lane per context, in frame-tree order (a frame, its workers, its child frames), leaving
 * out replaced documents that have no message; a last lane for senders that were not seen.
 */
export function lanesOf(d: Dataset): Lane[] {
  // Which contexts talked comes from the routes of the message index, not from every message.
  const talked = new Set<number | null>();
  let unknownSender = false;
  for (const byTo of indexOf(d).routes.values())
    for (const r of byTo.values()) {
      if (r.count === 0) continue;
      talked.add(r.from);
      talked.add(r.to);
      if (r.from === null && r.to !== null) unknownSender = true;
    }
  const all = [...d.contexts.values()].filter((c) => c.endedAt === null || talked.has(c.id));
  const kids = new Map<number | null, ContextRecord[]>();
  for (const c of all) {
    const parent = c.parentId !== null && d.contexts.has(c.parentId) ? c.parentId : null;
    const list = kids.get(parent) ?? [];
    list.push(c);
    kids.set(parent, list);
  }
  const order = (a: ContextRecord, b: ContextRecord) =>
    Number(a.kind === 'window') - Number(b.kind === 'window') || Number(b.top) - Number(a.top) || (a.indexInParent ?? 1e9) - (b.indexInParent ?? 1e9) || a.id - b.id;
  const lanes: Lane[] = [];
  const walk = (c: ContextRecord, depth: number) => {
    lanes.push({ contextId: c.id, context: c, depth });
    for (const k of (kids.get(c.id) ?? []).sort(order)) walk(k, depth + 1);
  };
  for (const r of (kids.get(null) ?? []).sort((a, b) => Number(b.top) - Number(a.top) || a.id - b.id)) walk(r, 0);
  if (unknownSender) lanes.push({ contextId: null, context: null, depth: 0 });
  return lanes;
}

export function laneIndex(lanes: Lane[]): Map<number | null, number> {
  return new Map(lanes.map((l, i) => [l.contextId, i]));
}

export function laneY(i: number): number {
  return RULER_HEIGHT + i * LANE_HEIGHT + LANE_HEIGHT / 2;
}

export function xOf(v: TimeView, width: number, t: number): number {
  return LABEL_WIDTH + ((t - v.from) / (v.to - v.from)) * (width - LABEL_WIDTH);
}

export function tOf(v: TimeView, width: number, x: number): number {
  return v.from + ((x - LABEL_WIDTH) / Math.max(1, width - LABEL_WIDTH)) * (v.to - v.from);
}

/** Smallest span one can zoom to: 10 µs. */
const MIN_SPAN = 0.01;

/** Zooms by `factor` (<1 in, >1 out) keeping time `anchor` under the pointer; stays within the extent. */
export function zoomAt(v: TimeView, anchor: number, factor: number, extent: TimeView): TimeView {
  const full = extent.to - extent.from;
  const span = Math.min(full, Math.max(MIN_SPAN, (v.to - v.from) * factor));
  const frac = (anchor - v.from) / (v.to - v.from);
  return clampView({ from: anchor - frac * span, to: anchor - frac * span + span }, extent);
}

export function panBy(v: TimeView, dt: number, extent: TimeView): TimeView {
  return clampView({ from: v.from + dt, to: v.to + dt }, extent);
}

export function clampView(v: TimeView, extent: TimeView): TimeView {
  const span = Math.min(v.to - v.from, extent.to - extent.from);
  let from = Math.max(extent.from, v.from);
  if (from + span > extent.to) from = extent.to - span;
  return { from, to: from + span };
}

/** The extent padded a little so arrows at the very ends stay visible. */
export function paddedExtent(e: TimeView): TimeView {
  const pad = Math.max(1, (e.to - e.from) * 0.02);
  return { from: e.from - pad, to: e.to + pad };
}

/** Ruler ticks at a 1-2-5 step in ms giving about `approx` ticks over the view, round relative to `origin`. */
export function ticks(v: TimeView, approx: number, origin = 0): { step: number; at: number[] } {
  const raw = (v.to - v.from) / Math.max(1, approx);
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((k) => k * pow).find((s) => s >= raw) ?? 10 * pow;
  const at: number[] = [];
  const first = Math.ceil((v.from - origin) / step);
  for (let k = first; origin + k * step <= v.to && at.length < 1000; k++) at.push(origin + k * step);
  return { step, at };
}

/** The span the messages cover (what the timeline first shows), or null without messages. */
export function messageExtent(ix: MessageIndex): TimeView | null {
  if (!ix.byStart.length) return null;
  const from = startOf(ix.byStart[0]) as number;
  return { from, to: Math.max(ix.maxEnd, from + 1) };
}

/** Messages sorted by start time, kept current as deltas arrive (panels/model/message-index.ts). */
export type TimeIndex = MessageIndex;

export function timeIndex(d: Dataset): TimeIndex {
  return indexOf(d);
}

/** The slice of the index that can overlap the view: [start, end) into byStart. */
export function inView(ix: TimeIndex, v: TimeView): { start: number; end: number } {
  const lo = firstStartAtLeast(ix.byStart, v.from - ix.maxSpan);
  const hi = firstStartAtLeast(ix.byStart, v.to + Number.EPSILON);
  return { start: lo, end: Math.max(lo, hi) };
}

/** First position in byStart whose start is at least t (no id sorts below -Infinity). */
const firstStartAtLeast = (list: MessageRecord[], t: number): number => positionOf(list, t, -Infinity);

export interface Arrow {
  id: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** dropped or error: a loss marker at the sender. */
  lost: boolean;
  /** Sent and still waiting (sent or queued). */
  pending: boolean;
}

/**
 * Screen geometry of one message: from its send on the sender's lane to its delivery on the
 * receiver's. An unseen sender is the unknown lane; a message still waiting points at its
 * receiver from where it was sent; a lost one stays on the sender's lane.
 */
export function arrowOf(m: MessageRecord, lanes: Map<number | null, number>, v: TimeView, width: number): Arrow | null {
  const s = m.sentAt ?? m.deliveredAt;
  if (s === null) return null;
  const fromLane = lanes.get(m.fromContext);
  const toLane = m.toContext === null ? undefined : lanes.get(m.toContext);
  const lost = m.outcome.status === 'dropped' || m.outcome.status === 'error';
  const pending = m.outcome.status === 'sent' || m.outcome.status === 'queued';
  const y1 = laneY(fromLane ?? toLane ?? 0);
  const y2 = lost ? y1 : laneY(toLane ?? fromLane ?? 0);
  const x1 = xOf(v, width, s);
  return { id: m.id, x1, y1, x2: m.deliveredAt === null ? x1 : xOf(v, width, m.deliveredAt), y2, lost, pending };
}

/** The arrow nearest to (x, y) within `radius` pixels. */
export function hitArrow(arrows: Arrow[], x: number, y: number, radius = 5): Arrow | null {
  let best: Arrow | null = null;
  let bestD = radius;
  for (const a of arrows) {
    const dist = distToSegment(x, y, a.x1, a.y1, a.x2, a.y2);
    if (dist <= bestD) {
      bestD = dist;
      best = a;
    }
  }
  return best;
}

function distToSegment(px: number, py: number, x1: number, y1: number, x2: number, y2: number): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = dx * dx + dy * dy;
  const k = len === 0 ? 0 : Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / len));
  return Math.hypot(px - (x1 + k * dx), py - (y1 + k * dy));
}

/**
 * Messages per pixel column per lane, for views too dense for arrows: a message counts in the
 * column of its start, on its sender's lane (its receiver's when the sender has none). Each
 * route's sorted start times are cut at the column boundaries by binary search, so the work
 * is per route and non-empty column, not per message in view.
 */
export function density(ix: TimeIndex, lanes: Map<number | null, number>, laneCount: number, v: TimeView, width: number): Uint32Array[] {
  const cols = Math.max(1, Math.ceil(width - LABEL_WIDTH));
  const bins = Array.from({ length: laneCount }, () => new Uint32Array(cols));
  const k = cols / (v.to - v.from);
  // Monotonic in t, so every boundary is found by search: the same column as one division per message.
  const col = (t: number) => Math.floor((t - v.from) * k);
  for (const byTo of ix.routes.values())
    for (const r of byTo.values()) {
      const lane = lanes.get(r.from) ?? lanes.get(r.to);
      if (lane === undefined || !r.starts.length) continue;
      const bin = bins[lane];
      const st = r.starts;
      let i = firstCol(st, 0, col, 0);
      while (i < st.length) {
        const c = col(st[i]);
        if (c >= cols) break;
        const next = firstCol(st, i + 1, col, c + 1);
        bin[c] += next - i;
        i = next;
      }
    }
  return bins;
}

/** First index at or after `from` whose column is at least `c`: galloping, then binary search. */
function firstCol(st: number[], from: number, col: (t: number) => number, c: number): number {
  let lo = from;
  let step = 1;
  let hi = from;
  while (hi < st.length && col(st[hi]) < c) {
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  hi = Math.min(hi, st.length);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (col(st[mid]) < c) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// A Session's whole state as plain data, so a stopped service worker resumes where it was:
// records, per-document sequence numbers (resends stay idempotent), held batches, blocked
// events, lanes of waiting halves and the frame tree. Records referenced from several places
// are written once and referenced by number, so identity survives the round trip.

import type { PageBatch, PageEvent, WindowPath } from '../protocol/messages';
import type { ContextRecord, FindingRecord, MessageColumns, MessageRecord, MismatchRecord, PortRecord } from '../protocol/session';
import { unpackMessages } from './columns';
import { FrameRegistry, type FrameRegistryState } from './contexts';
import { Matcher, type LaneState } from './matcher';
import type { CtxState, DocState, Session, SessionOptions } from './session';

export const SESSION_STATE_FORMAT = 'channel-inspector-session';
export const SESSION_STATE_VERSION = 1;

/**
 * A reference to a message record: n > 0 is the id of a stored message; n < 0 is entry
 * -n-1 of `loose` (records waiting for their other half that are not stored: evicted,
 * cleared, or whose window target is not resolved yet).
 */
export type RecordRef = number;

export interface CtxStateData {
  n: number;
  contextId: number;
  ports: [number, number][];
  /** [local port, carrying delivery, index in its ports] */
  pending: [number, RecordRef, number][];
  /** [local message id, stored message id] */
  recent: [number, number][];
}

export interface DocStateData {
  doc: string;
  frameId: number;
  nextSeq: number;
  held: PageBatch[];
  strings: [number, string][];
  blocked: PageEvent[];
  ctxs: CtxStateData[];
}

export interface SessionState {
  format: typeof SESSION_STATE_FORMAT;
  version: number;
  options: Required<SessionOptions>;
  rev: number;
  contexts: ContextRecord[];
  ports: PortRecord[];
  channels: number;
  /** The stored messages as records (JSON-safe)... */
  messages: MessageRecord[] | null;
  /** ...or as blocks of columns (structured-clone-safe, far cheaper for large sessions). */
  messageBlocks: MessageColumns[] | null;
  firstMessageId: number;
  nextMessageId: number;
  evicted: number;
  loose: MessageRecord[];
  lanes: LaneState[];
  parked: { side: 'send' | 'deliver'; rec: RecordRef; contextId: number; path: WindowPath }[];
  docs: DocStateData[];
  frames: FrameRegistryState;
  findings: FindingRecord[];
  mismatches: MismatchRecord[];
  dropped: [string, number][];
}

export interface WriteStateOptions {
  /**
   * Write messages as blocks of columns (typed arrays): for IndexedDB or any structured-clone
   * storage, not for JSON. Unchanged blocks are reused, so frequent checkpoints stay cheap.
   */
  packed?: boolean;
}

export function writeState(s: Session, options: WriteStateOptions = {}): SessionState {
  const loose: MessageRecord[] = [];
  const looseIndex = new Map<MessageRecord, number>();
  const ref = (r: MessageRecord): RecordRef => {
    if (r.id > 0 && s.store.get(r.id) === r) return r.id;
    let i = looseIndex.get(r);
    if (i === undefined) {
      i = loose.length;
      loose.push(r);
      looseIndex.set(r, i);
    }
    return -i - 1;
  };
  const docs: DocStateData[] = [];
  for (const d of s.docs.values()) {
    const ctxs: CtxStateData[] = [];
    for (const [n, c] of d.ctxs) {
      const recent: [number, number][] = [];
      for (let i = 0; i < c.recentLocal.length; i++) {
        const r = c.recentRec[i];
        if (r && r.id > 0 && s.store.get(r.id) === r) recent.push([c.recentLocal[i], r.id]);
      }
      ctxs.push({
        n,
        contextId: c.rec.id,
        ports: [...c.ports],
        pending: [...c.pending].map(([local, w]) => [local, ref(w.rec), w.k]),
        recent,
      });
    }
    docs.push({
      doc: d.doc,
      frameId: d.frameId,
      nextSeq: d.nextSeq,
      held: [...d.held.values()],
      strings: [...d.strings],
      blocked: d.blocked.slice(d.bHead),
      ctxs,
    });
  }
  return {
    format: SESSION_STATE_FORMAT,
    version: SESSION_STATE_VERSION,
    options: { ...s.options },
    rev: s.rev,
    contexts: s.contexts,
    ports: s.ports,
    channels: s.channels,
    messages: options.packed ? null : s.store.records,
    messageBlocks: options.packed ? s.store.packedBlocks() : null,
    firstMessageId: s.store.firstId,
    nextMessageId: s.store.nextId,
    evicted: s.store.evicted,
    lanes: s.matcher.toState(ref),
    parked: s.parked.map((p) => ({ side: p.side, rec: ref(p.rec), contextId: p.ctx.rec.id, path: p.path })),
    docs,
    frames: s.frames.toState(),
    findings: s.findings,
    mismatches: s.mismatches,
    dropped: [...s.dropped],
    loose,
  };
}

/** Fills a fresh Session (made with state.options) from a state written by writeState. */
export function readState(s: Session, st: SessionState): void {
  if (!st || st.format !== SESSION_STATE_FORMAT || st.version !== SESSION_STATE_VERSION) {
    throw new TypeError('not a Channel Inspector session state of a known version');
  }
  s.rev = st.rev;
  s.contexts = st.contexts;
  s.ports = st.ports;
  s.channels = st.channels;
  s.store.records = st.messages ?? (st.messageBlocks ?? []).flatMap((b) => unpackMessages(b));
  s.store.firstId = st.firstMessageId;
  s.store.nextId = st.nextMessageId;
  s.store.evicted = st.evicted;
  s.store.resetDelta();
  if (st.messageBlocks) s.store.adopt(st.messageBlocks);
  const deref = (n: RecordRef): MessageRecord | undefined => (n > 0 ? s.store.get(n) : st.loose[-n - 1]);
  s.matcher = Matcher.fromState(s.options.clockSkewMs, st.lanes, deref);
  s.frames = FrameRegistry.fromState(st.frames);
  s.findings = st.findings;
  s.mismatches = st.mismatches;
  s.dropped = new Map(st.dropped);
  for (const dd of st.docs) {
    const d = {
      doc: dd.doc,
      frameId: dd.frameId,
      nextSeq: dd.nextSeq,
      held: new Map(dd.held.map((b) => [b.seq, b])),
      strings: new Map(dd.strings),
      ctxs: new Map(),
      blocked: dd.blocked,
      bHead: 0,
    } as unknown as DocState;
    for (const cd of dd.ctxs) {
      const rec = s.contexts[cd.contextId - 1];
      const c: CtxState = {
        rec,
        doc: d,
        ports: new Map(cd.ports),
        pending: new Map(),
        recentLocal: new Array(cd.recent.length).fill(-1),
        recentRec: new Array(cd.recent.length),
        recentPos: 0,
      };
      for (const [local, n, k] of cd.pending) {
        const r = deref(n);
        if (r) c.pending.set(local, { rec: r, k });
      }
      // Rebuild the recent-message ring at its full size.
      const size = Math.max(64, cd.recent.length);
      c.recentLocal = new Array(size).fill(-1);
      c.recentRec = new Array(size);
      cd.recent.forEach(([local, id], i) => {
        const r = s.store.get(id);
        if (r) {
          c.recentLocal[i] = local;
          c.recentRec[i] = r;
        }
      });
      c.recentPos = cd.recent.length % size;
      d.ctxs.set(cd.n, c);
      s.ctxById.set(rec.id, c);
    }
    d.main = d.ctxs.get(0) as CtxState;
    s.docs.set(d.doc, d);
  }
  s.parked = st.parked.flatMap((p) => {
    const rec = deref(p.rec);
    const ctx = s.ctxById.get(p.contextId);
    return rec && ctx ? [{ side: p.side, rec, ctx, path: p.path }] : [];
  });
}

// One Session per tab: turns the per-document event streams into one model with global ids.
//
// Order of work for a batch: dedupe by (doc, seq) and hold it until earlier ones arrive;
// then its events run in order. An event that names a port whose identity is not known yet
// (it arrived in a message whose send another frame has not reported) blocks its document's
// stream until that send is seen, so FIFO order per lane is never broken. `releaseHeld()`
// forces everything through when the missing part will not come (and counts what was lost).

import {
  isPageBatch,
  type ChannelEvent,
  type ContextEvent,
  type DeliverEvent,
  type ListenEvent,
  type MismatchEvent,
  type PageBatch,
  type PageEvent,
  type PortStateEvent,
  type PostEvent,
  type WindowPath,
} from '../protocol/messages';
import type {
  AggregateDelta,
  AggregateSnapshot,
  ContextRecord,
  FindingRecord,
  MessageRecord,
  MismatchRecord,
  PackedSnapshot,
  PortRecord,
  TransferRecord,
} from '../protocol/session';
import { FrameRegistry, OUTSIDE, UNRESOLVED, originOf, type BatchSource } from './contexts';
import { EVICTED_HALF, Matcher, NO_SEND, type LaneKey } from './matcher';
import { DELIVERED, MESSAGEERROR, NO_LISTENER, NO_TRANSFER, QUEUED, SENT, newContext, newMessage, newPort } from './records';
import { MessageStore } from './store';
import { readState, writeState, type SessionState, type WriteStateOptions } from './state';

export type { BatchSource } from './contexts';

export interface SessionOptions {
  /** Messages kept per tab before the oldest are evicted (counted in dropped['message-budget']). */
  maxMessages?: number;
  /** How many to evict at once when over budget. Default: 5% of maxMessages. */
  evictChunk?: number;
  /** How far a delivery's clock may run behind its send's (different processes), ms. */
  clockSkewMs?: number;
  /** Out-of-order batches held per document before the gap is forced through. */
  maxHeldBatches?: number;
  /** Events blocked per document (waiting for a port's identity) before it is forced. */
  maxBlockedEvents?: number;
}

export type IngestResult = 'applied' | 'held' | 'duplicate' | 'rejected';

/** Work the Session is waiting on; when it stays non-zero, call releaseHeld(). */
export interface PendingWork {
  heldBatches: number;
  blockedEvents: number;
  unresolvedWindows: number;
  waitingHalves: number;
}

/** The model as plain records (live references: clone before keeping). */
export interface SessionData {
  contexts: ContextRecord[];
  ports: PortRecord[];
  messages: MessageRecord[];
  findings: FindingRecord[];
  mismatches: MismatchRecord[];
  dropped: Record<string, number>;
  /** Ids below it were evicted by the budget. */
  firstMessageId: number;
}

/** @internal per context: local → global ports, and ports still in flight toward it. */
export interface CtxState {
  rec: ContextRecord;
  doc: DocState;
  ports: Map<number, number>;
  /** Local port id → the delivery that brought it (and its place in `ports`), send unseen. */
  pending: Map<number, { rec: MessageRecord; k: number }>;
  /** Recent local message ids → records, so mismatch events can name the message. */
  recentLocal: number[];
  recentRec: MessageRecord[];
  recentPos: number;
}

/** @internal per reporting document (one event stream). */
export interface DocState {
  doc: string;
  frameId: number;
  nextSeq: number;
  held: Map<number, PageBatch>;
  strings: Map<number, string>;
  ctxs: Map<number, CtxState>;
  main: CtxState;
  blocked: PageEvent[];
  bHead: number;
}

/** @internal a window send or delivery whose other frame is not in the registry yet. */
export interface Parked {
  side: 'send' | 'deliver';
  rec: MessageRecord;
  ctx: CtxState;
  path: WindowPath;
}

/** @internal */
export const RECENT = 64;

// Page input is checked as it is stored, so every record exports to a valid trace.
const VIAS: ReadonlySet<string> = new Set(['port', 'window', 'worker', 'broadcast', 'clone']);
const KINDS: ReadonlySet<string> = new Set(['window', 'worker', 'sharedworker', 'serviceworker']);
const TRANSFER_KINDS: ReadonlySet<string> = new Set(['MessagePort', 'ArrayBuffer', 'ImageBitmap', 'OffscreenCanvas', 'ReadableStream', 'WritableStream', 'TransformStream', 'other']);
const CAUSE = /^[A-Za-z0-9][\w.:-]{0,99}$/;
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** Longest string kept from a page (previews, stacks, urls). */
const MAX_TEXT = 65_536;

const text = (v: unknown): string | null => (typeof v !== 'string' ? null : v.length > MAX_TEXT ? v.slice(0, MAX_TEXT) : v);
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);

export class Session {
  readonly options: Required<SessionOptions>;
  /** @internal */ docs = new Map<string, DocState>();
  /** @internal */ contexts: ContextRecord[] = [];
  /** @internal */ ctxById = new Map<number, CtxState>();
  /** @internal */ ports: PortRecord[] = [];
  /** @internal */ channels = 0;
  /** @internal */ store: MessageStore;
  /** @internal */ matcher: Matcher;
  /** @internal */ frames = new FrameRegistry();
  /** @internal */ parked: Parked[] = [];
  /** @internal */ findings: FindingRecord[] = [];
  /** @internal */ mismatches: MismatchRecord[] = [];
  /** @internal */ dropped = new Map<string, number>();
  /** @internal */ rev = 0;

  private dirtyContexts = new Set<number>();
  private dirtyPorts = new Set<number>();
  private newMismatches: MismatchRecord[] = [];
  private droppedChanged = false;
  private findingsChanged = false;
  private wake = new Set<DocState>();
  private seenFrameVersion = 0;
  private readonly ctxWaitingParent = new Set<CtxState>();

  constructor(options: SessionOptions = {}) {
    const maxMessages = Math.max(1, options.maxMessages ?? 1_000_000);
    this.options = {
      maxMessages,
      evictChunk: Math.max(1, options.evictChunk ?? Math.ceil(maxMessages / 20)),
      clockSkewMs: options.clockSkewMs ?? 100,
      maxHeldBatches: options.maxHeldBatches ?? 256,
      maxBlockedEvents: options.maxBlockedEvents ?? 50_000,
    };
    this.store = new MessageStore(this.options.maxMessages, this.options.evictChunk);
    this.matcher = new Matcher(this.options.clockSkewMs);
  }

  // ───────────────────────── public API ─────────────────────────

  /** Takes one batch from a document. Resends and duplicates are ignored ('duplicate'). */
  ingest(batch: PageBatch, source: BatchSource): IngestResult {
    if (!isPageBatch(batch) || !source || !Number.isInteger(source.frameId)) {
      this.count('invalid-batch', 1);
      return 'rejected';
    }
    let d = this.docs.get(batch.doc);
    if (!d) d = this.newDoc(batch.doc, source);
    if (batch.seq < d.nextSeq || d.held.has(batch.seq)) return 'duplicate';
    if (batch.seq > d.nextSeq) {
      d.held.set(batch.seq, batch);
      if (d.held.size > this.options.maxHeldBatches) this.forceGap(d);
      this.drainWoken();
      return d.held.has(batch.seq) ? 'held' : 'applied';
    }
    this.apply(d, batch);
    this.applyHeldRun(d);
    this.drainWoken();
    return 'applied';
  }

  /**
   * Forces through everything waiting on data that may never come: batches after a gap
   * (the gap is counted in dropped['batch-gap']), events waiting for a port's identity (the
   * port gets a new id), window messages whose other frame never registered.
   */
  releaseHeld(): void {
    for (const d of this.docs.values()) if (d.held.size) this.forceGap(d);
    this.drainWoken();
    for (let guard = 0; guard < 1000; guard++) {
      let progressed = false;
      for (const d of this.docs.values()) {
        if (d.bHead >= d.blocked.length) continue;
        for (const c of d.ctxs.values()) this.givePendingNewIds(c);
        this.wake.add(d);
        progressed = true;
      }
      this.drainWoken();
      if (!progressed) break;
    }
    const parked = this.parked;
    this.parked = [];
    for (const p of parked) this.commit(p.rec);
    for (const p of parked) if (p.side === 'deliver') this.givePendingNewIds(p.ctx);
  }

  pendingWork(): PendingWork {
    let heldBatches = 0;
    let blockedEvents = 0;
    for (const d of this.docs.values()) {
      heldBatches += d.held.size;
      blockedEvents += d.blocked.length - d.bHead;
    }
    return { heldBatches, blockedEvents, unresolvedWindows: this.parked.length, waitingHalves: this.matcher.waiting() };
  }

  /** Findings come from src/audit; the Session only keeps and ships them. */
  setFindings(findings: FindingRecord[]): void {
    this.findings = findings;
    this.findingsChanged = true;
  }

  /**
   * Forgets recorded messages, findings, mismatches and counts; topology and ids stay.
   * Lanes keep their place in line, so messages already in flight still pair correctly.
   */
  clear(): void {
    this.store.clear();
    this.matcher.trim(this.store.firstId, (w) => this.carriesPorts(w));
    for (const c of this.ctxById.values()) {
      c.recentLocal.fill(-1);
      c.recentRec = new Array(RECENT);
    }
    this.findings = [];
    this.mismatches = [];
    this.newMismatches = [];
    this.dropped.clear();
    this.droppedChanged = true;
    this.findingsChanged = true;
  }

  context(id: number): ContextRecord | undefined {
    return this.contexts[id - 1];
  }
  port(id: number): PortRecord | undefined {
    return this.ports[id - 1];
  }
  message(id: number): MessageRecord | undefined {
    return this.store.get(id);
  }
  /** Messages evicted by the budget so far. */
  get evicted(): number {
    return this.store.evicted;
  }
  get messageCount(): number {
    return this.store.records.length;
  }

  data(): SessionData {
    return {
      contexts: this.contexts,
      ports: this.ports,
      messages: this.store.records,
      findings: this.findings,
      mismatches: this.mismatches,
      dropped: this.droppedObject(),
      firstMessageId: this.store.firstId,
    };
  }

  /** Everything, for a panel that just connected. Follow it with deltas where rev > snapshot.rev. */
  snapshot(): AggregateSnapshot {
    return {
      rev: this.rev,
      contexts: this.contexts.slice(),
      ports: this.ports.slice(),
      messages: this.store.records.slice(),
      firstMessageId: this.store.firstId,
      findings: this.findings.slice(),
      mismatches: this.mismatches.slice(),
      dropped: this.droppedObject(),
    };
  }

  /**
   * The snapshot with messages as blocks of columns: what to post to a panel. Full blocks
   * that did not change since the last call are reused, so repeated snapshots stay cheap.
   */
  packedSnapshot(): PackedSnapshot {
    return {
      rev: this.rev,
      contexts: this.contexts.slice(),
      ports: this.ports.slice(),
      messages: this.store.packedBlocks(),
      firstMessageId: this.store.firstId,
      findings: this.findings.slice(),
      mismatches: this.mismatches.slice(),
      dropped: this.droppedObject(),
    };
  }

  /** What was added or changed since the previous delta; null when nothing was. */
  takeDelta(): AggregateDelta | null {
    const messages = this.store.takeDelta();
    if (
      !messages.length &&
      !this.dirtyContexts.size &&
      !this.dirtyPorts.size &&
      !this.newMismatches.length &&
      !this.droppedChanged &&
      !this.findingsChanged &&
      this.lastDeltaFirstId === this.store.firstId
    )
      return null;
    const delta: AggregateDelta = {
      rev: ++this.rev,
      contexts: [...this.dirtyContexts].sort((a, b) => a - b).map((id) => this.contexts[id - 1]),
      ports: [...this.dirtyPorts].sort((a, b) => a - b).map((id) => this.ports[id - 1]),
      messages,
      firstMessageId: this.store.firstId,
      mismatches: this.newMismatches,
      dropped: this.droppedChanged ? this.droppedObject() : null,
      findings: this.findingsChanged ? this.findings.slice() : null,
    };
    this.dirtyContexts.clear();
    this.dirtyPorts.clear();
    this.newMismatches = [];
    this.droppedChanged = false;
    this.findingsChanged = false;
    this.lastDeltaFirstId = this.store.firstId;
    return delta;
  }
  private lastDeltaFirstId = 1;

  /**
   * All state as plain data (JSON- and structured-clone-safe), for a worker that may be
   * stopped. Live references: serialize or clone it before the Session goes on.
   */
  toJSON(): SessionState {
    return writeState(this);
  }

  /** All state with messages as blocks of columns: for structured-clone storage (IndexedDB). */
  toState(options: WriteStateOptions = { packed: true }): SessionState {
    return writeState(this, options);
  }

  /** The next batch seq expected from a document: batches below it are applied (or given up). */
  nextSeq(doc: string): number {
    return this.docs.get(doc)?.nextSeq ?? 1;
  }

  static restore(state: SessionState): Session {
    const s = new Session(state.options);
    readState(s, state);
    s.lastDeltaFirstId = s.store.firstId;
    s.seenFrameVersion = s.frames.version;
    for (const c of s.ctxById.values()) if (c.rec.parentId === null && (c.rec.parentFrameId ?? -1) >= 0) s.ctxWaitingParent.add(c);
    return s;
  }

  // ───────────────────────── batches ─────────────────────────

  private newDoc(doc: string, source: BatchSource): DocState {
    const d = { doc, frameId: source.frameId, nextSeq: 1, held: new Map(), strings: new Map(), ctxs: new Map(), blocked: [], bHead: 0 } as unknown as DocState;
    const c = this.newCtx(d, 0);
    d.main = c;
    const r = c.rec;
    r.frameId = source.frameId;
    r.parentFrameId = source.parentFrameId ?? null;
    r.url = typeof source.url === 'string' ? source.url : '';
    r.origin = typeof source.origin === 'string' ? source.origin : (originOf(r.url) ?? '');
    r.documentId = typeof source.documentId === 'string' ? source.documentId : null;
    r.top = source.parentFrameId === -1 || (source.parentFrameId === undefined && source.frameId === 0);
    if (source.parentFrameId !== undefined) this.frames.setParent(source.frameId, source.parentFrameId);
    else if (r.top) this.frames.setParent(source.frameId, -1);
    this.docs.set(doc, d);
    this.findParent(c);
    return d;
  }

  private newCtx(d: DocState, n: number): CtxState {
    const rec = newContext(this.contexts.length + 1, d.doc, n);
    this.contexts.push(rec);
    const c: CtxState = { rec, doc: d, ports: new Map(), pending: new Map(), recentLocal: new Array(RECENT).fill(-1), recentRec: new Array(RECENT), recentPos: 0 };
    d.ctxs.set(n, c);
    this.ctxById.set(rec.id, c);
    this.dirtyContexts.add(rec.id);
    return c;
  }

  private ctxOf(d: DocState, n: number | undefined): CtxState {
    if (!n) return d.main;
    let c = d.ctxs.get(n);
    if (!c) {
      c = this.newCtx(d, n);
      c.rec.kind = 'worker';
      c.rec.parentId = d.main.rec.id;
      c.rec.frameId = d.frameId;
    }
    return c;
  }

  private applyHeldRun(d: DocState): void {
    for (let b = d.held.get(d.nextSeq); b; b = d.held.get(d.nextSeq)) {
      d.held.delete(d.nextSeq);
      this.apply(d, b);
    }
  }

  /** Gives up on missing batches: counts them and applies the held ones in order. */
  private forceGap(d: DocState): void {
    const seqs = [...d.held.keys()].sort((a, b) => a - b);
    for (const seq of seqs) {
      if (seq < d.nextSeq) continue;
      if (seq > d.nextSeq) this.count('batch-gap', seq - d.nextSeq);
      d.nextSeq = seq;
      this.applyHeldRun(d);
    }
  }

  private apply(d: DocState, batch: PageBatch): void {
    d.nextSeq = batch.seq + 1;
    const strings = batch.strings;
    if (strings) {
      for (const s of strings) if (Array.isArray(s) && typeof s[0] === 'number' && typeof s[1] === 'string') d.strings.set(s[0], text(s[1]) as string);
    }
    const events = batch.events;
    if (!events.length) return;
    for (let i = 0; i < events.length; i++) {
      const ev = events[i];
      if (d.bHead < d.blocked.length) d.blocked.push(ev);
      else if (!this.handle(d, ev)) d.blocked.push(ev);
    }
    // After the events: the batch's own context event says whether this is a window at all.
    const first = events[0] as PageEvent | undefined;
    const last = events[events.length - 1] as PageEvent | undefined;
    if (first && Number.isFinite(first.at)) this.touchFrame(d, first.at);
    if (last && Number.isFinite(last.at)) this.touchFrame(d, last.at);
    if (d.blocked.length - d.bHead > this.options.maxBlockedEvents) {
      for (const c of d.ctxs.values()) this.givePendingNewIds(c);
      this.wake.add(d);
    }
  }

  /** Runs blocked events of documents whose missing port identities may now be known. */
  private drainWoken(): void {
    while (this.wake.size) {
      const [d] = this.wake;
      this.wake.delete(d);
      while (d.bHead < d.blocked.length) {
        if (!this.handle(d, d.blocked[d.bHead])) break;
        d.bHead++;
      }
      if (d.bHead === d.blocked.length) {
        d.blocked = [];
        d.bHead = 0;
      }
    }
  }

  private touchFrame(d: DocState, at: number): void {
    const c = d.main;
    if (c.rec.kind !== 'window') return;
    if (c.rec.createdAt === null) {
      c.rec.createdAt = at;
      this.dirtyContexts.add(c.rec.id);
    }
    const replaced = this.frames.touch(d.frameId, c.rec.id, at);
    if (replaced !== null) {
      const old = this.contexts[replaced - 1];
      if (old.endedAt === null) {
        old.endedAt = at;
        this.dirtyContexts.add(old.id);
      }
      if (c.rec.endedAt !== null) {
        c.rec.endedAt = null; // back from the back/forward cache
        this.dirtyContexts.add(c.rec.id);
      }
    }
    this.afterFrameChange();
  }

  // ───────────────────────── events ─────────────────────────

  /** Returns false when the event must wait (a port's identity is not known yet). */
  private handle(d: DocState, ev: PageEvent): boolean {
    if (typeof ev !== 'object' || ev === null || typeof ev.at !== 'number' || !Number.isFinite(ev.at)) {
      this.count('invalid-event', 1);
      return true;
    }
    const n = (ev as { ctx?: unknown }).ctx;
    if (n !== undefined && (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)) return this.invalid();
    const c = this.ctxOf(d, n);
    switch (ev.k) {
      case 'post':
        return this.onPost(c, ev);
      case 'deliver':
        return this.onDeliver(c, ev);
      case 'channel':
        return this.onChannel(c, ev);
      case 'start':
      case 'close':
        return this.onPortState(c, ev);
      case 'listen':
        return this.onListen(c, ev);
      case 'context':
        return this.onContext(d, ev);
      case 'mismatch':
        return this.onMismatch(c, ev);
      case 'dropped':
        if (typeof ev.cause === 'string' && CAUSE.test(ev.cause) && !FORBIDDEN_KEYS.has(ev.cause) && Number.isSafeInteger(ev.count) && ev.count > 0) {
          this.count(ev.cause, ev.count);
        } else this.count('invalid-event', 1);
        return true;
      default:
        this.count('invalid-event', 1);
        return true;
    }
  }

  private onContext(d: DocState, ev: ContextEvent): boolean {
    const n = ev.ctx ?? 0;
    const c = this.ctxOf(d, n);
    const r = c.rec;
    if (KINDS.has(ev.kind)) r.kind = ev.kind;
    r.url = text(ev.url) ?? r.url;
    r.origin = text(ev.origin) ?? r.origin;
    r.top = ev.top === true;
    if (r.createdAt === null || ev.at < r.createdAt) r.createdAt = ev.at;
    if (n === 0) {
      if (r.top) this.frames.setParent(d.frameId, -1);
      const index = int(ev.indexInParent);
      if (index !== null && index >= 0) {
        r.indexInParent = index;
        this.frames.setIndex(d.frameId, index);
      }
      if (r.kind !== 'window') {
        // A worker reporting its own stream: it belongs to its frame's document.
        const owner = this.frames.currentContext(d.frameId);
        r.parentId = owner !== undefined && owner !== r.id ? owner : null;
      }
    } else {
      const parent = int(ev.parent);
      r.parentId = parent !== null && parent >= 0 ? this.ctxOf(d, parent).rec.id : d.main.rec.id;
      if (r.parentId === r.id) r.parentId = d.main.rec.id;
    }
    this.dirtyContexts.add(r.id);
    this.afterFrameChange();
    return true;
  }

  private onChannel(c: CtxState, ev: ChannelEvent): boolean {
    if (typeof ev.port1 !== 'number' || typeof ev.port2 !== 'number' || ev.port1 === ev.port2) return this.invalid();
    const channel = ++this.channels;
    const a = this.addPort(channel, c, ev.at);
    const b = this.addPort(channel, c, ev.at);
    a.entangledWith = b.id;
    b.entangledWith = a.id;
    c.ports.set(ev.port1, a.id);
    c.ports.set(ev.port2, b.id);
    c.pending.delete(ev.port1);
    c.pending.delete(ev.port2);
    return true;
  }

  private onPortState(c: CtxState, ev: PortStateEvent): boolean {
    if (typeof ev.port !== 'number') return this.invalid();
    const id = this.portRef(c, ev.port, ev.at);
    if (id < 0) return false;
    const p = this.ports[id - 1];
    if (ev.k === 'start') {
      if (!p.started) {
        p.started = true;
        const h = p.holders[p.holders.length - 1];
        if (h && h.contextId === c.rec.id && h.startedAt === null) h.startedAt = ev.at;
      }
    } else if (!p.closed) {
      p.closed = true;
      p.closedAt = ev.at;
    }
    this.dirtyPorts.add(id);
    return true;
  }

  private onListen(c: CtxState, ev: ListenEvent): boolean {
    if (ev.via !== 'port' || typeof ev.port !== 'number') return true;
    const id = this.portRef(c, ev.port, ev.at);
    if (id < 0) return false;
    if (ev.type === 'message') {
      const p = this.ports[id - 1];
      p.listeners = Math.max(0, p.listeners + (ev.op === 'add' ? 1 : -1));
      this.dirtyPorts.add(id);
    }
    return true;
  }

  private onMismatch(c: CtxState, ev: MismatchEvent): boolean {
    let messageId: number | null = null;
    if (typeof ev.msg === 'number') {
      const i = c.recentLocal.lastIndexOf(ev.msg);
      const r = i >= 0 ? c.recentRec[i] : undefined;
      if (r && r.id >= this.store.firstId && r.id > 0) messageId = r.id;
    }
    const m: MismatchRecord = { contextId: c.rec.id, at: ev.at, messageId, expected: text(String(ev.expected)) as string, actual: text(String(ev.actual)) as string };
    this.mismatches.push(m);
    this.newMismatches.push(m);
    return true;
  }

  private onPost(c: CtxState, ev: PostEvent): boolean {
    const tr = ev.transfer;
    const p = ev.predicted;
    if (!Array.isArray(tr) || typeof p !== 'object' || p === null || !VIAS.has(ev.via)) return this.invalid();
    for (let i = 0; i < tr.length; i++) if (typeof tr[i] !== 'object' || tr[i] === null) return this.invalid();
    // Resolve every port first: an event that must wait has no effect yet.
    let fromPort: number | null = null;
    if (ev.via === 'port') {
      if (typeof ev.port !== 'number') return this.invalid();
      fromPort = this.portRef(c, ev.port, ev.at);
      if (fromPort < 0) return false;
    }
    let transfer = NO_TRANSFER;
    if (tr.length) {
      transfer = new Array(tr.length);
      for (let i = 0; i < tr.length; i++) {
        const t = tr[i];
        let id = int(t.id);
        const kind = TRANSFER_KINDS.has(t.kind) ? t.kind : 'other';
        if (kind === 'MessagePort' && id !== null) {
          id = this.portRef(c, id, ev.at);
          if (id < 0) return false;
        }
        transfer[i] = { kind, id, bytes: finite(t.bytes) };
      }
    }
    const r = newMessage(ev.via);
    r.fromContext = c.rec.id;
    r.sentAt = ev.at;
    r.fromPort = fromPort;
    r.transfer = transfer;
    r.bytes = finite(ev.bytes);
    r.targetOrigin = text(ev.targetOrigin);
    r.stack = ev.stack !== undefined ? (c.doc.strings.get(ev.stack) ?? null) : null;
    c.recentLocal[c.recentPos] = ev.msg;
    c.recentRec[c.recentPos] = r;
    c.recentPos = (c.recentPos + 1) % RECENT;

    if (p.o === 'error') {
      r.outcome = { status: 'error', reason: text(`${p.name}: ${p.message}`) };
      this.commit(r);
      return true;
    }
    // The transfer happened: ports left the sender, even when the message is then lost.
    if (transfer.length) this.ship(transfer);
    if (p.o === 'dropped') {
      r.outcome = { status: 'dropped', reason: text(String(p.reason)) };
      this.commit(r);
      this.loseTransfer(r);
      return true;
    }
    r.outcome = p.o === 'queued' ? QUEUED : SENT;
    switch (ev.via) {
      case 'port': {
        const partner = this.ports[(fromPort as number) - 1].entangledWith;
        r.toPort = partner;
        this.route(r, 'send', fromPort as number);
        return true;
      }
      case 'window':
        if (!ev.target || typeof ev.target !== 'object' || !Array.isArray(ev.target.down)) {
          this.commit(r);
          return true;
        }
        this.routeWindowSend(r, c, ev.target);
        return true;
      case 'worker': {
        const to = c.rec.ctx === 0 ? this.ctxOf(c.doc, typeof ev.object === 'number' ? ev.object : undefined) : this.parentCtx(c);
        if (!to || to === c) {
          this.commit(r);
          return true;
        }
        r.toContext = to.rec.id;
        this.route(r, 'send', `k${c.rec.id}>${to.rec.id}`);
        return true;
      }
      case 'clone':
        r.toContext = c.rec.id;
        this.route(r, 'send', `c${c.rec.id}`);
        return true;
      default:
        // BroadcastChannel: one send, many receivers; the protocol has no channel name to pair them.
        this.commit(r);
        return true;
    }
  }

  private onDeliver(c: CtxState, ev: DeliverEvent): boolean {
    if (!Array.isArray(ev.ports) || !VIAS.has(ev.via)) return this.invalid();
    let toPort: number | null = null;
    if (ev.via === 'port') {
      if (typeof ev.port !== 'number') return this.invalid();
      toPort = this.portRef(c, ev.port, ev.at);
      if (toPort < 0) return false;
    }
    const r = newMessage(ev.via);
    r.toContext = c.rec.id;
    r.toPort = toPort;
    r.deliveredAt = ev.at;
    r.type = ev.type === 'messageerror' ? 'messageerror' : 'message';
    r.origin = text(ev.origin);
    r.listeners = int(ev.listeners);
    r.handlerMs = finite(ev.handlerMs);
    r.preview = text(ev.preview);
    r.outcome = r.type === 'messageerror' ? MESSAGEERROR : ev.listeners === 0 ? NO_LISTENER : DELIVERED;
    // The ports that arrived are known once the send that carried them is matched.
    for (let k = 0; k < ev.ports.length; k++) if (typeof ev.ports[k] === 'number') c.pending.set(ev.ports[k], { rec: r, k });

    switch (ev.via) {
      case 'port': {
        const from = this.ports[(toPort as number) - 1].entangledWith;
        if (from === null) this.orphanDelivery(r, c);
        else this.route(r, 'deliver', from);
        return true;
      }
      case 'window':
        if (!ev.source || typeof ev.source !== 'object' || !Array.isArray(ev.source.down)) this.orphanDelivery(r, c);
        else this.routeWindowDelivery(r, c, ev.source);
        return true;
      case 'worker': {
        const from = c.rec.ctx === 0 ? this.ctxOf(c.doc, typeof ev.object === 'number' ? ev.object : undefined) : this.parentCtx(c);
        if (!from || from === c) this.orphanDelivery(r, c);
        else this.route(r, 'deliver', `k${from.rec.id}>${c.rec.id}`);
        return true;
      }
      case 'clone':
        this.route(r, 'deliver', `c${c.rec.id}`);
        return true;
      default:
        this.orphanDelivery(r, c);
        return true;
    }
  }

  // ───────────────────────── matching ─────────────────────────

  /** Pairs an incoming half with the lane's waiting other half, or stores it to wait. */
  private route(r: MessageRecord, side: 'send' | 'deliver', key: LaneKey): void {
    const m = side === 'send' ? this.matcher.offerSend(key, r) : this.matcher.offerDelivery(key, r);
    if (m === null) {
      this.commit(r);
      return;
    }
    if (m === NO_SEND) {
      this.orphanDelivery(r, this.ctxById.get(r.toContext as number) as CtxState);
      return;
    }
    if (m === EVICTED_HALF) {
      // The other half was evicted by the budget; keep this one, marked so.
      if (side === 'send') r.outcome = { status: 'delivered', reason: 'delivery-evicted' };
      this.commit(r);
      if (side === 'deliver') this.givePendingNewIds(this.ctxById.get(r.toContext as number) as CtxState, r);
      return;
    }
    if (side === 'send') this.join(r, m, m);
    else this.join(m, r, m);
  }

  /** Makes one record of a send and its delivery; `into` is the half already stored. */
  private join(send: MessageRecord, del: MessageRecord, into: MessageRecord): void {
    if (into === send) {
      into.toContext = del.toContext;
      into.deliveredAt = del.deliveredAt;
      into.type = del.type;
      if (del.toPort !== null) into.toPort = del.toPort;
      into.origin = del.origin;
      into.listeners = del.listeners;
      into.handlerMs = del.handlerMs;
      into.preview = del.preview;
      into.outcome = del.outcome;
    } else {
      into.fromContext = send.fromContext;
      into.sentAt = send.sentAt;
      into.fromPort = send.fromPort;
      into.transfer = send.transfer;
      into.bytes = send.bytes;
      into.targetOrigin = send.targetOrigin;
      into.stack = send.stack;
      // The recent-message ring of the sender points at the discarded half: repoint it.
      const sc = this.ctxById.get(send.fromContext as number);
      if (sc) {
        const i = sc.recentRec.lastIndexOf(send);
        if (i >= 0) sc.recentRec[i] = into;
      }
    }
    if (into.sentAt !== null && into.deliveredAt !== null) into.waitMs = into.deliveredAt - into.sentAt;
    this.store.touch(into);
    const rc = this.ctxById.get(del.toContext as number);
    if (rc) this.arrive(rc, del, into);
  }

  /** Ports that came with `del` into `c` take the ids of the ports in the send's transfer list. */
  private arrive(c: CtxState, del: MessageRecord, msg: MessageRecord): void {
    if (!c.pending.size) {
      if (msg.transfer.some((t) => t.kind === 'MessagePort')) this.count('port-identity-lost', 1);
      return;
    }
    const sent: number[] = [];
    for (const t of msg.transfer) if (t.kind === 'MessagePort' && t.id !== null) sent.push(t.id);
    let found = false;
    for (const [local, w] of c.pending) {
      if (w.rec !== del) continue;
      found = true;
      c.pending.delete(local);
      const id = sent[w.k];
      if (id === undefined) {
        this.count('port-identity-lost', 1);
        this.freshArrival(c, local, msg);
        continue;
      }
      c.ports.set(local, id);
      const p = this.ports[id - 1];
      p.holders.push({ contextId: c.rec.id, since: msg.deliveredAt ?? 0, messageId: msg.id || null, startedAt: null });
      p.started = false;
      p.listeners = 0;
      p.lostIn = null;
      this.dirtyPorts.add(id);
    }
    if (!found && sent.length) this.count('port-identity-lost', 1);
    if (found && c.doc.bHead < c.doc.blocked.length) this.wake.add(c.doc);
  }

  /** A delivery no send will match: store it, and its ports get new ids now. */
  private orphanDelivery(r: MessageRecord, c: CtxState): void {
    this.commit(r);
    this.givePendingNewIds(c, r);
  }

  private routeWindowSend(r: MessageRecord, c: CtxState, path: WindowPath): void {
    const from = c.rec.frameId as number;
    const to = this.frames.resolve(from, path);
    if (to === UNRESOLVED) return this.park({ side: 'send', rec: r, ctx: c, path });
    if (to === OUTSIDE) return this.commit(r);
    const target = this.frames.currentContext(to);
    const tc = target !== undefined ? this.contexts[target - 1] : undefined;
    r.toContext = target ?? null;
    const want = r.targetOrigin;
    if (tc && tc.origin && want !== null && want !== '*') {
      const wanted = want === '/' ? c.rec.origin : originOf(want);
      // The browser drops it silently at the target: no delivery will come to match.
      if (wanted !== null && wanted !== tc.origin) {
        r.outcome = { status: 'dropped', reason: 'target-origin-mismatch' };
        this.commit(r);
        this.loseTransfer(r);
        return;
      }
    }
    this.route(r, 'send', `w${from}>${to}`);
  }

  private routeWindowDelivery(r: MessageRecord, c: CtxState, path: WindowPath): void {
    const to = c.rec.frameId as number;
    const from = this.frames.resolve(to, path);
    if (from === UNRESOLVED) return this.park({ side: 'deliver', rec: r, ctx: c, path });
    if (from === OUTSIDE) return this.orphanDelivery(r, c);
    this.route(r, 'deliver', `w${from}>${to}`);
  }

  private park(p: Parked): void {
    this.parked.push(p);
    if (this.parked.length > 10_000) {
      const old = this.parked.shift() as Parked;
      this.count('unresolved-window-target', 1);
      this.commit(old.rec);
      if (old.side === 'deliver') this.givePendingNewIds(old.ctx, old.rec);
    }
  }

  /** The frame tree changed: parked window messages may resolve, contexts may find parents. */
  private afterFrameChange(): void {
    if (this.frames.version === this.seenFrameVersion) return;
    this.seenFrameVersion = this.frames.version;
    for (const c of this.ctxWaitingParent) this.findParent(c);
    if (!this.parked.length) return;
    const parked = this.parked;
    this.parked = [];
    for (const p of parked) {
      if (p.side === 'send') this.routeWindowSend(p.rec, p.ctx, p.path);
      else this.routeWindowDelivery(p.rec, p.ctx, p.path);
    }
  }

  private findParent(c: CtxState): void {
    const pf = c.rec.parentFrameId;
    if (c.rec.ctx !== 0 || pf === null || pf < 0) {
      this.ctxWaitingParent.delete(c);
      return;
    }
    const p = this.frames.currentContext(pf);
    if (p === undefined) {
      this.ctxWaitingParent.add(c);
      return;
    }
    c.rec.parentId = p;
    this.dirtyContexts.add(c.rec.id);
    this.ctxWaitingParent.delete(c);
  }

  private parentCtx(c: CtxState): CtxState | undefined {
    return c.rec.parentId !== null ? this.ctxById.get(c.rec.parentId) : undefined;
  }

  // ───────────────────────── ports ─────────────────────────

  /** Global id of a context's local port; -1 when it is still in flight (wait). */
  private portRef(c: CtxState, local: number, at: number): number {
    const g = c.ports.get(local);
    if (g !== undefined) return g;
    if (c.pending.has(local)) return -1;
    // Never seen made or arriving (its events were lost): a port of unknown birth.
    const p = this.addPort(null, c, at);
    c.ports.set(local, p.id);
    return p.id;
  }

  private addPort(channelId: number | null, c: CtxState | null, at: number): PortRecord {
    const p = newPort(this.ports.length + 1, channelId, c ? c.rec.id : null, at);
    if (c) p.holders.push({ contextId: c.rec.id, since: at, messageId: null, startedAt: null });
    this.ports.push(p);
    this.dirtyPorts.add(p.id);
    return p;
  }

  /** Ports in flight toward `c` (all, or those carried by `only`) whose send will not be seen. */
  private givePendingNewIds(c: CtxState, only?: MessageRecord): void {
    if (!c || !c.pending.size) return;
    for (const [local, w] of c.pending) {
      if (only && w.rec !== only) continue;
      c.pending.delete(local);
      this.freshArrival(c, local, w.rec);
    }
    if (c.doc.bHead < c.doc.blocked.length) this.wake.add(c.doc);
  }

  private freshArrival(c: CtxState, local: number, carrier: MessageRecord): void {
    const at = carrier.deliveredAt ?? 0;
    const p = newPort(this.ports.length + 1, null, null, null);
    p.shipped = true;
    p.holders.push({ contextId: c.rec.id, since: at, messageId: carrier.id || null, startedAt: null });
    this.ports.push(p);
    this.dirtyPorts.add(p.id);
    c.ports.set(local, p.id);
    if (carrier.transfer === NO_TRANSFER) carrier.transfer = [];
    if (!carrier.transfer.some((t) => t.id === p.id)) carrier.transfer.push({ kind: 'MessagePort', id: p.id, bytes: null });
    this.store.touch(carrier);
  }

  private ship(transfer: TransferRecord[]): void {
    for (const t of transfer) {
      if (t.kind !== 'MessagePort' || t.id === null) continue;
      const p = this.ports[t.id - 1];
      p.shipped = true;
      this.dirtyPorts.add(p.id);
    }
  }

  private loseTransfer(r: MessageRecord): void {
    for (const t of r.transfer) {
      if (t.kind !== 'MessagePort' || t.id === null) continue;
      this.ports[t.id - 1].lostIn = r.id;
      this.dirtyPorts.add(t.id);
    }
  }

  // ───────────────────────── storage ─────────────────────────

  /** Stores a record (it gets its id now) and keeps the budget. */
  private commit(r: MessageRecord): void {
    r.id = this.store.nextId;
    this.store.add(r);
    if (this.store.records.length > this.options.maxMessages) {
      const n = this.store.enforce();
      this.count('message-budget', n);
      const first = this.store.firstId;
      this.matcher.trim(first, (w) => this.carriesPorts(w));
    }
  }

  private carriesPorts(r: MessageRecord): boolean {
    if (r.transfer.length) return true;
    const c = r.toContext !== null ? this.ctxById.get(r.toContext) : undefined;
    if (!c || !c.pending.size) return false;
    for (const w of c.pending.values()) if (w.rec === r) return true;
    return false;
  }

  private count(cause: string, n: number): void {
    this.dropped.set(cause, (this.dropped.get(cause) ?? 0) + n);
    this.droppedChanged = true;
  }

  private invalid(): true {
    this.count('invalid-event', 1);
    return true;
  }

  private droppedObject(): Record<string, number> {
    return Object.fromEntries(this.dropped);
  }
}

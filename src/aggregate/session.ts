// One Session per tab: turns the per-document event streams into one model with global ids.
//
// Order of work for a batch: dedupe by (doc, seq) and hold it until earlier ones arrive;
// then its events run in order. Nothing blocks on another frame: a window or worker delivery
// is a whole message by itself, and a port that arrives in a message whose send is unseen is
// an Unknown (unknown.ts) whose messages wait loose until it is identified, by its send when
// one is reported, else by inference over the ports its source held (identify.ts).
// `releaseHeld()` forces everything through when the missing part will not come.
//
// Its parts: the state (core.ts, written and read by state.ts), input checks (input.ts),
// unknown ports and their identification (port-identity.ts; the inference is identify.ts),
// window routing (windows.ts), send/delivery lanes (matcher.ts), BroadcastChannel lanes
// (broadcast.ts), decoded calls (calls.ts), storage (store.ts).

import {
  isPageBatch,
  PORT_KNOWN_CLOSED,
  PORT_KNOWN_SHIPPED,
  PORT_KNOWN_STARTED,
  type ChannelEvent,
  type MismatchEvent,
  type PageBatch,
  type PageEvent,
  type PortStateEvent,
  type PortsKnownEvent,
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
} from '../protocol/session';
import { Core, RECENT, resolveOptions, type CtxState, type DocState, type SessionOptions } from './core';
import { UnknownPorts } from './port-identity';
import { Windows } from './windows';
import { PortBook } from './port-book';
import { Documents } from './documents';
import { Joins } from './joins';
import { BroadcastRoute } from './broadcast-route';
import { ListenerBook } from './listener-book';
import { Deltas, type SessionData } from './deltas';
import { Traffic } from './traffic';
import type { BatchSource } from './contexts';
import { onMicroGrid } from '../protocol/compact';
import { CAUSE, FORBIDDEN_KEYS, int, text } from './input';
import { Interner } from './intern';
import { Budgets } from './budgets';
import type { MessageStore } from './store';
import { readState, writeState, type SessionState, type WriteStateOptions } from './state';
import type { WorkerSwitch } from './worker-inside';

export type { BatchSource } from './contexts';
export type { SessionOptions } from './core';
export type { SessionData } from './deltas';

export type IngestResult = 'applied' | 'held' | 'duplicate' | 'rejected';

/** Work the Session is waiting on; when it stays non-zero, call releaseHeld(). */
export interface PendingWork {
  heldBatches: number;
  /** Ports that arrived in a message whose send is unseen and are not identified yet. */
  unknownPorts: number;
  unresolvedWindows: number;
  waitingHalves: number;
}

export class Session {
  private readonly k: Core;
  /** Local → global ports, their use, and what transfers do to them (port-book.ts). */
  private readonly book: PortBook;
  /** Ports that arrived in a message whose send is unseen, until they are known (port-identity.ts). */
  private readonly unknownPorts: UnknownPorts;
  /** Window routing and the frame tree's effects (windows.ts). */
  private readonly windows: Windows;

  /** Send ↔ delivery joins and storing records (joins.ts). */
  private readonly joins: Joins;
  /** BroadcastChannel sends and deliveries (broadcast-route.ts). */
  private readonly bc: BroadcastRoute;
  /** Documents, their contexts, when each began and ended (documents.ts). */
  private readonly documents: Documents;
  /** Listener registrations (listener-book.ts). */
  private readonly listenerBook: ListenerBook;
  /** Snapshots and deltas for panels (deltas.ts). */
  private readonly deltas: Deltas;
  /** Posts and deliveries made into records and routed (traffic.ts). */
  private readonly traffic: Traffic;
  /** Port and listener budgets (budgets.ts). */
  private readonly budgets: Budgets;

  constructor(options: SessionOptions = {}) {
    this.k = new Core(resolveOptions(options), {
      skew: (send, del) => this.joins.clockSkew(send.fromContext, del.toContext),
      agree: (send, del) => this.joins.agree(send, del),
    });
    this.book = new PortBook(this.k);
    this.windows = new Windows(this.k, {
      commit: (r) => this.joins.commit(r),
      route: (r, side, key) => this.joins.route(r, side, key),
      loseTransfer: (r) => this.book.loseTransfer(r),
      endContext: (c, at) => this.documents.endContext(c, at),
    });
    this.budgets = new Budgets(this.k);
    this.unknownPorts = new UnknownPorts(this.k, {
      commit: (r) => this.joins.commit(r),
      route: (r, side, key) => this.joins.route(r, side, key),
      loseTransfer: (r) => this.book.loseTransfer(r),
      keepRefs: (r) => this.book.keepRefs(r),
      contextAt: (frame, at) => this.windows.contextAt(frame, at),
      settledSource: (id, at) => this.windows.settledSource(id, at),
      clockSkew: (a, b) => this.joins.clockSkew(a, b),
    });
    this.documents = new Documents(this.k, this.windows, this.book);
    this.joins = new Joins(this.k, this.book, this.unknownPorts);
    this.listenerBook = new ListenerBook(this.k, this.book, this.documents);
    this.deltas = new Deltas(this.k, this.budgets, this.listenerBook);
    this.bc = new BroadcastRoute(this.k, this.joins);
    this.traffic = new Traffic(this.k, { book: this.book, joins: this.joins, windows: this.windows, documents: this.documents, unknownPorts: this.unknownPorts, bc: this.bc, strings: new Interner() });
  }

  get options(): Required<SessionOptions> {
    return this.k.options;
  }

  // ───────────────────────── public API ─────────────────────────

  /** Takes one batch from a document. Resends and duplicates are ignored ('duplicate'). */
  ingest(batch: PageBatch, source: BatchSource): IngestResult {
    if (!isPageBatch(batch) || !source || !Number.isInteger(source.frameId)) {
      this.k.count('invalid-batch', 1);
      return 'rejected';
    }
    let d = this.k.docs.get(batch.doc);
    if (!d) {
      const w = source.owner ? this.documents.workerDoc(batch.doc, source.owner) : this.documents.newDoc(batch.doc, source);
      if (!w) {
        this.k.count('worker-owner-unknown', 1);
        return 'rejected';
      }
      d = w;
    }
    if (batch.seq < d.nextSeq || d.held.has(batch.seq)) return 'duplicate';
    if (batch.seq > d.nextSeq) {
      d.held.set(batch.seq, batch);
      if (d.held.size > this.k.options.maxHeldBatches) this.forceGap(d);
      this.unknownPorts.identify(false);
      this.deltas.portsKnownBetter();
      this.budgets.enforce();
      return d.held.has(batch.seq) ? 'held' : 'applied';
    }
    this.apply(d, batch);
    this.applyHeldRun(d);
    this.unknownPorts.identify(false);
    this.deltas.portsKnownBetter();
    this.budgets.enforce();
    return 'applied';
  }

  /**
   * Forces through everything waiting on data that may never come: batches after a gap
   * (the gap is counted in dropped['batch-gap']), window messages whose other frame never
   * registered, ports whose identity cannot be inferred (they keep their own id, counted in
   * dropped['port-identity-unknown']).
   */
  releaseHeld(): void {
    for (const d of this.k.docs.values()) if (d.held.size) this.forceGap(d);
    const parked = this.k.parked;
    this.k.parked = [];
    for (const p of parked) this.joins.commit(p.rec);
    this.unknownPorts.identify(true);
    this.unknownPorts.giveUpAll();
    this.deltas.portsKnownBetter();
    this.budgets.enforce();
  }

  pendingWork(): PendingWork {
    let heldBatches = 0;
    for (const d of this.k.docs.values()) heldBatches += d.held.size;
    return { heldBatches, unknownPorts: this.k.unknowns.length, unresolvedWindows: this.k.parked.length, waitingHalves: this.k.matcher.waiting() };
  }

  /**
   * Frame `openerFrameId` opened a popup whose top frame is `popupFrameId` (the background
   * numbers a popup's frames into its opener's session). Told as soon as the browser creates
   * it, so that messages from it resolve before its first batch arrives; its batches say it again.
   */
  openedPopup(popupFrameId: number, openerFrameId: number): void {
    this.k.frames.setOpener(popupFrameId, openerFrameId);
  }

  /** A tab of this session closed (a popup): the documents current in its frames ended then. */
  framesClosed(frames: readonly number[], at: number): void {
    for (const f of frames) {
      const id = this.k.frames.currentContext(f);
      if (id !== undefined) this.documents.endContext(this.k.contexts[id - 1], at);
    }
  }

  /**
   * A document's relay went away while its tab was recorded: its frame was removed or navigated
   * (or it went into the back/forward cache, whence a later batch brings it back). Nothing in
   * the page's own events says so, so the background tells it, with its own clock.
   */
  documentGone(doc: string, at: number): void {
    const d = this.k.docs.get(doc);
    if (d && d.main.rec.kind === 'window') this.documents.endContext(d.main.rec, at);
  }

  /**
   * Forgets recorded messages, findings, mismatches and counts; topology and ids stay.
   * Lanes keep their place in line, so messages already in flight still pair correctly.
   */
  clear(): void {
    this.k.store.clear();
    this.k.matcher.trim(this.k.store.firstId, (w) => this.joins.carriesPorts(w));
    this.k.calls.clear();
    for (const c of this.k.ctxById.values()) {
      c.recentLocal.fill(-1);
      c.recentRec = new Array(RECENT);
    }
    this.deltas.cleared();
    this.k.dropped.clear();
    this.k.droppedChanged = true;
  }

  context(id: number): ContextRecord | undefined {
    return this.k.contexts[id - 1];
  }
  port(id: number): PortRecord | undefined {
    return this.k.ports.get(id);
  }
  message(id: number): MessageRecord | undefined {
    return this.k.store.get(id);
  }
  /** Messages evicted by the budget so far. */
  get evicted(): number {
    return this.k.store.evicted;
  }
  /** The stored messages, for checkpoints that write only what changed (src/background/checkpoints.ts). */
  get messageStore(): MessageStore {
    return this.k.store;
  }
  get messageCount(): number {
    return this.k.store.records.length;
  }

  data(): SessionData {
    return this.deltas.data();
  }

  /** Everything, for a panel that just connected. Follow it with deltas where rev > snapshot.rev. */
  snapshot(): AggregateSnapshot {
    return this.deltas.snapshot();
  }

  /**
   * The snapshot with messages as blocks of columns: what to post to a panel. Full blocks
   * that did not change since the last call are reused, so repeated snapshots stay cheap.
   */
  packedSnapshot(): PackedSnapshot {
    return this.deltas.packedSnapshot();
  }

  /** What was added or changed since the previous delta; null when nothing was. */
  takeDelta(): AggregateDelta | null {
    return this.deltas.takeDelta();
  }

  /** Findings come from src/audit; the Session only keeps and ships them. */
  setFindings(findings: FindingRecord[]): void {
    this.deltas.setFindings(findings);
  }

  /**
   * All state as plain data (JSON- and structured-clone-safe), for a worker that may be
   * stopped. Live references: serialize or clone it before the Session goes on.
   */
  toJSON(): SessionState {
    return writeState(this.k);
  }

  /** All state with messages as blocks of columns: for structured-clone storage (IndexedDB). */
  toState(options: WriteStateOptions = { packed: true }): SessionState {
    return writeState(this.k, options);
  }

  /** A context's local state (its ports' local ids, its document), for replay routing. */
  contextState(id: number): Readonly<CtxState> | undefined {
    return this.k.ctxById.get(id);
  }

  /** The main context of a reporting document. */
  documentState(doc: string): Readonly<CtxState> | undefined {
    return this.k.docs.get(doc)?.main;
  }

  /** Every reporting document's main context, by document id (breakpoints per document). */
  *documentStates(): IterableIterator<[string, Readonly<CtxState>]> {
    for (const [doc, d] of this.k.docs) yield [doc, d.main];
  }

  /** Every context's local state (Store as global variable looks for a live document). */
  contextStates(): IterableIterator<Readonly<CtxState>> {
    return this.k.ctxById.values();
  }

  /** The window path from one frame to another, when the frame tree knows it. */
  pathBetween(from: number, to: number): WindowPath | null {
    return this.k.frames.pathBetween(from, to);
  }

  /** The next batch seq expected from a document: batches below it are applied (or given up). */
  nextSeq(doc: string): number {
    return this.k.docs.get(doc)?.nextSeq ?? 1;
  }

  /** The background's word on "Record inside workers" for this tab: every worker says again whether it is recorded inside. */
  setWorkerSwitch(sw: WorkerSwitch): void {
    this.documents.setWorkerSwitch(sw);
  }

  static restore(state: SessionState): Session {
    const s = new Session(state.options);
    readState(s.k, state);
    s.deltas.restored();
    s.windows.restored();
    return s;
  }

  // ───────────────────────── batches ─────────────────────────

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
      if (seq > d.nextSeq) this.k.count('batch-gap', seq - d.nextSeq);
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
    for (let i = 0; i < events.length; i++) this.handle(d, events[i]);
    // The stream has passed upTo even when its last event is older (identify.ts waits on it).
    // (On the events' microsecond grid, as handle puts them.)
    const upTo = typeof batch.upTo === 'number' ? onMicroGrid(batch.upTo) : NaN;
    if (upTo > d.lastAt) d.lastAt = upTo;
    if (!events.length) return;
    // After the events: the batch's own context event says whether this is a window at all.
    const first = events[0] as PageEvent | undefined;
    const last = events[events.length - 1] as PageEvent | undefined;
    if (first && Number.isFinite(first.at)) this.documents.touchFrame(d, first.at);
    if (last && Number.isFinite(last.at)) this.documents.touchFrame(d, last.at);
  }

  // ───────────────────────── events ─────────────────────────

  private handle(d: DocState, ev: PageEvent): void {
    if (typeof ev !== 'object' || ev === null || typeof ev.at !== 'number' || !Number.isFinite(ev.at)) {
      this.k.count('invalid-event', 1);
      return;
    }
    const n = (ev as { ctx?: unknown }).ctx;
    if (n !== undefined && (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)) {
      this.invalid();
      return;
    }
    // Every time on the grid compact posts and deliveries travel on: an object event keeps
    // the page clock's float error (Chromium's 52.90000000037253), which would put a post of
    // the same clock tick before it.
    ev.at = onMicroGrid(ev.at);
    if (ev.at > d.lastAt) d.lastAt = ev.at;
    if (ev.k === 'end') {
      // The page's word for a context it reported (a worker it terminated), never its own.
      const ended = n ? d.ctxs.get(n) : undefined;
      if (ended) this.documents.endContext(ended.rec, ev.at);
      else this.invalid();
      return;
    }
    const c = this.documents.ctxOf(d, n);
    if (n && ev.k !== 'context') c.reports = true;
    switch (ev.k) {
      case 'post':
        return this.traffic.onPost(c, ev);
      case 'deliver':
        return this.traffic.onDeliver(c, ev);
      case 'channel':
        return this.onChannel(c, ev);
      case 'start':
      case 'close':
        return this.onPortState(c, ev);
      case 'ports':
        return this.onPortsKnown(c, ev);
      case 'listen':
        return this.listenerBook.onListen(c, ev);
      case 'listenerStats':
        return this.listenerBook.onListenerStats(c, ev);
      case 'context':
        return this.documents.onContext(d, ev);
      case 'mismatch':
        return this.onMismatch(c, ev);
      case 'dropped':
        if (typeof ev.cause === 'string' && CAUSE.test(ev.cause) && !FORBIDDEN_KEYS.has(ev.cause) && Number.isSafeInteger(ev.count) && ev.count > 0) {
          this.k.count(ev.cause, ev.count);
        } else this.k.count('invalid-event', 1);
        return;
      default:
        this.k.count('invalid-event', 1);
    }
  }

  private onChannel(c: CtxState, ev: ChannelEvent): void {
    if (typeof ev.port1 !== 'number' || typeof ev.port2 !== 'number' || ev.port1 === ev.port2) return void this.invalid();
    const channel = ++this.k.channels;
    const holder2 = int(ev.holder2);
    const a = this.book.addPort(channel, c, ev.at);
    const b = this.book.addPort(channel, holder2 !== null && holder2 > 0 && holder2 !== c.rec.ctx ? this.documents.ctxOf(c.doc, holder2) : c, ev.at);
    a.entangledWith = b.id;
    b.entangledWith = a.id;
    if (ev.stack !== undefined) a.createdStack = b.createdStack = c.doc.strings.get(ev.stack) ?? null;
    c.ports.set(ev.port1, a.id);
    c.ports.set(ev.port2, b.id);
    c.unknown.delete(ev.port1);
    c.unknown.delete(ev.port2);
  }

  private onPortState(c: CtxState, ev: PortStateEvent): void {
    if (typeof ev.port !== 'number') return void this.invalid();
    const ref = this.book.portRef(c, ev.port, ev.at);
    const p = typeof ref === 'number' ? (this.k.ports.get(ref) as PortRecord) : ref.rec;
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
    this.book.used(ref, ev.at);
    if (typeof ref === 'number') this.k.dirtyPorts.add(ref);
  }

  /**
   * Recording began after the page set up these ports: what it knew of each then. A port the
   * background already follows keeps what it saw; the others get records whose state says it
   * was reported (not seen from birth). Two local partners are one channel.
   */
  private onPortsKnown(c: CtxState, ev: PortsKnownEvent): void {
    const list = ev.ports;
    if (!Array.isArray(list) || list.length % 3 !== 0) return void this.invalid();
    const flagsOf = new Map<number, number>();
    for (let i = 0; i < list.length; i += 3) {
      const id = int(list[i]);
      const flags = int(list[i + 1]);
      if (id === null || id <= 0 || flags === null || flags < 0) return void this.invalid();
      flagsOf.set(id, flags);
    }
    const made = new Map<number, PortRecord>();
    const record = (local: number): PortRecord | undefined => {
      if (c.ports.has(local) || c.unknown.has(local)) return undefined;
      const flags = flagsOf.get(local) as number;
      // Shipped before recording began: not here any more, where it went is not known.
      if (flags & PORT_KNOWN_SHIPPED) return undefined;
      const p = this.book.addPort(null, c, ev.at);
      p.createdIn = p.createdAt = null;
      p.stateKnown = 'reported';
      p.started = (flags & PORT_KNOWN_STARTED) !== 0;
      if (flags & PORT_KNOWN_CLOSED) {
        p.closed = true;
        p.closedAt = ev.at;
      }
      c.ports.set(local, p.id);
      made.set(local, p);
      return p;
    };
    for (let i = 0; i < list.length; i += 3) {
      const a = record(list[i]);
      const partner = int(list[i + 2]) ?? 0;
      if (!a || partner <= 0 || !flagsOf.has(partner)) continue;
      const b = made.get(partner) ?? record(partner);
      if (!b || b.channelId !== null) continue;
      // Two ports of this context entangled with each other were made here by one channel.
      a.channelId = b.channelId = ++this.k.channels;
      a.entangledWith = b.id;
      b.entangledWith = a.id;
      a.createdIn = b.createdIn = c.rec.id;
    }
  }

  private onMismatch(c: CtxState, ev: MismatchEvent): void {
    let messageId: number | null = null;
    if (typeof ev.msg === 'number') {
      const i = c.recentLocal.lastIndexOf(ev.msg);
      const r = i >= 0 ? c.recentRec[i] : undefined;
      if (r && r.id >= this.k.store.firstId && r.id > 0) messageId = r.id;
    }
    const m: MismatchRecord = { contextId: c.rec.id, at: ev.at, messageId, expected: text(String(ev.expected)) as string, actual: text(String(ev.actual)) as string };
    this.deltas.mismatch(m);
  }

  // ───────────────────────── ports ─────────────────────────

  /**
   * Documents whose stream the identification of ports waits on, each with the time (its own
   * clock) its stream must pass: an idle page reports nothing more unless asked (SyncRequest).
   */
  awaitedStreams(): { doc: string; until: number }[] {
    return [...this.k.awaited].map(([d, until]) => ({ doc: d.doc, until }));
  }

  private invalid(): void {
    this.k.count('invalid-event', 1);
  }

}


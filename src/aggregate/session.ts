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
  type DeliverEvent,
  type MismatchEvent,
  type PageBatch,
  type PageEvent,
  type PortStateEvent,
  type PortsKnownEvent,
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
import { OUTSIDE, UNRESOLVED, type BatchSource } from './contexts';
import { Core, RECENT, resolveOptions, type CtxState, type DocState, type SessionOptions } from './core';
import { UnknownPorts } from './port-identity';
import { Windows } from './windows';
import { PortBook } from './port-book';
import { Documents } from './documents';
import { Joins } from './joins';
import { BroadcastRoute } from './broadcast-route';
import { ListenerBook } from './listener-book';
import { Deltas, type SessionData } from './deltas';
import { DELIVERED, MESSAGEERROR, NO_LISTENER, NO_TRANSFER, QUEUED, SENT, newMessage } from './records';
import { onMicroGrid } from '../protocol/compact';
import { CAUSE, FORBIDDEN_KEYS, MAX_SAMPLE, VIAS, finite, int, text } from './input';
import { readSample } from '../protocol/sample-check';
import { samplePreview } from '../protocol/sample-preview';
import type { Unknown } from './unknown';
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
  /** Short strings many records repeat, kept once (intern.ts). */
  private readonly strings = new Interner();
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
        return this.onPost(c, ev);
      case 'deliver':
        return this.onDeliver(c, ev);
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

  private onPost(c: CtxState, ev: PostEvent): void {
    const tr = ev.transfer;
    const p = ev.predicted;
    if (!Array.isArray(tr) || typeof p !== 'object' || p === null || !VIAS.has(ev.via)) return void this.invalid();
    for (let i = 0; i < tr.length; i++) if (typeof tr[i] !== 'object' || tr[i] === null) return void this.invalid();
    let from: number | Unknown | null = null;
    if (ev.via === 'port') {
      if (typeof ev.port !== 'number') return void this.invalid();
      from = this.book.portRef(c, ev.port, ev.at);
    }
    const r = newMessage(ev.via);
    r.fromContext = c.rec.id;
    r.sentAt = ev.at;
    r.fromPort = typeof from === 'number' ? from : null;
    if (tr.length) r.transfer = this.book.transferOf(c, tr, ev.at);
    r.bytes = finite(ev.bytes);
    r.targetOrigin = this.strings.intern(text(ev.targetOrigin));
    r.stack = ev.stack !== undefined ? (c.doc.strings.get(ev.stack) ?? null) : null;
    if (ev.replay === true) {
      const of = int(ev.replayOf);
      r.replayOf = of !== null && of > 0 ? of : null;
    }
    // The sender's data, for a send whose delivery is out of sight (src/instrument/send-sample.ts).
    const sample = ev.sample === undefined ? null : readSample(ev.sample, MAX_SAMPLE);
    if (sample !== null) {
      r.sample = this.strings.intern(ev.sample as string);
      r.sampleFrom = 'sender';
      r.preview = this.strings.intern(samplePreview(sample));
      this.k.calls.decode(r, sample);
    }
    c.recentLocal[c.recentPos] = ev.msg;
    c.recentRec[c.recentPos] = r;
    c.recentPos = (c.recentPos + 1) % RECENT;

    if (p.o === 'error') {
      r.outcome = { status: 'error', reason: text(`${p.name}: ${p.message}`) };
      r.errorPath = text(p.path);
    } else {
      // The transfer happened: ports left the sender, even when the message is then lost.
      if (r.transfer.length) this.book.ship(r.transfer);
      if (p.o === 'dropped') r.outcome = { status: 'dropped', reason: text(String(p.reason)) };
      else r.outcome = p.o === 'queued' ? QUEUED : SENT;
    }
    if (from !== null && typeof from !== 'number') {
      // Sent on a port not identified yet: it waits loose with the port.
      this.book.used(from, ev.at);
      from.recs.push(r);
      this.book.keepRefs(r);
      return;
    }
    if (from !== null) this.book.used(from, ev.at);
    if (p.o === 'error') return this.joins.commit(r);
    if (p.o === 'dropped') {
      this.joins.commit(r);
      this.book.loseTransfer(r);
      return;
    }
    switch (ev.via) {
      case 'port':
        r.toPort = (this.k.ports.get(from as number) as PortRecord).entangledWith;
        // Toward a port held where nothing reports (a worker), the send is all there is to see.
        if (r.toPort !== null) r.toContext = this.book.silentHolder(r.toPort);
        this.joins.route(r, 'send', from as number);
        if (r.deliveredAt === null) this.documents.receiverGone(r);
        break;
      case 'window':
        // A replay is the one window send this instrumentation reports: it says nothing of the page's own.
        if (ev.replay !== true) c.doc.windowSends = true;
        if (!ev.target || typeof ev.target !== 'object' || !Array.isArray(ev.target.down)) this.joins.commit(r);
        else this.windows.routeWindowSend(r, c, ev.target);
        break;
      case 'worker': {
        const to = this.documents.workerPeer(c, ev.object);
        if (!to || to === c) {
          this.joins.commit(r);
          break;
        }
        r.toContext = to.rec.id;
        this.joins.route(r, 'send', `k${c.rec.id}>${to.rec.id}`);
        // Nothing runs inside a worker to report the arrival: the ports are its from now on.
        if (!to.reports && r.transfer.length) this.book.handOver(r, to);
        break;
      }
      case 'clone':
        r.toContext = c.rec.id;
        this.joins.route(r, 'send', `c${c.rec.id}`);
        break;
      default:
        this.bc.send(r, c, ev);
    }
    this.book.keepRefs(r);
  }

  private onDeliver(c: CtxState, ev: DeliverEvent): void {
    if (!Array.isArray(ev.ports) || !VIAS.has(ev.via)) return void this.invalid();
    let to: number | Unknown | null = null;
    if (ev.via === 'port') {
      if (typeof ev.port !== 'number') return void this.invalid();
      to = this.book.portRef(c, ev.port, ev.at);
      this.book.used(to, ev.at);
    }
    const r = newMessage(ev.via);
    r.toContext = c.rec.id;
    r.toPort = typeof to === 'number' ? to : null;
    r.deliveredAt = ev.at;
    r.type = ev.type === 'messageerror' ? 'messageerror' : 'message';
    r.origin = this.strings.intern(text(ev.origin));
    const listeners = int(ev.listeners);
    r.listeners = listeners !== null && listeners >= 0 ? listeners : null;
    r.handlerMs = finite(ev.handlerMs);
    // The page sends a sample and no preview: the preview is derived from the checked sample.
    const sample = ev.type === 'message' ? readSample(ev.sample, MAX_SAMPLE) : null;
    r.sample = sample === null ? null : this.strings.intern(ev.sample as string);
    if (sample !== null) r.sampleFrom = 'receiver';
    this.k.calls.decode(r, sample);
    r.preview = this.strings.intern(sample === null ? text(ev.preview) : samplePreview(sample));
    r.bufferBytes = finite(ev.bufferBytes);
    if (ev.via === 'window') r.originRead = typeof ev.originRead === 'boolean' ? ev.originRead : null;
    r.outcome = r.type === 'messageerror' ? MESSAGEERROR : r.listeners === 0 ? NO_LISTENER : DELIVERED;

    // Where it came from, for sends that will never be reported (windows, workers).
    let srcFrame: number | null = null;
    let srcCtx: CtxState | undefined;
    let path: WindowPath | null = null;
    let infer = false;
    if (ev.via === 'window') {
      infer = true;
      if (!ev.source || typeof ev.source !== 'object' || !Array.isArray(ev.source.down)) infer = false;
      else {
        const f = this.windows.sourceFrame(c.rec.frameId as number, ev.source, r.origin, ev.at);
        if (f === UNRESOLVED) path = ev.source;
        else if (f === OUTSIDE) infer = false;
        else srcFrame = f;
      }
    } else if (ev.via === 'worker') {
      srcCtx = this.documents.workerPeer(c, ev.object);
      if (srcCtx === c) srcCtx = undefined;
      infer = srcCtx !== undefined && !srcCtx.reports;
    }
    const ports = ev.ports;
    this.joins.brought(r, ports.length);
    for (let k = 0; k < ports.length; k++) {
      const local = ports[k];
      if (typeof local !== 'number') continue;
      const u = this.unknownPorts.newUnknown(c, local, r, k, ev.at);
      u.infer = infer;
      u.srcFrame = srcFrame;
      u.srcCtx = srcCtx ? srcCtx.rec.id : null;
      u.path = path;
      if (infer) {
        // Its send is never reported: the message lists the port it brought.
        const t: TransferRecord = { kind: 'MessagePort', id: null, bytes: null };
        if (r.transfer === NO_TRANSFER) r.transfer = [];
        r.transfer.push(t);
        this.k.byTransfer.set(t, u);
        u.refs.push(t);
      }
    }

    if (to !== null && typeof to !== 'number') {
      to.recs.push(r);
      return;
    }
    switch (ev.via) {
      case 'port': {
        const from = (this.k.ports.get(to as number) as PortRecord).entangledWith;
        if (from === null) this.joins.commit(r);
        else {
          // The partner sits in a context that reports nothing (a worker): its send will
          // likely never be seen, so the delivery names it already. A send that does come
          // (the port came back to a document) still pairs and corrects it.
          const silent = this.book.silentHolder(from);
          if (silent !== null) {
            r.fromContext = silent;
            r.fromPort = from;
          }
          this.joins.route(r, 'deliver', from);
        }
        break;
      }
      case 'window':
        if (path) this.windows.park({ side: 'deliver', rec: r, ctx: c, path });
        else if (srcFrame === null) this.joins.commit(r);
        else this.windows.windowDelivery(r, c, srcFrame, isSelf(ev.source));
        break;
      case 'worker':
        if (!srcCtx) this.joins.commit(r);
        else {
          r.fromContext = srcCtx.rec.id;
          this.joins.route(r, 'deliver', `k${srcCtx.rec.id}>${c.rec.id}`);
        }
        break;
      case 'clone':
        this.joins.route(r, 'deliver', `c${c.rec.id}`);
        break;
      default:
        this.bc.deliver(r, c, ev);
    }
    this.book.keepRefs(r);
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

/** The path of a window to itself. */
function isSelf(p: WindowPath | null | undefined): boolean {
  return !!p && p.up === 0 && Array.isArray(p.down) && p.down.length === 0 && p.rel === undefined;
}

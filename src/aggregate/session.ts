// One Session per tab: turns the per-document event streams into one model with global ids.
// It only wires its parts together and is the API the background, CLI and traces use.
//
// Order of work for a batch: dedupe by (doc, seq) and hold it until earlier ones arrive
// (batches.ts); then its events run in order (page-events.ts). Nothing blocks on another
// frame: a window or worker delivery is a whole message by itself, and a port that arrives in a
// message whose send is unseen is an Unknown (unknown.ts) whose messages wait loose until it is
// identified, by its send when one is reported, else by inference over the ports its source
// held (identify.ts). `releaseHeld()` forces everything through when the missing part will not come.
//
// Its parts: the state (core.ts, written and read by state.ts), input checks (input.ts),
// documents and contexts (documents.ts), ports (port-book.ts), posts and deliveries
// (traffic.ts), unknown ports and their identification (port-identity.ts; the inference is
// identify.ts), window routing (windows.ts), joins of the two halves (joins.ts over matcher.ts's
// lanes), BroadcastChannel (broadcast-route.ts over broadcast.ts), listeners (listener-book.ts),
// decoded calls (calls.ts), budgets (budgets.ts, store.ts), what panels are sent (deltas.ts).

import { isPageBatch, type PageBatch, type WindowPath } from '../protocol/messages';
import type { AggregateDelta, AggregateSnapshot, ContextRecord, FindingRecord, MessageRecord, PackedSnapshot, PortRecord } from '../protocol/session';
import { Batches } from './batches';
import { BroadcastRoute } from './broadcast-route';
import { Budgets } from './budgets';
import type { BatchSource } from './contexts';
import { Core, RECENT, resolveOptions, type CtxState, type SessionOptions } from './core';
import { Deltas, type SessionData } from './deltas';
import { Documents } from './documents';
import { Interner } from './intern';
import { Joins } from './joins';
import { ListenerBook } from './listener-book';
import { PageEvents } from './page-events';
import { PortBook } from './port-book';
import { UnknownPorts } from './port-identity';
import { readState, writeState, type SessionState, type WriteStateOptions } from './state';
import type { MessageStore } from './store';
import { Traffic } from './traffic';
import { Windows } from './windows';
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
  /** BroadcastChannel sends held until other documents' events pass a delivery that may be theirs. */
  waitingBroadcasts: number;
}

export class Session {
  private readonly k: Core;
  /** Local → global ports, their use, and what transfers do to them (port-book.ts). */
  private readonly book: PortBook;
  /** Ports that arrived in a message whose send is unseen, until they are known (port-identity.ts). */
  private readonly unknownPorts: UnknownPorts;
  /** BroadcastChannel deliveries joined with their sends (broadcast-route.ts). */
  private readonly broadcast: BroadcastRoute;
  /** Window routing and the frame tree's effects (windows.ts). */
  private readonly windows: Windows;
  /** Send ↔ delivery joins and storing records (joins.ts). */
  private readonly joins: Joins;
  /** Documents, their contexts, when each began and ended (documents.ts). */
  private readonly documents: Documents;
  /** Listener registrations (listener-book.ts). */
  private readonly listenerBook: ListenerBook;
  /** Snapshots and deltas for panels (deltas.ts). */
  private readonly deltas: Deltas;
  /** Batch order per document; each batch's events go to their parts (batches.ts, page-events.ts). */
  private readonly batches: Batches;
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
    const bc = (this.broadcast = new BroadcastRoute(this.k, this.joins));
    const traffic = new Traffic(this.k, { book: this.book, joins: this.joins, windows: this.windows, documents: this.documents, unknownPorts: this.unknownPorts, bc, strings: new Interner() });
    const events = new PageEvents(this.k, { documents: this.documents, book: this.book, listenerBook: this.listenerBook, traffic, deltas: this.deltas });
    this.batches = new Batches(this.k, events, this.documents);
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
    const result = this.batches.take(d, batch);
    if (result === 'duplicate') return result;
    this.unknownPorts.identify(false);
    // After identify, which starts the list of streams awaited afresh.
    this.broadcast.retryBehind();
    this.deltas.portsKnownBetter();
    this.budgets.enforce();
    return result;
  }

  /**
   * Forces through everything waiting on data that may never come: batches after a gap
   * (the gap is counted in dropped['batch-gap']), window messages whose other frame never
   * registered, ports whose identity cannot be inferred (they keep their own id, counted in
   * dropped['port-identity-unknown']).
   */
  releaseHeld(): void {
    this.batches.forceAll();
    const parked = this.k.parked;
    this.k.parked = [];
    for (const p of parked) this.joins.commit(p.rec);
    this.unknownPorts.identify(true);
    this.unknownPorts.giveUpAll();
    this.broadcast.release();
    this.deltas.portsKnownBetter();
    this.budgets.enforce();
  }

  pendingWork(): PendingWork {
    return { heldBatches: this.batches.heldCount(), unknownPorts: this.k.unknowns.length, unresolvedWindows: this.k.parked.length, waitingHalves: this.k.matcher.waiting(), waitingBroadcasts: this.broadcast.waiting };
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

  /**
   * Documents whose stream the identification of ports waits on, each with the time (its own
   * clock) its stream must pass: an idle page reports nothing more unless asked (SyncRequest).
   */
  awaitedStreams(): { doc: string; until: number }[] {
    return [...this.k.awaited].map(([d, until]) => ({ doc: d.doc, until }));
  }

}


// Buffers a context's events and flushes them as one compact batch per task at most, and
// at most one per flushDelay.
// Until the relay says whether anyone is recording, events are kept (bounded) so
// "record from page load" loses nothing; when recording is off, nothing is kept.
// Whatever a budget drops is counted and reported as a `dropped` event.
import { compactEvents, type Built } from '../protocol/compact';
import { PROTOCOL_VERSION, type PageBatch, type PageEvent, type WireBatch } from '../protocol/messages';
import type { Natives } from './natives';

/** Where batches go: the private bridge in a page, an array in tests. */
export interface Transport {
  send(batch: PageBatch): void;
  /** Passes on a batch of a worker this context made, as it came (with its owner). */
  forward?(wire: WireBatch): void;
}

export type RecordingState = 'pending' | 'on' | 'off';

export interface RecorderOptions {
  /** Events kept while waiting to learn whether recording is on. */
  pendingBudget?: number;
  /** Events kept between two flushes while recording: a page that posts more than this in
   * one task (the flush cannot run before the task ends) has the rest counted as dropped. */
  burstBudget?: number;
  /** Largest batch; a burst beyond it is split over several flushes. */
  maxBatch?: number;
  /**
   * Least time between two flushes, ms. The first event after a quiet spell goes out at the
   * end of its task; a busy page's events wait for the next flush, one per this interval.
   */
  flushDelay?: number;
}

/** A sync further ahead of this clock than this is not waited for (the clocks disagree). */
const MAX_SYNC_AHEAD_MS = 10_000;

export class Recorder {
  state: RecordingState = 'pending';
  readonly doc: string;
  private seq = 0;
  /** Full batches waiting to be sent, then the one being filled. */
  // Every array here has no prototype (Natives.list): a page that defines setters on
  // Array.prototype indices can never see what is recorded.
  private full: (PageEvent | Built)[][];
  private events: (PageEvent | Built)[];
  private buffered = 0;
  private strings: Map<string, number>;
  private lastString = 0;
  private newStrings: [number, string][];
  private scheduled = false;
  /** When the last flush ran (this document's clock; -Infinity: none yet). */
  private lastFlush = -Infinity;
  /** A flush is wanted although nothing is buffered (beforeFlush has something to read). */
  private poked = false;
  /** Runs at the start of each flush while recording: last events for the batch (listener counts). */
  beforeFlush: (() => void) | null = null;
  private droppedByCause: Record<string, number>;
  private droppedTotal = 0;
  private readonly pendingBudget: number;
  private readonly burstBudget: number;
  private readonly maxBatch: number;
  private readonly flushDelay: number;
  /** The latest time a sync asked this clock to pass, not answered yet (-Infinity: none). */
  private syncUntil = -Infinity;

  constructor(
    private readonly n: Natives,
    private transport: Transport | null,
    opts: RecorderOptions = {},
  ) {
    this.doc = n.randomId();
    this.strings = new n.Map();
    this.full = n.list();
    this.events = n.list();
    this.newStrings = n.list();
    this.droppedByCause = n.create(null);
    this.pendingBudget = opts.pendingBudget ?? 50_000;
    this.burstBudget = opts.burstBudget ?? 1_000_000;
    this.maxBatch = opts.maxBatch ?? 5_000;
    this.flushDelay = opts.flushDelay ?? 15;
  }

  /** True when events should be produced at all: callers skip the work otherwise. */
  get active(): boolean {
    return this.state !== 'off';
  }

  setTransport(t: Transport): void {
    this.transport = t;
    this.schedule();
  }

  /** Runs when recording turns on after having been off: state that predates it is reported again. */
  onStart: (() => void) | null = null;

  setRecording(on: boolean): void {
    const wasOff = this.state === 'off';
    this.state = on ? 'on' : 'off';
    if (on && wasOff && this.onStart) this.onStart();
    if (!on) {
      this.events = this.n.list();
      this.full = this.n.list();
      this.buffered = 0;
      this.newStrings = this.n.list();
      this.strings = new this.n.Map();
      this.lastString = 0;
      this.droppedByCause = this.n.create(null);
    }
    this.schedule();
  }

  /** Id of a string in this document's table; the text is sent once. */
  intern(text: string): number {
    let id = this.n.mapGet(this.strings, text);
    if (id === undefined) {
      id = ++this.lastString;
      this.n.mapSet(this.strings, text, id);
      this.newStrings[this.newStrings.length] = [id, text];
    }
    return id;
  }

  /** Buffers one event: an object, or a post or delivery built compact (src/protocol/compact.ts). */
  emit(event: PageEvent | Built): void {
    if (this.state === 'off') return;
    if (this.buffered >= (this.state === 'pending' ? this.pendingBudget : this.burstBudget)) {
      this.drop(this.state === 'pending' ? 'pending-budget' : 'burst-budget', 1);
      return;
    }
    const events = this.events;
    events[events.length] = event;
    this.buffered++;
    if (events.length >= this.maxBatch) {
      this.full[this.full.length] = events;
      this.events = this.n.list();
    }
    if (!this.scheduled) this.schedule();
  }

  /** Asks for a flush soon even if no event is emitted before it (beforeFlush will add some). */
  poke(): void {
    this.poked = true;
    if (!this.scheduled) this.schedule();
  }

  /**
   * Answers the background's sync (SyncRequest): once this document's clock has passed
   * `until`, a flush, empty if need be, tells it how far the stream has come (upTo).
   */
  sync(until: number): void {
    if (this.state !== 'on' || !(until > this.syncUntil) || until - this.n.now() > MAX_SYNC_AHEAD_MS) return;
    const armed = this.syncUntil !== -Infinity;
    this.syncUntil = until;
    if (!armed) this.armSync();
  }

  private armSync(): void {
    const wait = this.syncUntil - this.n.now();
    // +1: a timer may fire a little early by this clock (engines round it).
    this.n.setTimeout(() => this.syncDue(), wait > 0 ? wait + 1 : 0);
  }

  private syncDue(): void {
    if (this.state !== 'on') this.syncUntil = -Infinity;
    else if (this.n.now() <= this.syncUntil) this.armSync();
    else {
      this.syncUntil = -Infinity;
      this.flush(true);
    }
  }

  drop(cause: string, count: number): void {
    this.droppedByCause[cause] = (this.droppedByCause[cause] ?? 0) + count;
    this.droppedTotal += count;
  }

  private schedule(): void {
    if (this.scheduled || this.state !== 'on' || !this.transport) return;
    if (this.buffered === 0 && this.droppedTotal === 0 && !this.poked) return;
    this.scheduled = true;
    // Right after this task when the last flush is long past: a frame removed just after it
    // handled a message has then reported it (the document and its buffer go together). Not
    // in a microtask: that runs between two listeners of one event, before the record is whole.
    const wait = this.lastFlush + this.flushDelay - this.n.now();
    this.n.setTimeout(() => this.flush(), wait > 0 ? wait : 0);
  }

  /** Sends what is buffered now, in batches of at most maxBatch events; `always`: even none. */
  flush(always = false): void {
    // Before `scheduled` drops: what beforeFlush emits joins this flush instead of starting a timer.
    if (this.beforeFlush && this.state === 'on' && this.transport) this.beforeFlush();
    this.scheduled = false;
    this.poked = false;
    if (this.state !== 'on' || !this.transport) return;
    // One clock reading for the whole flush: every event before it is in these batches.
    const now = this.n.now();
    this.lastFlush = now;
    if (this.droppedTotal > 0) {
      for (const cause in this.droppedByCause) {
        this.events[this.events.length] = { k: 'dropped', at: now, cause, count: this.droppedByCause[cause] };
      }
      this.droppedByCause = this.n.create(null);
      this.droppedTotal = 0;
    }
    const chunks = this.full;
    if (this.events.length > 0 || (always && chunks.length === 0)) chunks[chunks.length] = this.events;
    this.full = this.n.list();
    this.events = this.n.list();
    this.buffered = 0;
    // The last batch says how far the stream has come.
    const upTo = chunks.length > 0 ? now : 0;
    for (let i = 0; i < chunks.length; i++) {
      // Posts and deliveries as flat arrays, whichever way the batch travels: a third of the
      // bytes for every hop to carry.
      compactEvents(chunks[i], this.n.list, this.n.keys, this.n.isArray);
      const strings = this.newStrings;
      if (strings.length > 0) this.newStrings = this.n.list();
      // One literal: creating properties never runs a setter the page put on Object.prototype.
      // (An undefined field is left out of the JSON text.)
      const batch: PageBatch = {
        v: PROTOCOL_VERSION,
        doc: this.doc,
        seq: ++this.seq,
        strings: strings.length > 0 ? strings : undefined,
        events: chunks[i] as PageEvent[], // compact forms included: the background expands them
        upTo: i === chunks.length - 1 ? upTo : undefined,
      };
      this.transport.send(batch);
    }
  }
}

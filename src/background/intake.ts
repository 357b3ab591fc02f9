// The background's batch handling, without the browser: a batch from a relay is checked
// against where its document was first seen (bindings.ts), applied to its tab's Session, kept
// until the store says it is durable, and only then acknowledged to its relay. A batch that is
// not durable is not acknowledged: the relay keeps it and sends it again.
import { batchOfWire, type BackgroundToRelay, type PageBatch, type RelayToBackground } from '../protocol/messages';
import type { BatchSource, IngestResult, Session } from '../aggregate';
import { CHECKPOINT_CHUNKS } from './checkpoints';
import { DocBindings, type BindCheck, type Sender } from './bindings';
import { batchOfEntry, type LogEntry, type Store } from './store';

/** The relay's runtime port, as far as the intake uses it. */
export interface RelayLink {
  postMessage(msg: BackgroundToRelay): void;
}

/** What the intake needs of a tab. */
export interface IntakeTab {
  session: Session;
  /** The last log key its session includes. */
  lastKey: number;
  /** Batches in the log since the last checkpoint. */
  logged: number;
}

export interface IntakeHost {
  store(): Store | null;
  /** The session's tab, made if need be. */
  tab(tabId: number): IntakeTab;
  /** The tab if it is still open. */
  openTab(tabId: number): IntakeTab | undefined;
  /** Batches of the tab are durable and `logged` passed the checkpoint threshold. */
  checkpointDue(tabId: number): void;
  /** Logs what could not be made durable (console in the extension). */
  warn?(what: string, e: unknown): void;
}

export type Refusal = Exclude<BindCheck, 'ok'>;
export type Received = IngestResult | `refused-${Refusal}`;

interface Pending<L> extends LogEntry {
  doc: string;
  /** What the ack says: every batch of the document up to this one was received (acks are cumulative). */
  ackSeq: number;
  /** Received before: acknowledged again (the first ack may be what was lost), not logged twice. */
  duplicate: boolean;
  link: L;
}

export class Intake<L extends RelayLink> {
  readonly bindings = new DocBindings<L>();
  /** Batches refused before their session, by session tab and cause (shown with the tab's state). */
  readonly refused = new Map<number, Record<string, number>>();
  /** Flushes the store failed (their batches stay unacknowledged, so their relays keep them). */
  storeFailures = 0;
  private pending: Pending<L>[] = [];

  constructor(
    private host: IntakeHost,
    private checkpointEvery = 2000,
  ) {}

  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * One relay message. `sessionTab` and `source` are where the batch is recorded (a popup's
   * frames join their opener's session); `from` is who the browser says sent it.
   */
  receive(sessionTab: number, source: BatchSource, from: Sender, wire: RelayToBackground, link: L): { result: Received; doc: string | null } {
    const t = this.host.tab(sessionTab);
    const batch = batchOfWire(wire) as PageBatch;
    // A malformed batch is counted by the session (invalid-batch) and shown; nothing to keep.
    const doc = typeof batch === 'object' && batch !== null ? (batch as { doc?: unknown }).doc : undefined;
    if (typeof doc === 'string') {
      const bound = this.bindings.check(doc, from, link);
      if (bound !== 'ok') {
        const counts = this.refused.get(sessionTab) ?? {};
        counts[`batch-${bound}`] = (counts[`batch-${bound}`] ?? 0) + 1;
        this.refused.set(sessionTab, counts);
        return { result: `refused-${bound}`, doc };
      }
    }
    const result = t.session.ingest(batch, source);
    if (result === 'rejected') return { result, doc: null };
    // Acks are cumulative: a batch held for an earlier one acknowledges only what came before the gap.
    const ackSeq = t.session.nextSeq(batch.doc) - 1;
    this.pending.push({ tabId: sessionTab, source, from, wire, doc: batch.doc, ackSeq, link, duplicate: result === 'duplicate' });
    return { result, doc: batch.doc };
  }

  private flushing: Promise<void> = Promise.resolve();

  /**
   * Makes received batches durable, then acknowledges them to their relays. Flushes run one
   * after another, so an ack never overtakes an earlier batch still being written.
   */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow());
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    const entries = this.pending;
    this.pending = [];
    if (!entries.length) return;
    const fresh = entries.filter((e) => !e.duplicate);
    const store = this.host.store();
    try {
      if (store && fresh.length) {
        const keys = await store.append(fresh.map(({ tabId, source, from, wire }) => ({ tabId, source, from, wire })));
        fresh.forEach((e, i) => {
          const t = this.host.openTab(e.tabId);
          if (!t) return; // closed meanwhile (its log goes at the next start)
          t.lastKey = Math.max(t.lastKey, keys[i]);
          t.logged++;
        });
      }
    } catch (e) {
      // Not durable: leave them unacknowledged; the relays resend after a restart.
      this.storeFailures++;
      this.host.warn?.('could not persist batches', e);
      return;
    }
    // Acks are cumulative: one per relay and document, the highest, for all its batches here.
    const acks = new Map<L, Map<string, number>>();
    for (const e of entries) {
      if (e.ackSeq < 1) continue;
      const docs = acks.get(e.link) ?? new Map<string, number>();
      acks.set(e.link, docs);
      docs.set(e.doc, Math.max(docs.get(e.doc) ?? 0, e.ackSeq));
    }
    for (const [link, docs] of acks)
      for (const [doc, seq] of docs) {
        try {
          link.postMessage({ t: 'ack', doc, seq });
        } catch {
          /* the frame went away */
        }
      }
    for (const id of new Set(fresh.map((e) => e.tabId))) {
      const t = this.host.openTab(id);
      // Or once enough messages changed: a checkpoint's pause follows the chunks it writes.
      if (t && (t.logged >= this.checkpointEvery || t.session.messageStore.dirtyChunkCount >= CHECKPOINT_CHUNKS)) this.host.checkpointDue(id);
    }
  }

  /** Replays a logged entry at a restart (it was accepted once: it binds, it is not checked). */
  replay(t: IntakeTab, key: number, entry: LogEntry): void {
    const batch = batchOfEntry(entry) as PageBatch;
    if (entry.from && typeof batch?.doc === 'string') this.bindings.restore(batch.doc, entry.from);
    t.session.ingest(batch, entry.source);
    t.lastKey = key;
    t.logged++;
  }

  forgetTab(tabId: number): void {
    this.refused.delete(tabId);
    this.bindings.forgetTab(tabId);
  }
}

// Incremental checkpoints. A tab's messages are kept on disk as chunks of CHUNK messages in
// columns; a checkpoint writes only the chunks that changed since the last one (new messages,
// deliveries joined to older sends, evictions), then a head: the rest of the session, which
// names its chunks by serial. So a checkpoint's pauses follow what changed, not how long the
// recording is.
//
// A chunk is never overwritten: a changed chunk gets a new serial, and the chunks the new head
// no longer names are deleted in the head's own transaction. A worker stopped between the
// chunks and the head (a torn write) leaves the previous head whole, its chunks untouched, and
// a few chunks nobody names: the next checkpoint deletes those.
//
// Everything the head and its chunks hold is taken at one instant (plan), before the first
// write: batches applied while the chunks are written go to the next checkpoint.
import { packMessages, type Session } from '../aggregate';
import { chunkOf } from '../aggregate/store';
import type { MessageColumns } from '../protocol/session';
import type { Checkpoint, Store } from './store';

/** Changed message chunks (CHUNK messages each) that call for a checkpoint (intake.ts). */
export const CHECKPOINT_CHUNKS = 4;

/** What a head says beside the session (extension/background.ts fills it). */
export type HeadMeta = Omit<Checkpoint, 'tabId' | 'state' | 'chunks'>;

export interface CheckpointPlan {
  /** Chunks to store first: [chunk index, serial, columns]. */
  puts: [number, number, MessageColumns][];
  head: Checkpoint;
  /** Serials the head no longer names (replaced, evicted, cleared, or left by a torn write). */
  drop: number[];
}

export class CheckpointWriter {
  /** Chunk index → serial of the stored chunk the last committed head names. */
  private written = new Map<number, number>();
  /** Serials on disk that no committed head names: deleted with the next head. */
  private orphans = new Set<number>();
  /** Chunks a failed checkpoint had taken as dirty: written by the next one. */
  private retry = new Set<number>();
  private nextSerial = 1;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(readonly tabId: number) {}

  /**
   * After a restart: the chunks the restored head names, and every serial found on disk for
   * the tab (those it does not name were left by a torn write). `named` is empty when the
   * head was not restored (another version's, a chunk missing): then all go.
   */
  static restored(tabId: number, named: readonly [number, number][], onDisk: Iterable<number>): CheckpointWriter {
    const w = new CheckpointWriter(tabId);
    for (const [c, serial] of named) w.written.set(c, serial);
    for (const serial of onDisk) {
      if (![...w.written.values()].includes(serial)) w.orphans.add(serial);
      w.nextSerial = Math.max(w.nextSerial, serial + 1);
    }
    for (const [, serial] of named) w.nextSerial = Math.max(w.nextSerial, serial + 1);
    return w;
  }

  /** Takes the session as it is now: the chunks that changed, packed, and the head (a clone). */
  plan(session: Session, meta: HeadMeta): CheckpointPlan {
    const store = session.messageStore;
    const dirty = store.takeDirtyChunks();
    for (const c of this.retry) dirty.add(c);
    this.retry.clear();
    const first = store.records.length ? chunkOf(store.firstId) : 0;
    const last = store.records.length ? chunkOf(store.nextId - 1) : -1;
    const puts: [number, number, MessageColumns][] = [];
    const chunks: [number, number][] = [];
    const drop = [...this.orphans];
    for (let c = first; c <= last; c++) {
      const old = this.written.get(c);
      if (old !== undefined && !dirty.has(c)) {
        chunks.push([c, old]);
        continue;
      }
      const serial = this.nextSerial++;
      puts.push([c, serial, packMessages(store.chunkRecords(c))]);
      chunks.push([c, serial]);
      if (old !== undefined) drop.push(old);
    }
    for (const [c, serial] of this.written) if (c < first || c > last) drop.push(serial);
    // The state holds live records: cloned now, so that it is the state of this instant.
    const state = structuredClone(session.toState({ withoutMessages: true }));
    return { puts, head: { ...meta, tabId: this.tabId, state, chunks }, drop };
  }

  /** The head is durable: its chunks are the ones on disk, the dropped ones are gone. */
  committed(plan: CheckpointPlan): void {
    this.written = new Map(plan.head.chunks);
    for (const serial of plan.drop) this.orphans.delete(serial);
  }

  /** The head was not written: its new chunks are orphans, and what it took as dirty is still dirty. */
  failed(plan: CheckpointPlan): void {
    for (const [c, serial] of plan.puts) {
      this.orphans.add(serial);
      this.retry.add(c);
    }
  }

  /**
   * Writes a checkpoint: the changed chunks, one put each (each its own short task), then the
   * head. Checkpoints of a tab run one at a time; asked for during one, one more follows.
   */
  run(store: Store, session: () => Session, meta: () => HeadMeta): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          const plan = this.plan(session(), meta());
          try {
            for (const [, serial, cols] of plan.puts) await store.putChunk(this.tabId, serial, cols);
            await store.checkpoint(plan.head, plan.drop);
          } catch (e) {
            this.failed(plan);
            throw e;
          }
          this.committed(plan);
        } while (this.again && !this.stopped);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** The tab closed: no checkpoint starts any more; resolves once the running one is done. */
  stop(): Promise<void> {
    this.stopped = true;
    return (this.running ?? Promise.resolve()).catch(() => {});
  }
}

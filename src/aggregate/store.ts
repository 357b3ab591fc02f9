// Message records in id order with a budget: past `max`, the oldest are evicted in chunks
// (one splice per chunk, not per message) and counted, so the loss is always shown.
// Also tracks what changed since the last delta so a flush costs O(changes).

import type { MessageColumns, MessageRecord } from '../protocol/session';
import { packMessages } from './columns';

/** Messages per packed block: unchanged full blocks are packed once and reused. */
export const BLOCK = 65_536;
/**
 * Messages per checkpoint chunk (src/background/checkpoints.ts): a checkpoint writes only the
 * chunks that changed since the last one, so its pause does not grow with the recording.
 */
export const CHUNK = 4_096;
export const chunkOf = (id: number): number => Math.floor((id - 1) / CHUNK);

export class MessageStore {
  /** records[i].id === firstId + i */
  records: MessageRecord[] = [];
  firstId = 1;
  nextId = 1;
  evicted = 0;
  /** Ids < deltaFrom that changed since the last delta; ids ≥ deltaFrom are new. */
  private changed = new Set<number>();
  private deltaFrom = 1;
  /** Block index → packed columns of that full, fully retained, unchanged block. */
  private packed = new Map<number, MessageColumns>();
  /** Chunks (CHUNK) with new, changed or evicted records since the last takeDirtyChunks(). */
  private dirtyChunks = new Set<number>();
  private lastDirty = -1;

  constructor(
    readonly max: number,
    readonly chunk: number,
  ) {}

  /** Allocates the next id; the caller fills the record and adds it right away. */
  add(r: MessageRecord): void {
    this.records.push(r);
    this.nextId = r.id + 1;
    const c = chunkOf(r.id);
    if (c !== this.lastDirty) this.dirtyChunks.add((this.lastDirty = c));
    // Each time a block fills, pack the one before the previous: by then its messages have
    // mostly settled, and the first snapshot of a large session finds most blocks ready.
    if (r.id % BLOCK === 0 && r.id >= 2 * BLOCK) this.prepack(r.id / BLOCK - 2);
  }

  /** Reuses blocks packed before a restart (full, aligned blocks only). */
  adopt(blocks: MessageColumns[]): void {
    for (const cols of blocks) {
      const first = cols.count ? cols.id[0] : 0;
      if (cols.count === BLOCK && (first - 1) % BLOCK === 0) this.packed.set((first - 1) / BLOCK, cols);
    }
  }

  private prepack(b: number): void {
    const from = b * BLOCK + 1;
    const to = (b + 1) * BLOCK + 1;
    if (from < this.firstId || to > this.nextId || this.packed.has(b)) return;
    this.packed.set(b, packMessages(this.records.slice(from - this.firstId, to - this.firstId)));
  }

  get(id: number): MessageRecord | undefined {
    return id >= this.firstId ? this.records[id - this.firstId] : undefined;
  }

  /** Marks a stored record as changed for the next delta. */
  touch(r: MessageRecord): void {
    if (r.id < this.deltaFrom && r.id >= this.firstId) this.changed.add(r.id);
    if (r.id >= this.firstId) this.dirtyChunks.add(chunkOf(r.id));
    if (this.packed.size) this.packed.delete(Math.floor((r.id - 1) / BLOCK));
  }

  /** All stored messages as blocks of columns; only new or changed blocks are packed. */
  packedBlocks(): MessageColumns[] {
    const out: MessageColumns[] = [];
    if (!this.records.length) return out;
    const firstBlock = Math.floor((this.firstId - 1) / BLOCK);
    const lastBlock = Math.floor((this.nextId - 2) / BLOCK);
    for (const b of this.packed.keys()) if (b < firstBlock) this.packed.delete(b);
    for (let b = firstBlock; b <= lastBlock; b++) {
      const from = Math.max(b * BLOCK + 1, this.firstId);
      const to = Math.min((b + 1) * BLOCK + 1, this.nextId);
      let cols = this.packed.get(b);
      if (!cols) {
        cols = packMessages(this.records.slice(from - this.firstId, to - this.firstId));
        // Only a complete block can be reused: later messages would land in a partial one.
        if (from === b * BLOCK + 1 && to === (b + 1) * BLOCK + 1) this.packed.set(b, cols);
      }
      out.push(cols);
    }
    return out;
  }

  /** Evicts the oldest chunk(s) if over budget; returns how many were evicted. */
  enforce(): number {
    if (this.records.length <= this.max) return 0;
    const n = Math.min(this.records.length, Math.max(this.records.length - this.max, this.chunk));
    this.records.splice(0, n);
    this.firstId += n;
    this.packed.delete(Math.floor((this.firstId - 1) / BLOCK));
    this.dirtyChunks.add(chunkOf(this.firstId));
    this.evicted += n;
    return n;
  }

  /**
   * Chunks whose records were added, changed or evicted since the last call (all may be
   * missing on disk too: the checkpoint writer adds those it never wrote).
   */
  takeDirtyChunks(): Set<number> {
    const out = this.dirtyChunks;
    this.dirtyChunks = new Set();
    this.lastDirty = -1;
    return out;
  }

  /** How many chunks takeDirtyChunks() would give now. */
  get dirtyChunkCount(): number {
    return this.dirtyChunks.size;
  }

  /** The stored records of a chunk, in id order. */
  chunkRecords(c: number): MessageRecord[] {
    const from = Math.max(c * CHUNK + 1, this.firstId);
    const to = Math.min((c + 1) * CHUNK + 1, this.nextId);
    return to > from ? this.records.slice(from - this.firstId, to - this.firstId) : [];
  }

  /** Added and changed records since the last call, sorted by id. */
  takeDelta(): MessageRecord[] {
    const out: MessageRecord[] = [];
    if (this.changed.size) {
      const ids = [...this.changed].sort((a, b) => a - b);
      for (const id of ids) {
        const r = this.get(id);
        if (r) out.push(r);
      }
      this.changed.clear();
    }
    const from = Math.max(this.deltaFrom, this.firstId);
    for (let i = from - this.firstId; i < this.records.length; i++) out.push(this.records[i]);
    this.deltaFrom = this.nextId;
    return out;
  }

  /** After a snapshot or restore: nothing is pending for deltas. */
  resetDelta(): void {
    this.changed.clear();
    this.deltaFrom = this.nextId;
  }

  clear(): void {
    this.packed.clear();
    this.dirtyChunks.clear();
    this.lastDirty = -1;
    this.firstId = this.nextId;
    this.records = [];
    this.changed.clear();
    this.deltaFrom = this.nextId;
  }
}

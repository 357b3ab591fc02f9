// Message records in id order with a budget: past `max`, the oldest are evicted in chunks
// (one splice per chunk, not per message) and counted, so the loss is always shown.
// Also tracks what changed since the last delta so a flush costs O(changes).

import type { MessageRecord } from '../protocol/session';

export class MessageStore {
  /** records[i].id === firstId + i */
  records: MessageRecord[] = [];
  firstId = 1;
  nextId = 1;
  evicted = 0;
  /** Ids < deltaFrom that changed since the last delta; ids ≥ deltaFrom are new. */
  private changed = new Set<number>();
  private deltaFrom = 1;

  constructor(
    readonly max: number,
    readonly chunk: number,
  ) {}

  /** Allocates the next id; the caller fills the record and adds it right away. */
  add(r: MessageRecord): void {
    this.records.push(r);
    this.nextId = r.id + 1;
  }

  get(id: number): MessageRecord | undefined {
    return id >= this.firstId ? this.records[id - this.firstId] : undefined;
  }

  /** Marks a stored record as changed for the next delta. */
  touch(r: MessageRecord): void {
    if (r.id < this.deltaFrom && r.id >= this.firstId) this.changed.add(r.id);
  }

  /** Evicts the oldest chunk(s) if over budget; returns how many were evicted. */
  enforce(): number {
    if (this.records.length <= this.max) return 0;
    const n = Math.min(this.records.length, Math.max(this.records.length - this.max, this.chunk));
    this.records.splice(0, n);
    this.firstId += n;
    this.evicted += n;
    return n;
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
    this.firstId = this.nextId;
    this.records = [];
    this.changed.clear();
    this.deltaFrom = this.nextId;
  }
}

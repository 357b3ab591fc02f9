// Batch order per document: a batch is applied only after every earlier one (by its seq),
// resends are recognised, later ones wait, and a gap that will not fill is given up on and
// counted (dropped['batch-gap']). Applying one runs its events in order (page-events.ts).

import type { PageBatch, PageEvent } from '../protocol/messages';
import { onMicroGrid } from '../protocol/compact';
import type { Core, DocState } from './core';
import type { Documents } from './documents';
import type { PageEvents } from './page-events';
import { text } from './input';

export class Batches {
  constructor(
    private readonly k: Core,
    private readonly events: PageEvents,
    private readonly documents: Documents,
  ) {}

  /** A document's next batch: applied with the held ones it frees, or held until earlier ones come. */
  take(d: DocState, batch: PageBatch): 'applied' | 'held' | 'duplicate' {
    if (batch.seq < d.nextSeq || d.held.has(batch.seq)) return 'duplicate';
    if (batch.seq > d.nextSeq) {
      d.held.set(batch.seq, batch);
      if (d.held.size > this.k.options.maxHeldBatches) this.forceGap(d);
      return d.held.has(batch.seq) ? 'held' : 'applied';
    }
    this.apply(d, batch);
    this.applyHeldRun(d);
    return 'applied';
  }

  /** Gives up on every gap: the held batches are applied in order. */
  forceAll(): void {
    for (const d of this.k.docs.values()) if (d.held.size) this.forceGap(d);
  }

  /** Batches waiting for an earlier one, in all documents. */
  heldCount(): number {
    let n = 0;
    for (const d of this.k.docs.values()) n += d.held.size;
    return n;
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
    for (let i = 0; i < events.length; i++) this.events.handle(d, events[i]);
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
}

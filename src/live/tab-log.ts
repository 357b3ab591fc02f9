// The live list of one tab's events as the frames reported them: each event with the
// frame it came from. Resent batches are ignored by (document, sequence number).
import type { EventRow, FrameInfo, PageBatch, SessionSnapshot } from '../protocol/messages';

export interface BatchSource {
  frameId: number;
  parentFrameId?: number;
  url: string;
  origin?: string;
}

export const DEFAULT_ROW_BUDGET = 1_000_000;

export class TabLog {
  private rows: EventRow[] = [];
  private n = 0;
  private seen = new Map<string, Set<number>>();
  private frameInfo = new Map<number, FrameInfo>();
  private dropped: Record<string, number> = {};
  private recording = false;

  constructor(
    readonly tabId: number,
    private budget = DEFAULT_ROW_BUDGET,
  ) {}

  setRecording(on: boolean) {
    this.recording = on;
  }

  /** Adds a batch's events; returns the rows added (none for a resend). */
  ingest(batch: PageBatch, src: BatchSource): EventRow[] {
    let seqs = this.seen.get(batch.doc);
    if (!seqs) this.seen.set(batch.doc, (seqs = new Set()));
    if (seqs.has(batch.seq)) return [];
    seqs.add(batch.seq);
    const frame = this.frame(src);
    const added: EventRow[] = [];
    for (const event of batch.events) {
      if (event.k === 'context' && event.kind === 'window') {
        frame.url = event.url;
        frame.origin = event.origin;
      }
      if (event.k === 'dropped') this.dropped[event.cause] = (this.dropped[event.cause] ?? 0) + event.count;
      added.push({ n: ++this.n, frameId: src.frameId, doc: batch.doc, url: frame.url, event });
    }
    this.rows.push(...added);
    if (this.rows.length > this.budget) {
      // Evict the oldest tenth at once so eviction is rare; the count is shown, never silent.
      const evict = this.rows.length - this.budget + Math.floor(this.budget / 10);
      this.rows.splice(0, evict);
      this.dropped['row-budget'] = (this.dropped['row-budget'] ?? 0) + evict;
    }
    return added;
  }

  private frame(src: BatchSource): FrameInfo {
    let f = this.frameInfo.get(src.frameId);
    if (!f) {
      f = { frameId: src.frameId, parentFrameId: src.parentFrameId ?? -1, url: src.url, origin: src.origin ?? '' };
      this.frameInfo.set(src.frameId, f);
    }
    return f;
  }

  frames(): FrameInfo[] {
    return [...this.frameInfo.values()];
  }

  clear() {
    this.rows = [];
    this.dropped = {};
  }

  snapshot(): SessionSnapshot {
    return { tabId: this.tabId, recording: this.recording, frames: this.frames(), rows: this.rows.slice(), dropped: { ...this.dropped } };
  }
}

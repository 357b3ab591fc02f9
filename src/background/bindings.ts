// Which relay a document's batches may come from. A batch names its document by `doc`, an id
// the page side chose; the browser names the sender (tab, frame, Chromium's documentId) and
// the runtime port it came on. The first batch binds the document to all of them; a batch
// naming the document from anywhere else is refused and counted, never applied.
//
// A document's relay opens a new port when recording resumes, after the background restarted
// and when it leaves the back/forward cache: once the bound port has disconnected, the next
// port from the same tab, frame and document takes it over. Firefox gives no documentId, so
// there a frame is the finest check.

export interface Sender {
  /** The browser tab the batch came from (not the session it joins). */
  tab: number;
  frameId: number;
  documentId?: string;
}

export type BindingState = [doc: string, tab: number, frameId: number, documentId: string | null][];

export type BindCheck = 'ok' | 'other-frame' | 'other-document' | 'other-port';

interface Binding<P> extends Sender {
  /** Null once that port disconnected (or after a restart): the next port of the document takes it. */
  port: P | null;
}

export class DocBindings<P = unknown> {
  private byDoc = new Map<string, Binding<P>>();

  /** Binds the document on its first batch; says why a later batch may not be applied. */
  check(doc: string, from: Sender, port: P): BindCheck {
    const b = this.byDoc.get(doc);
    if (!b) {
      this.byDoc.set(doc, { tab: from.tab, frameId: from.frameId, documentId: from.documentId, port });
      return 'ok';
    }
    if (b.tab !== from.tab || b.frameId !== from.frameId) return 'other-frame';
    if (b.documentId !== from.documentId) return 'other-document';
    if (b.port === port) return 'ok';
    if (b.port !== null) return 'other-port';
    b.port = port;
    return 'ok';
  }

  /** A document seen before a restart (its logged batches): bound, its port unknown. */
  restore(doc: string, from: Sender): void {
    if (!this.byDoc.has(doc)) this.byDoc.set(doc, { tab: from.tab, frameId: from.frameId, documentId: from.documentId, port: null });
  }

  /** A port closed: its documents may come back on their next one. */
  release(port: P): void {
    for (const b of this.byDoc.values()) if (b.port === port) b.port = null;
  }

  forgetTab(tab: number): void {
    for (const [doc, b] of this.byDoc) if (b.tab === tab) this.byDoc.delete(doc);
  }

  /** The bindings of documents of these tabs, for a checkpoint (ports do not outlive the worker). */
  toState(tabs: ReadonlySet<number>): BindingState {
    const out: BindingState = [];
    for (const [doc, b] of this.byDoc) if (tabs.has(b.tab)) out.push([doc, b.tab, b.frameId, b.documentId ?? null]);
    return out;
  }

  load(state: unknown): void {
    if (!Array.isArray(state)) return;
    for (const row of state) {
      if (!Array.isArray(row) || typeof row[0] !== 'string' || !Number.isInteger(row[1]) || !Number.isInteger(row[2])) continue;
      if (this.byDoc.has(row[0])) continue;
      this.byDoc.set(row[0], { tab: row[1], frameId: row[2], documentId: typeof row[3] === 'string' ? row[3] : undefined, port: null });
    }
  }
}

// An in-memory store (src/background/store.ts) that can be told to fail, and relay ports that
// record what the background told them.
import type { BackgroundToRelay } from '../../../src/protocol/messages';
import type { Checkpoint, LogEntry, SavedTab, Store } from '../../../src/background/store';
import type { RelayLink } from '../../../src/background/intake';
import type { MessageColumns } from '../../../src/protocol/session';

export class MemoryStore implements Store {
  log = new Map<number, LogEntry>();
  checkpoints = new Map<number, Checkpoint>();
  private nextKey = 1;
  /** Chunks by tab, then serial. */
  chunks = new Map<number, Map<number, MessageColumns>>();
  /** The next this-many writes fail (quota, a closed database). */
  failures = 0;
  /** The next this-many heads fail after their chunks were stored (a worker stopped mid-checkpoint). */
  headFailures = 0;

  private maybeFail() {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('QuotaExceededError');
    }
  }

  async append(entries: LogEntry[]): Promise<number[]> {
    this.maybeFail();
    // Stored as a structured clone would keep it.
    return entries.map((e) => {
      const key = this.nextKey++;
      this.log.set(key, structuredClone(e));
      return key;
    });
  }

  async putChunk(tabId: number, serial: number, cols: MessageColumns): Promise<void> {
    this.maybeFail();
    let m = this.chunks.get(tabId);
    if (!m) this.chunks.set(tabId, (m = new Map()));
    m.set(serial, structuredClone(cols));
  }

  async checkpoint(cp: Checkpoint, drop: readonly number[] = []): Promise<void> {
    this.maybeFail();
    if (this.headFailures > 0) {
      this.headFailures--;
      throw new Error('the worker stopped');
    }
    this.checkpoints.set(cp.tabId, structuredClone(cp));
    for (const serial of drop) this.chunks.get(cp.tabId)?.delete(serial);
    for (const [key, e] of this.log) if (e.tabId === cp.tabId && key <= cp.upTo) this.log.delete(key);
  }

  async forgetTab(tabId: number): Promise<void> {
    this.checkpoints.delete(tabId);
    this.chunks.delete(tabId);
    for (const [key, e] of this.log) if (e.tabId === tabId) this.log.delete(key);
  }

  async loadAll(): Promise<Map<number, SavedTab>> {
    const out = new Map<number, SavedTab>();
    for (const cp of this.checkpoints.values()) out.set(cp.tabId, { checkpoint: structuredClone(cp), log: [] });
    for (const [tabId, m] of this.chunks) {
      let t = out.get(tabId);
      if (!t) out.set(tabId, (t = { checkpoint: null, log: [] }));
      t.chunks = structuredClone(m);
    }
    for (const [key, entry] of [...this.log].sort((a, b) => a[0] - b[0])) {
      let t = out.get(entry.tabId);
      if (!t) out.set(entry.tabId, (t = { checkpoint: null, log: [] }));
      if (!t.checkpoint || key > t.checkpoint.upTo) t.log.push({ key, entry: structuredClone(entry) });
    }
    return out;
  }

  /** Everything on "disk", as text (to look for what must not be there). */
  dump(): string {
    return JSON.stringify({ log: [...this.log], checkpoints: [...this.checkpoints], chunks: [...this.chunks.values()].flatMap((m) => [...m.values()].map((c) => c.text)) });
  }
}

export class FakeLink implements RelayLink {
  sent: BackgroundToRelay[] = [];
  gone = false;
  postMessage(msg: BackgroundToRelay): void {
    if (this.gone) throw new Error('Attempting to use a disconnected port object');
    this.sent.push(msg);
  }
  acks(): number[] {
    return this.sent.flatMap((m) => (m.t === 'ack' ? [m.seq] : []));
  }
}

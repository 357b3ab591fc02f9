// Durable storage for the background, which the browser may stop at any moment (Chrome
// stops an idle service worker after 30 s; tests stop it on purpose). Every batch is
// appended to a log in IndexedDB before the relay is told it arrived; a checkpoint of a
// tab's Session replaces the log from time to time, written a few changed chunks at a time
// (src/background/checkpoints.ts). A restarted worker replays checkpoint + log and so loses
// nothing. What is kept, and for how long: docs/privacy.md.
import type { Checkpoint, LogEntry, SavedTab, Store } from '../src/background/store';
import type { MessageColumns } from '../src/protocol/session';

export { batchOfEntry, type Checkpoint, type LogEntry } from '../src/background/store';

const DB_NAME = 'channel-inspector';
const DB_VERSION = 2;
const LOG = 'log';
const CHECKPOINTS = 'checkpoints';
/** Message chunks, keyed [tabId, serial] (version 2). */
const CHUNKS = 'chunks';
const tabChunks = (tabId: number) => IDBKeyRange.bound([tabId, -Infinity], [tabId, Infinity]);

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((ok, fail) => {
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((ok, fail) => {
    tx.oncomplete = () => ok();
    tx.onerror = () => fail(tx.error);
    tx.onabort = () => fail(tx.error ?? new Error('transaction aborted'));
  });
}

export class Persist implements Store {
  private constructor(private db: IDBDatabase) {}

  static async open(): Promise<Persist> {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = (ev) => {
      const db = req.result;
      if (ev.oldVersion < 1) {
        const log = db.createObjectStore(LOG, { autoIncrement: true });
        log.createIndex('tabId', 'tabId');
        db.createObjectStore(CHECKPOINTS, { keyPath: 'tabId' });
      }
      if (ev.oldVersion < 2) db.createObjectStore(CHUNKS);
    };
    return new Persist(await request(req));
  }

  /** Appends entries in one transaction; resolves when they are durable, with their keys. */
  async append(entries: LogEntry[]): Promise<number[]> {
    const tx = this.db.transaction(LOG, 'readwrite');
    const store = tx.objectStore(LOG);
    const keys = entries.map((e) => request(store.add(e)) as Promise<number>);
    await done(tx);
    return Promise.all(keys);
  }

  /** One chunk per transaction: its clone is the only synchronous work. */
  async putChunk(tabId: number, serial: number, cols: MessageColumns): Promise<void> {
    const tx = this.db.transaction(CHUNKS, 'readwrite');
    tx.objectStore(CHUNKS).put(cols, [tabId, serial]);
    await done(tx);
  }

  /** Replaces a tab's checkpoint and its log up to `upTo`; deletes the chunks it no longer names. */
  async checkpoint(cp: Checkpoint, drop: readonly number[] = []): Promise<void> {
    const tx = this.db.transaction([LOG, CHECKPOINTS, CHUNKS], 'readwrite');
    tx.objectStore(CHECKPOINTS).put(cp);
    const chunks = tx.objectStore(CHUNKS);
    for (const serial of drop) chunks.delete([cp.tabId, serial]);
    const index = tx.objectStore(LOG).index('tabId');
    const cursorReq = index.openCursor(IDBKeyRange.only(cp.tabId));
    cursorReq.onsuccess = () => {
      const cursor = cursorReq.result;
      if (!cursor) return;
      if ((cursor.primaryKey as number) <= cp.upTo) cursor.delete();
      cursor.continue();
    };
    await done(tx);
  }

  async forgetTab(tabId: number): Promise<void> {
    const tx = this.db.transaction([LOG, CHECKPOINTS, CHUNKS], 'readwrite');
    tx.objectStore(CHECKPOINTS).delete(tabId);
    tx.objectStore(CHUNKS).delete(tabChunks(tabId));
    const cursorReq = tx.objectStore(LOG).index('tabId').openCursor(IDBKeyRange.only(tabId));
    cursorReq.onsuccess = () => {
      const cursor = cursorReq.result;
      if (!cursor) return;
      cursor.delete();
      cursor.continue();
    };
    await done(tx);
  }

  /** Every tab's checkpoint and the log entries after it, in order. */
  async loadAll(): Promise<Map<number, SavedTab>> {
    const tx = this.db.transaction([LOG, CHECKPOINTS, CHUNKS], 'readonly');
    const checkpoints = (await request(tx.objectStore(CHECKPOINTS).getAll())) as Checkpoint[];
    const out = new Map<number, SavedTab>();
    for (const cp of checkpoints) out.set(cp.tabId, { checkpoint: cp, chunks: new Map(), log: [] });
    const [chunkKeys, chunkValues] = await Promise.all([request(tx.objectStore(CHUNKS).getAllKeys()), request(tx.objectStore(CHUNKS).getAll())]);
    chunkKeys.forEach((key, i) => {
      const [tabId, serial] = key as [number, number];
      let tab = out.get(tabId);
      if (!tab) out.set(tabId, (tab = { checkpoint: null, chunks: new Map(), log: [] }));
      tab.chunks?.set(serial, chunkValues[i] as MessageColumns);
    });
    await new Promise<void>((ok, fail) => {
      const cursorReq = tx.objectStore(LOG).openCursor();
      cursorReq.onerror = () => fail(cursorReq.error);
      cursorReq.onsuccess = () => {
        const cursor = cursorReq.result;
        if (!cursor) return ok();
        const entry = cursor.value as LogEntry;
        const key = cursor.primaryKey as number;
        let tab = out.get(entry.tabId);
        if (!tab) out.set(entry.tabId, (tab = { checkpoint: null, chunks: new Map(), log: [] }));
        if (!tab.checkpoint || key > tab.checkpoint.upTo) tab.log.push({ key, entry });
        cursor.continue();
      };
    });
    return out;
  }
}

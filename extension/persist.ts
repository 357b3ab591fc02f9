// Durable storage for the background, which the browser may stop at any moment (Chrome
// stops an idle service worker after 30 s; tests stop it on purpose). Every batch is
// appended to a log in IndexedDB before the relay is told it arrived; a checkpoint of a
// tab's Session replaces the log from time to time. A restarted worker replays
// checkpoint + log and so loses nothing. What is kept, and for how long: docs/privacy.md.
import type { Checkpoint, LogEntry, SavedTab, Store } from '../src/background/store';

export { batchOfEntry, type Checkpoint, type LogEntry } from '../src/background/store';

const DB_NAME = 'channel-inspector';
const DB_VERSION = 1;
const LOG = 'log';
const CHECKPOINTS = 'checkpoints';

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
    req.onupgradeneeded = () => {
      const db = req.result;
      const log = db.createObjectStore(LOG, { autoIncrement: true });
      log.createIndex('tabId', 'tabId');
      db.createObjectStore(CHECKPOINTS, { keyPath: 'tabId' });
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

  /** Replaces a tab's log up to `upTo` with a checkpoint of its session. */
  async checkpoint(cp: Checkpoint): Promise<void> {
    const tx = this.db.transaction([LOG, CHECKPOINTS], 'readwrite');
    tx.objectStore(CHECKPOINTS).put(cp);
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
    const tx = this.db.transaction([LOG, CHECKPOINTS], 'readwrite');
    tx.objectStore(CHECKPOINTS).delete(tabId);
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
    const tx = this.db.transaction([LOG, CHECKPOINTS], 'readonly');
    const checkpoints = (await request(tx.objectStore(CHECKPOINTS).getAll())) as Checkpoint[];
    const out = new Map<number, SavedTab>();
    for (const cp of checkpoints) out.set(cp.tabId, { checkpoint: cp, log: [] });
    await new Promise<void>((ok, fail) => {
      const cursorReq = tx.objectStore(LOG).openCursor();
      cursorReq.onerror = () => fail(cursorReq.error);
      cursorReq.onsuccess = () => {
        const cursor = cursorReq.result;
        if (!cursor) return ok();
        const entry = cursor.value as LogEntry;
        const key = cursor.primaryKey as number;
        let tab = out.get(entry.tabId);
        if (!tab) out.set(entry.tabId, (tab = { checkpoint: null, log: [] }));
        if (!tab.checkpoint || key > tab.checkpoint.upTo) tab.log.push({ key, entry });
        cursor.continue();
      };
    });
    return out;
  }
}

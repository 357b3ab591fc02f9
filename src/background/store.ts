// What the background keeps on disk, as an interface: extension/persist.ts implements it over
// IndexedDB; unit tests use an in-memory one that can be told to fail.
import { batchOfWire, type PageBatch, type WireBatch } from '../protocol/messages';
import type { BatchSource, SessionState } from '../aggregate';
import type { BindingState, Sender } from './bindings';

export interface LogEntry {
  tabId: number;
  source: BatchSource;
  /** The batch as the relay sent it: its JSON text costs IndexedDB far less than its objects. */
  wire: WireBatch;
  /** Who the browser said sent it (absent in entries written before documents were bound). */
  from?: Sender;
}

export interface Checkpoint {
  tabId: number;
  /** Log key up to which the state includes the batches. */
  upTo: number;
  state: SessionState;
  preserveLog: boolean;
  /** The panel's record button was off (absent in checkpoints written before it was kept). */
  paused?: boolean;
  /** Where each document's batches come from (absent in older checkpoints). */
  bindings?: BindingState;
  /** Notices the session carries on (a partial restore stays said after the next checkpoint). */
  notices?: string[];
}

export interface SavedTab {
  checkpoint: Checkpoint | null;
  log: { key: number; entry: LogEntry }[];
}

export interface Store {
  /** Appends entries in one transaction; resolves when they are durable, with their keys. */
  append(entries: LogEntry[]): Promise<number[]>;
  /** Replaces a tab's log up to `upTo` with a checkpoint of its session. */
  checkpoint(cp: Checkpoint): Promise<void>;
  /** Deletes everything kept for the tab: its checkpoint and its whole log. */
  forgetTab(tabId: number): Promise<void>;
  /** Every tab's checkpoint and the log entries after it, in order. */
  loadAll(): Promise<Map<number, SavedTab>>;
}

/** The batch a log entry holds (an entry written before `wire` holds the batch itself). */
export function batchOfEntry(entry: LogEntry | { batch: PageBatch }): unknown {
  return 'wire' in entry ? batchOfWire(entry.wire) : entry.batch;
}

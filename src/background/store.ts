// What the background keeps on disk, as an interface: extension/persist.ts implements it over
// IndexedDB; unit tests use an in-memory one that can be told to fail.
import { batchOfWire, type PageBatch, type TabNotice, type WireBatch } from '../protocol/messages';
import type { BatchSource, SessionState } from '../aggregate';
import type { MessageColumns } from '../protocol/session';
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
  /** Notices the session carries on (a partial restore stays said after the next checkpoint); English strings in older checkpoints. */
  notices?: (TabNotice | string)[];
  /**
   * Where the state's messages are: [chunk index, serial of the stored chunk], in id order
   * (checkpoints.ts). Absent in checkpoints written whole, whose state holds its messages.
   */
  chunks?: [number, number][];
}

export interface SavedTab {
  checkpoint: Checkpoint | null;
  /** The tab's stored message chunks by serial, those its checkpoint names and any left by a write cut short. */
  chunks?: Map<number, MessageColumns>;
  log: { key: number; entry: LogEntry }[];
}

export interface Store {
  /** Appends entries in one transaction; resolves when they are durable, with their keys. */
  append(entries: LogEntry[]): Promise<number[]>;
  /** Stores one chunk of a tab's messages; nothing uses it until a checkpoint names it. */
  putChunk(tabId: number, serial: number, cols: MessageColumns): Promise<void>;
  /**
   * Replaces a tab's checkpoint and its log up to `upTo`, and deletes the tab's chunks of
   * these serials (those no checkpoint names any more), all in one transaction.
   */
  checkpoint(cp: Checkpoint, drop?: readonly number[]): Promise<void>;
  /** Deletes everything kept for the tab: its checkpoint, its chunks and its whole log. */
  forgetTab(tabId: number): Promise<void>;
  /** Every tab's checkpoint and the log entries after it, in order. */
  loadAll(): Promise<Map<number, SavedTab>>;
}

/** The batch a log entry holds (an entry written before `wire` holds the batch itself). */
export function batchOfEntry(entry: LogEntry | { batch: PageBatch }): unknown {
  return 'wire' in entry ? batchOfWire(entry.wire) : entry.batch;
}

// The data model of one tab's recorded messaging, shared by src/aggregate (builds it),
// src/trace (writes and reads it), src/audit (judges it) and panels/ (shows it).
// Every field is always present; `null` means "not known", never "absent", so records
// survive JSON and structured clone unchanged and compare deep-equal after a round trip.
//
// Ids are global to one Session (one tab): contexts, ports, channels and messages are
// each numbered from 1 in the order the background learns of them.

import type { CallRole, CallUnpaired, ContextKind, InsideWhy, ListenerKind, ListenerRemoval, ListenerVia, OutcomeStatus, PortStateKnown, SampleSide, Severity, TransferKind, Via, WrappedBy } from './enums';
export type { OutcomeStatus, PortStateKnown, Severity } from './enums';

/** One document (a frame's page) or a worker, in the order it was first seen. */
export interface ContextRecord {
  id: number;
  kind: ContextKind;
  url: string;
  origin: string;
  /** The context that contains this one: a frame's parent document, a worker's creator. */
  parentId: number | null;
  /** The browser's frame id (runtime sender / webNavigation); workers carry their page's. */
  frameId: number | null;
  parentFrameId: number | null;
  /** The browser's document id when the runtime gave one (Chromium). */
  documentId: string | null;
  /** The random id of the event stream that reported this context. */
  doc: string;
  /** Local context number inside that stream: 0 for the document, >0 for its workers. */
  ctx: number;
  top: boolean;
  /** Index of this window in its parent's frames (WindowPath resolution). */
  indexInParent: number | null;
  /** A popup's top document: the context that opened it (window.open, a link with a target). */
  openerId: number | null;
  /** Time of the first event seen from it. */
  createdAt: number | null;
  /** When another document replaced it in its frame (navigation); null while current. */
  endedAt: number | null;
  /** A worker: recorded from inside, or why not (src/aggregate/worker-inside.ts). Absent for windows and older traces. */
  inside?: WorkerInside;
}

/** Whether a worker's own events are recorded (issue 21); a `note` for people says why not. */
export type WorkerInside =
  | { recorded: true }
  /** `text`: the note as a catalogue key and parameters, for the panel's language; not written to trace files. */
  | { recorded: false; why: InsideWhy; note: string; text?: FindingText };

/** One stay of a port in a context: it arrived at `since`, carried by message `messageId`. */
export interface HolderRecord {
  contextId: number;
  since: number;
  /** The message that brought the port here; null where it was created. */
  messageId: number | null;
  /** When this holder started the port (start() or onmessage); each arrival starts disabled. */
  startedAt: number | null;
}

/** One MessagePort, with one id for its whole life however many contexts it moves through. */
export interface PortRecord {
  id: number;
  /** The MessageChannel that made it; null when the port's birth was not seen. */
  channelId: number | null;
  /** The port it was entangled with at birth. Entanglement ends at either side's closedAt. */
  entangledWith: number | null;
  createdIn: number | null;
  createdAt: number | null;
  holders: HolderRecord[];
  /** Started by its current holder. */
  started: boolean;
  closed: boolean;
  closedAt: number | null;
  /** Has been transferred at least once. */
  shipped: boolean;
  /** The message that carried it away and was lost with it (predicted drop). */
  lostIn: number | null;
  /** 'message' listeners the current holder has added (addEventListener) minus removed. */
  listeners: number;
  /** Stack of the `new MessageChannel()` that made it, when reported. Always written by the
   * Session and the trace reader; optional in the type only for hand-built fixtures. */
  createdStack?: string | null;
  /**
   * How its identity is known. Absent or null: observed (made by a channel seen here, or
   * followed through the send that carried it). Otherwise the background could not be certain
   * and says so, with the ports it may be.
   */
  identity?: PortIdentity | null;
  /**
   * How much of started/closed/listeners was seen. Absent or 'observed': from its birth or its
   * arrival. 'reported': the page told what it knew when recording began. 'unknown': first seen
   * in use mid-recording; started=false then means "not seen started", not "not started".
   */
  stateKnown?: PortStateKnown;
}

export interface PortIdentity {
  /** 'unknown': not decided; `candidates` are the ports it may be (empty: none seen). */
  status: 'unknown';
  /** Ids of the ports it may be, besides a port made where nothing is seen (a worker's inside). */
  candidates: number[];
  /** Why it is not known, in a few words, in English (the trace file's `why`). */
  why: string;
  /**
   * The same words as a catalogue key and its parameters, for the panel to say in the UI
   * language (src/i18n/finding-text.ts renders it). Not written to trace files.
   */
  text?: FindingText;
}

/**
 * sent: posted, delivery not (yet) seen · queued: waits in an unstarted port's queue ·
 * delivered: dispatched in the receiver · dropped: lost, `reason` says why · error: threw
 * at the sender, or the receiver got a messageerror.
 */

export interface MessageOutcome {
  status: OutcomeStatus;
  /** DropReason, 'no-listener', 'messageerror', or `${name}: ${message}` for errors. */
  reason: string | null;
}

export interface TransferRecord {
  kind: TransferKind;
  /** Global port id for a MessagePort; the sender's local object id otherwise. */
  id: number | null;
  bytes: number | null;
}

/**
 * A message decoded as a library's call (src/decode: Comlink, Penpal, post-robot, JSON-RPC),
 * paired with its response by correlation id within its channel or pair of contexts.
 */
export interface CallRecord {
  /** The decoder's name: 'comlink', 'penpal', 'post-robot', 'jsonrpc'. */
  protocol: string;
  role: CallRole;
  /** One line, e.g. `APPLY api.add(2, 3)`, `call getUser()`, `reply ok 5`. */
  label: string;
  /** The protocol's correlation id, when it has one. */
  id: string | null;
  /** The message that answers this request, or that this response answers. */
  pairedWith: number | null;
  /** Response delivered − request sent (or delivered when the send is unseen), on both of a pair; never below 0. */
  latencyMs: number | null;
  /** Why a request or response has no pair (absent on a pair, on other roles, and in traces written before it). */
  unpaired?: CallUnpaired;
}

/** One message: its send and its delivery (either may be unseen). */
export interface MessageRecord {
  id: number;
  via: Via;
  type: 'message' | 'messageerror';
  fromContext: number | null;
  toContext: number | null;
  fromPort: number | null;
  toPort: number | null;
  sentAt: number | null;
  /** When dispatch began in the receiver. */
  deliveredAt: number | null;
  outcome: MessageOutcome;
  transfer: TransferRecord[];
  /** A short rendering of what the receiver got. */
  preview: string | null;
  bytes: number | null;
  targetOrigin: string | null;
  /** MessageEvent.origin seen by the receiver. */
  origin: string | null;
  /** Stack of the postMessage call. */
  stack: string | null;
  /** Listeners present at dispatch; null when not known. */
  listeners: number | null;
  handlerMs: number | null;
  /** deliveredAt − sentAt: time in flight plus time queued on an unstarted port. */
  waitMs: number | null;
  // The three below are always written by the Session and the trace reader; they are optional
  // in the type only so that hand-built fixtures elsewhere keep compiling.
  /** A handler read event.origin while the message was dispatched: true/false for window messages, null otherwise. */
  originRead?: boolean | null;
  /** Bytes of ArrayBuffers the receiver got; minus transferred bytes, what was copied. */
  bufferBytes?: number | null;
  /** Where in the message the send's error arose (Predicted.path), e.g. "data.fn". */
  errorPath?: string | null;
  /** A replay from the panel: the id of the message it posted again; null for the page's own. */
  replayOf?: number | null;
  /** What the receiver got, as a Sample in JSON text (src/protocol/sample.ts: parseSample, sampleToValue); null when not seen. */
  sample?: string | null;
  /**
   * Whose data `sample` is: 'receiver' (what the receiver got, a fresh clone) or 'sender' (the
   * sender's object read after the send, when the delivery is out of sight: inside a worker);
   * null when there is no sample. Absent in records made before it: 'receiver' then.
   */
  sampleFrom?: SampleSide | null;
  /** The decoded call (src/decode); null when the data is no known protocol's. Always written
   * by the Session and the trace reader; optional in the type only for hand-built fixtures. */
  call?: CallRecord | null;
}

/** What a listener listens on: a port (global id), the window of its context, a worker or a BroadcastChannel. */
export interface ListenerTarget {
  via: ListenerVia;
  /** Global port id (via port); null while the port is not identified or not seen. */
  port: number | null;
  /** The context the target stands for: the window's own context, the worker's context. */
  contextId: number | null;
  /** The registering context's local number for its Worker / BroadcastChannel object. */
  object: number | null;
  /** BroadcastChannel name. */
  channel: string | null;
}

/** One registration of a 'message' / 'messageerror' listener or on* handler by the page. */
export interface ListenerRecord {
  id: number;
  /** The context whose code registered it. */
  contextId: number;
  target: ListenerTarget;
  type: 'message' | 'messageerror';
  /** 'handler' for an on* event handler, 'listener' for addEventListener. */
  kind: ListenerKind;
  capture: boolean;
  once: boolean;
  addedAt: number;
  /** When it was removed; null while still attached. */
  removedAt: number | null;
  removedBy: ListenerRemoval | null;
  /** Stack of the registration; null when not taken (registered while a library dispatcher was already attached). */
  stack: string | null;
  /** The author's function's name ('' for an anonymous function); null when not known. */
  name: string | null;
  /** The author's function's source text, cut at 4 KB (sourceTruncated). */
  source: string | null;
  sourceTruncated: boolean;
  /** The library wrapper seen between the browser and the author's function. */
  wrappedBy: WrappedBy | null;
  /** Messages it handled while recording. */
  handled: number;
  /** It read event.origin at least once. */
  originRead: boolean;
}


export interface FindingRecord {
  rule: string;
  severity: Severity;
  /** The sentence in English, as the CLI, `audit --json` and traces carry it. */
  message: string;
  messageIds: number[];
  portIds: number[];
  /** The same sentence as a catalogue key and its parameters, for the panel's language. Absent in traces. */
  text?: FindingText;
}

/** A sentence of the catalogues (_locales) with what it substitutes for $1, $2, … */
export interface FindingText {
  key: string;
  args: FindingArg[];
}

/**
 * One substitution, kept structured so that each language words it: a count, a context (its
 * kind and short URL; null: unknown), a port id (null: unknown), a byte size, a nested
 * sentence, or text shown as is (origins, the engine's error message, a targetOrigin).
 */
export type FindingArg =
  | { n: number }
  | { s: string }
  | { ctx: { kind: 'page' | 'frame' | 'worker' | 'sharedworker' | 'serviceworker'; at: string } | null }
  | { port: number | null }
  | { bytes: number }
  | { text: FindingText };

/** Where the page's model and the browser disagreed (a bug in one of them). */
export interface MismatchRecord {
  contextId: number;
  at: number;
  messageId: number | null;
  expected: string;
  actual: string;
}

/** Counts of things not kept, by cause (page budgets, message budget, batch gaps...). */
export type DroppedCounts = Record<string, number>;

// ───────────────────────── background → panel ─────────────────────────

/** Everything a panel needs to start; followed by deltas with rev > this rev. */
export interface AggregateSnapshot {
  rev: number;
  contexts: ContextRecord[];
  ports: PortRecord[];
  /** Sorted by id; ids below firstMessageId were evicted by the budget. */
  messages: MessageRecord[];
  firstMessageId: number;
  findings: FindingRecord[];
  mismatches: MismatchRecord[];
  dropped: DroppedCounts;
  /** Every listener registration seen, by id. Optional only for hand-built fixtures. */
  listeners?: ListenerRecord[];
  /** Ids the port and listener budgets evicted (records may still name them). Absent: none. */
  evicted?: EvictedIds;
}

/** Sorted, disjoint runs [first, last] of ids. */
export type IdRuns = [number, number][];

/** Ids of records the background's budgets evicted: what still names one says "evicted". */
export interface EvictedIds {
  ports: IdRuns;
  listeners: IdRuns;
}

/**
 * Changes since the previous delta. Records are whole: replace by id (upsert), so a delta
 * that overlaps a snapshot is harmless. Drop messages with id < firstMessageId.
 */
export interface AggregateDelta {
  rev: number;
  contexts: ContextRecord[];
  ports: PortRecord[];
  /** Added or changed, sorted by id. */
  messages: MessageRecord[];
  firstMessageId: number;
  /** Appended since the previous delta. */
  mismatches: MismatchRecord[];
  /** The whole map when it changed, else null. */
  dropped: DroppedCounts | null;
  /** The whole list when it changed, else null. */
  findings: FindingRecord[] | null;
  /** Listener records added or changed (whole: upsert by id). Optional only for hand-built fixtures. */
  listeners?: ListenerRecord[];
  /** Port and listener ids the budgets evicted since the previous delta: delete them. */
  evicted?: { ports: number[]; listeners: number[] };
}

/**
 * Messages as columns: typed arrays and one string clone ~10× faster than a million objects,
 * which is what lets a 1,000,000-message snapshot reach the panel in time. Row i of every
 * column is one message. Null is 0 in id columns (ids start at 1), NaN in number columns,
 * and entry 0 in string columns. Decode with src/aggregate/columns.ts (messageAt for one row).
 */
export interface MessageColumns {
  count: number;
  id: Uint32Array;
  /** Index into VIA_CODES / TYPE_CODES / STATUS_CODES. */
  via: Uint8Array;
  type: Uint8Array;
  status: Uint8Array;
  fromContext: Uint32Array;
  toContext: Uint32Array;
  fromPort: Uint32Array;
  toPort: Uint32Array;
  sentAt: Float64Array;
  deliveredAt: Float64Array;
  bytes: Float64Array;
  listeners: Float64Array;
  handlerMs: Float64Array;
  waitMs: Float64Array;
  bufferBytes: Float64Array;
  /** 0: null, 1: false, 2: true. */
  originRead: Uint8Array;
  /** All strings in one: entry k is text.slice(textStart[k], textStart[k + 1]); entry 0 is null. */
  text: string;
  textStart: Uint32Array;
  reason: Uint32Array;
  targetOrigin: Uint32Array;
  origin: Uint32Array;
  stack: Uint32Array;
  preview: Uint32Array;
  errorPath: Uint32Array;
  /** replayOf, 0 for null. */
  replayOf: Uint32Array;
  sample: Uint32Array;
  /** Transfers of message i are entries transferStart[i] .. transferStart[i+1]-1. */
  transferStart: Uint32Array;
  transferKind: Uint8Array;
  /** Transfer ids (global port ids, local object ids) + 1, so 0 is null. */
  transferId: Float64Array;
  transferBytes: Float64Array;
  /**
   * MessageRecord.call: 0 where it is null, else 1 + index into CALL_ROLE_CODES in the low 3
   * bits and, above them, 1 + index into CALL_UNPAIRED (0: no reason). Optional: older packed
   * state lacks them (and has no reasons).
   */
  callRole?: Uint8Array;
  /** String entries: the protocol (shared), the label and the correlation id. */
  callProtocol?: Uint32Array;
  callLabel?: Uint32Array;
  callId?: Uint32Array;
  /** 0 is null. */
  callPairedWith?: Uint32Array;
  callLatencyMs?: Float64Array;
}

// Column codes are indexes into the one list of each kind of word (enums.ts).
export { VIAS as VIA_CODES, EVENT_TYPES as TYPE_CODES, OUTCOME_STATUSES as STATUS_CODES, CALL_ROLES as CALL_ROLE_CODES, TRANSFER_KINDS as TRANSFER_KIND_CODES } from './enums';

/**
 * An AggregateSnapshot with its messages as blocks of columns, in id order (what the
 * background posts to a panel). Blocks that did not change are packed once and reused.
 */
export interface PackedSnapshot extends Omit<AggregateSnapshot, 'messages'> {
  messages: MessageColumns[];
}

/** An AggregateDelta with its messages as one block of columns (what the background posts to a panel under live traffic). */
export interface PackedDelta extends Omit<AggregateDelta, 'messages'> {
  messages: MessageColumns;
}

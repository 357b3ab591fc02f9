// The aggregate's state as one plain object: what a Session holds, what state.ts writes and
// reads back, and what identify.ts is shown of it (through IdentifyHost, never this whole).
// It holds no behaviour beyond making its parts and counting drops; the Session's parts work on it.

import type { ScriptScheme } from '../protocol/events';
import type { PageBatch, WindowPath } from '../protocol/messages';
import type { ContextRecord, FindingRecord, HolderRecord, ListenerRecord, MessageRecord, MismatchRecord, PortRecord, TransferRecord } from '../protocol/session';
import { Broadcasts } from './broadcast';
import { CallGlue } from './calls';
import { FrameRegistry } from './contexts';
import { Matcher, type JoinCheck } from './matcher';
import { MessageStore } from './store';
import type { Unknown } from './unknown';
import { IdRanges } from './ranges';
import { IdTable } from './table';

export interface SessionOptions {
  /** Messages kept per tab before the oldest are evicted (counted in dropped['message-budget']). */
  maxMessages?: number;
  /** How many to evict at once when over budget. Default: 5% of maxMessages. */
  evictChunk?: number;
  /** How far a delivery's clock may run behind its send's (different processes), ms. */
  clockSkewMs?: number;
  /** Out-of-order batches held per document before the gap is forced through. */
  maxHeldBatches?: number;
  /** Ports kept unidentified at once before the oldest is given its own id. */
  maxUnknownPorts?: number;
  /** Port records kept before the oldest (finished first) are evicted (dropped['port-budget']; budgets.ts). */
  maxPorts?: number;
  /** Listener records kept before the oldest (removed first) are evicted (dropped['listener-budget']). */
  maxListeners?: number;
}

/** Per context: local → global ports, and ports whose identity is not known yet. */
export interface CtxState {
  rec: ContextRecord;
  doc: DocState;
  ports: Map<number, number>;
  unknown: Map<number, Unknown>;
  /** Events from inside this context are reported (a worker seen only from its page: false). */
  reports: boolean;
  /** Recent local message ids → records, so mismatch events can name the message. */
  recentLocal: number[];
  recentRec: MessageRecord[];
  recentPos: number;
  /** Local ids of its ports whose records the budget evicted (budgets.ts). */
  evictedLocals?: IdRanges;
  /** Ports it held when the budget evicted them: inference of a port from here is never certain. */
  lostPorts?: number;
}

/** Per reporting document (one event stream). */
export interface DocState {
  doc: string;
  frameId: number;
  nextSeq: number;
  held: Map<number, PageBatch>;
  strings: Map<number, string>;
  ctxs: Map<number, CtxState>;
  main: CtxState;
  /** Worker object id → its local context number. */
  objects: Map<number, number>;
  /** Latest event time handled: how far this stream has been seen. */
  lastAt: number;
  /** It reports its window sends (older instrumentation): pair them, do not infer. */
  windowSends: boolean;
}

/** A window send or delivery whose other frame is not in the registry yet. */
export interface Parked {
  side: 'send' | 'deliver';
  rec: MessageRecord;
  ctx: CtxState;
  path: WindowPath;
}

/** Default budgets of port and listener records (budgets.ts evicts past them). */
export const DEFAULT_MAX_PORTS = 100_000;
export const DEFAULT_MAX_LISTENERS = 100_000;

/** Recent messages remembered per context (for mismatch events). */
export const RECENT = 64;

export function resolveOptions(options: SessionOptions): Required<SessionOptions> {
  const maxMessages = Math.max(1, options.maxMessages ?? 1_000_000);
  return {
    maxMessages,
    evictChunk: Math.max(1, options.evictChunk ?? Math.ceil(maxMessages / 20)),
    clockSkewMs: options.clockSkewMs ?? 100,
    maxHeldBatches: options.maxHeldBatches ?? 256,
    maxUnknownPorts: options.maxUnknownPorts ?? 10_000,
    maxPorts: Math.max(2, options.maxPorts ?? DEFAULT_MAX_PORTS),
    maxListeners: Math.max(1, options.maxListeners ?? DEFAULT_MAX_LISTENERS),
  };
}

export class Core {
  docs = new Map<string, DocState>();
  contexts: ContextRecord[] = [];
  ctxById = new Map<number, CtxState>();
  /** By stable id: evicted ids leave holes (table.ts). */
  ports = new IdTable<PortRecord>();
  /** Ids the port and listener budgets evicted. */
  evictedPorts = new IdRanges();
  evictedListeners = new IdRanges();
  channels = 0;
  store: MessageStore;
  matcher: Matcher;
  frames = new FrameRegistry();
  parked: Parked[] = [];
  /** Window deliveries whose source frame has no known document yet. */
  noSource: { rec: MessageRecord; frame: number }[] = [];
  /** Ports not identified yet, oldest first. */
  unknowns: Unknown[] = [];
  unknownSerial = 0;
  /** Carrier delivery → the unknown ports it brought. */
  byCarrier = new Map<MessageRecord, Unknown[]>();
  /** Transfer entry → the unknown port it names. */
  byTransfer = new Map<TransferRecord, Unknown>();
  /** Holders whose carrying message is not stored yet (gets its id later). */
  carrierHolders = new Map<MessageRecord, HolderRecord[]>();
  /** Ports that left in a seen send whose delivery is not matched yet. */
  inFlight = new Set<number>();
  /** Port id → last time its holder used it. */
  lastUse = new Map<number, number>();
  bc: Broadcasts;
  findings: FindingRecord[] = [];
  mismatches: MismatchRecord[] = [];
  dropped = new Map<string, number>();
  rev = 0;
  /** Every listener registration kept, by id. */
  listeners = new IdTable<ListenerRecord>();
  /** `${contextId}:${local listener id}` → record. */
  listenerByLocal = new Map<string, ListenerRecord>();
  /** Listeners on a port not identified yet: [contextId, local port id]. */
  listenerPorts = new Map<ListenerRecord, [number, number]>();
  /** Decoded calls and their pairing (calls.ts). */
  readonly calls: CallGlue;
  /** Documents identify() waits on → the time their stream must pass. */
  awaited = new Map<DocState, number>();
  /** Ports and contexts changed since the last delta (not kept in the state: a restored session sends a snapshot). */
  readonly dirtyPorts = new Set<number>();
  readonly dirtyContexts = new Set<number>();
  /**
   * Holders given by handOver (a send to a worker, not seen arriving): the worker's own report
   * of the arrival replaces one of these, never a holder that was observed (issue 21).
   * Checkpointed as (port, holder index) pairs.
   */
  readonly handedOver = new WeakSet<HolderRecord>();
  /** Workers whose script is a blob: or data: URL (Firefox cannot filter their response). */
  readonly workerScripts = new Map<number, ScriptScheme>();
  /** The dropped counts changed since the last delta. */
  droppedChanged = false;

  constructor(
    readonly options: Required<SessionOptions>,
    /** What the matcher asks before it joins two halves. */
    readonly joinCheck: JoinCheck,
  ) {
    this.store = new MessageStore(options.maxMessages, options.evictChunk);
    this.matcher = new Matcher(options.clockSkewMs, joinCheck);
    this.bc = new Broadcasts(options.clockSkewMs);
    this.calls = new CallGlue({
      get: (id) => this.store.get(id),
      touch: (r) => this.store.touch(r),
      channelOf: (port) => this.ports.get(port)?.channelId ?? null,
      partnerOf: (port) => this.ports.get(port)?.entangledWith ?? null,
      skewMs: options.clockSkewMs,
    });
  }

  /** Counts what was dropped, by cause (shown to the user: nothing is lost silently). */
  count(cause: string, n: number): void {
    this.dropped.set(cause, (this.dropped.get(cause) ?? 0) + n);
    this.droppedChanged = true;
  }
}

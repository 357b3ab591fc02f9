// A Session's whole state as plain data, so a stopped service worker resumes where it was:
// records, per-document sequence numbers (resends stay idempotent), held batches, blocked
// events, lanes of waiting halves and the frame tree. Records referenced from several places
// are written once and referenced by number, so identity survives the round trip.

import type { ScriptScheme } from '../protocol/events';
import type { WindowPath } from '../protocol/messages';
import type { ContextRecord, FindingRecord, HolderRecord, ListenerRecord, MessageColumns, MessageRecord, MismatchRecord, PortRecord, TransferRecord } from '../protocol/session';
import { Broadcasts, type BcReceiver, type BcSender } from './broadcast';
import { unpackMessages } from './columns';
import { FrameRegistry, type FrameRegistryState } from './contexts';
import { Matcher, type LaneState } from './matcher';
import type { Core, SessionOptions } from './core';
import { readDocs, writeDocs, type DocStateData } from './state-docs';
import type { Unknown } from './unknown';
import { IdRanges, type IdRuns } from './ranges';
import { IdTable } from './table';

export const SESSION_STATE_FORMAT = 'channel-inspector-session';
export const SESSION_STATE_VERSION = 2;

/**
 * A reference to a message record: n > 0 is the id of a stored message; n < 0 is entry
 * -n-1 of `loose` (records waiting for their other half that are not stored: evicted,
 * cleared, or whose window target is not resolved yet).
 */
export type RecordRef = number;

/** An Unknown port (unknown.ts) with references in place of objects. */
export interface UnknownData {
  n: number;
  rec: PortRecord;
  maps: [number, number][];
  carrier: RecordRef;
  k: number;
  infer: boolean;
  srcFrame: number | null;
  srcCtx: number | null;
  path: WindowPath | null;
  at: number;
  recs: RecordRef[];
  /** [message holding the entry, index in its transfer list] */
  refs: [RecordRef, number][];
  touched: RecordRef[];
  inFlight: boolean;
  lastUse: number;
  /** Indexes of its holders handed over by inference (absent: none). */
  handedOver?: number[];
}

export interface BroadcastData {
  key: string;
  senders: [string, { sends: [RecordRef, boolean][]; base: number }][];
  receivers: [string, { cursors: [string, number][]; waiting: RecordRef[]; firstSeen: number; uncertain?: string[] }][];
}

export interface SessionState {
  format: typeof SESSION_STATE_FORMAT;
  version: number;
  options: Required<SessionOptions>;
  rev: number;
  contexts: ContextRecord[];
  ports: PortRecord[];
  channels: number;
  /** The stored messages as records (JSON-safe)... */
  messages: MessageRecord[] | null;
  /** ...or as blocks of columns (structured-clone-safe, far cheaper for large sessions). */
  messageBlocks: MessageColumns[] | null;
  firstMessageId: number;
  nextMessageId: number;
  evicted: number;
  loose: MessageRecord[];
  lanes: LaneState[];
  parked: { side: 'send' | 'deliver'; rec: RecordRef; contextId: number; path: WindowPath }[];
  noSource: [RecordRef, number][];
  unknowns: UnknownData[];
  unknownSerial: number;
  inFlight: number[];
  /** Last use of ports[i]; null where none. */
  lastUse: (number | null)[];
  /** Next port and listener ids, and the ids the budgets evicted. Absent in older states (none). */
  nextPortId?: number;
  nextListenerId?: number;
  evictedPorts?: IdRuns;
  evictedListeners?: IdRuns;
  broadcasts: BroadcastData[];
  docs: DocStateData[];
  frames: FrameRegistryState;
  findings: FindingRecord[];
  mismatches: MismatchRecord[];
  dropped: [string, number][];
  /** Listener records; absent in states written before listeners were recorded. */
  listeners?: ListenerRecord[];
  /** [`${contextId}:${local id}`, listener id] */
  listenerKeys?: [string, number][];
  /** [listener id, contextId, local port id] of listeners on ports not identified yet. */
  listenerPorts?: [number, number, number][];
  /** Decoded requests and responses waiting for their other half: [pairing key, stored message id]. Absent in older states. */
  calls?: [string, number][];
  /** Holders handed over by inference to a worker: [port id, holder index]; for unknown ports, UnknownData.handedOver. Absent in older states. */
  handedOver?: [number, number][];
  /** [worker context id, 'blob' | 'data']. Absent in older states. */
  workerScripts?: [number, ScriptScheme][];
}

export interface WriteStateOptions {
  /**
   * Write messages as blocks of columns (typed arrays): for IndexedDB or any structured-clone
   * storage, not for JSON. Unchanged blocks are reused, so frequent checkpoints stay cheap.
   */
  packed?: boolean;
  /**
   * Leave the messages out (both fields null): the checkpoint writer keeps them on disk as
   * chunks of columns (src/background/checkpoints.ts) and puts them back before restore.
   */
  withoutMessages?: boolean;
}

export function writeState(s: Core, options: WriteStateOptions = {}): SessionState {
  const loose: MessageRecord[] = [];
  const looseIndex = new Map<MessageRecord, number>();
  const ref = (r: MessageRecord): RecordRef => {
    if (r.id > 0 && s.store.get(r.id) === r) return r.id;
    let i = looseIndex.get(r);
    if (i === undefined) {
      i = loose.length;
      loose.push(r);
      looseIndex.set(r, i);
    }
    return -i - 1;
  };
  const unknowns = s.unknowns.filter((u) => !u.done);
  const uRecs = unknowns.map((u) => ({ carrier: ref(u.carrier), recs: u.recs.map(ref), touched: u.touched.filter((m) => m.id > 0 && s.store.get(m.id) === m).map(ref) }));
  const lanes = s.matcher.toState(ref);
  const parked = s.parked.map((p) => ({ side: p.side, rec: ref(p.rec), contextId: p.ctx.rec.id, path: p.path }));
  const noSource = s.noSource.map((n): [RecordRef, number] => [ref(n.rec), n.frame]);
  const broadcasts: BroadcastData[] = [];
  for (const [key, l] of s.bc.lanes) {
    broadcasts.push({
      key,
      senders: [...l.senders].map(([k, v]) => [k, { sends: v.sends.map((x): [RecordRef, boolean] => [ref(x.rec), x.used]), base: v.base }]),
      receivers: [...l.receivers].map(([k, v]) => [k, { cursors: [...v.cursors], waiting: v.waiting.filter((m) => s.store.get(m.id) === m).map(ref), firstSeen: v.firstSeen, ...(v.uncertain?.size ? { uncertain: [...v.uncertain] } : {}) }]),
    });
  }
  // Transfer entries naming unknown ports are written as (message, index).
  const owners = new Map<TransferRecord, [RecordRef, number]>();
  if (s.byTransfer.size) {
    const scan = (m: MessageRecord) => {
      for (let i = 0; i < m.transfer.length; i++) if (s.byTransfer.has(m.transfer[i])) owners.set(m.transfer[i], [ref(m), i]);
    };
    for (const m of s.store.records) if (m.transfer.length) scan(m);
    for (let i = 0; i < loose.length; i++) scan(loose[i]);
  }
  const unknownData: UnknownData[] = unknowns.map((u, i) => ({
    n: u.n,
    rec: u.rec,
    maps: u.maps,
    carrier: uRecs[i].carrier,
    k: u.k,
    infer: u.infer,
    srcFrame: u.srcFrame,
    srcCtx: u.srcCtx,
    path: u.path,
    at: u.at,
    recs: uRecs[i].recs,
    refs: u.refs.flatMap((t) => (owners.has(t) ? [owners.get(t) as [RecordRef, number]] : [])),
    touched: uRecs[i].touched,
    inFlight: u.inFlight,
    lastUse: u.lastUse,
    handedOver: handedOverIn(s, u.rec),
  }));
  const docs = writeDocs(s);
  const ports = s.ports.list();
  const handedOver: [number, number][] = [];
  for (const p of ports) for (const i of handedOverIn(s, p)) handedOver.push([p.id, i]);
  const lastUse: (number | null)[] = new Array(ports.length);
  for (let i = 0; i < ports.length; i++) lastUse[i] = s.lastUse.get(ports[i].id) ?? null;
  return {
    format: SESSION_STATE_FORMAT,
    version: SESSION_STATE_VERSION,
    options: { ...s.options },
    rev: s.rev,
    contexts: s.contexts,
    ports,
    channels: s.channels,
    messages: options.packed || options.withoutMessages ? null : s.store.records,
    messageBlocks: options.withoutMessages ? null : options.packed ? s.store.packedBlocks() : null,
    firstMessageId: s.store.firstId,
    nextMessageId: s.store.nextId,
    evicted: s.store.evicted,
    lanes,
    parked,
    noSource,
    unknowns: unknownData,
    unknownSerial: s.unknownSerial,
    inFlight: [...s.inFlight],
    lastUse,
    nextPortId: s.ports.nextId,
    nextListenerId: s.listeners.nextId,
    evictedPorts: s.evictedPorts.toJSON(),
    evictedListeners: s.evictedListeners.toJSON(),
    broadcasts,
    docs,
    frames: s.frames.toState(),
    findings: s.findings,
    mismatches: s.mismatches,
    dropped: [...s.dropped],
    calls: s.calls.toState((r) => (r.id > 0 && s.store.get(r.id) === r ? r.id : null)),
    loose,
    listeners: s.listeners.list(),
    listenerKeys: [...s.listenerByLocal].map(([k, r]): [string, number] => [k, r.id]),
    listenerPorts: [...s.listenerPorts].map(([r, [cid, local]]): [number, number, number] => [r.id, cid, local]),
    handedOver,
    workerScripts: [...s.workerScripts],
  };
}

/** Indexes of a port's holders that handOver inferred. */
function handedOverIn(s: Core, p: PortRecord): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.holders.length; i++) if (s.handedOver.has(p.holders[i])) out.push(i);
  return out;
}

/** Fills a fresh Session's core (made with state.options) from a state written by writeState. */
export function readState(s: Core, st: SessionState): void {
  if (!st || st.format !== SESSION_STATE_FORMAT || st.version !== SESSION_STATE_VERSION) {
    throw new TypeError('not a Channel Inspector session state of a known version');
  }
  s.rev = st.rev;
  s.contexts = st.contexts;
  s.ports = IdTable.of(st.ports);
  s.ports.nextId = Math.max(s.ports.nextId, st.nextPortId ?? 1);
  s.evictedPorts = new IdRanges(st.evictedPorts ?? []);
  s.evictedListeners = new IdRanges(st.evictedListeners ?? []);
  s.channels = st.channels;
  s.store.records = st.messages ?? (st.messageBlocks ?? []).flatMap((b) => unpackMessages(b));
  s.store.firstId = st.firstMessageId;
  s.store.nextId = st.nextMessageId;
  s.store.evicted = st.evicted;
  s.store.resetDelta();
  if (st.messageBlocks) s.store.adopt(st.messageBlocks);
  const deref = (n: RecordRef): MessageRecord | undefined => (n > 0 ? s.store.get(n) : st.loose[-n - 1]);
  s.matcher = Matcher.fromState(s.options.clockSkewMs, st.lanes, deref, s.joinCheck);
  s.frames = FrameRegistry.fromState(st.frames);
  s.findings = st.findings;
  s.mismatches = st.mismatches;
  s.dropped = new Map(st.dropped);
  s.listeners = IdTable.of(st.listeners ?? []);
  s.listeners.nextId = Math.max(s.listeners.nextId, st.nextListenerId ?? 1);
  for (const [k, id] of st.listenerKeys ?? []) {
    const l = s.listeners.get(id);
    if (l) s.listenerByLocal.set(k, l);
  }
  for (const [id, cid, local] of st.listenerPorts ?? []) {
    const l = s.listeners.get(id);
    if (l) s.listenerPorts.set(l, [cid, local]);
  }
  // Records written before calls were decoded have no call field: they had none.
  for (const r of s.store.records) if (r.call === undefined) r.call = null;
  s.calls.restore(st.calls ?? [], (id) => s.store.get(id));
  for (const [id, i] of st.handedOver ?? []) {
    const h = s.ports.get(id)?.holders[i];
    if (h) s.handedOver.add(h);
  }
  for (const [id, scheme] of st.workerScripts ?? []) s.workerScripts.set(id, scheme);
  readDocs(s, st.docs);
  s.parked = st.parked.flatMap((p) => {
    const rec = deref(p.rec);
    const ctx = s.ctxById.get(p.contextId);
    return rec && ctx ? [{ side: p.side, rec, ctx, path: p.path }] : [];
  });
  s.noSource = st.noSource.flatMap(([n, frame]) => {
    const rec = deref(n);
    return rec ? [{ rec, frame }] : [];
  });
  s.inFlight = new Set(st.inFlight);
  s.lastUse = new Map();
  st.lastUse.forEach((x, i) => {
    if (x !== null && st.ports[i]) s.lastUse.set(st.ports[i].id, x);
  });
  s.unknownSerial = st.unknownSerial;
  s.bc = new Broadcasts(s.options.clockSkewMs);
  for (const b of st.broadcasts) {
    const senders = new Map<string, BcSender>();
    for (const [k, v] of b.senders) senders.set(k, { sends: v.sends.flatMap(([n, used]) => (deref(n) ? [{ rec: deref(n) as MessageRecord, used }] : [])), base: v.base });
    const receivers = new Map<string, BcReceiver>();
    for (const [k, v] of b.receivers) receivers.set(k, { cursors: new Map(v.cursors), waiting: v.waiting.flatMap((n) => (deref(n) ? [deref(n) as MessageRecord] : [])), firstSeen: v.firstSeen, ...(v.uncertain ? { uncertain: new Set(v.uncertain) } : {}) });
    s.bc.lanes.set(b.key, { senders, receivers });
  }
  const list = (xs: RecordRef[]) => xs.flatMap((n) => (deref(n) ? [deref(n) as MessageRecord] : []));
  for (const ud of st.unknowns) {
    const carrier = deref(ud.carrier);
    if (!carrier) continue;
    const u: Unknown = {
      n: ud.n,
      rec: ud.rec,
      maps: ud.maps,
      carrier,
      k: ud.k,
      infer: ud.infer,
      srcFrame: ud.srcFrame,
      srcCtx: ud.srcCtx,
      path: ud.path,
      at: ud.at,
      recs: list(ud.recs),
      refs: [],
      touched: list(ud.touched),
      inFlight: ud.inFlight,
      lastUse: ud.lastUse,
      done: false,
      id: 0,
      into: null,
    };
    for (const i of ud.handedOver ?? []) if (u.rec.holders[i]) s.handedOver.add(u.rec.holders[i]);
    for (const [n, i] of ud.refs) {
      const t = deref(n)?.transfer[i];
      if (!t) continue;
      u.refs.push(t);
      s.byTransfer.set(t, u);
    }
    for (const [cid, local] of u.maps) s.ctxById.get(cid)?.unknown.set(local, u);
    let byC = s.byCarrier.get(carrier);
    if (!byC) s.byCarrier.set(carrier, (byC = []));
    byC.push(u);
    // Holders waiting for their carrier's id.
    if (carrier.id === 0) {
      const h = u.rec.holders.find((x: HolderRecord) => x.contextId === carrier.toContext && x.since === carrier.deliveredAt);
      if (h) {
        let hs = s.carrierHolders.get(carrier);
        if (!hs) s.carrierHolders.set(carrier, (hs = []));
        hs.push(h);
      }
    }
    s.unknowns.push(u);
  }
}

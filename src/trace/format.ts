// The trace file: a versioned JSON document of one tab's recording (docs/trace-format.md).
// Export copies the Session's records field by field; import reads untrusted input, checks
// every field, builds fresh objects (so no key of the input ever reaches a prototype) and
// fails only with a TraceImportError that says what and where.

import * as E from '../protocol/enums';
import { setOf, type CallUnpaired, type ContextKind, type ListenerRemoval, type PortStateKnown, type SampleSide, type TransferKind, type Via, type WrappedBy } from '../protocol/enums';
import { sampleError } from '../protocol/sample-check';
import { IdRanges } from '../aggregate/ranges';
import type {
  CallRecord,
  ContextRecord,
  DroppedCounts,
  EvictedIds,
  FindingRecord,
  HolderRecord,
  IdRuns,
  ListenerRecord,
  ListenerTarget,
  MessageRecord,
  MismatchRecord,
  OutcomeStatus,
  PortIdentity,
  PortRecord,
  Severity,
  TransferRecord,
  WorkerInside,
} from '../protocol/session';

export const TRACE_FORMAT = 'channel-inspector-trace';
export const TRACE_VERSION = 1;

export interface TraceMeta {
  /** What wrote it, e.g. "channel-inspector 0.1.0". */
  tool: string;
  /** ISO 8601 time of export. */
  exportedAt: string | null;
  /** The inspected page, when known. */
  title: string | null;
  /** Messages below this id were evicted by the budget before export. */
  firstMessageId: number;
  /**
   * What the recording misses and why, as the panel said it (e.g. a partial restore after the
   * background restarted). Absent in traces written before it: read as [].
   */
  notices: string[];
  /**
   * Port and listener ids the background's budgets evicted, as runs [first, last]: records
   * in the file may still name them. Absent: none were evicted.
   */
  evicted?: EvictedIds;
}

export interface TraceDocument {
  format: typeof TRACE_FORMAT;
  version: number;
  meta: TraceMeta;
  contexts: ContextRecord[];
  ports: PortRecord[];
  messages: MessageRecord[];
  findings: FindingRecord[];
  mismatches: MismatchRecord[];
  /** Things not recorded, by cause; 'message-budget' counts evicted messages. */
  dropped: DroppedCounts;
  /** Listener registrations; a trace written before listeners were recorded reads as []. */
  listeners: ListenerRecord[];
}

/** What export reads: a Session's data() or an AggregateSnapshot. */
export interface TraceSource {
  contexts: ContextRecord[];
  ports: PortRecord[];
  messages: MessageRecord[];
  findings: FindingRecord[];
  mismatches: MismatchRecord[];
  dropped: DroppedCounts;
  firstMessageId?: number;
  listeners?: ListenerRecord[];
  evicted?: EvictedIds;
}

function evictedMeta(e: EvictedIds | undefined): { evicted?: EvictedIds } {
  if (!e || (!e.ports.length && !e.listeners.length)) return {};
  return { evicted: { ports: e.ports.map(([a, b]) => [a, b]), listeners: e.listeners.map(([a, b]) => [a, b]) } };
}

export function exportTrace(src: TraceSource, meta: Partial<TraceMeta> = {}): TraceDocument {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    meta: {
      tool: meta.tool ?? 'channel-inspector',
      exportedAt: meta.exportedAt ?? null,
      title: meta.title ?? null,
      firstMessageId: meta.firstMessageId ?? src.firstMessageId ?? (src.messages.length ? src.messages[0].id : 1),
      notices: (meta.notices ?? []).slice(),
      ...evictedMeta(meta.evicted ?? src.evicted),
    },
    contexts: src.contexts.map(copyContext),
    ports: src.ports.map(copyPort),
    messages: src.messages.map(copyMessage),
    findings: src.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, messageIds: f.messageIds.slice(), portIds: f.portIds.slice() })),
    mismatches: src.mismatches.map((m) => ({ contextId: m.contextId, at: m.at, messageId: m.messageId, expected: m.expected, actual: m.actual })),
    dropped: Object.fromEntries(Object.entries(src.dropped)),
    listeners: (src.listeners ?? []).map(copyListener),
  };
}

function copyListener(l: ListenerRecord): ListenerRecord {
  return {
    id: l.id,
    contextId: l.contextId,
    target: { via: l.target.via, port: l.target.port, contextId: l.target.contextId, object: l.target.object, channel: l.target.channel },
    type: l.type,
    kind: l.kind,
    capture: l.capture,
    once: l.once,
    addedAt: l.addedAt,
    removedAt: l.removedAt,
    removedBy: l.removedBy,
    stack: l.stack,
    name: l.name,
    source: l.source,
    sourceTruncated: l.sourceTruncated,
    wrappedBy: l.wrappedBy,
    handled: l.handled,
    originRead: l.originRead,
  };
}

export function stringifyTrace(doc: TraceDocument): string {
  return JSON.stringify(doc);
}

function copyContext(c: ContextRecord): ContextRecord {
  return {
    id: c.id,
    kind: c.kind,
    url: c.url,
    origin: c.origin,
    parentId: c.parentId,
    frameId: c.frameId,
    parentFrameId: c.parentFrameId,
    documentId: c.documentId,
    doc: c.doc,
    ctx: c.ctx,
    top: c.top,
    indexInParent: c.indexInParent,
    openerId: c.openerId,
    createdAt: c.createdAt,
    endedAt: c.endedAt,
    ...(c.inside ? { inside: c.inside.recorded ? { recorded: true } : { recorded: false, why: c.inside.why, note: c.inside.note } } : {}),
  };
}

function copyPort(p: PortRecord): PortRecord {
  return {
    id: p.id,
    channelId: p.channelId,
    entangledWith: p.entangledWith,
    createdIn: p.createdIn,
    createdAt: p.createdAt,
    holders: p.holders.map((h) => ({ contextId: h.contextId, since: h.since, messageId: h.messageId, startedAt: h.startedAt })),
    started: p.started,
    closed: p.closed,
    closedAt: p.closedAt,
    shipped: p.shipped,
    lostIn: p.lostIn,
    listeners: p.listeners,
    createdStack: p.createdStack ?? null,
    identity: p.identity ? { status: p.identity.status, candidates: p.identity.candidates.slice(), why: p.identity.why } : null,
    stateKnown: p.stateKnown ?? 'observed',
  };
}

function copyMessage(m: MessageRecord): MessageRecord {
  return {
    id: m.id,
    via: m.via,
    type: m.type,
    fromContext: m.fromContext,
    toContext: m.toContext,
    fromPort: m.fromPort,
    toPort: m.toPort,
    sentAt: m.sentAt,
    deliveredAt: m.deliveredAt,
    outcome: { status: m.outcome.status, reason: m.outcome.reason },
    transfer: m.transfer.map((t) => ({ kind: t.kind, id: t.id, bytes: t.bytes })),
    preview: m.preview,
    bytes: m.bytes,
    targetOrigin: m.targetOrigin,
    origin: m.origin,
    stack: m.stack,
    listeners: m.listeners,
    handlerMs: m.handlerMs,
    waitMs: m.waitMs,
    originRead: m.originRead ?? null,
    bufferBytes: m.bufferBytes ?? null,
    errorPath: m.errorPath ?? null,
    replayOf: m.replayOf ?? null,
    sample: m.sample ?? null,
    sampleFrom: m.sample == null ? null : (m.sampleFrom ?? 'receiver'),
    call: m.call ? copyCall(m.call) : null,
  };
}

function copyCall(c: CallRecord): CallRecord {
  const out: CallRecord = { protocol: c.protocol, role: c.role, label: c.label, id: c.id, pairedWith: c.pairedWith, latencyMs: c.latencyMs };
  if (c.unpaired) out.unpaired = c.unpaired;
  return out;
}

// ───────────────────────── import ─────────────────────────

export type TraceErrorCode = 'not-json' | 'not-a-trace' | 'unsupported-version' | 'too-large' | 'hostile' | 'invalid';

/** The only error importTrace throws. `path` points into the document, e.g. "messages[3].outcome". */
export class TraceImportError extends Error {
  override readonly name = 'TraceImportError';
  constructor(
    readonly code: TraceErrorCode,
    readonly path: string,
    message: string,
  ) {
    super(path ? `${path}: ${message}` : message);
  }
}

export interface TraceLimits {
  maxChars: number;
  maxContexts: number;
  maxPorts: number;
  maxMessages: number;
  maxFindings: number;
  /** Longest string field (urls, previews, stacks). */
  maxString: number;
  /** Longest list inside one record (transfer, holders, ids of a finding). */
  maxList: number;
}

export const DEFAULT_TRACE_LIMITS: TraceLimits = {
  maxChars: 512 * 1024 * 1024,
  maxContexts: 100_000,
  maxPorts: 10_000_000,
  maxMessages: 10_000_000,
  maxFindings: 1_000_000,
  maxString: 1_000_000,
  maxList: 100_000,
};

const VIAS = setOf(E.VIAS);
const KINDS = setOf(E.CONTEXT_KINDS);
const INSIDE_WHYS = setOf(E.INSIDE_WHYS);
const STATUSES = setOf(E.OUTCOME_STATUSES);
const SEVERITIES = setOf(E.SEVERITIES);
const TRANSFER_KINDS = setOf(E.TRANSFER_KINDS);
const CALL_ROLES = setOf(E.CALL_ROLES);
const CALL_UNPAIRED = setOf(E.CALL_UNPAIRED);
const SAMPLE_SIDES = setOf(E.SAMPLE_SIDES);
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];
const LISTENER_VIAS = setOf(E.LISTENER_VIAS);
const LISTENER_KINDS = setOf(E.LISTENER_KINDS);
const TYPES = setOf(E.EVENT_TYPES);
const WRAPPERS = setOf(E.WRAPPED_BY);
const REMOVALS = setOf(E.LISTENER_REMOVALS);
const STATE_KNOWN = setOf(E.PORT_STATE_KNOWN);

/** Reads a trace from its JSON text or an already parsed value. Throws only TraceImportError. */
export function importTrace(input: unknown, limits: Partial<TraceLimits> = {}): TraceDocument {
  const lim = { ...DEFAULT_TRACE_LIMITS, ...limits };
  try {
    let value = input;
    if (typeof input === 'string') {
      if (input.length > lim.maxChars) throw new TraceImportError('too-large', '', `the file is larger than ${lim.maxChars} characters`);
      try {
        value = JSON.parse(input);
      } catch (e) {
        throw new TraceImportError('not-json', '', `not valid JSON (truncated?): ${(e as Error).message}`);
      }
    }
    return new Reader(lim).document(value);
  } catch (e) {
    if (e instanceof TraceImportError) throw e;
    throw new TraceImportError('invalid', '', `unreadable trace: ${e instanceof Error ? e.message : String(e)}`);
  }
}

type Obj = Record<string, unknown>;

/** Field checks. Paths are built only when something is wrong, so large traces stay fast. */
class Reader {
  constructor(private readonly lim: TraceLimits) {}

  private fail(path: () => string, message: string, code: TraceErrorCode = 'invalid', key?: string): never {
    throw new TraceImportError(code, key === undefined ? path() : `${path()}.${key}`, message);
  }

  private obj(v: unknown, path: () => string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, 'expected an object');
    const o = v as Obj;
    for (const k of FORBIDDEN_KEYS) if (Object.prototype.hasOwnProperty.call(o, k)) this.fail(path, `forbidden key "${k}"`, 'hostile');
    return o;
  }

  private arr(v: unknown, max: number, path: () => string): unknown[] {
    if (!Array.isArray(v)) this.fail(path, 'expected an array');
    if (v.length > max) this.fail(path, `more than ${max} entries`, 'too-large');
    return v;
  }

  private str(v: unknown, path: () => string, key?: string): string {
    if (typeof v !== 'string') this.fail(path, 'expected a string', 'invalid', key);
    if (v.length > this.lim.maxString) this.fail(path, `string longer than ${this.lim.maxString}`, 'too-large', key);
    return v;
  }

  private strOrNull(v: unknown, path: () => string, key?: string): string | null {
    return v === null ? null : this.str(v, path, key);
  }

  private num(v: unknown, path: () => string, key?: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, 'expected a finite number', 'invalid', key);
    return v;
  }

  private numOrNull(v: unknown, path: () => string, key?: string): number | null {
    return v === null ? null : this.num(v, path, key);
  }

  private id(v: unknown, path: () => string, key?: string): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) this.fail(path, 'expected an id (integer ≥ 1)', 'invalid', key);
    return v;
  }

  private idOrNull(v: unknown, path: () => string, key?: string): number | null {
    return v === null ? null : this.id(v, path, key);
  }

  private int(v: unknown, path: () => string, key?: string): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) this.fail(path, 'expected an integer', 'invalid', key);
    return v;
  }

  private intOrNull(v: unknown, path: () => string, key?: string): number | null {
    return v === null ? null : this.int(v, path, key);
  }

  private bool(v: unknown, path: () => string, key?: string): boolean {
    if (typeof v !== 'boolean') this.fail(path, 'expected true or false', 'invalid', key);
    return v;
  }

  private boolOrNull(v: unknown, path: () => string, key?: string): boolean | null {
    return v === null ? null : this.bool(v, path, key);
  }

  private oneOf<T extends string>(v: unknown, set: ReadonlySet<string>, path: () => string, key?: string): T {
    if (typeof v !== 'string' || !set.has(v)) this.fail(path, `expected one of ${[...set].join(', ')}`, 'invalid', key);
    return v as T;
  }

  document(v: unknown): TraceDocument {
    const root = () => '';
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(root, 'not a Channel Inspector trace (expected a JSON object)', 'not-a-trace');
    const o = this.obj(v, root);
    if (o.format !== TRACE_FORMAT) this.fail(() => 'format', `not a Channel Inspector trace (format must be "${TRACE_FORMAT}")`, 'not-a-trace');
    const version = this.int(o.version, () => 'version');
    if (version !== TRACE_VERSION) {
      this.fail(() => 'version', version > TRACE_VERSION ? `version ${version} is newer than this reader (${TRACE_VERSION})` : `unknown version ${version}`, 'unsupported-version');
    }
    const meta = this.meta(o.meta);
    const contexts = this.list(o.contexts, 'contexts', this.lim.maxContexts, (x, p) => this.context(x, p));
    const ports = this.list(o.ports, 'ports', this.lim.maxPorts, (x, p) => this.port(x, p));
    const messages = this.list(o.messages, 'messages', this.lim.maxMessages, (x, p) => this.message(x, p));
    const findings = this.list(o.findings, 'findings', this.lim.maxFindings, (x, p) => this.finding(x, p));
    const mismatches = this.list(o.mismatches, 'mismatches', this.lim.maxFindings, (x, p) => this.mismatch(x, p));
    const dropped = this.dropped(o.dropped);
    // Optional: traces written before listeners were recorded have none.
    const listeners = o.listeners === undefined ? [] : this.list(o.listeners, 'listeners', this.lim.maxPorts, (x, p) => this.listener(x, p));
    const doc: TraceDocument = { format: TRACE_FORMAT, version, meta, contexts, ports, messages, findings, mismatches, dropped, listeners };
    this.references(doc);
    return doc;
  }

  private list<T>(v: unknown, name: string, max: number, read: (x: unknown, path: () => string) => T): T[] {
    const a = this.arr(v, max, () => name);
    const out = new Array<T>(a.length);
    for (let i = 0; i < a.length; i++) out[i] = read(a[i], () => `${name}[${i}]`);
    return out;
  }

  private meta(v: unknown): TraceMeta {
    const p = () => 'meta';
    const o = this.obj(v, p);
    return {
      tool: this.str(o.tool, () => 'meta.tool'),
      exportedAt: this.strOrNull(o.exportedAt, () => 'meta.exportedAt'),
      title: this.strOrNull(o.title, () => 'meta.title'),
      firstMessageId: this.id(o.firstMessageId, () => 'meta.firstMessageId'),
      notices: o.notices === undefined ? [] : this.arr(o.notices, this.lim.maxList, () => 'meta.notices').map((x, i) => this.str(x, () => `meta.notices[${i}]`)),
      ...(o.evicted === undefined ? {} : { evicted: this.evicted(o.evicted) }),
    };
  }

  private evicted(v: unknown): EvictedIds {
    const o = this.obj(v, () => 'meta.evicted');
    const runs = (x: unknown, name: string): IdRuns => {
      const path = () => `meta.evicted.${name}`;
      const a = this.arr(x, this.lim.maxList, path);
      let last = 0;
      return a.map((r, i) => {
        const at = () => `meta.evicted.${name}[${i}]`;
        const pair = this.arr(r, 2, at);
        const first = this.id(pair[0], at);
        const end = this.id(pair[1], at);
        if (pair.length !== 2 || end < first || first <= last) this.fail(at, 'expected ascending, disjoint runs [first, last]');
        last = end;
        return [first, end];
      });
    };
    return { ports: runs(o.ports, 'ports'), listeners: runs(o.listeners, 'listeners') };
  }

  private context(v: unknown, p: () => string): ContextRecord {
    const o = this.obj(v, p);
    return {
      id: this.id(o.id, p, 'id'),
      kind: this.oneOf<ContextKind>(o.kind, KINDS, p, 'kind'),
      url: this.str(o.url, p, 'url'),
      origin: this.str(o.origin, p, 'origin'),
      parentId: this.idOrNull(o.parentId, p, 'parentId'),
      frameId: this.intOrNull(o.frameId, p, 'frameId'),
      parentFrameId: this.intOrNull(o.parentFrameId, p, 'parentFrameId'),
      documentId: this.strOrNull(o.documentId, p, 'documentId'),
      doc: this.str(o.doc, p, 'doc'),
      ctx: this.int(o.ctx, p, 'ctx'),
      top: this.bool(o.top, p, 'top'),
      indexInParent: this.intOrNull(o.indexInParent, p, 'indexInParent'),
      // Absent from traces written before popups were followed.
      openerId: o.openerId === undefined ? null : this.idOrNull(o.openerId, p, 'openerId'),
      createdAt: this.numOrNull(o.createdAt, p, 'createdAt'),
      endedAt: this.numOrNull(o.endedAt, p, 'endedAt'),
      // Absent from traces written before workers were recorded inside, and for windows.
      ...(o.inside === undefined ? {} : { inside: this.inside(o.inside, p) }),
    };
  }

  private inside(v: unknown, p: () => string): WorkerInside {
    const o = this.obj(v, () => `${p()}.inside`);
    const at = () => `${p()}.inside`;
    if (this.bool(o.recorded, at, 'recorded')) return { recorded: true };
    return { recorded: false, why: this.oneOf<E.InsideWhy>(o.why, INSIDE_WHYS, at, 'why'), note: this.str(o.note, at, 'note') };
  }

  private port(v: unknown, p: () => string): PortRecord {
    const o = this.obj(v, p);
    const holders = this.arr(o.holders, this.lim.maxList, () => `${p()}.holders`);
    const hs = new Array<HolderRecord>(holders.length);
    for (let i = 0; i < holders.length; i++) {
      const hp = () => `${p()}.holders[${i}]`;
      const h = this.obj(holders[i], hp);
      hs[i] = {
        contextId: this.id(h.contextId, () => `${hp()}.contextId`),
        since: this.num(h.since, () => `${hp()}.since`),
        messageId: this.idOrNull(h.messageId, () => `${hp()}.messageId`),
        startedAt: this.numOrNull(h.startedAt, () => `${hp()}.startedAt`),
      };
    }
    return {
      id: this.id(o.id, p, 'id'),
      channelId: this.idOrNull(o.channelId, p, 'channelId'),
      entangledWith: this.idOrNull(o.entangledWith, p, 'entangledWith'),
      createdIn: this.idOrNull(o.createdIn, p, 'createdIn'),
      createdAt: this.numOrNull(o.createdAt, p, 'createdAt'),
      holders: hs,
      started: this.bool(o.started, p, 'started'),
      closed: this.bool(o.closed, p, 'closed'),
      closedAt: this.numOrNull(o.closedAt, p, 'closedAt'),
      shipped: this.bool(o.shipped, p, 'shipped'),
      lostIn: this.idOrNull(o.lostIn, p, 'lostIn'),
      listeners: this.int(o.listeners, p, 'listeners'),
      // Added after version 1 was first written: absent in older files means null.
      createdStack: this.strOrNull(o.createdStack ?? null, p, 'createdStack'),
      // Added later still: absent means observed.
      identity: this.identity(o.identity ?? null, () => `${p()}.identity`),
      stateKnown: this.oneOf<PortStateKnown>(o.stateKnown ?? 'observed', STATE_KNOWN, p, 'stateKnown'),
    };
  }

  private identity(v: unknown, p: () => string): PortIdentity | null {
    if (v === null) return null;
    const o = this.obj(v, p);
    if (o.status !== 'unknown') this.fail(p, 'expected "unknown"', 'invalid', 'status');
    const list = this.arr(o.candidates, this.lim.maxPorts, () => `${p()}.candidates`);
    return { status: 'unknown', candidates: list.map((c, i) => this.id(c, () => `${p()}.candidates[${i}]`)), why: this.str(o.why, p, 'why') };
  }

  private message(v: unknown, p: () => string): MessageRecord {
    const o = this.obj(v, p);
    const oc = this.obj(o.outcome, () => `${p()}.outcome`);
    const tr = this.arr(o.transfer, this.lim.maxList, () => `${p()}.transfer`);
    const transfer = new Array<TransferRecord>(tr.length);
    for (let i = 0; i < tr.length; i++) {
      const tp = () => `${p()}.transfer[${i}]`;
      const t = this.obj(tr[i], tp);
      transfer[i] = {
        kind: this.oneOf<TransferKind>(t.kind, TRANSFER_KINDS, () => `${tp()}.kind`),
        id: this.intOrNull(t.id, () => `${tp()}.id`),
        bytes: this.numOrNull(t.bytes, () => `${tp()}.bytes`),
      };
    }
    const type = o.type;
    if (type !== 'message' && type !== 'messageerror') this.fail(p, 'expected "message" or "messageerror"', 'invalid', 'type');
    return {
      id: this.id(o.id, p, 'id'),
      via: this.oneOf<Via>(o.via, VIAS, p, 'via'),
      type,
      fromContext: this.idOrNull(o.fromContext, p, 'fromContext'),
      toContext: this.idOrNull(o.toContext, p, 'toContext'),
      fromPort: this.idOrNull(o.fromPort, p, 'fromPort'),
      toPort: this.idOrNull(o.toPort, p, 'toPort'),
      sentAt: this.numOrNull(o.sentAt, p, 'sentAt'),
      deliveredAt: this.numOrNull(o.deliveredAt, p, 'deliveredAt'),
      outcome: {
        status: this.oneOf<OutcomeStatus>(oc.status, STATUSES, () => `${p()}.outcome.status`),
        reason: this.strOrNull(oc.reason, () => `${p()}.outcome.reason`),
      },
      transfer,
      preview: this.strOrNull(o.preview, p, 'preview'),
      bytes: this.numOrNull(o.bytes, p, 'bytes'),
      targetOrigin: this.strOrNull(o.targetOrigin, p, 'targetOrigin'),
      origin: this.strOrNull(o.origin, p, 'origin'),
      stack: this.strOrNull(o.stack, p, 'stack'),
      listeners: this.intOrNull(o.listeners, p, 'listeners'),
      handlerMs: this.numOrNull(o.handlerMs, p, 'handlerMs'),
      waitMs: this.numOrNull(o.waitMs, p, 'waitMs'),
      // Added after version 1 was first written: absent in older files means null.
      originRead: this.boolOrNull(o.originRead ?? null, p, 'originRead'),
      bufferBytes: this.numOrNull(o.bufferBytes ?? null, p, 'bufferBytes'),
      errorPath: this.strOrNull(o.errorPath ?? null, p, 'errorPath'),
      replayOf: this.idOrNull(o.replayOf ?? null, p, 'replayOf'),
      sample: this.sample(o.sample ?? null, p),
      // Added with the senders' samples: absent in older files, where every sample is the receiver's.
      sampleFrom: o.sampleFrom === undefined || o.sampleFrom === null ? (o.sample == null ? null : 'receiver') : this.oneOf<SampleSide>(o.sampleFrom, SAMPLE_SIDES, p, 'sampleFrom'),
      call: o.call === undefined || o.call === null ? null : this.call(o.call, () => `${p()}.call`),
    };
  }

  private call(v: unknown, p: () => string): CallRecord {
    const o = this.obj(v, p);
    const call: CallRecord = {
      protocol: this.str(o.protocol, p, 'protocol'),
      role: this.oneOf<CallRecord['role']>(o.role, CALL_ROLES, p, 'role'),
      label: this.str(o.label, p, 'label'),
      id: this.strOrNull(o.id, p, 'id'),
      pairedWith: this.idOrNull(o.pairedWith, p, 'pairedWith'),
      latencyMs: this.numOrNull(o.latencyMs, p, 'latencyMs'),
    };
    // Added with the reasons: absent in older files and on pairs.
    if (o.unpaired !== undefined && o.unpaired !== null) call.unpaired = this.oneOf<CallUnpaired>(o.unpaired, CALL_UNPAIRED, p, 'unpaired');
    return call;
  }

  /** A Sample in JSON text, checked whole: a malformed one rejects the file and says where. */
  private sample(v: unknown, p: () => string): string | null {
    const s = this.strOrNull(v, p, 'sample');
    if (s === null) return null;
    let value: unknown;
    try {
      value = JSON.parse(s);
    } catch (e) {
      this.fail(p, `not a valid sample: not JSON (${(e as Error).message})`, 'invalid', 'sample');
    }
    const error = sampleError(value);
    if (error !== null) this.fail(p, `not a valid sample: ${error}`, 'invalid', 'sample');
    return s;
  }

  private ids(v: unknown, p: () => string): number[] {
    const a = this.arr(v, this.lim.maxList, p);
    const out = new Array<number>(a.length);
    for (let i = 0; i < a.length; i++) out[i] = this.id(a[i], () => `${p()}[${i}]`);
    return out;
  }

  private finding(v: unknown, p: () => string): FindingRecord {
    const o = this.obj(v, p);
    return {
      rule: this.str(o.rule, p, 'rule'),
      severity: this.oneOf<Severity>(o.severity, SEVERITIES, p, 'severity'),
      message: this.str(o.message, p, 'message'),
      messageIds: this.ids(o.messageIds, () => `${p()}.messageIds`),
      portIds: this.ids(o.portIds, () => `${p()}.portIds`),
    };
  }

  private listener(v: unknown, p: () => string): ListenerRecord {
    const o = this.obj(v, p);
    const tp = () => `${p()}.target`;
    const t = this.obj(o.target, tp);
    return {
      id: this.id(o.id, p, 'id'),
      contextId: this.id(o.contextId, p, 'contextId'),
      target: {
        via: this.oneOf<ListenerTarget['via']>(t.via, LISTENER_VIAS, tp, 'via'),
        port: this.idOrNull(t.port, tp, 'port'),
        contextId: this.idOrNull(t.contextId, tp, 'contextId'),
        object: this.idOrNull(t.object, tp, 'object'),
        channel: this.strOrNull(t.channel, tp, 'channel'),
      },
      type: this.oneOf<'message' | 'messageerror'>(o.type, TYPES, p, 'type'),
      kind: this.oneOf<ListenerRecord['kind']>(o.kind, LISTENER_KINDS, p, 'kind'),
      capture: this.bool(o.capture, p, 'capture'),
      once: this.bool(o.once, p, 'once'),
      addedAt: this.num(o.addedAt, p, 'addedAt'),
      removedAt: this.numOrNull(o.removedAt, p, 'removedAt'),
      removedBy: o.removedBy === null ? null : this.oneOf<ListenerRemoval>(o.removedBy, REMOVALS, p, 'removedBy'),
      stack: this.strOrNull(o.stack, p, 'stack'),
      name: this.strOrNull(o.name, p, 'name'),
      source: this.strOrNull(o.source, p, 'source'),
      sourceTruncated: this.bool(o.sourceTruncated, p, 'sourceTruncated'),
      wrappedBy: o.wrappedBy === null ? null : this.oneOf<WrappedBy>(o.wrappedBy, WRAPPERS, p, 'wrappedBy'),
      handled: this.count(o.handled, p, 'handled'),
      originRead: this.bool(o.originRead, p, 'originRead'),
    };
  }

  private count(v: unknown, path: () => string, key?: string): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) this.fail(path, 'expected a count (integer ≥ 0)', 'invalid', key);
    return v;
  }

  private mismatch(v: unknown, p: () => string): MismatchRecord {
    const o = this.obj(v, p);
    return {
      contextId: this.id(o.contextId, p, 'contextId'),
      at: this.num(o.at, p, 'at'),
      messageId: this.idOrNull(o.messageId, p, 'messageId'),
      expected: this.str(o.expected, p, 'expected'),
      actual: this.str(o.actual, p, 'actual'),
    };
  }

  private dropped(v: unknown): DroppedCounts {
    const o = this.obj(v, () => 'dropped');
    const keys = Object.keys(o);
    if (keys.length > this.lim.maxList) this.fail(() => 'dropped', `more than ${this.lim.maxList} causes`, 'too-large');
    const out: DroppedCounts = {};
    for (const k of keys) {
      const n = o[k];
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) this.fail(() => `dropped.${k}`, 'expected a count (integer ≥ 0)');
      if (k.length > 200) this.fail(() => 'dropped', 'cause name too long', 'too-large');
      out[k] = n;
    }
    return out;
  }

  /** Ids unique and ascending; every reference to a context or port names one in the file. */
  private references(doc: TraceDocument): void {
    const ascending = (list: { id: number }[], name: string) => {
      for (let i = 1; i < list.length; i++) {
        if (list[i].id <= list[i - 1].id) this.fail(() => `${name}[${i}].id`, 'ids must be unique and ascending');
      }
    };
    ascending(doc.contexts, 'contexts');
    ascending(doc.ports, 'ports');
    ascending(doc.messages, 'messages');
    const ctxIds = new Set(doc.contexts.map((c) => c.id));
    const portIds = new Set(doc.ports.map((p) => p.id));
    const ctx = (id: number | null, path: () => string) => {
      if (id !== null && !ctxIds.has(id)) this.fail(path, `no context with id ${id}`);
    };
    // A port the budget evicted may still be named (by a message, its partner, a listener).
    const evictedPorts = new IdRanges(doc.meta.evicted?.ports ?? []);
    const port = (id: number | null, path: () => string) => {
      if (id !== null && !portIds.has(id) && !evictedPorts.has(id)) this.fail(path, `no port with id ${id}`);
    };
    doc.contexts.forEach((c, i) => ctx(c.parentId, () => `contexts[${i}].parentId`));
    doc.ports.forEach((p, i) => {
      ctx(p.createdIn, () => `ports[${i}].createdIn`);
      port(p.entangledWith, () => `ports[${i}].entangledWith`);
      p.holders.forEach((h, j) => ctx(h.contextId, () => `ports[${i}].holders[${j}].contextId`));
      p.identity?.candidates.forEach((c, j) => port(c, () => `ports[${i}].identity.candidates[${j}]`));
    });
    for (let i = 0; i < doc.messages.length; i++) {
      const m = doc.messages[i];
      ctx(m.fromContext, () => `messages[${i}].fromContext`);
      ctx(m.toContext, () => `messages[${i}].toContext`);
      port(m.fromPort, () => `messages[${i}].fromPort`);
      port(m.toPort, () => `messages[${i}].toPort`);
      for (let j = 0; j < m.transfer.length; j++) {
        const t = m.transfer[j];
        if (t.kind === 'MessagePort') port(t.id, () => `messages[${i}].transfer[${j}].id`);
      }
    }
    doc.mismatches.forEach((m, i) => ctx(m.contextId, () => `mismatches[${i}].contextId`));
    ascending(doc.listeners, 'listeners');
    doc.listeners.forEach((l, i) => {
      ctx(l.contextId, () => `listeners[${i}].contextId`);
      ctx(l.target.contextId, () => `listeners[${i}].target.contextId`);
      port(l.target.port, () => `listeners[${i}].target.port`);
    });
  }
}

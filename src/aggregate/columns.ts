// Packs message records into columns (typed arrays + one string) and back, so a large
// snapshot crosses a runtime port as a few buffers instead of a million objects.

import { CALL_UNPAIRED } from '../protocol/enums';
import type { TransferKind } from '../protocol/messages';
import {
  CALL_ROLE_CODES,
  STATUS_CODES,
  TRANSFER_KIND_CODES,
  TYPE_CODES,
  VIA_CODES,
  type AggregateDelta,
  type AggregateSnapshot,
  type CallRecord,
  type MessageColumns,
  type MessageRecord,
  type PackedDelta,
  type PackedSnapshot,
  type TransferRecord,
} from '../protocol/session';

const codeOf = (list: readonly string[]) => new Map(list.map((s, i) => [s, i]));
// Switches beat map lookups on this path (a million rows per snapshot).
function viaCode(v: string): number {
  switch (v) {
    case 'port':
      return 0;
    case 'window':
      return 1;
    case 'worker':
      return 2;
    case 'broadcast':
      return 3;
    default:
      return 4;
  }
}
function statusCode(s: string): number {
  switch (s) {
    case 'sent':
      return 0;
    case 'queued':
      return 1;
    case 'delivered':
      return 2;
    case 'dropped':
      return 3;
    default:
      return 4;
  }
}
const KIND = codeOf(TRANSFER_KIND_CODES);
const ROLE = codeOf(CALL_ROLE_CODES);
const UNPAIRED = codeOf(CALL_UNPAIRED);
const OTHER = KIND.get('other') as number;

const num = (v: number | null) => (v === null ? NaN : v);
const orNull = (v: number) => (v !== v ? null : v);
const idOrNull = (v: number) => (v === 0 ? null : v);

export function packMessages(records: MessageRecord[]): MessageColumns {
  const n = records.length;
  let transfers = 0;
  for (let i = 0; i < n; i++) transfers += records[i].transfer.length;
  const id = new Uint32Array(n);
  const via = new Uint8Array(n);
  const type = new Uint8Array(n);
  const status = new Uint8Array(n);
  const fromContext = new Uint32Array(n);
  const toContext = new Uint32Array(n);
  const fromPort = new Uint32Array(n);
  const toPort = new Uint32Array(n);
  const sentAt = new Float64Array(n);
  const deliveredAt = new Float64Array(n);
  const bytes = new Float64Array(n);
  const listeners = new Float64Array(n);
  const handlerMs = new Float64Array(n);
  const waitMs = new Float64Array(n);
  const bufferBytes = new Float64Array(n);
  const originRead = new Uint8Array(n);
  const errorPath = new Uint32Array(n);
  const replayOf = new Uint32Array(n);
  const reason = new Uint32Array(n);
  const targetOrigin = new Uint32Array(n);
  const origin = new Uint32Array(n);
  const stack = new Uint32Array(n);
  const preview = new Uint32Array(n);
  const sample = new Uint32Array(n);
  const transferStart = new Uint32Array(n + 1);
  const transferKind = new Uint8Array(transfers);
  const transferId = new Float64Array(transfers);
  const transferBytes = new Float64Array(transfers);
  const callRole = new Uint8Array(n);
  const callProtocol = new Uint32Array(n);
  const callLabel = new Uint32Array(n);
  const callId = new Uint32Array(n);
  const callPairedWith = new Uint32Array(n);
  const callLatencyMs = new Float64Array(n);
  // Entry 0 is null (empty). Repetitive strings are shared; previews and samples are appended as they are.
  const parts: string[] = [''];
  let starts = new Uint32Array(n + 64);
  let length = 0;
  const table = new Map<string, number>();
  const append = (s: string): number => {
    const k = parts.length;
    parts.push(s);
    length += s.length;
    if (k + 1 >= starts.length) {
      const grown = new Uint32Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[k + 1] = length;
    return k;
  };
  const shared = (s: string | null): number => {
    if (s === null) return 0;
    let k = table.get(s);
    if (k === undefined) table.set(s, (k = append(s)));
    return k;
  };
  let t = 0;
  for (let i = 0; i < n; i++) {
    const m = records[i];
    id[i] = m.id;
    via[i] = viaCode(m.via);
    // Bit 1: the sample is the sender's (sampleFrom), next to the message's type in bit 0.
    type[i] = (m.type === 'messageerror' ? 1 : 0) | (m.sampleFrom === 'sender' ? 2 : 0);
    status[i] = statusCode(m.outcome.status);
    fromContext[i] = m.fromContext ?? 0;
    toContext[i] = m.toContext ?? 0;
    fromPort[i] = m.fromPort ?? 0;
    toPort[i] = m.toPort ?? 0;
    sentAt[i] = num(m.sentAt);
    deliveredAt[i] = num(m.deliveredAt);
    bytes[i] = num(m.bytes);
    listeners[i] = num(m.listeners);
    handlerMs[i] = num(m.handlerMs);
    waitMs[i] = num(m.waitMs);
    bufferBytes[i] = num(m.bufferBytes ?? null);
    originRead[i] = m.originRead == null ? 0 : m.originRead ? 2 : 1;
    errorPath[i] = shared(m.errorPath ?? null);
    replayOf[i] = m.replayOf ?? 0;
    reason[i] = shared(m.outcome.reason);
    targetOrigin[i] = shared(m.targetOrigin);
    origin[i] = shared(m.origin);
    stack[i] = shared(m.stack);
    preview[i] = m.preview === null ? 0 : append(m.preview);
    sample[i] = m.sample == null ? 0 : append(m.sample);
    const call = m.call;
    if (call) {
      callRole[i] = (ROLE.get(call.role) ?? 0) + 1 + (call.unpaired ? ((UNPAIRED.get(call.unpaired) ?? -1) + 1) << 3 : 0);
      callProtocol[i] = shared(call.protocol);
      callLabel[i] = append(call.label);
      callId[i] = call.id === null ? 0 : append(call.id);
      callPairedWith[i] = call.pairedWith ?? 0;
      callLatencyMs[i] = num(call.latencyMs);
    } else callLatencyMs[i] = NaN;
    transferStart[i] = t;
    const tr = m.transfer;
    for (let k = 0; k < tr.length; k++, t++) {
      transferKind[t] = KIND.get(tr[k].kind) ?? OTHER;
      transferId[t] = tr[k].id === null ? 0 : (tr[k].id as number) + 1;
      transferBytes[t] = num(tr[k].bytes);
    }
  }
  transferStart[n] = t;
  return {
    count: n,
    id,
    via,
    type,
    status,
    fromContext,
    toContext,
    fromPort,
    toPort,
    sentAt,
    deliveredAt,
    bytes,
    listeners,
    handlerMs,
    waitMs,
    bufferBytes,
    originRead,
    text: parts.join(''),
    textStart: starts.slice(0, parts.length + 1),
    reason,
    targetOrigin,
    origin,
    stack,
    preview,
    errorPath,
    replayOf,
    sample,
    transferStart,
    transferKind,
    transferId,
    transferBytes,
    callRole,
    callProtocol,
    callLabel,
    callId,
    callPairedWith,
    callLatencyMs,
  };
}

function callAt(c: MessageColumns, i: number): CallRecord | null {
  const code = c.callRole ? c.callRole[i] : 0;
  const role = code & 7;
  if (!role || !c.callProtocol || !c.callLabel || !c.callId || !c.callPairedWith || !c.callLatencyMs) return null;
  const call: CallRecord = {
    protocol: textAt(c, c.callProtocol[i]) ?? '',
    role: CALL_ROLE_CODES[role - 1],
    label: textAt(c, c.callLabel[i]) ?? '',
    id: textAt(c, c.callId[i]),
    pairedWith: idOrNull(c.callPairedWith[i]),
    latencyMs: orNull(c.callLatencyMs[i]),
  };
  const why = code >> 3;
  if (why > 0 && why <= CALL_UNPAIRED.length) call.unpaired = CALL_UNPAIRED[why - 1];
  return call;
}

function textAt(c: MessageColumns, k: number): string | null {
  return k === 0 ? null : c.text.slice(c.textStart[k], c.textStart[k + 1]);
}

/** Row i as a record (a virtualized list decodes only the rows it shows). */
export function messageAt(c: MessageColumns, i: number): MessageRecord {
  const from = c.transferStart[i];
  const to = c.transferStart[i + 1];
  const transfer: TransferRecord[] = new Array(to - from);
  for (let t = from; t < to; t++) {
    const tid = c.transferId[t];
    transfer[t - from] = { kind: TRANSFER_KIND_CODES[c.transferKind[t]] as TransferKind, id: tid === 0 ? null : tid - 1, bytes: orNull(c.transferBytes[t]) };
  }
  return {
    id: c.id[i],
    via: VIA_CODES[c.via[i]],
    type: TYPE_CODES[c.type[i] & 1],
    fromContext: idOrNull(c.fromContext[i]),
    toContext: idOrNull(c.toContext[i]),
    fromPort: idOrNull(c.fromPort[i]),
    toPort: idOrNull(c.toPort[i]),
    sentAt: orNull(c.sentAt[i]),
    deliveredAt: orNull(c.deliveredAt[i]),
    outcome: { status: STATUS_CODES[c.status[i]], reason: textAt(c, c.reason[i]) },
    transfer,
    preview: textAt(c, c.preview[i]),
    bytes: orNull(c.bytes[i]),
    targetOrigin: textAt(c, c.targetOrigin[i]),
    origin: textAt(c, c.origin[i]),
    stack: textAt(c, c.stack[i]),
    listeners: orNull(c.listeners[i]),
    handlerMs: orNull(c.handlerMs[i]),
    waitMs: orNull(c.waitMs[i]),
    originRead: c.originRead[i] === 0 ? null : c.originRead[i] === 2,
    bufferBytes: orNull(c.bufferBytes[i]),
    errorPath: textAt(c, c.errorPath[i]),
    // Columns packed before replays existed have none.
    replayOf: c.replayOf ? idOrNull(c.replayOf[i]) : null,
    // Blocks packed before samples existed have no sample column.
    sample: c.sample ? textAt(c, c.sample[i]) : null,
    sampleFrom: !c.sample || c.sample[i] === 0 ? null : c.type[i] & 2 ? 'sender' : 'receiver',
    call: callAt(c, i),
  };
}

export function unpackMessages(c: MessageColumns): MessageRecord[] {
  const out: MessageRecord[] = new Array(c.count);
  for (let i = 0; i < c.count; i++) out[i] = messageAt(c, i);
  return out;
}

export function packSnapshot(s: AggregateSnapshot): PackedSnapshot {
  return { ...s, messages: [packMessages(s.messages)] };
}

/** A delta as the panel gets it: its messages as columns, which the panel's main thread clones several times faster than objects. */
export function packDelta(d: AggregateDelta): PackedDelta {
  return { ...d, messages: packMessages(d.messages) };
}

export function unpackDelta(p: PackedDelta): AggregateDelta {
  return { ...p, messages: unpackMessages(p.messages) };
}

export function unpackSnapshot(p: PackedSnapshot): AggregateSnapshot {
  const messages: MessageRecord[] = [];
  for (const block of p.messages) for (let i = 0; i < block.count; i++) messages.push(messageAt(block, i));
  return { ...p, messages };
}

/** Row i across blocks (a virtualized list over a packed snapshot). */
export function blockRowAt(blocks: MessageColumns[], i: number): MessageRecord | undefined {
  for (const b of blocks) {
    if (i < b.count) return messageAt(b, i);
    i -= b.count;
  }
  return undefined;
}

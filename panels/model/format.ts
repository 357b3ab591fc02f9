// Short human labels for contexts, times, sizes and outcomes.
import type { ContextRecord, MessageRecord } from '../../src/protocol/session';
import type { OutcomeStatus } from '../../src/protocol/enums';
import { indexOf, type Dataset } from './dataset';
import { fmt, msg } from '../i18n';

export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol === 'about:' || u.protocol === 'data:' || u.protocol === 'blob:') return url.length > 60 ? url.slice(0, 57) + '…' : url;
    const path = u.pathname.length > 40 ? '…' + u.pathname.slice(-39) : u.pathname;
    return u.host + path;
  } catch {
    return url || '(unknown)';
  }
}

export function contextLabel(c: ContextRecord | undefined, id: number | null): string {
  if (!c) return id === null ? '?' : msg('fdContext', id);
  const place = shortUrl(c.url || c.origin);
  return c.kind === 'window' ? place : `${c.kind} ${place}`;
}

/** A compact label for tables: the host and the file name. */
export function contextShort(c: ContextRecord | undefined, id: number | null): string {
  if (!c) return id === null ? '?' : `#${id}`;
  let place = c.url || c.origin;
  try {
    const u = new URL(place);
    const file = u.pathname.slice(u.pathname.lastIndexOf('/') + 1);
    place = u.protocol === 'http:' || u.protocol === 'https:' ? (file ? `${u.host} ${file}` : u.host) : shortUrl(place);
  } catch {
    // keep the raw text
  }
  return c.kind === 'window' ? place : `${c.kind} ${place}`;
}

export function contextName(d: Dataset, id: number | null): string {
  return contextLabel(id === null ? undefined : d.contexts.get(id), id);
}

/** Seconds since the start of the recording, to the millisecond. */
export function relTime(t: number | null, t0: number): string {
  if (t === null) return '—';
  return `${fmt.fixed((t - t0) / 1000, 3)} s`;
}

export function ms(v: number | null): string {
  if (v === null) return '—';
  if (v < 1) return `${fmt.fixed(v * 1000, 0)} µs`;
  if (v < 1000) return `${fmt.fixed(v, v < 10 ? 2 : 1)} ms`;
  return `${fmt.fixed(v / 1000, 2)} s`;
}

/**
 * The Size cell: the payload size where the recording has one (a trace that carries it), else
 * the bytes of the ArrayBuffers the receiver got; the page measures nothing else (it never walks
 * the sender's object), so a message without buffers shows none.
 */
export function sizeOf(m: MessageRecord): { text: string; title: string } {
  if (m.bytes !== null) return { text: bytes(m.bytes), title: msg('msSizeTitle') };
  if (m.bufferBytes) return { text: bytes(m.bufferBytes), title: msg('msSizeBuffersTitle') };
  return { text: '', title: '' };
}

export function bytes(v: number | null): string {
  if (v === null) return '';
  // The unit symbols are the locale's too (French writes octets: o, ko, Mo).
  if (v < 1024) return msg('unitB', fmt.number(v));
  if (v < 1024 * 1024) return msg('unitKB', fmt.fixed(v / 1024, 1));
  return msg('unitMB', fmt.fixed(v / 1024 / 1024, 1));
}

/**
 * The outcome in the UI language: its word and the reason's phrase ("perdu : aucun écouteur").
 * A reason that is no known code (an error's "<name>: <message>", a newer producer's code) is
 * shown as it comes. English phrases are the codes themselves, as the panel always showed them.
 */
export function outcomeText(m: MessageRecord): string {
  const status = outcomeWord(m.outcome.status);
  const reason = m.outcome.reason;
  return reason ? msg('msOutcomeReason', status, reasonPhrase(reason) ?? reason) : status;
}

/** The outcome's tooltip: its text, and the reason's code when the text words it otherwise. */
export function outcomeTitle(m: MessageRecord): string {
  const text = outcomeText(m);
  const reason = m.outcome.reason;
  const phrase = reason ? reasonPhrase(reason) : null;
  return reason && phrase !== null && phrase !== reason ? msg('msOutcomeReasonTitle', text, reason) : text;
}

/** A reason code's phrase in the UI language (docs/trace-format.md lists the codes); null for any other reason. */
export function reasonPhrase(reason: string): string | null {
  const say = Object.hasOwn(REASON_TEXT, reason) ? REASON_TEXT[reason] : undefined;
  return say ? say() : null;
}

// Functions, not bare keys: the catalogue check finds keys as literal arguments of msg.
const REASON_TEXT: Record<string, () => string> = {
  'port-shipped': () => msg('outcomeReason_port_shipped'),
  'port-closed': () => msg('outcomeReason_port_closed'),
  'partner-closed': () => msg('outcomeReason_partner_closed'),
  doomed: () => msg('outcomeReason_doomed'),
  'receiver-gone': () => msg('outcomeReason_receiver_gone'),
  'target-origin-mismatch': () => msg('outcomeReason_target_origin_mismatch'),
  'no-target': () => msg('outcomeReason_no_target'),
  'channel-closed': () => msg('outcomeReason_channel_closed'),
  'no-listener': () => msg('outcomeReason_no_listener'),
  'delivery-evicted': () => msg('outcomeReason_delivery_evicted'),
};

export const outcomeWord = (s: OutcomeStatus) => OUTCOME_TEXT[s]();

// Functions, not bare keys: the catalogue check finds keys as literal arguments of msg.
const OUTCOME_TEXT: Record<OutcomeStatus, () => string> = {
  sent: () => msg('outcomeSent'),
  queued: () => msg('outcomeQueued'),
  delivered: () => msg('outcomeDelivered'),
  dropped: () => msg('outcomeDropped'),
  error: () => msg('outcomeError'),
};

export function transferText(m: MessageRecord): string {
  if (!m.transfer.length) return '';
  const counts = new Map<string, number>();
  for (const t of m.transfer) counts.set(t.kind, (counts.get(t.kind) ?? 0) + 1);
  return [...counts].map(([k, n]) => (n > 1 ? `${fmt.number(n)}× ${k}` : k)).join(', ');
}

/** The first instant of the recording, the origin of relative times. */
export function startTime(d: Dataset): number {
  let t0 = Infinity;
  for (const c of d.contexts.values()) if (c.createdAt !== null && c.createdAt < t0) t0 = c.createdAt;
  // Messages are in id order, which is close to time order: the first few hold the minimum.
  const n = Math.min(d.messages.length, 64);
  for (let i = 0; i < n; i++) {
    const m = d.messages[i];
    const t = m.sentAt ?? m.deliveredAt;
    if (t !== null && t < t0) t0 = t;
  }
  return t0 === Infinity ? 0 : t0;
}

/** First and last instants of the recording. */
export function timeExtent(d: Dataset): { from: number; to: number } {
  let from = Infinity;
  let to = -Infinity;
  const see = (t: number | null) => {
    if (t === null) return;
    if (t < from) from = t;
    if (t > to) to = t;
  };
  for (const c of d.contexts.values()) see(c.createdAt);
  for (const p of d.ports.values()) {
    see(p.createdAt);
    see(p.closedAt);
  }
  // The messages' bounds are kept by the message index, not found again per frame.
  const ix = indexOf(d);
  if (ix.minTime <= ix.maxTime) {
    see(ix.minTime);
    see(ix.maxTime);
  }
  if (from === Infinity) return { from: 0, to: 1 };
  if (to <= from) to = from + 1;
  return { from, to };
}

/** Contexts still current (a document replaced by navigation is kept but no longer counted). */
/** Ports whose holder is a current document or worker (or not known): those of replaced documents went with them. */
export function currentPorts(d: Dataset): number {
  let n = 0;
  for (const p of d.ports.values()) {
    const h = p.holders[p.holders.length - 1];
    const at = h ? h.contextId : p.createdIn;
    const c = at === null ? undefined : d.contexts.get(at);
    if (!c || c.endedAt === null) n++;
  }
  return n;
}

export function currentContexts(d: Dataset): number {
  let n = 0;
  for (const c of d.contexts.values()) if (c.endedAt === null) n++;
  return n;
}

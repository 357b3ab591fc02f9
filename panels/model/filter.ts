// The Messages filters (text, origin, context, channel, outcome, rule, protocol) and the timeline
// brush, as one pure function from a dataset to the indices of the rows to show.
import type { MessageRecord, OutcomeStatus } from '../../src/protocol/session';
import type { Dataset } from './dataset';
import { DECODERS } from '../../src/decode';

export interface MessageFilter {
  /** Case-insensitive; searched in the payload preview, the decoded call, the outcome reason and the origin. */
  text: string;
  /** A context origin: matches messages from or to a context of that origin. */
  origin: string;
  context: number | null;
  channel: number | null;
  outcome: OutcomeStatus | '';
  /** A finding rule: matches the messages its findings name. */
  rule: string;
  /** A decoder's name (src/decode): matches the messages decoded as that protocol's calls. */
  protocol: string;
}

/** The protocols the protocol filter offers: every decoder's. */
export const PROTOCOLS: readonly string[] = DECODERS.map((d) => d.name);

export const NO_FILTER: MessageFilter = { text: '', origin: '', context: null, channel: null, outcome: '', rule: '', protocol: '' };

/** A time range [from, to] in the recording's clock (epoch ms). */
export interface Brush {
  from: number;
  to: number;
}

export function isFiltering(f: MessageFilter, brush: Brush | null): boolean {
  return brush !== null || f.text !== '' || f.origin !== '' || f.context !== null || f.channel !== null || f.outcome !== '' || f.rule !== '' || f.protocol !== '';
}

/** When a message happened: its send, or its delivery when the send was not seen. */
export function startOf(m: MessageRecord): number | null {
  return m.sentAt ?? m.deliveredAt;
}

export function endOf(m: MessageRecord): number | null {
  return m.deliveredAt ?? m.sentAt;
}

export function channelOf(d: Dataset, m: MessageRecord): number | null {
  const port = m.fromPort ?? m.toPort;
  return port === null ? null : (d.ports.get(port)?.channelId ?? null);
}

/** Indices into d.messages of the rows that pass the filter and the brush, in id order. */
export function filterMessages(d: Dataset, f: MessageFilter, brush: Brush | null): number[] {
  const list = d.messages;
  const out: number[] = [];
  if (!isFiltering(f, brush)) {
    for (let i = 0; i < list.length; i++) out.push(i);
    return out;
  }
  const text = f.text.trim().toLowerCase();
  const originContexts = f.origin ? new Set([...d.contexts.values()].filter((c) => c.origin === f.origin).map((c) => c.id)) : null;
  let ruleIds: Set<number> | null = null;
  if (f.rule) {
    ruleIds = new Set();
    for (const fd of d.findings) if (fd.rule === f.rule) for (const id of fd.messageIds) ruleIds.add(id);
  }
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    if (f.outcome && m.outcome.status !== f.outcome) continue;
    if (f.context !== null && m.fromContext !== f.context && m.toContext !== f.context) continue;
    if (originContexts && !(m.fromContext !== null && originContexts.has(m.fromContext)) && !(m.toContext !== null && originContexts.has(m.toContext))) continue;
    if (f.channel !== null && channelOf(d, m) !== f.channel) continue;
    if (ruleIds && !ruleIds.has(m.id)) continue;
    if (f.protocol && m.call?.protocol !== f.protocol) continue;
    if (brush) {
      const s = startOf(m);
      const e = endOf(m);
      if (s === null || e === null || e < brush.from || s > brush.to) continue;
    }
    if (text && !matchesText(m, text)) continue;
    out.push(i);
  }
  return out;
}

function matchesText(m: MessageRecord, needle: string): boolean {
  return (
    (m.preview !== null && m.preview.toLowerCase().includes(needle)) ||
    (m.call != null && m.call.label.toLowerCase().includes(needle)) ||
    (m.outcome.reason !== null && m.outcome.reason.toLowerCase().includes(needle)) ||
    (m.origin !== null && m.origin.toLowerCase().includes(needle)) ||
    m.via === needle
  );
}

/** The choices each filter offers, from what the dataset holds. */
export function filterChoices(d: Dataset) {
  const origins = [...new Set([...d.contexts.values()].map((c) => c.origin).filter((o) => o))].sort();
  const channels = [...new Set([...d.ports.values()].map((p) => p.channelId).filter((c): c is number => c !== null))].sort((a, b) => a - b);
  const rules = [...new Set(d.findings.map((f) => f.rule))].sort();
  return { origins, channels, rules };
}

export function parseFilter(x: unknown): MessageFilter {
  if (typeof x !== 'object' || x === null) return NO_FILTER;
  const o = x as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const id = (v: unknown) => (Number.isSafeInteger(v) ? (v as number) : null);
  const outcome = str(o.outcome);
  const protocol = str(o.protocol);
  return {
    text: str(o.text),
    origin: str(o.origin),
    context: id(o.context),
    channel: id(o.channel),
    outcome: (['sent', 'queued', 'delivered', 'dropped', 'error'].includes(outcome) ? outcome : '') as MessageFilter['outcome'],
    rule: str(o.rule),
    protocol: PROTOCOLS.includes(protocol) ? protocol : '',
  };
}

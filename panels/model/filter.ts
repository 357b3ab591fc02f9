// The Messages filters (text, origin, context, channel, outcome, rule, protocol) and the timeline
// brush, as one pure function from a dataset to the indices of the rows to show.
import type { MessageRecord, OutcomeStatus } from '../../src/protocol/session';
import { changedSince, indexOf, messageById, type Dataset } from './dataset';
import { before, endOf, positionOf, startOf, timeKey } from './message-index';
import { DECODERS } from '../../src/decode';
import { reasonPhrase } from './format';

export interface MessageFilter {
  /** Case-insensitive; searched in the payload preview, the decoded call, the outcome reason (its code and its phrase in the UI language) and the origin. */
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

export { endOf, startOf } from './message-index';

export function channelOf(d: Dataset, m: MessageRecord): number | null {
  const port = m.fromPort ?? m.toPort;
  return port === null ? null : (d.ports.get(port)?.channelId ?? null);
}

/**
 * Indices into d.messages of the rows that pass the filter and the brush, in time order: by
 * start (the send, or the delivery when the send was not seen), then id; messages with neither
 * last. (Ids follow the order batches reached the background, which interleaves frames.)
 */
export function filterMessages(d: Dataset, f: MessageFilter, brush: Brush | null): number[] {
  const list = d.messages;
  const out: number[] = [];
  const keep = isFiltering(f, brush) ? matcher(d, f, brush) : () => true;
  for (let i = 0; i < list.length; i++) if (keep(list[i])) out.push(i);
  return out.sort((a, b) => timeKey(list[a]) - timeKey(list[b]) || list[a].id - list[b].id);
}

/** The test of one message against the filter and the brush (what it needs of the dataset is read once). */
function matcher(d: Dataset, f: MessageFilter, brush: Brush | null): (m: MessageRecord) => boolean {
  const text = f.text.trim().toLowerCase();
  const originContexts = f.origin ? new Set([...d.contexts.values()].filter((c) => c.origin === f.origin).map((c) => c.id)) : null;
  let ruleIds: Set<number> | null = null;
  if (f.rule) {
    ruleIds = new Set();
    for (const fd of d.findings) if (fd.rule === f.rule) for (const id of fd.messageIds) ruleIds.add(id);
  }
  return (m) => {
    if (f.outcome && m.outcome.status !== f.outcome) return false;
    if (f.context !== null && m.fromContext !== f.context && m.toContext !== f.context) return false;
    if (originContexts && !(m.fromContext !== null && originContexts.has(m.fromContext)) && !(m.toContext !== null && originContexts.has(m.toContext))) return false;
    if (f.channel !== null && channelOf(d, m) !== f.channel) return false;
    if (ruleIds && !ruleIds.has(m.id)) return false;
    if (f.protocol && m.call?.protocol !== f.protocol) return false;
    if (brush) {
      const s = startOf(m);
      const e = endOf(m);
      if (s === null || e === null || e < brush.from || s > brush.to) return false;
    }
    if (text && !matchesText(m, text)) return false;
    return true;
  };
}

/** The rows of the Messages view: the messages that pass the filters, in time order (filterMessages). */
export interface Rows {
  readonly length: number;
  /** The message of row `i` (0 ≤ i < length). */
  at(i: number): MessageRecord;
  /** The row of message `id`, or -1 when it is not shown. */
  rowOf(id: number): number;
}

/**
 * The Messages rows, kept across frames: unfiltered, the rows are the message index's time
 * order (nothing to build); filtered, the passing messages are kept in that order and, as
 * deltas arrive, only the messages the journal names are taken out and put back where their
 * time now sorts. It starts over when the filter, the brush or what the filter reads (contexts
 * for the origin, ports for the channel, findings for the rule) changed, or when it fell
 * behind the journal.
 */
export class RowFilter {
  private data: Dataset | null = null;
  private filter: MessageFilter | null = null;
  private brush: Brush | null = null;
  private version = -1;
  private reads = '';
  private first = 1;
  /** The passing messages in time order, and the time key each was placed by. */
  private order: MessageRecord[] = [];
  private held = new KeyById();

  rows(d: Dataset, f: MessageFilter, brush: Brush | null): Rows {
    if (!isFiltering(f, brush)) {
      this.data = null;
      const ix = indexOf(d);
      const { byStart, noStart } = ix;
      return {
        length: byStart.length + noStart.length,
        at: (i) => (i < byStart.length ? byStart[i] : noStart[i - byStart.length]),
        rowOf: (id) => {
          const m = messageById(d, id);
          if (!m) return -1;
          const s = startOf(m);
          const list = s === null ? noStart : byStart;
          const i = positionOf(list, timeKey(m), id);
          return list[i]?.id !== id ? -1 : s === null ? byStart.length + i : i;
        },
      };
    }
    const reads = `${f.origin ? d.parts.contexts : ''}/${f.channel !== null ? d.parts.ports : ''}/${f.rule ? d.parts.findings : ''}`;
    const changed = this.data === d && this.filter === f && this.brush === brush && this.reads === reads ? changedSince(d, this.version) : null;
    if (changed === null) this.rebuild(d, f, brush, reads);
    else if (changed.length || d.firstMessageId > this.first) this.catchUp(d, f, brush, changed);
    const order = this.order;
    return {
      length: order.length,
      at: (i) => order[i],
      rowOf: (id) => {
        const k = this.held.get(id);
        if (k !== k) return -1;
        const i = positionOf(order, k, id);
        return order[i]?.id === id ? i : -1;
      },
    };
  }

  private rebuild(d: Dataset, f: MessageFilter, brush: Brush | null, reads: string) {
    const keep = matcher(d, f, brush);
    const ix = indexOf(d);
    this.order = [];
    this.held = new KeyById();
    for (const list of [ix.byStart, ix.noStart])
      for (const m of list)
        if (keep(m)) {
          this.order.push(m);
          this.held.set(m.id, timeKey(m));
        }
    Object.assign(this, { data: d, filter: f, brush, reads, version: d.version, first: d.firstMessageId });
  }

  private catchUp(d: Dataset, f: MessageFilter, brush: Brush | null, changed: number[][]) {
    const keep = matcher(d, f, brush);
    const { order, held } = this;
    if (d.firstMessageId > this.first) {
      // Evicted messages are the lowest ids, wherever their times put them.
      const first = d.firstMessageId;
      let w = 0;
      for (let i = 0; i < order.length; i++) {
        if (order[i].id >= first) order[w++] = order[i];
        else held.delete(order[i].id);
      }
      order.length = w;
      this.first = first;
    }
    for (const batch of changed)
      for (const id of batch) {
        const old = held.get(id);
        if (old === old) {
          order.splice(positionOf(order, old, id), 1);
          held.delete(id);
        }
        const m = messageById(d, id);
        if (!m || !keep(m)) continue;
        const s = timeKey(m);
        const tail = order[order.length - 1];
        // Live traffic appends: compare with the last before searching.
        if (!tail || before(tail, s, id)) order.push(m);
        else order.splice(positionOf(order, s, id), 0, m);
        held.set(id, s);
      }
    this.version = d.version;
  }
}

/**
 * Time keys by message id, NaN where none: ids are dense integers, so a growing Float64Array
 * holds a million of them in 8 MB, where a Map took several times that.
 */
class KeyById {
  private base = 0;
  private keys = new Float64Array(0);

  get(id: number): number {
    const i = id - this.base;
    return i >= 0 && i < this.keys.length ? this.keys[i] : NaN;
  }

  set(id: number, key: number): void {
    if (this.keys.length === 0) this.base = id;
    if (id < this.base || id - this.base >= this.keys.length) this.grow(id);
    this.keys[id - this.base] = key;
  }

  delete(id: number): void {
    const i = id - this.base;
    if (i >= 0 && i < this.keys.length) this.keys[i] = NaN;
  }

  private grow(id: number): void {
    const base = Math.min(this.base, id);
    const end = Math.max(this.base + this.keys.length, id + 1);
    const next = new Float64Array(Math.max(16, (end - base) * 2)).fill(NaN);
    next.set(this.keys, this.base - base);
    this.base = base;
    this.keys = next;
  }
}

function matchesText(m: MessageRecord, needle: string): boolean {
  return (
    (m.preview !== null && m.preview.toLowerCase().includes(needle)) ||
    (m.call != null && m.call.label.toLowerCase().includes(needle)) ||
    (m.outcome.reason !== null && (m.outcome.reason.toLowerCase().includes(needle) || (reasonPhrase(m.outcome.reason)?.toLowerCase().includes(needle) ?? false))) ||
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

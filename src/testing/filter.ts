// Which messages a test means: by route (origins / URLs of sender and receiver), via,
// outcome, decoded call and data. Strings match as substrings, RegExps as patterns.
import type { AggregateSnapshot, ContextRecord, MessageRecord, OutcomeStatus } from '../protocol/session';
import type { Via } from '../protocol/messages';
import { parseSample, sampleToValue } from '../protocol/sample';

export type TextMatch = string | RegExp;

export interface MessageFilter {
  via?: Via | readonly Via[];
  /** The sender's URL (or origin): "localhost", /child\.html$/. */
  from?: TextMatch;
  /** The receiver's URL (or origin). */
  to?: TextMatch;
  status?: OutcomeStatus | readonly OutcomeStatus[];
  /** The decoded call's protocol: 'comlink', 'penpal', 'post-robot', 'jsonrpc'. */
  protocol?: string;
  /** The decoded call's label, e.g. /^call add\(/. */
  call?: TextMatch;
  /** The one-line preview of the data (`{type: "pong", …}`), or a test of the data itself. */
  data?: TextMatch | ((data: unknown) => boolean);
}

function text(m: TextMatch, s: string | null | undefined): boolean {
  if (s === null || s === undefined) return false;
  return typeof m === 'string' ? s.includes(m) : new RegExp(m.source, m.flags.replace(/[gy]/g, '')).test(s);
}

function oneOf<T>(want: T | readonly T[] | undefined, v: T): boolean {
  return want === undefined || (Array.isArray(want) ? want.includes(v) : want === v);
}

/** Messages of `s` that match every field given, in id order. */
export function filterMessages(s: AggregateSnapshot, f: MessageFilter = {}): MessageRecord[] {
  const ctx = new Map(s.contexts.map((c) => [c.id, c]));
  const place = (id: number | null, m: TextMatch) => {
    const c: ContextRecord | undefined = id === null ? undefined : ctx.get(id);
    return !!c && (text(m, c.url) || text(m, c.origin));
  };
  return s.messages.filter(
    (m) =>
      oneOf(f.via, m.via) &&
      oneOf(f.status, m.outcome.status) &&
      (f.from === undefined || place(m.fromContext, f.from)) &&
      (f.to === undefined || place(m.toContext, f.to)) &&
      (f.protocol === undefined || m.call?.protocol === f.protocol) &&
      (f.call === undefined || text(f.call, m.call?.label)) &&
      (f.data === undefined || dataMatches(f.data, m)),
  );
}

function dataMatches(want: NonNullable<MessageFilter['data']>, m: MessageRecord): boolean {
  if (typeof want !== 'function') return text(want, m.preview);
  const s = parseSample(m.sample ?? null);
  if (s === undefined) return false;
  try {
    return want(sampleToValue(s)) === true;
  } catch {
    return false;
  }
}

/** The filter in words, for error messages: `via port, from "localhost", data /pong/`. */
export function describeFilter(f: MessageFilter): string {
  const parts: string[] = [];
  const show = (v: unknown) => (v instanceof RegExp ? String(v) : typeof v === 'function' ? 'a test function' : JSON.stringify(v));
  for (const [k, v] of Object.entries(f)) if (v !== undefined) parts.push(`${k} ${show(v)}`);
  return parts.length ? parts.join(', ') : 'any message';
}

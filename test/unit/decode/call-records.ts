// Message records carrying a decoded call, and payloads as samples, for the pairing's unit tests.
import { newMessage } from '../../../src/aggregate/records';
import { decodeValue } from '../../../src/decode';
import { toCallRecord } from '../../../src/decode/pairing';
import type { Sample } from '../../../src/protocol/sample';
import type { MessageRecord } from '../../../src/protocol/session';

let nextId = 1;

/** A record (a fresh id) with `data` decoded as its call, if it is one. */
export function rec(data: unknown, over: Partial<MessageRecord>): MessageRecord {
  const r = { ...newMessage('port'), id: nextId++, ...over };
  const c = decodeValue(data);
  r.call = c ? toCallRecord(c) : null;
  return r;
}

/** A plain JSON value as the sample a receiver would have taken of it. */
export const toSample = (v: unknown): Sample => {
  if (Array.isArray(v)) return { $: 'array', items: v.map(toSample), length: v.length };
  if (v && typeof v === 'object') return { $: 'object', entries: Object.entries(v).map(([k, x]) => [k, toSample(x)]), count: Object.keys(v).length };
  return v as Sample;
};

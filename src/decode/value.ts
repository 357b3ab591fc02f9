// The plain value decoders read, from a receiver's Sample: sampleToValue, except that a
// MessagePort stays recognisable (PORT) rather than becoming TRUNCATED like other
// platform objects, because Comlink proxies and Penpal endpoints travel as ports, and a
// cut string keeps its head (CutText) for decoders of JSON-text protocols.

import { TRUNCATED, sampleToValue, type Sample } from '../protocol/sample';

/** Stands for a MessagePort in decoded data (it arrived in event.ports). */
export const PORT: unique symbol = Symbol('port');

/** A string the sample cut: its head and full length (post-robot's JSON texts often are). */
export class CutText {
  constructor(
    readonly head: string,
    readonly length: number,
  ) {}
}

/** The sample is an object with an own key of that name (a sniff: no conversion). */
export function hasKey(s: Sample, key: string): boolean {
  if (s === null || typeof s !== 'object' || s.$ !== 'object' || !Array.isArray(s.entries)) return false;
  for (const e of s.entries) if (Array.isArray(e) && e[0] === key) return true;
  return false;
}

/** The sample's text: a whole string, or the head of one the sample cut. */
export function textOf(s: Sample): string | null {
  if (typeof s === 'string') return s;
  return s !== null && typeof s === 'object' && s.$ === 'str' && typeof s.head === 'string' ? s.head : null;
}

export function sampleToCallValue(s: Sample): unknown {
  if (s === null || typeof s !== 'object') return s;
  switch (s.$) {
    case 'port':
      return PORT;
    case 'str':
      return typeof s.head === 'string' && typeof s.length === 'number' ? new CutText(s.head, s.length) : sampleToValue(s);
    case 'array': {
      if (!Array.isArray(s.items)) return sampleToValue(s);
      const out = s.items.map(sampleToCallValue);
      if (s.length > s.items.length) Object.defineProperty(out, TRUNCATED, { value: s.length });
      return out;
    }
    case 'object': {
      if (!Array.isArray(s.entries)) return sampleToValue(s);
      const out: Record<string, unknown> = {};
      for (const [k, v] of s.entries) Object.defineProperty(out, k, { value: sampleToCallValue(v), enumerable: true, writable: true, configurable: true });
      if (s.count > s.entries.length) Object.defineProperty(out, TRUNCATED, { value: s.count });
      return out;
    }
    default:
      return sampleToValue(s);
  }
}

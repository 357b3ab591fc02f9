// The one-line preview of a message (MessageRecord.preview), derived from its Sample so the
// page walks the data only once. The text is the one the page used to make itself: a few
// levels, a few entries, strings cut at 60 characters, at most PREVIEW_MAX characters.
import type { Sample } from './sample';

export const PREVIEW_MAX = 200;
const MAX_ENTRIES = 8;
const MAX_DEPTH = 3;
const MAX_STRING = 60;

class Full extends Error {}

export function samplePreview(s: Sample, max = PREVIEW_MAX): string {
  let out = '';
  const put = (t: string) => {
    out += t;
    if (out.length > max) throw new Full();
  };
  /** `, …N` after the shown entries when the value had more. */
  const rest = (shown: number, all: number) => {
    if (all > shown) put(`${shown ? ', ' : ''}…${all - shown}`);
  };

  const walk = (v: Sample, depth: number): void => {
    if (v === null) return put('null');
    switch (typeof v) {
      case 'string':
        return put(JSON.stringify(v.length > MAX_STRING ? v.slice(0, MAX_STRING) + '…' : v));
      case 'number':
      case 'boolean':
        return put(String(v));
    }
    switch (v.$) {
      case 'str':
        return put(JSON.stringify(v.head.slice(0, MAX_STRING) + '…'));
      case 'undefined':
        return put('undefined');
      case 'number':
        return put(v.v);
      case 'bigint':
        return put(v.v + 'n');
      case 'hole':
        return put('empty');
      case 'circular':
        return put('[Circular]');
    }
    if (depth >= MAX_DEPTH || v.$ === 'cut') return put(v.$ === 'array' || (v.$ === 'cut' && v.kind === 'array') ? '[…]' : '{…}');
    switch (v.$) {
      case 'date':
        return put(`Date(${v.v ?? 'NaN'})`);
      case 'regexp':
        return put(`/${v.source}/${v.flags}`);
      case 'bytes':
        return put(v.kind === 'ArrayBuffer' ? `ArrayBuffer(${v.byteLength})` : `${v.kind}(${v.byteLength} bytes)`);
      case 'error':
        return put(`${v.name}: ${v.message}`);
      case 'port':
        return put('MessagePort');
      case 'blob':
        return put(v.kind === 'File' ? `File(${JSON.stringify(v.name ?? '')}, ${v.size})` : `Blob(${v.size})`);
      case 'other':
        return put(v.kind);
      case 'array': {
        put('[');
        const shown = Math.min(v.items.length, MAX_ENTRIES);
        for (let i = 0; i < shown; i++) {
          if (i) put(', ');
          walk(v.items[i], depth + 1);
        }
        rest(shown, v.length);
        return put(']');
      }
      case 'object': {
        put('{');
        const shown = Math.min(v.entries.length, MAX_ENTRIES);
        for (let i = 0; i < shown; i++) {
          if (i) put(', ');
          put(v.entries[i][0] + ': ');
          walk(v.entries[i][1], depth + 1);
        }
        rest(shown, v.count);
        return put('}');
      }
      case 'map': {
        put(`Map(${v.size}) {`);
        for (let i = 0; i < v.entries.length && i < MAX_ENTRIES; i++) {
          if (i) put(', ');
          walk(v.entries[i][0], depth + 1);
          put(' => ');
          walk(v.entries[i][1], depth + 1);
        }
        return put('}');
      }
      case 'set': {
        put(`Set(${v.size}) {`);
        for (let i = 0; i < v.items.length && i < MAX_ENTRIES; i++) {
          if (i) put(', ');
          walk(v.items[i], depth + 1);
        }
        return put('}');
      }
    }
  };

  try {
    walk(s, 0);
  } catch (e) {
    if (!(e instanceof Full)) return out + '…';
    return out.slice(0, max - 1) + '…';
  }
  return out;
}

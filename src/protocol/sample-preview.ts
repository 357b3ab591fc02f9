// The one-line preview of a message (MessageRecord.preview), derived from its Sample so the
// page walks the data only once. The text is the one the page used to make itself: a few
// levels, a few entries, strings cut at 60 characters, at most PREVIEW_MAX characters.
import type { Sample } from './sample';

export const PREVIEW_MAX = 200;
const MAX_ENTRIES = 8;
const MAX_DEPTH = 3;
const MAX_STRING = 60;

export function samplePreview(s: Sample, max = PREVIEW_MAX): string {
  const p = new Preview(max);
  try {
    if (!p.walk(s, 0)) return p.out.slice(0, max - 1) + '…';
  } catch {
    return p.out + '…'; // a malformed sample: what could be read
  }
  return p.out;
}

/**
 * One preview being written. Every step answers whether the text still fits, so the walk
 * stops at the first character past `max` without an exception or a closure per call: the
 * background makes a preview for every delivery.
 */
class Preview {
  out = '';
  constructor(private readonly max: number) {}

  private put(t: string): boolean {
    this.out += t;
    return this.out.length <= this.max;
  }

  /** `, …N` after the shown entries when the value had more. */
  private rest(shown: number, all: number): boolean {
    return all > shown ? this.put(`${shown ? ', ' : ''}…${all - shown}`) : true;
  }

  walk(v: Sample, depth: number): boolean {
    if (v === null) return this.put('null');
    switch (typeof v) {
      case 'string':
        return this.put(JSON.stringify(v.length > MAX_STRING ? v.slice(0, MAX_STRING) + '…' : v));
      case 'number':
      case 'boolean':
        return this.put(String(v));
    }
    switch (v.$) {
      case 'str':
        return this.put(JSON.stringify(v.head.slice(0, MAX_STRING) + '…'));
      case 'undefined':
        return this.put('undefined');
      case 'number':
        return this.put(v.v);
      case 'bigint':
        return this.put(v.v + 'n');
      case 'hole':
        return this.put('empty');
      case 'circular':
        return this.put('[Circular]');
    }
    if (depth >= MAX_DEPTH || v.$ === 'cut') return this.put(v.$ === 'array' || (v.$ === 'cut' && v.kind === 'array') ? '[…]' : '{…}');
    switch (v.$) {
      case 'date':
        return this.put(`Date(${v.v ?? 'NaN'})`);
      case 'regexp':
        return this.put(`/${v.source}/${v.flags}`);
      case 'bytes':
        return this.put(v.kind === 'ArrayBuffer' ? `ArrayBuffer(${v.byteLength})` : `${v.kind}(${v.byteLength} bytes)`);
      case 'error':
        return this.put(`${v.name}: ${v.message}`);
      case 'port':
        return this.put('MessagePort');
      case 'blob':
        return this.put(v.kind === 'File' ? `File(${JSON.stringify(v.name ?? '')}, ${v.size})` : `Blob(${v.size})`);
      case 'other':
        return this.put(v.kind);
      case 'array':
        return this.list('[', v.items, v.length, depth);
      case 'set':
        return this.list(`Set(${v.size}) {`, v.items, -1, depth);
      case 'object': {
        if (!this.put('{')) return false;
        const shown = Math.min(v.entries.length, MAX_ENTRIES);
        for (let i = 0; i < shown; i++) {
          if ((i && !this.put(', ')) || !this.put(v.entries[i][0] + ': ') || !this.walk(v.entries[i][1], depth + 1)) return false;
        }
        return this.rest(shown, v.count) && this.put('}');
      }
      case 'map': {
        if (!this.put(`Map(${v.size}) {`)) return false;
        for (let i = 0; i < v.entries.length && i < MAX_ENTRIES; i++) {
          if ((i && !this.put(', ')) || !this.walk(v.entries[i][0], depth + 1) || !this.put(' => ') || !this.walk(v.entries[i][1], depth + 1)) return false;
        }
        return this.put('}');
      }
    }
    return true;
  }

  /** An array's items (`all`: its length, for the `…N` of the rest) or a set's (-1: none said). */
  private list(open: string, items: Sample[], all: number, depth: number): boolean {
    if (!this.put(open)) return false;
    const shown = Math.min(items.length, MAX_ENTRIES);
    for (let i = 0; i < shown; i++) {
      if ((i && !this.put(', ')) || !this.walk(items[i], depth + 1)) return false;
    }
    return (all < 0 || this.rest(shown, all)) && this.put(all < 0 ? '}' : ']');
  }
}

// Short renderings of decoded values for one-line call labels. Bounded: it never walks
// more than a few levels or entries, whatever the value is.

import { TRUNCATED } from '../protocol/sample';

const MAX_STRING = 40;
const MAX_ITEMS = 4;

export function brief(v: unknown, depth = 0): string {
  if (v === TRUNCATED) return '…';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v.length > MAX_STRING ? v.slice(0, MAX_STRING) + '…' : v);
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint':
      return `${v}n`;
    case 'boolean':
    case 'undefined':
      return String(v);
    case 'symbol':
    case 'function':
      return '…';
  }
  if (v === null) return 'null';
  if (v instanceof Date) return 'Date';
  if (v instanceof Map) return `Map(${v.size})`;
  if (v instanceof Set) return `Set(${v.size})`;
  if (v instanceof Error) return `${v.name}`;
  if (Array.isArray(v)) {
    if (depth >= 1) return `[…${v.length}]`;
    return `[${list(v, depth)}]`;
  }
  if (depth >= 1) return '{…}';
  const keys = Object.keys(v as object);
  const shown = keys.slice(0, MAX_ITEMS).map((k) => `${k}: ${brief((v as Record<string, unknown>)[k], depth + 1)}`);
  if (keys.length > MAX_ITEMS) shown.push('…');
  return `{${shown.join(', ')}}`;
}

/** Comma-separated brief renderings of the first few items. */
export function list(items: readonly unknown[], depth = 0): string {
  const shown = items.slice(0, MAX_ITEMS).map((x) => brief(x, depth + 1));
  if (items.length > MAX_ITEMS) shown.push('…');
  return shown.join(', ');
}

/** A plain object (not an array, Map, Date...): what protocol envelopes are. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export const isId = (v: unknown): v is string | number => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/** An error-like value as `Name: message`. */
export function errorText(v: unknown): string {
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  if (isRecord(v) && typeof v.message === 'string') return `${typeof v.name === 'string' ? v.name : 'Error'}: ${v.message}`;
  return brief(v);
}

// JSON-RPC 2.0 (jsonrpc.org/specification): request { jsonrpc: '2.0', method, params?, id },
// notification (no id member), response { jsonrpc: '2.0', id, result } or
// { jsonrpc: '2.0', id, error: { code, message, data? } }, and batches (non-empty arrays of
// those). Some pages post the JSON text instead of the object: short texts are parsed too.

import { brief, isRecord, list } from './brief';
import type { DecodedCall, Decoder } from './types';
import { hasKey } from './value';

/** Longest JSON text parsed as a possible JSON-RPC message. */
const MAX_TEXT = 4096;
const MAX_BATCH = 100;

const idOf = (v: unknown): string | null | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : v === null ? null : undefined;

function one(m: unknown): DecodedCall | null {
  if (!isRecord(m) || m.jsonrpc !== '2.0') return null;
  const details: Record<string, string> = {};
  if (typeof m.method === 'string') {
    const params = m.params;
    const args = Array.isArray(params) ? list(params) : params === undefined ? '' : brief(params);
    details.method = m.method;
    if (params !== undefined) details.params = args;
    if (!('id' in m)) return { protocol: 'jsonrpc', role: 'notification', id: null, label: `notify ${m.method}(${args})`, details };
    const id = idOf(m.id);
    if (id === undefined) return null;
    return { protocol: 'jsonrpc', role: 'request', id, label: `call ${m.method}(${args})`, details };
  }
  if (!('id' in m)) return null;
  const id = idOf(m.id);
  if (id === undefined) return null;
  if ('error' in m && isRecord(m.error)) {
    const e = m.error;
    details.error = `${typeof e.code === 'number' ? e.code : '?'} ${typeof e.message === 'string' ? e.message : ''}`.trim();
    if ('data' in e) details.data = brief(e.data);
    return { protocol: 'jsonrpc', role: 'response', id, label: `reply error ${details.error}`, details };
  }
  if ('result' in m) {
    details.result = brief(m.result);
    return { protocol: 'jsonrpc', role: 'response', id, label: `reply ok ${details.result}`, details };
  }
  return null;
}

function decode(value: unknown): DecodedCall | null {
  if (typeof value === 'string') {
    if (value.length > MAX_TEXT || !value.includes('"jsonrpc"')) return null;
    const t = value.trimStart();
    if (t[0] !== '{' && t[0] !== '[') return null;
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (!Array.isArray(value)) return one(value);
  if (value.length === 0 || value.length > MAX_BATCH) return null;
  const parts: DecodedCall[] = [];
  for (const m of value) {
    const c = one(m);
    if (!c) return null;
    parts.push(c);
  }
  // A batch answers as a batch: it is a request batch when any member asks for a reply.
  const role = parts.some((p) => p.role === 'request') ? 'request' : parts[0].role;
  const first = parts.find((p) => p.role === role && p.id !== null);
  const labels = parts.slice(0, 3).map((p) => p.label);
  if (parts.length > 3) labels.push('…');
  return { protocol: 'jsonrpc', role, id: first ? first.id : null, label: `batch(${parts.length}) ${labels.join('; ')}`, details: { batch: String(parts.length) }, parts };
}

export const jsonrpc: Decoder = {
  name: 'jsonrpc',
  decode,
  sniff: (s) =>
    hasKey(s, 'jsonrpc') ||
    (typeof s === 'string' && s.length <= MAX_TEXT && s.includes('"jsonrpc"')) ||
    (s !== null && typeof s === 'object' && s.$ === 'array' && Array.isArray(s.items) && s.items.length > 0 && hasKey(s.items[0], 'jsonrpc')),
};

// Comlink (comlink 4.x, src/protocol.ts): a request is { id, type, path, argumentList?, value? }
// with type GET | SET | APPLY | CONSTRUCT | ENDPOINT | RELEASE; the reply is a wire value
// { id, type: 'RAW', value } or { id, type: 'HANDLER', name, value } where the built-in
// handlers are 'proxy' (the value is a new MessagePort the proxy lives on) and 'throw'
// ({ isError, value }). ENDPOINT's reply, too, is a new MessagePort.

import { brief, errorText, isId, isRecord } from './brief';
import type { Decoder } from './types';
import { PORT, hasKey } from './value';

const REQUESTS: ReadonlySet<string> = new Set(['GET', 'SET', 'APPLY', 'CONSTRUCT', 'ENDPOINT', 'RELEASE']);
const NEW_PORT = 'travels as a new MessagePort (a Comlink proxy endpoint)';

function isPath(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((p) => typeof p === 'string');
}

/** A wire value as a short text, and whether it is a proxy on a new port. */
function wire(v: unknown): { text: string; proxy: boolean } | null {
  if (!isRecord(v)) return null;
  if (v.type === 'RAW') return { text: v.value === PORT ? 'MessagePort' : brief(v.value), proxy: v.value === PORT };
  if (v.type === 'HANDLER' && typeof v.name === 'string') {
    if (v.name === 'proxy') return { text: 'proxy', proxy: true };
    if (v.name === 'throw') return { text: `throw ${isRecord(v.value) ? errorText(v.value.value) : brief(v.value)}`, proxy: false };
    return { text: `${v.name}(${brief(v.value)})`, proxy: false };
  }
  return null;
}

export const comlink: Decoder = {
  name: 'comlink',
  sniff: (s) => hasKey(s, 'type') && hasKey(s, 'id'),
  decode(value) {
    if (!isRecord(value) || typeof value.type !== 'string' || !isId(value.id)) return null;
    const id = String(value.id);
    const type = value.type;
    if (REQUESTS.has(type)) {
      const path = value.path === undefined ? [] : value.path;
      if (!isPath(path)) return null;
      const where = path.join('.');
      const details: Record<string, string> = { type, path: where };
      let label = `${type} ${where}`.trimEnd();
      if (type === 'APPLY' || type === 'CONSTRUCT') {
        const args = value.argumentList === undefined ? [] : value.argumentList;
        if (!Array.isArray(args)) return null;
        const texts: string[] = [];
        let proxies = 0;
        for (const a of args) {
          const w = wire(a);
          if (!w) return null;
          texts.push(w.text);
          if (w.proxy) proxies++;
        }
        label = `${type} ${where}(${texts.join(', ')})`;
        details.arguments = texts.join(', ');
        if (proxies) details.proxy = `${proxies} argument(s) ${NEW_PORT}`;
      } else if (type === 'SET') {
        const w = wire(value.value);
        if (!w) return null;
        label = `SET ${where} = ${w.text}`;
        details.value = w.text;
        if (w.proxy) details.proxy = `the value ${NEW_PORT}`;
      } else if (type === 'ENDPOINT') {
        details.proxy = `the reply ${NEW_PORT}`;
      }
      return { protocol: 'comlink', role: 'request', id, label, details };
    }
    if (type === 'RAW' || type === 'HANDLER') {
      const w = wire(value);
      if (!w) return null;
      const details: Record<string, string> = { value: w.text };
      if (w.proxy) details.proxy = `the returned value ${NEW_PORT}`;
      const failed = w.text.startsWith('throw ');
      if (failed) details.error = w.text.slice(6);
      return { protocol: 'comlink', role: 'response', id, label: failed ? `reply ${w.text}` : `reply ${w.proxy ? `${w.text} (new MessagePort)` : w.text}`, details };
    }
    return null;
  },
};

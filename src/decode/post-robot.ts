// post-robot (krakenjs/post-robot, src/drivers): every window message is a JSON text of
// { "__post_robot_<version>__": [message, ...] } (a pack of messages buffered for one
// window; the key may carry a script uid too). A message is
// { id, origin, type, name, hash, ... } with type postrobot_message_request (data,
// fireAndForget?), postrobot_message_ack, or postrobot_message_response (ack: 'success' |
// 'error', data, error). The hash ties the ack and the response to their request.

import { brief, errorText, isRecord } from './brief';
import type { DecodedCall, Decoder } from './types';
import { CutText, textOf } from './value';

const KEY = /^__post_robot(_[A-Za-z0-9_]*)?__$/;
/** Longest JSON text parsed (what a sample keeps of a string is shorter anyway). */
const MAX_TEXT = 65_536;
const MAX_PACK = 100;

function one(m: unknown): DecodedCall | null {
  if (!isRecord(m) || typeof m.type !== 'string' || typeof m.name !== 'string' || typeof m.hash !== 'string') return null;
  const details: Record<string, string> = { name: m.name, hash: m.hash };
  if (typeof m.origin === 'string') details.origin = m.origin;
  // Method calls on functions passed across (serialized cross-domain functions) carry their name in data.
  const method = m.name === 'postrobot_method' && isRecord(m.data) && typeof m.data.name === 'string' ? `${m.data.name}()` : m.name;
  switch (m.type) {
    case 'postrobot_message_request':
      if ('data' in m) details.data = brief(m.data);
      if (m.fireAndForget === true) {
        details.fireAndForget = 'true';
        return { protocol: 'post-robot', role: 'notification', id: m.hash, label: `send ${method}`, details };
      }
      return { protocol: 'post-robot', role: 'request', id: m.hash, label: `send ${method}`, details };
    case 'postrobot_message_ack':
      return { protocol: 'post-robot', role: 'event', id: m.hash, label: `ack ${method}`, details };
    case 'postrobot_message_response':
      if (m.ack === 'error') {
        details.error = errorText(m.error);
        return { protocol: 'post-robot', role: 'response', id: m.hash, label: `reply error ${method}: ${details.error}`, details };
      }
      details.data = brief(m.data);
      return { protocol: 'post-robot', role: 'response', id: m.hash, label: `reply ok ${method}`, details };
  }
  return null;
}

// A pack's main part is what a reader cares most about: a response over a request over an ack.
const RANK: Record<string, number> = { response: 3, request: 2, notification: 1, event: 0 };

// A text the sample cut: its first message read from the head, by field (post-robot writes
// id, origin, type, hash, name before the data, so they are usually all there).
const FIELD = (name: string) => new RegExp(`"${name}":"((?:[^"\\\\]|\\\\.){0,200})"`);
const TYPE_RE = FIELD('type');
const HASH_RE = FIELD('hash');
const NAME_RE = FIELD('name');
const ORIGIN_RE = FIELD('origin');

function fromHead(t: CutText): DecodedCall | null {
  const open = /^\{"__post_robot(_[A-Za-z0-9_]*)?__":\[\{/.exec(t.head);
  if (!open) return null;
  const first = t.head.slice(open[0].length - 1);
  const field = (re: RegExp) => {
    const m = re.exec(first);
    if (!m) return undefined;
    try {
      return JSON.parse(`"${m[1]}"`) as string;
    } catch {
      return undefined;
    }
  };
  const type = field(TYPE_RE);
  const hash = field(HASH_RE);
  const name = field(NAME_RE);
  if (type === undefined || hash === undefined || name === undefined) return null;
  const origin = field(ORIGIN_RE);
  // The ack and response say how they went after these fields; a cut text may not show it.
  const failed = /"ack":"error"/.test(first);
  const c = one({ type, hash, name, ...(origin !== undefined ? { origin } : {}), ack: failed ? 'error' : 'success', ...(failed ? { error: { name: 'Error', message: '(cut from the sample)' } } : {}) });
  if (!c) return null;
  c.details.cut = `the message was ${t.length} characters; only its first ${t.head.length} were kept`;
  delete c.details.data;
  return c;
}

function decode(value: unknown): DecodedCall | null {
  if (value instanceof CutText) return fromHead(value);
  if (typeof value !== 'string' || value.length > MAX_TEXT || !value.startsWith('{"__post_robot')) return null;
  let o: unknown;
  try {
    o = JSON.parse(value);
  } catch {
    return null;
  }
  if (!isRecord(o)) return null;
  const keys = Object.keys(o);
  if (keys.length !== 1 || !KEY.test(keys[0])) return null;
  const pack = o[keys[0]];
  if (!Array.isArray(pack) || pack.length === 0 || pack.length > MAX_PACK) return null;
  const parts: DecodedCall[] = [];
  for (const m of pack) {
    const c = one(m);
    if (!c) return null;
    parts.push(c);
  }
  if (parts.length === 1) return parts[0];
  let main = parts[0];
  for (const p of parts) if (RANK[p.role] > RANK[main.role]) main = p;
  return { ...main, label: `${main.label} (+${parts.length - 1} packed)`, parts };
}

export const postRobot: Decoder = { name: 'post-robot', decode, sniff: (s) => textOf(s)?.startsWith('{"__post_robot') === true };

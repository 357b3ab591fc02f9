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
        details.error = errorText(unwrap(m.error));
        return { protocol: 'post-robot', role: 'response', id: m.hash, label: `reply error ${method}: ${details.error}`, details };
      }
      details.data = brief(m.data);
      return { protocol: 'post-robot', role: 'response', id: m.hash, label: `reply ok ${method}`, details };
  }
  return null;
}

/** post-robot's serializer writes special values as { __type__, __val__ } (an error: its message and stack). */
function unwrap(v: unknown): unknown {
  return isRecord(v) && typeof v.__type__ === 'string' && '__val__' in v ? v.__val__ : v;
}

// A pack's main part is what a reader cares most about: a response over a request over an ack.
const RANK: Record<string, number> = { response: 3, request: 2, notification: 1, event: 0 };

// A text the sample cut: every packed message kept whole in the head is decoded; when none
// is, its first message is read from the head by field (post-robot writes id, origin, type,
// hash, name before the data, so they are usually all there).
const FIELD = (name: string) => new RegExp(`"${name}":"((?:[^"\\\\]|\\\\.){0,200})"`);
const TYPE_RE = FIELD('type');
const HASH_RE = FIELD('hash');
const NAME_RE = FIELD('name');
const ORIGIN_RE = FIELD('origin');
const OPEN = /^\{"__post_robot(_[A-Za-z0-9_]*)?__":\[/;

/** The pack's messages that the head holds whole, parsed, in order. */
function wholeEntries(head: string, from: number): unknown[] {
  const out: unknown[] = [];
  let i = from;
  while (i < head.length && head[i] === '{' && out.length < MAX_PACK) {
    const close = objectEnd(head, i);
    if (close < 0) break;
    try {
      out.push(JSON.parse(head.slice(i, close + 1)));
    } catch {
      break;
    }
    i = close + 1;
    if (head[i] !== ',') break;
    i++;
  }
  return out;
}

/** Index of the `}` that closes the JSON object opening at `start`, or -1 when the text ends first. */
function objectEnd(t: string, start: number): number {
  let depth = 0;
  for (let i = start; i < t.length; i++) {
    const c = t[i];
    if (c === '"') {
      for (i++; i < t.length && t[i] !== '"'; i++) if (t[i] === '\\') i++;
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && --depth === 0) return i;
  }
  return -1;
}

function fromHead(t: CutText): DecodedCall | null {
  const open = OPEN.exec(t.head);
  if (!open) return null;
  const cut = `the message was ${t.length} characters; only its first ${t.head.length} were kept`;
  const whole = wholeEntries(t.head, open[0].length);
  if (whole.length > 0) {
    const c = pack(whole);
    if (c) {
      c.details.cut = `${cut} (${whole.length} packed message(s) whole)`;
      return c;
    }
  }
  if (t.head[open[0].length] !== '{') return null;
  const first = t.head.slice(open[0].length);
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
  c.details.cut = cut;
  delete c.details.data;
  return c;
}

/** A pack's messages as one call: its main part, with every part decoded. */
function pack(messages: readonly unknown[]): DecodedCall | null {
  if (messages.length === 0 || messages.length > MAX_PACK) return null;
  const parts: DecodedCall[] = [];
  for (const m of messages) {
    const c = one(m);
    if (!c) return null;
    parts.push(c);
  }
  if (parts.length === 1) return parts[0];
  let main = parts[0];
  for (const p of parts) if (RANK[p.role] > RANK[main.role]) main = p;
  return { ...main, details: { ...main.details }, label: `${main.label} (+${parts.length - 1} packed)`, parts };
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
  const messages = o[keys[0]];
  return Array.isArray(messages) ? pack(messages) : null;
}

export const postRobot: Decoder = { name: 'post-robot', decode, sniff: (s) => textOf(s)?.startsWith('{"__post_robot') === true };

// post-robot (krakenjs/post-robot, src/drivers): every window message is a JSON text of
// { "__post_robot_<version>__": [message, ...] } (a pack of messages buffered for one
// window; the key may carry a script uid too). A message is
// { id, origin, type, name, hash, ... } with type postrobot_message_request (data,
// fireAndForget?), postrobot_message_ack, or postrobot_message_response (ack: 'success' |
// 'error', data, error). The hash ties the ack and the response to their request.

import { brief, errorText, isRecord } from './brief';
import type { DecodedCall, Decoder } from './types';

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

function decode(value: unknown): DecodedCall | null {
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

export const postRobot: Decoder = { name: 'post-robot', decode };

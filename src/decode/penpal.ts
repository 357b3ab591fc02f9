// Penpal. v7 (penpal 7.x, the npm release now): { namespace: 'penpal', channel?, type, ... }
// with type SYN { participantId } · ACK1 { methodPaths } · ACK2 · CALL { id, methodPath[],
// args } · REPLY { callId, value, isError?, isSerializedErrorInstance? } · DESTROY. The
// handshake runs over window messages; ACK2 carries a MessagePort and the calls follow on it.
// v6: { penpal: 'syn' | 'synAck' | 'ack' | 'call' | 'reply', id, methodName, args,
// resolution: 'fulfilled' | 'rejected', returnValue, returnValueIsError }.

import { brief, errorText, isId, isRecord, list } from './brief';
import type { DecodedCall, Decoder } from './types';
import { hasKey } from './value';

const call = (role: DecodedCall['role'], id: string | null, label: string, details: Record<string, string>): DecodedCall => ({ protocol: 'penpal', role, id, label, details });

function v7(m: Record<string, unknown>): DecodedCall | null {
  const details: Record<string, string> = { version: '7' };
  if (typeof m.channel === 'string') details.channel = m.channel;
  switch (m.type) {
    case 'SYN':
      return call('handshake', null, 'handshake SYN', details);
    case 'ACK1':
      if (Array.isArray(m.methodPaths)) details.methods = m.methodPaths.map((p) => (Array.isArray(p) ? p.join('.') : String(p))).join(', ');
      return call('handshake', null, 'handshake ACK1', details);
    case 'ACK2':
      details.note = 'carries the MessagePort the calls then use';
      return call('handshake', null, 'handshake ACK2', details);
    case 'DESTROY':
      return call('event', null, 'destroy', details);
    case 'CALL': {
      if (!isId(m.id) || !Array.isArray(m.methodPath) || !Array.isArray(m.args)) return null;
      const name = m.methodPath.map(String).join('.');
      details.method = name;
      details.arguments = list(m.args);
      return call('request', String(m.id), `call ${name}(${list(m.args)})`, details);
    }
    case 'REPLY': {
      if (!isId(m.callId)) return null;
      if (m.isError === true) {
        details.error = errorText(m.value);
        return call('response', String(m.callId), `reply error ${details.error}`, details);
      }
      details.value = brief(m.value);
      return call('response', String(m.callId), `reply ok ${details.value}`, details);
    }
  }
  return null;
}

function v6(m: Record<string, unknown>): DecodedCall | null {
  const details: Record<string, string> = { version: '6' };
  switch (m.penpal) {
    case 'syn':
      return call('handshake', null, 'handshake syn', details);
    case 'synAck':
    case 'ack':
      if (Array.isArray(m.methodNames)) details.methods = m.methodNames.map(String).join(', ');
      return call('handshake', null, `handshake ${m.penpal}`, details);
    case 'call': {
      if (!isId(m.id) || typeof m.methodName !== 'string') return null;
      const args = Array.isArray(m.args) ? m.args : [];
      details.method = m.methodName;
      details.arguments = list(args);
      return call('request', String(m.id), `call ${m.methodName}(${list(args)})`, details);
    }
    case 'reply': {
      if (!isId(m.id)) return null;
      if (m.resolution === 'rejected') {
        details.error = errorText(m.returnValue);
        return call('response', String(m.id), `reply error ${details.error}`, details);
      }
      details.value = brief(m.returnValue);
      return call('response', String(m.id), `reply ok ${details.value}`, details);
    }
  }
  return null;
}

export const penpal: Decoder = {
  name: 'penpal',
  sniff: (s) => hasKey(s, 'namespace') || hasKey(s, 'penpal'),
  decode(value) {
    if (!isRecord(value)) return null;
    if (value.namespace === 'penpal') return v7(value);
    if (typeof value.penpal === 'string') return v6(value);
    return null;
  },
};

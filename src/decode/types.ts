// What a protocol decoder makes of one message: the call it stands for, in a library's own
// terms (method, path, arguments, reply), so a person reads calls instead of raw objects.

import type { Sample } from '../protocol/sample';

export type CallRole = 'request' | 'response' | 'notification' | 'handshake' | 'event';

export interface DecodedCall {
  /** The decoder's name: 'comlink', 'penpal', 'post-robot', 'jsonrpc'. */
  protocol: string;
  role: CallRole;
  /** The protocol's correlation id (request ↔ response), when it has one. */
  id: string | null;
  /** One line, e.g. `APPLY api.add(2, 3)`, `call getUser`, `reply ok`. */
  label: string;
  /** Further facts as name → short text (method, path, error, notes). */
  details: Record<string, string>;
  /** A batch (JSON-RPC array, post-robot pack): its members; `id` is the first member's. */
  parts?: DecodedCall[];
}

export interface Decoder {
  name: string;
  /** The call this message data stands for, or null when it is not this protocol's. */
  decode(value: unknown): DecodedCall | null;
  /**
   * A cheap look at the raw sample: false when it cannot be this protocol's, so most
   * messages (no protocol's) are never converted to values at all. Absent: always look.
   */
  sniff?(sample: Sample): boolean;
}

/** The correlation ids a call answers or asks under (a batch: each member's). */
export function callIds(call: DecodedCall): string[] {
  if (!call.parts) return call.id === null ? [] : [call.id];
  const out: string[] = [];
  for (const p of call.parts) if (p.id !== null && (p.role === call.role)) out.push(p.id);
  return out;
}

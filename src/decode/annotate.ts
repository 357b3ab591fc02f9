// Decodes and pairs the calls of recorded messages offline (a trace, a snapshot): what the
// Session does live, over records in id order. It writes each record's `call` in place.

import type { MessageRecord, PortRecord } from '../protocol/session';
import { decodeSample } from './index';
import { CallPairing, callScope, toCallRecord } from './pairing';

export function annotateCalls(messages: MessageRecord[], ports: readonly PortRecord[]): void {
  const byPort = new Map(ports.map((p) => [p.id, p]));
  const pairing = new CallPairing(Math.max(10_000, messages.length));
  for (const m of messages) {
    const d = decodeSample(m.sample);
    m.call = d ? toCallRecord(d) : null;
    if (!d) continue;
    const scope = callScope(m, (port) => byPort.get(port)?.channelId ?? null, (port) => byPort.get(port)?.entangledWith ?? null);
    if (scope !== null) pairing.offer(m, d, scope);
  }
}

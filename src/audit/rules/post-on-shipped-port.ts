// postMessage on a MessagePort object after that port was transferred away: the old object
// is detached and entangled with nothing, so the message goes nowhere, silently.
import { count, port, was, where } from '../describe';
import { Groups } from '../group';
import { SPEC } from '../spec';
import type { AuditIndex, Rule } from '../types';
import type { MessageRecord } from '../../protocol/session';

export const postOnShippedPort: Rule = {
  id: 'post-on-shipped-port',
  severity: 'error',
  title: 'Message posted on a port after it was transferred',
  spec: SPEC.portPostMessageSteps,
  explanation:
    'Transferring a MessagePort moves it to the receiving context; the object left behind in the sender is detached and no longer entangled with anything. postMessage on it finds no target port and returns without sending — no exception, no event. Keep using the port only where it was sent, or keep the other end of a new channel.',
  run({ snapshot, index }) {
    const groups = new Groups();
    for (const m of snapshot.messages) {
      if (m.outcome.status !== 'dropped' || m.outcome.reason !== 'port-shipped') continue;
      groups.get(`${m.fromPort}`).add(m).port(m.fromPort);
    }
    const out = [];
    for (const g of groups) {
      const first = g.first!;
      const n = g.size;
      const carrier = shipmentBefore(index, first);
      if (carrier) g.context(carrier.toContext);
      const lost = carrier !== null && carrier.outcome.status === 'dropped';
      const dest = carrier && !lost && carrier.toContext !== null ? ` to ${where(index.context(carrier.toContext))}` : '';
      const tail = lost ? `; the message that carried it (#${carrier.id}) was lost too` : '';
      out.push(g.finding(this, `${count(n, 'message')} posted on ${port(first.fromPort)} after it was transferred${dest} ${was(n)} dropped${tail}.`));
    }
    return out;
  },
};

/** The last message from the sender's context that carried the port away before `m`. */
function shipmentBefore(index: AuditIndex, m: MessageRecord): MessageRecord | null {
  if (m.fromPort === null) return null;
  let found: MessageRecord | null = null;
  // Same sender, same clock: compare send times (ids follow commit order, not send order).
  const at = m.sentAt ?? Infinity;
  for (const s of index.shipments(m.fromPort)) {
    if (s.fromContext === m.fromContext && s.id !== m.id && (s.sentAt ?? -Infinity) <= at) found = s;
  }
  return found;
}

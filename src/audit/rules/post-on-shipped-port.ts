// postMessage on a MessagePort object after that port was transferred away: the old object
// is detached and entangled with nothing, so the message goes nowhere, silently.
import { byCount, ctx, n as num, portArg, sentence } from '../text';
import { Groups } from '../group';
import { SPEC } from '../spec';
import type { AuditIndex, Rule } from '../types';
import type { MessageRecord } from '../../protocol/session';

export const postOnShippedPort: Rule = {
  id: 'post-on-shipped-port',
  severity: 'error',
  title: 'Message posted on a port after it was transferred',
  spec: SPEC.portPostMessageSteps,
  texts: ['fxPostOnShipped_one', 'fxPostOnShipped_other', 'fxPostOnShippedTo_one', 'fxPostOnShippedTo_other', 'fxPostOnShippedLost_one', 'fxPostOnShippedLost_other'],
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
      const args = [num(n), portArg(first.fromPort)];
      const text = lost
        ? sentence(byCount(n, 'fxPostOnShippedLost_one', 'fxPostOnShippedLost_other'), ...args, num(carrier.id))
        : carrier && carrier.toContext !== null
          ? sentence(byCount(n, 'fxPostOnShippedTo_one', 'fxPostOnShippedTo_other'), ...args, ctx(index.context(carrier.toContext)))
          : sentence(byCount(n, 'fxPostOnShipped_one', 'fxPostOnShipped_other'), ...args);
      out.push(g.finding(this, text));
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

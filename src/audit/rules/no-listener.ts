// A message dispatched to a port, window or worker that had no 'message' listener at that
// moment: it was delivered to nobody and is gone.
import { byCount, n as num, receiverArg, sentence } from '../text';
import { Groups } from '../group';
import { SPEC } from '../spec';
import type { Rule } from '../types';

export const noListener: Rule = {
  id: 'no-listener',
  severity: 'warning',
  title: 'Message delivered with no listener',
  texts: ['fxNoListener_one', 'fxNoListener_other', 'fxPortIn'],
  spec: SPEC.portPostMessageSteps,
  explanation:
    "A message event is dispatched once, when its task runs. If the receiving port, window or worker has no 'message' listener (and no onmessage) at that moment, nobody sees it, and it is not kept for a listener added later. Typical causes: the receiver registers its listener after an await or after a handshake, a started port whose listener was removed, or a message sent to a frame before its script ran. Register the listener first and let the receiver announce that it is ready. BroadcastChannel objects that only send are not reported.",
  run({ snapshot, index }) {
    const groups = new Groups();
    for (const m of snapshot.messages) {
      if (m.outcome.reason !== 'no-listener' || m.type !== 'message') continue;
      if (m.via === 'port' || m.via === 'window' || m.via === 'worker') groups.addByReceiver(m);
    }
    const out = [];
    for (const g of groups) {
      const m = g.first!;
      const n = g.size;
      const target = receiverArg(m, index.context(m.toContext));
      const spec = m.via === 'window' ? SPEC.windowPostMessageSteps : m.via === 'worker' ? SPEC.workerPostMessage : SPEC.portPostMessageSteps;
      out.push(g.finding(this, sentence(byCount(n, 'fxNoListener_one', 'fxNoListener_other'), num(n), target), { spec }));
    }
    return out;
  },
};

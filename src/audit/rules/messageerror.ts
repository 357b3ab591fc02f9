// The receiver could not deserialize the message (e.g. a SharedArrayBuffer sent to another
// agent cluster, or a transferred object its realm cannot create): 'messageerror' fires instead.
import { byCount, n as num, receiverArg, sentence } from '../text';
import { Groups } from '../group';
import { SPEC } from '../spec';
import type { Rule } from '../types';

export const messageerror: Rule = {
  id: 'messageerror',
  severity: 'error',
  title: 'Message could not be deserialized (messageerror)',
  texts: ['fxMessageerror_one', 'fxMessageerror_other', 'fxPortIn'],
  spec: SPEC.deserializeWithTransfer,
  explanation:
    "A message is serialized in the sender and deserialized in the receiver's realm when its task runs. If that fails — a SharedArrayBuffer sent outside its agent cluster, a WebAssembly.Module across agent clusters, a transferred object whose interface the receiver does not expose — the receiver gets a 'messageerror' event instead of 'message', with no data. Code that only listens for 'message' never notices. Send data the receiver can rebuild, and listen for 'messageerror' to log what is lost.",
  run({ snapshot, index }) {
    const groups = new Groups();
    for (const m of snapshot.messages) {
      if (m.type !== 'messageerror' && m.outcome.reason !== 'messageerror') continue;
      groups.addByReceiver(m);
    }
    const out = [];
    for (const g of groups) {
      const m = g.first!;
      const n = g.size;
      const target = receiverArg(m, index.context(m.toContext));
      out.push(g.finding(this, sentence(byCount(n, 'fxMessageerror_one', 'fxMessageerror_other'), num(n), target)));
    }
    return out;
  },
};

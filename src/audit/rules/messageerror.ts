// The receiver could not deserialize the message (e.g. a SharedArrayBuffer sent to another
// agent cluster, or a transferred object its realm cannot create): 'messageerror' fires instead.
import { byCount, ctx, n as num, portArg, sentence, sub } from '../text';
import { Groups, siteKey } from '../group';
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
      if (m.via === 'port') groups.get(`p${m.toPort}`).add(m).port(m.toPort);
      else groups.get(`c${m.toContext}|${siteKey(m)}`).add(m);
    }
    const out = [];
    for (const g of groups) {
      const m = g.first!;
      const n = g.size;
      const where = ctx(index.context(m.toContext));
      const target = m.via === 'port' ? sub(sentence('fxPortIn', portArg(m.toPort), where)) : where;
      out.push(g.finding(this, sentence(byCount(n, 'fxMessageerror_one', 'fxMessageerror_other'), num(n), target)));
    }
    return out;
  },
};

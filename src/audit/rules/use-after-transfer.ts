// A postMessage that threw because it used a buffer (or a view on it) or a port that an
// earlier transfer had already detached.
import { parseError, isDetachedError } from '../errors';
import { byCount, ctx, n as num, sentence } from '../text';
import { Groups, siteKey } from '../group';
import { SPEC } from '../spec';
import type { Rule } from '../types';

export const useAfterTransfer: Rule = {
  id: 'use-after-transfer',
  severity: 'error',
  title: 'Detached buffer or port used after it was transferred',
  spec: SPEC.serializeWithTransfer,
  texts: ['fxUseAfterTransfer_one', 'fxUseAfterTransfer_other'],
  explanation:
    "Transferring an ArrayBuffer or a MessagePort detaches it in the sender: the buffer's byteLength becomes 0 and every view on it becomes unusable. Putting a detached buffer (or a typed array over one) in a message, or listing it or a detached port in a transfer list again, makes postMessage throw a DataCloneError. This typically happens when a buffer is reused for the next message after being transferred. Allocate a new buffer per transfer, transfer a copy (buffer.slice()), or stop transferring and let it be copied.",
  run({ snapshot, index }) {
    const groups = new Groups();
    for (const m of snapshot.messages) {
      if (m.outcome.status !== 'error' || m.type !== 'message') continue;
      const e = parseError(m.outcome.reason);
      if (!e || !isDetachedError(e)) continue;
      groups.get(siteKey(m)).add(m).port(m.fromPort);
    }
    const out = [];
    for (const g of groups) {
      const m = g.first!;
      const n = g.size;
      out.push(
        g.finding(
          this,
          sentence(byCount(n, 'fxUseAfterTransfer_one', 'fxUseAfterTransfer_other'), num(n), ctx(index.context(m.fromContext))),
        ),
      );
    }
    return out;
  },
};

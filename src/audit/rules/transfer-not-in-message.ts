// A buffer in the transfer list that the message does not reference: it is detached in the
// sender, and the receiver gets nothing it can reach, so its data is simply gone.
import { receivedBufferBytes, transferredBufferBytes } from '../buffers';
import { byCount, bytes, ctx, n as num, sentence } from '../text';
import { Groups, siteKey } from '../group';
import { SPEC } from '../spec';
import type { Rule } from '../types';

export const transferNotInMessage: Rule = {
  id: 'transfer-not-in-message',
  severity: 'error',
  title: 'Transferred buffer not referenced by the message',
  spec: SPEC.serializeWithTransfer,
  texts: ['fxTransferNotIn_one', 'fxTransferNotIn_other'],
  explanation:
    'Every object in the transfer list is transferred, whether or not the message refers to it: StructuredSerializeWithTransfer detaches each ArrayBuffer in the list after serializing the message. A buffer the message does not reach is detached in the sender (its byteLength becomes 0) and the receiver has no way to get it. Usually the message holds a copy or a view of a different buffer than the one listed, or the list was built for another message. Put the buffer (or a view on it) in the message, or leave it out of the transfer list.',
  run({ snapshot, index }) {
    const groups = new Groups();
    const lost = new Map<string, number>();
    for (const m of snapshot.messages) {
      if (!m.transfer.length) continue;
      const sent = transferredBufferBytes(m);
      const got = receivedBufferBytes(m);
      // What arrived is smaller than what was transferred: some transferred buffer was unreachable.
      if (sent === null || got === null || got >= sent) continue;
      const key = siteKey(m);
      groups.get(key).add(m);
      lost.set(key, (lost.get(key) ?? 0) + (sent - got));
    }
    const out = [];
    for (const [key, g] of groups.map) {
      const m = g.first!;
      const n = g.size;
      out.push(
        g.finding(
          this,
          sentence(byCount(n, 'fxTransferNotIn_one', 'fxTransferNotIn_other'), num(n), ctx(index.context(m.fromContext)), bytes(lost.get(key)!)),
        ),
      );
    }
    return out;
  },
};

// A large ArrayBuffer payload copied by postMessage where it could have been transferred.
import { receivedBufferBytes, transferredBufferBytes } from '../buffers';
import { bytes, ctx, n as num, sentence } from '../text';
import { Groups, siteKey } from '../group';
import { SPEC } from '../spec';
import type { Rule } from '../types';

export const largeCopy: Rule = {
  id: 'large-copy',
  severity: 'warning',
  title: 'Large buffer copied instead of transferred',
  spec: SPEC.serializeWithTransfer,
  texts: ['fxLargeCopy_one', 'fxLargeCopy_other'],
  explanation:
    "postMessage copies every ArrayBuffer the message reaches unless the buffer is in the transfer list. Copying megabytes costs time in both the sender and the receiver and doubles the memory in use; transferring moves the memory in constant time and detaches the sender's buffer. If the sender no longer needs the data, list its buffer in the transfer list (postMessage(msg, [msg.buffer]) or { transfer: [...] }). BroadcastChannel cannot transfer and is not reported.",
  run({ snapshot, index, options }) {
    const groups = new Groups();
    const copied = new Map<string, { total: number; max: number }>();
    for (const m of snapshot.messages) {
      if (m.via === 'broadcast') continue;
      const got = receivedBufferBytes(m);
      if (got === null || got < options.largeCopyBytes) continue;
      const sent = transferredBufferBytes(m);
      if (sent === null) continue;
      const bytes = got - sent;
      if (bytes < options.largeCopyBytes) continue;
      const key = siteKey(m);
      groups.get(key).add(m);
      const c = copied.get(key) ?? { total: 0, max: 0 };
      c.total += bytes;
      c.max = Math.max(c.max, bytes);
      copied.set(key, c);
    }
    const out = [];
    for (const [key, g] of groups.map) {
      const m = g.first!;
      const n = g.size;
      const c = copied.get(key)!;
      const args = [num(n), ctx(index.context(m.fromContext)), ctx(index.context(m.toContext)), bytes(c.total)];
      // One message: its size is the largest, not said twice.
      out.push(g.finding(this, n > 1 ? sentence('fxLargeCopy_other', ...args, bytes(c.max)) : sentence('fxLargeCopy_one', ...args)));
    }
    return out;
  },
};

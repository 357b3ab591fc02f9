// postMessage threw DataCloneError: the message holds something that cannot be cloned
// (a function, a DOM node, a port not in the transfer list...). Detached values are
// use-after-transfer instead.
import { parseError, isDetachedError } from '../errors';
import { byCount, ctx, n as num, s, sentence, sub } from '../text';
import { Groups, siteKey } from '../group';
import { SPEC } from '../spec';
import type { Rule } from '../types';
import type { MessageRecord } from '../../protocol/session';

export const cloneError: Rule = {
  id: 'clone-error',
  severity: 'error',
  title: 'Message could not be cloned (DataCloneError)',
  spec: SPEC.serializeInternal,
  texts: ['fxCloneError_one', 'fxCloneError_other', 'fxAtPath', 'fxCloneNoReason'],
  explanation:
    'postMessage copies its message with the structured clone algorithm before anything is sent. Functions, symbols, DOM nodes and most other platform objects, WeakMaps, Promises, a MessagePort that is not in the transfer list, the sending port itself in the transfer list, or the same object listed twice cannot be serialized, and postMessage throws a DataCloneError; nothing is sent. Engines word the error differently; the path names the offending value where it is known. Send plain data, and list every port the message carries in the transfer list.',
  run({ snapshot, index }) {
    const groups = new Groups();
    for (const m of snapshot.messages) {
      if (m.outcome.status !== 'error' || m.type !== 'message') continue;
      const e = parseError(m.outcome.reason);
      if (!e || e.name !== 'DataCloneError' || isDetachedError(e)) continue;
      groups.get(`${siteKey(m)}|${m.outcome.reason}`).add(m).port(m.fromPort);
    }
    const out = [];
    for (const g of groups) {
      const m = g.first!;
      const n = g.size;
      const e = parseError(m.outcome.reason)!;
      const path = errorPath(m);
      const at = path ? sub(sentence('fxAtPath', s(path))) : s('');
      const reason = e.message ? s(e.message) : sub(sentence('fxCloneNoReason'));
      out.push(g.finding(this, sentence(byCount(n, 'fxCloneError_one', 'fxCloneError_other'), num(n), ctx(index.context(m.fromContext)), at, reason)));
    }
    return out;
  },
};

/** The path of the offending value, once the aggregation keeps the model's (Predicted.path). */
function errorPath(m: MessageRecord): string | null {
  const p = (m as MessageRecord & { errorPath?: unknown }).errorPath;
  return typeof p === 'string' && p ? p : null;
}

// postMessage threw DataCloneError: the message holds something that cannot be cloned
// (a function, a DOM node, a port not in the transfer list...). Detached values are
// use-after-transfer instead.
import { parseError, isDetachedError } from '../errors';
import { count, where } from '../describe';
import { Groups, siteKey } from '../group';
import { SPEC } from '../spec';
import type { Rule } from '../types';
import type { MessageRecord } from '../../protocol/session';

export const cloneError: Rule = {
  id: 'clone-error',
  severity: 'error',
  title: 'Message could not be cloned (DataCloneError)',
  spec: SPEC.serializeInternal,
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
      const at = path ? ` at ${path}` : '';
      out.push(g.finding(this, `${count(n, 'postMessage call')} in ${where(index.context(m.fromContext))} threw DataCloneError${at}: ${e.message || 'the message could not be cloned.'}`));
    }
    return out;
  },
};

/** The path of the offending value, once the aggregation keeps the model's (Predicted.path). */
function errorPath(m: MessageRecord): string | null {
  const p = (m as MessageRecord & { errorPath?: unknown }).errorPath;
  return typeof p === 'string' && p ? p : null;
}

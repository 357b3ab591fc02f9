// window.postMessage with a targetOrigin that does not match the target document: the
// browser drops it at delivery. Known only when the send itself was recorded, which page
// instrumentation does not do today (see docs/rules.md, "What the rules can see").
import { byCount, ctx, n as num, s, sentence } from '../text';
import { Groups, siteKey } from '../group';
import { SPEC } from '../spec';
import type { Rule } from '../types';

export const targetOriginMismatch: Rule = {
  id: 'target-origin-mismatch',
  severity: 'error',
  title: "targetOrigin did not match the target window's origin",
  spec: SPEC.windowPostMessageSteps,
  needs: ['window-sends'],
  texts: ['fxTargetOrigin_one', 'fxTargetOrigin_other', 'fxTargetOriginUnknown_one', 'fxTargetOriginUnknown_other'],
  explanation:
    "window.postMessage(message, targetOrigin) checks targetOrigin when the message is about to be dispatched: if it is not \"*\" and the target window's document is not of that origin, the message is dropped silently. This happens when the frame has navigated elsewhere, redirected, or the origin string is wrong (scheme, host or port). Channel Inspector sees this only in recordings that carry the window send: in a page, window.postMessage is recorded where it is delivered (the call itself is left alone), and a mismatched message is never delivered.",
  run({ snapshot, index }) {
    const groups = new Groups();
    for (const m of snapshot.messages) {
      if (m.via !== 'window' || m.outcome.status !== 'dropped' || m.outcome.reason !== 'target-origin-mismatch') continue;
      groups.get(`${siteKey(m)}|${m.toContext}|${m.targetOrigin}`).add(m);
    }
    const out = [];
    for (const g of groups) {
      const m = g.first!;
      const n = g.size;
      const to = index.context(m.toContext);
      const args = [num(n), ctx(index.context(m.fromContext)), ctx(to), s(m.targetOrigin ?? '?')];
      const text = to?.origin
        ? sentence(byCount(n, 'fxTargetOrigin_one', 'fxTargetOrigin_other'), ...args, s(to.origin))
        : sentence(byCount(n, 'fxTargetOriginUnknown_one', 'fxTargetOriginUnknown_other'), ...args);
      out.push(g.finding(this, text));
    }
    return out;
  },
};

// window.postMessage(message, "*") to a window of another origin: whatever document is in
// that frame when the message arrives gets it, navigated or not.
import { byCount, ctx, n as num, s, sentence } from '../text';
import { Groups, siteKey } from '../group';
import { SPEC } from '../spec';
import type { Rule } from '../types';

export const wildcardTargetOrigin: Rule = {
  id: 'wildcard-target-origin',
  severity: 'warning',
  title: 'Message posted with targetOrigin "*" to a cross-origin window',
  spec: SPEC.postingMessages,
  needs: ['window-sends'],
  texts: ['fxWildcard_one', 'fxWildcard_other'],
  explanation:
    'With targetOrigin "*" the browser delivers the message to whatever document the target window holds when the message is dispatched. A cross-origin frame or popup can be navigated by others (or redirect) at any time, so data — and any ports transferred with it — may reach a page you did not intend. Pass the origin you expect, e.g. postMessage(msg, "https://app.example"). Requires the send to be recorded with its targetOrigin; in a page, window messages are recorded where they are delivered, without it, so this is judged only in recordings that carry window sends.',
  run({ snapshot, index }) {
    const groups = new Groups();
    for (const m of snapshot.messages) {
      if (m.via !== 'window' || m.targetOrigin !== '*' || m.sentAt === null || m.outcome.status === 'error') continue;
      const from = index.context(m.fromContext);
      const to = index.context(m.toContext);
      if (!from?.origin || !to?.origin || from.origin === to.origin) continue;
      groups.get(`${siteKey(m)}|${m.toContext}`).add(m);
    }
    const out = [];
    for (const g of groups) {
      const m = g.first!;
      const n = g.size;
      const to = index.context(m.toContext)!;
      out.push(
        g.finding(
          this,
          sentence(byCount(n, 'fxWildcard_one', 'fxWildcard_other'), num(n), ctx(index.context(m.fromContext)), ctx(to), s(to.origin!)),
        ),
      );
    }
    return out;
  },
};

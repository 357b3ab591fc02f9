// A window 'message' handler that received a cross-origin message and never looked at
// event.origin while it ran: any site able to hold a reference to the window can drive it.
import { byCount, ctx, n as num, s, sentence } from '../text';
import { Groups } from '../group';
import { SPEC } from '../spec';
import type { Rule } from '../types';

export const originNotChecked: Rule = {
  id: 'origin-not-checked',
  severity: 'warning',
  title: 'Cross-origin message handled without checking event.origin',
  spec: SPEC.webMessaging,
  texts: ['fxOriginNotChecked_one', 'fxOriginNotChecked_other'],
  explanation:
    "Any window that holds a reference to yours (a parent, a frame, an opener, a popup) can post messages to it, from any origin. A 'message' listener that acts on event.data without checking event.origin against the origins it expects trusts every one of them. Reading event.origin is necessary for a check; this rule fires when a listener ran for a cross-origin message and none of the listeners read it. Compare event.origin with an allow-list before using the data.",
  run({ snapshot, index }) {
    const groups = new Groups();
    for (const m of snapshot.messages) {
      // Only an explicit false: null/absent means the instrumentation did not report reads.
      if (m.via !== 'window' || m.type !== 'message' || m.originRead !== false || m.deliveredAt === null) continue;
      if (m.listeners === null || m.listeners <= 0 || m.origin === null) continue;
      const to = index.context(m.toContext);
      if (!to?.origin || to.origin === m.origin) continue;
      groups.get(`${m.toContext}|${m.origin}`).add(m);
    }
    const out = [];
    for (const g of groups) {
      const m = g.first!;
      const n = g.size;
      out.push(g.finding(this, sentence(byCount(n, 'fxOriginNotChecked_one', 'fxOriginNotChecked_other'), num(n), s(m.origin!), ctx(index.context(m.toContext)))));
    }
    return out;
  },
};

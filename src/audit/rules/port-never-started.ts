// Messages waiting forever on a port that has addEventListener('message') but was never
// started: only start() or setting onmessage enables a port's message queue.
import { byCount, ctx, n as num, portArg, sentence } from '../text';
import { Groups } from '../group';
import { SPEC } from '../spec';
import type { Rule } from '../types';

export const portNeverStarted: Rule = {
  id: 'port-never-started',
  severity: 'error',
  title: 'Messages stuck on a port that was never started',
  spec: SPEC.portStart,
  texts: ['fxNeverStarted_one', 'fxNeverStarted_other'],
  explanation:
    "A MessagePort's message queue starts disabled. Setting onmessage enables it, but addEventListener('message', …) does not: until start() is called, every message sent to the port waits in its queue and no listener ever runs. No error is thrown on either side.",
  run({ snapshot, index }) {
    const groups = new Groups();
    for (const m of snapshot.messages) {
      if (m.via !== 'port' || m.toPort === null || m.deliveredAt !== null) continue;
      if (m.outcome.status !== 'queued' && m.outcome.status !== 'sent') continue;
      const p = index.port(m.toPort);
      if (!p || p.started || p.closed || p.listeners <= 0 || p.lostIn !== null || p.stateKnown === 'unknown') continue;
      groups.get(String(p.id)).add(m).port(p.id);
    }
    const out = [];
    for (const g of groups) {
      const p = index.port(g.first!.toPort)!;
      const holder = p.holders[p.holders.length - 1];
      const n = g.size;
      g.context(holder?.contextId ?? null);
      out.push(
        g.finding(
          this,
          sentence(byCount(n, 'fxNeverStarted_one', 'fxNeverStarted_other'), num(n), portArg(p.id), ctx(index.context(holder?.contextId ?? null))),
        ),
      );
    }
    return out;
  },
};

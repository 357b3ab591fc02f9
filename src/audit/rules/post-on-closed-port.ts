// postMessage on a closed port, or on one whose partner is closed or gone: there is no
// entangled port to queue the message on (or no document left to dispatch it), so it is
// dropped without an error.
import { holderOf } from '../describe';
import { byCount, ctx, n as num, portArg, sentence, sub } from '../text';
import { Groups } from '../group';
import { SPEC } from '../spec';
import type { AuditIndex, Rule } from '../types';
import type { FindingText, MessageRecord } from '../../protocol/session';

const REASONS: ReadonlySet<string> = new Set(['port-closed', 'partner-closed', 'doomed', 'receiver-gone', 'no-target']);

export const postOnClosedPort: Rule = {
  id: 'post-on-closed-port',
  severity: 'error',
  title: 'Message posted on a closed port, or one whose partner is gone',
  spec: SPEC.portClose,
  texts: ['fxPostOnClosed_one', 'fxPostOnClosed_other', 'fxCauseClosed', 'fxCausePartnerClosed', 'fxCauseOwnPartner', 'fxCausePartnerLost', 'fxCauseReceiverGone', 'fxADocument', 'fxCauseClosing'],
  explanation:
    "close() detaches a MessagePort and disentangles it from its partner. After that, postMessage on either end has no target port: the message is discarded without an exception, and the partner is never told (browsers fire no 'close' event). The same happens when the partner was transferred inside a message that was itself lost, or inside this very message, and when the document holding the partner goes away (its frame removed or navigated): its ports die with it, and nothing tells the other side. Stop sending once either side has closed or gone, or agree on a shutdown message first (a frame can post one from its pagehide handler).",
  run({ snapshot, index }) {
    const groups = new Groups();
    for (const m of snapshot.messages) {
      if (m.via !== 'port' || m.outcome.status !== 'dropped' || !REASONS.has(m.outcome.reason as string)) continue;
      groups.get(`${m.fromPort}:${m.outcome.reason}`).add(m).port(m.fromPort);
    }
    const out = [];
    for (const g of groups) {
      const m = g.first!;
      const n = g.size;
      const partner = index.port(m.fromPort)?.entangledWith ?? null;
      g.port(partner);
      out.push(g.finding(this, sentence(byCount(n, 'fxPostOnClosed_one', 'fxPostOnClosed_other'), num(n), portArg(m.fromPort), sub(cause(index, m, partner)))));
    }
    return out;
  },
};

function cause(index: AuditIndex, m: MessageRecord, partner: number | null): FindingText {
  switch (m.outcome.reason) {
    case 'port-closed':
      return sentence('fxCauseClosed');
    case 'partner-closed':
      return sentence('fxCausePartnerClosed', portArg(partner));
    case 'doomed':
      if (partner !== null && m.transfer.some((t) => t.kind === 'MessagePort' && t.id === partner)) return sentence('fxCauseOwnPartner', portArg(partner));
      return sentence('fxCausePartnerLost', portArg(partner));
    case 'receiver-gone': {
      const q = index.port(partner);
      const holder = q ? index.context(holderOf(q)) : undefined;
      return sentence('fxCauseReceiverGone', portArg(partner), holder ? ctx(holder) : sub(sentence('fxADocument')));
    }
    default:
      return sentence('fxCauseClosing', ctx(index.context(m.fromContext)));
  }
}

// Ports kept open with nothing at the other end, and channels that pile up open on both
// ends (a new MessageChannel per request that nobody closes).
import { holderOf } from '../describe';
import { byCount, ctx, n as num, portArg, sentence } from '../text';
import { Group } from '../group';
import { SPEC } from '../spec';
import type { AuditFinding, AuditIndex, AuditInput, Rule } from '../types';
import type { PortRecord } from '../../protocol/session';

export const portLeak: Rule = {
  id: 'port-leak',
  severity: 'warning',
  title: 'Ports left open: partner gone, or channels piling up',
  spec: SPEC.portsAndGc,
  texts: ['fxPartnerClosed', 'fxPartnerLost', 'fxPartnerWentAway', 'fxChannelsOpen_one', 'fxChannelsOpen_other'],
  explanation:
    "An entangled MessagePort with a 'message' listener is kept alive as long as its partner is, and a port's listener keeps its handler's closure alive too. Code that creates a MessageChannel per request and never calls close() on either end accumulates live ports, listeners and queued state for the life of the page. A port left listening after its partner was closed, lost or destroyed with its document will never receive anything again. Close both ends when an exchange is over (port.close()), or reuse one channel with request ids.",
  run(input) {
    return [...partnerGone(input), ...pilingUp(input)];
  },
};

/** A port still listening whose partner was closed, lost in transit, or died with its document. */
function partnerGone({ snapshot, index }: AuditInput): AuditFinding[] {
  const out: AuditFinding[] = [];
  for (const p of snapshot.ports) {
    if (!alive(index, p) || (p.listeners <= 0 && !p.started)) continue;
    const q = index.port(p.entangledWith);
    if (!q) continue;
    const at = [portArg(p.id), ctx(index.context(holderOf(p))), portArg(q.id)];
    const text = q.closed
      ? sentence('fxPartnerClosed', ...at)
      : q.lostIn !== null
        ? sentence('fxPartnerLost', ...at, num(q.lostIn))
        : ended(index, q)
          ? sentence('fxPartnerWentAway', ...at, ctx(index.context(holderOf(q))))
          : null;
    if (text === null) continue;
    const g = new Group().port(p.id).port(q.id).context(holderOf(p)).context(holderOf(q));
    out.push(
      g.finding(portLeak, text, {
        severity: 'info',
        count: 1,
      }),
    );
  }
  return out;
}

/** Per creating context: channels open on both ends, when there are too many of them. */
function pilingUp({ snapshot, index, options }: AuditInput): AuditFinding[] {
  const open = new Map<number, PortRecord[]>();
  for (const p of snapshot.ports) {
    // Each channel once, from its lower-numbered port.
    if (p.channelId === null || p.createdIn === null || p.entangledWith === null || p.entangledWith < p.id) continue;
    const q = index.port(p.entangledWith);
    if (!q || !alive(index, p) || !alive(index, q)) continue;
    const list = open.get(p.createdIn);
    if (list) list.push(p, q);
    else open.set(p.createdIn, [p, q]);
  }
  const out: AuditFinding[] = [];
  for (const [made, ports] of open) {
    const channels = ports.length / 2;
    if (channels < options.openChannels) continue;
    const g = new Group().context(made);
    for (const p of ports) {
      g.port(p.id).context(holderOf(p));
      for (const m of index.shipments(p.id)) g.add(m);
    }
    out.push(
      g.finding(
        portLeak,
        sentence(byCount(channels, 'fxChannelsOpen_one', 'fxChannelsOpen_other'), num(channels), ctx(index.context(made))),
        { count: ports.length },
      ),
    );
  }
  return out;
}

function ended(index: AuditIndex, p: PortRecord): boolean {
  const c = index.context(holderOf(p));
  return !!c && c.endedAt !== null;
}

/** Open, not lost in transit, and its holder's document still current. */
function alive(index: AuditIndex, p: PortRecord): boolean {
  return !p.closed && p.lostIn === null && !ended(index, p);
}

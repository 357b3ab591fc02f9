// Ports kept open with nothing at the other end, and channels that pile up open on both
// ends (a new MessageChannel per request that nobody closes).
import { count, holderOf, port, where } from '../describe';
import { Group } from '../group';
import { SPEC } from '../spec';
import type { AuditFinding, AuditIndex, AuditInput, Rule } from '../types';
import type { PortRecord } from '../../protocol/session';

export const portLeak: Rule = {
  id: 'port-leak',
  severity: 'warning',
  title: 'Ports left open: partner gone, or channels piling up',
  spec: SPEC.portsAndGc,
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
    const why = q.closed
      ? 'was closed'
      : q.lostIn !== null
        ? `was lost with message #${q.lostIn}, which was never delivered`
        : ended(index, q)
          ? `went away with ${where(index.context(holderOf(q)))}`
          : null;
    if (why === null) continue;
    const g = new Group().port(p.id).port(q.id).context(holderOf(p)).context(holderOf(q));
    out.push(
      g.finding(portLeak, `${port(p.id)} in ${where(index.context(holderOf(p)))} is still open and listening, but its partner ${port(q.id)} ${why}, so it will never receive another message.`, {
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
  for (const [ctx, ports] of open) {
    const channels = ports.length / 2;
    if (channels < options.openChannels) continue;
    const g = new Group().context(ctx);
    for (const p of ports) {
      g.port(p.id).context(holderOf(p));
      for (const m of index.shipments(p.id)) g.add(m);
    }
    out.push(
      g.finding(
        portLeak,
        `${count(channels, 'MessageChannel')} created in ${where(index.context(ctx))} ${channels === 1 ? 'is' : 'are'} still open on both ends; a channel per request that is never closed keeps every port and listener alive.`,
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

// Listener records: built from a page's `listen` events (page input, checked here), and
// counted per port and per window/worker for the topology.
import type { ListenEvent } from '../protocol/messages';
import { LISTENER_VIAS, WRAPPED_BY, setOf, type ListenerVia, type WrappedBy } from '../protocol/enums';
import type { ListenerRecord } from '../protocol/session';

export const LISTENER_TARGETS = setOf(LISTENER_VIAS);
const WRAPPERS = setOf(WRAPPED_BY);
/** Longest name kept; source text is capped by the page (4 KB) and again here. */
const MAX_NAME = 256;
const MAX_SOURCE = 8192;

const cut = (v: unknown, max: number): string | null => (typeof v !== 'string' ? null : v.length > max ? v.slice(0, max) : v);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);

/** What the Session resolved for the event: global ids and the string-table texts. */
export interface ListenerResolved {
  port: number | null;
  contextId: number | null;
  stack: string | null;
  source: string | null;
}

export function listenerRecord(id: number, contextId: number, ev: ListenEvent, r: ListenerResolved): ListenerRecord {
  const source = cut(r.source, MAX_SOURCE);
  return {
    id,
    contextId,
    target: {
      via: ev.via as ListenerVia,
      port: r.port,
      contextId: r.contextId,
      object: ev.via === 'worker' || ev.via === 'broadcast' ? int(ev.object) : null,
      channel: ev.via === 'broadcast' ? cut(ev.channel, MAX_NAME) : null,
    },
    type: ev.type === 'messageerror' ? 'messageerror' : 'message',
    kind: ev.handler === true ? 'handler' : 'listener',
    capture: ev.capture === true,
    once: ev.once === true,
    addedAt: ev.at,
    removedAt: null,
    removedBy: null,
    stack: r.stack,
    name: cut(ev.name, MAX_NAME),
    source,
    sourceTruncated: ev.truncated === true || (typeof r.source === 'string' && r.source.length > MAX_SOURCE),
    wrappedBy: typeof ev.wrappedBy === 'string' && WRAPPERS.has(ev.wrappedBy) ? (ev.wrappedBy as WrappedBy) : null,
    handled: 0,
    originRead: false,
  };
}

export interface ListenerCounts {
  /** Attached listeners per global port id. */
  byPort: Map<number, number>;
  /** Attached listeners on each window (and worker) object, by the context it stands for. */
  byContext: Map<number, number>;
}

/** Listeners attached at `at` (default: now) per port and per window: what the topology shows beside each. */
export function listenerCounts(listeners: Iterable<ListenerRecord>, at = Infinity): ListenerCounts {
  const byPort = new Map<number, number>();
  const byContext = new Map<number, number>();
  for (const l of listeners) {
    if (l.addedAt > at || (l.removedAt !== null && l.removedAt <= at)) continue;
    if (l.target.via === 'port') {
      if (l.target.port !== null) byPort.set(l.target.port, (byPort.get(l.target.port) ?? 0) + 1);
    } else if ((l.target.via === 'window' || l.target.via === 'worker') && l.target.contextId !== null) {
      byContext.set(l.target.contextId, (byContext.get(l.target.contextId) ?? 0) + 1);
    }
  }
  return { byPort, byContext };
}

// The Listeners view's model: every listener registration, grouped by the context whose code
// registered it, as rows of plain text the view prints (attached or removed, handled count,
// whether it read event.origin, the wrapper library, the registration stack and source).
import type { ListenerRecord } from '../../src/protocol/session';
import type { Dataset } from './dataset';
import { contextName } from './format';
import { msg } from '../i18n';

export type OriginRead = 'yes' | 'no' | 'never handled';
/** The English state the model and its tests speak; the view shows it in the UI language. */
export type ListenerState =
  | 'attached'
  | 'gone with its document'
  | 'removed'
  | 'removed after its one call (once)'
  | 'removed by its AbortSignal'
  | 'replaced (on* handler set again)';

export interface ListenerRow {
  id: number;
  /** What it listens on, e.g. "port 3", "window", "worker 2", "BroadcastChannel “news”". */
  target: string;
  /** The port it listens on, to link to (via port). */
  portId: number | null;
  /** "message" or "messageerror", with "onmessage" for handlers. */
  event: string;
  /** The author's function's name, "(anonymous)" when it has none, "?" when not known. */
  name: string;
  attached: boolean;
  /** "attached", or how it went away. */
  state: ListenerState;
  handled: number;
  originRead: OriginRead;
  wrappedBy: string | null;
  /** Rollbar and Bugsnag keep the author's function in a closure: name and source are the wrapper's. */
  wrapperOnly: boolean;
  stack: string | null;
  source: string | null;
  sourceTruncated: boolean;
  options: string;
}

export interface ListenerGroup {
  contextId: number;
  label: string;
  rows: ListenerRow[];
  attached: number;
}

const REMOVED: Record<NonNullable<ListenerRecord['removedBy']>, ListenerState> = {
  remove: 'removed',
  once: 'removed after its one call (once)',
  abort: 'removed by its AbortSignal',
  handler: 'replaced (on* handler set again)',
};

function targetText(d: Dataset, l: ListenerRecord): string {
  const t = l.target;
  switch (t.via) {
    case 'port':
      return t.port !== null ? msg('tpPort', t.port) : msg('lsTargetPortUnknown');
    case 'window':
      return t.contextId === l.contextId || t.contextId === null ? 'window' : msg('lsTargetWindowOf', contextName(d, t.contextId));
    case 'worker':
      return t.contextId !== null ? `worker ${t.contextId}` : 'worker';
    case 'broadcast':
      return t.channel !== null ? `BroadcastChannel “${t.channel}”` : 'BroadcastChannel';
  }
}

/** The context, or a frame or document containing it, was replaced (navigation). */
function ended(d: Dataset, id: number): boolean {
  for (let c = d.contexts.get(id), depth = 0; c && depth < 64; c = c.parentId !== null ? d.contexts.get(c.parentId) : undefined, depth++) {
    if (c.endedAt !== null) return true;
  }
  return false;
}

export function listenerRow(d: Dataset, l: ListenerRecord): ListenerRow {
  // A listener of a document that was replaced went away with it.
  const attached = l.removedAt === null && !ended(d, l.contextId);
  const options = [l.capture ? 'capture' : '', l.once ? 'once' : ''].filter(Boolean).join(', ');
  return {
    id: l.id,
    target: targetText(d, l),
    portId: l.target.via === 'port' ? l.target.port : null,
    event: l.kind === 'handler' ? `on${l.type}` : l.type,
    name: l.name === null ? '?' : l.name === '' ? msg('dtAnonymous') : l.name,
    attached,
    state: attached ? 'attached' : l.removedAt === null ? 'gone with its document' : REMOVED[l.removedBy ?? 'remove'],
    handled: l.handled,
    originRead: l.originRead ? 'yes' : l.handled === 0 ? 'never handled' : 'no',
    wrappedBy: l.wrappedBy,
    wrapperOnly: l.wrappedBy === 'rollbar' || l.wrappedBy === 'bugsnag',
    stack: l.stack,
    source: l.source,
    sourceTruncated: l.sourceTruncated,
    options,
  };
}

/** Groups of live documents first, in context id order; attached listeners first within a group, then by id. */
export function listenerGroups(d: Dataset): ListenerGroup[] {
  const groups = new Map<number, ListenerGroup>();
  for (const l of d.listeners.values()) {
    let g = groups.get(l.contextId);
    if (!g) groups.set(l.contextId, (g = { contextId: l.contextId, label: contextName(d, l.contextId), rows: [], attached: 0 }));
    const row = listenerRow(d, l);
    g.rows.push(row);
    if (row.attached) g.attached++;
  }
  // Live documents first (a reload leaves the old ones' listeners behind them), then by context id.
  const gone = (g: ListenerGroup) => Number(ended(d, g.contextId));
  const out = [...groups.values()].sort((a, b) => gone(a) - gone(b) || a.contextId - b.contextId);
  for (const g of out) g.rows.sort((a, b) => Number(b.attached) - Number(a.attached) || a.id - b.id);
  return out;
}

/** Listeners attached now, for the tab's count. */
export function attachedCount(d: Dataset): number {
  let n = 0;
  for (const l of d.listeners.values()) if (l.removedAt === null && !ended(d, l.contextId)) n++;
  return n;
}

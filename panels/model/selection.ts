// What the user picked, linked across views: one focused item for Details, plus the
// message and port ids that every view highlights.
import type { FindingRecord, MessageRecord, PortRecord } from '../../src/protocol/session';

export type Focus =
  | { kind: 'message'; id: number }
  | { kind: 'port'; id: number }
  | { kind: 'context'; id: number }
  | { kind: 'finding'; index: number; rule: string }
  | null;

export interface Selection {
  focus: Focus;
  messageIds: number[];
  portIds: number[];
}

export const NO_SELECTION: Selection = { focus: null, messageIds: [], portIds: [] };

export function selectMessage(m: MessageRecord): Selection {
  const ports = new Set<number>();
  if (m.fromPort !== null) ports.add(m.fromPort);
  if (m.toPort !== null) ports.add(m.toPort);
  for (const t of m.transfer) if (t.kind === 'MessagePort' && t.id !== null) ports.add(t.id);
  return { focus: { kind: 'message', id: m.id }, messageIds: [m.id], portIds: [...ports] };
}

export function selectPort(p: PortRecord): Selection {
  const ports = [p.id];
  if (p.entangledWith !== null) ports.push(p.entangledWith);
  // The messages that carried it from context to context.
  const moves = p.holders.map((h) => h.messageId).filter((id): id is number => id !== null);
  return { focus: { kind: 'port', id: p.id }, messageIds: moves, portIds: ports };
}

export function selectContext(id: number): Selection {
  return { focus: { kind: 'context', id }, messageIds: [], portIds: [] };
}

export function selectFinding(f: FindingRecord, index: number): Selection {
  return { focus: { kind: 'finding', index, rule: f.rule }, messageIds: f.messageIds.slice(), portIds: f.portIds.slice() };
}

/** Fast membership tests for rendering many rows. */
export interface Highlight {
  messages: Set<number>;
  ports: Set<number>;
  /** A picked port lights up its traffic; a picked message or finding only its own messages. */
  portTraffic: boolean;
}

export function highlightOf(sel: Selection): Highlight {
  return { messages: new Set(sel.messageIds), ports: new Set(sel.portIds), portTraffic: sel.focus?.kind === 'port' };
}

export function isMessageHighlighted(h: Highlight, m: MessageRecord): boolean {
  if (h.messages.has(m.id)) return true;
  return h.portTraffic && ((m.fromPort !== null && h.ports.has(m.fromPort)) || (m.toPort !== null && h.ports.has(m.toPort)));
}

/** Checks a value read back from storage; anything else becomes no selection. */
export function parseSelection(x: unknown): Selection {
  if (typeof x !== 'object' || x === null) return NO_SELECTION;
  const o = x as Record<string, unknown>;
  const ids = (v: unknown) => (Array.isArray(v) ? v.filter((n): n is number => Number.isSafeInteger(n)) : []);
  const f = o.focus as Record<string, unknown> | null;
  let focus: Focus = null;
  if (f && typeof f === 'object') {
    if ((f.kind === 'message' || f.kind === 'port' || f.kind === 'context') && Number.isSafeInteger(f.id)) focus = { kind: f.kind, id: f.id as number };
    else if (f.kind === 'finding' && Number.isSafeInteger(f.index) && typeof f.rule === 'string') focus = { kind: 'finding', index: f.index as number, rule: f.rule };
  }
  return { focus, messageIds: ids(o.messageIds), portIds: ids(o.portIds) };
}

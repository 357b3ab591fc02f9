// One linear pass over the snapshot that every rule can lean on (ids → records).
import type { AggregateSnapshot, ContextRecord, MessageRecord, PortRecord } from '../protocol/session';
import type { AuditIndex } from './types';

const NONE: MessageRecord[] = [];

export function buildIndex(s: AggregateSnapshot): AuditIndex {
  const contexts = new Map<number, ContextRecord>();
  for (const c of s.contexts) contexts.set(c.id, c);
  const ports = new Map<number, PortRecord>();
  for (const p of s.ports) ports.set(p.id, p);
  // Built on first use: most snapshots never need it.
  let shipped: Map<number, MessageRecord[]> | null = null;
  return {
    context: (id) => (id === null ? undefined : contexts.get(id)),
    port: (id) => (id === null ? undefined : ports.get(id)),
    shipments(portId) {
      if (!shipped) {
        shipped = new Map();
        for (const m of s.messages) {
          for (const t of m.transfer) {
            if (t.kind !== 'MessagePort' || t.id === null) continue;
            const list = shipped.get(t.id);
            if (list) list.push(m);
            else shipped.set(t.id, [m]);
          }
        }
      }
      return shipped.get(portId) ?? NONE;
    },
  };
}

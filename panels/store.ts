// The panel's copy of the tab's session: a snapshot, then deltas from the background,
// upserted by id. Views subscribe and re-render at most once per animation frame.
import type { BackgroundToPanel, PanelToBackground, TabState } from '../src/protocol/messages';
import type { ContextRecord, DroppedCounts, FindingRecord, MessageRecord, PortRecord } from '../src/protocol/session';
import { unpackSnapshot } from '../src/aggregate/columns';

export interface PanelState {
  tab: TabState | null;
  contexts: Map<number, ContextRecord>;
  ports: Map<number, PortRecord>;
  /** Ordered by id (the order the background learned of them). */
  messages: Map<number, MessageRecord>;
  findings: FindingRecord[];
  dropped: DroppedCounts;
  /** Bumped on every change so views can memoise on it. */
  version: number;
}

export function emptyState(): PanelState {
  return { tab: null, contexts: new Map(), ports: new Map(), messages: new Map(), findings: [], dropped: {}, version: 0 };
}

export class Store {
  state: PanelState = emptyState();
  private listeners = new Set<() => void>();

  constructor(private readonly post: (msg: PanelToBackground) => void = () => {}) {}

  command(msg: PanelToBackground) {
    this.post(msg);
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  apply(msg: BackgroundToPanel) {
    const s = this.state;
    switch (msg.t) {
      case 'snapshot': {
        const snap = unpackSnapshot(msg.snapshot);
        this.state = {
          tab: msg.state,
          contexts: new Map(snap.contexts.map((c) => [c.id, c])),
          ports: new Map(snap.ports.map((p) => [p.id, p])),
          messages: new Map(snap.messages.map((m) => [m.id, m])),
          findings: snap.findings,
          dropped: snap.dropped,
          version: s.version + 1,
        };
        break;
      }
      case 'delta': {
        const d = msg.delta;
        for (const c of d.contexts) s.contexts.set(c.id, c);
        for (const p of d.ports) s.ports.set(p.id, p);
        for (const m of d.messages) s.messages.set(m.id, m);
        for (const id of s.messages.keys()) {
          if (id >= d.firstMessageId) break;
          s.messages.delete(id);
        }
        if (d.findings) s.findings = d.findings;
        if (d.dropped) s.dropped = d.dropped;
        s.version++;
        break;
      }
      case 'state':
        s.tab = msg.state;
        s.version++;
        break;
    }
    for (const fn of this.listeners) fn();
  }
}

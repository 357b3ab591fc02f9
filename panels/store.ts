// The panel's copy of the session: a snapshot, then live deltas from the background.
// Views subscribe and re-render at most once per animation frame.
import type { BackgroundToPanel, EventRow, FrameInfo, PanelToBackground } from '../src/protocol/messages';

export interface PanelState {
  recording: boolean;
  frames: FrameInfo[];
  rows: EventRow[];
  dropped: Record<string, number>;
  /** Bumped on every change so views can memoise on it. */
  version: number;
}

export class Store {
  state: PanelState = { recording: false, frames: [], rows: [], dropped: {}, version: 0 };
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
      case 'snapshot':
        this.state = { ...msg.snapshot, version: s.version + 1 };
        break;
      case 'rows':
        // Rows are appended in place; the version tells views something changed.
        for (const r of msg.rows) s.rows.push(r);
        this.state = { ...s, frames: msg.frames ?? s.frames, version: s.version + 1 };
        break;
      case 'recording':
        this.state = { ...s, recording: msg.on, version: s.version + 1 };
        break;
    }
    for (const fn of this.listeners) fn();
  }
}

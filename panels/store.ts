// The panel's state, pure (runs in Node): the live session (snapshot + deltas from the
// background), an imported trace when one is open, and what the user picked (view,
// selection, filters, brush). Views read it and call its methods; nothing else changes it.
import type { BackgroundToPanel, BreakpointSpec, PanelToBackground, ReplayOutcome, ReplayTarget, StoreOutcome, StoreWhat, TabState } from '../src/protocol/messages';
import { withId, type NewBreakpoint } from './model/breakpoints';
import { unpackDelta, unpackSnapshot } from '../src/aggregate/columns';
import type { TraceDocument } from '../src/trace/format';
import { applyDelta, datasetOf, emptyDataset, type Dataset } from './model/dataset';
import { NO_FILTER, parseFilter, type Brush, type MessageFilter } from './model/filter';
import { NO_SELECTION, parseSelection, type Selection } from './model/selection';

export type ViewName = 'topology' | 'timeline' | 'messages' | 'findings' | 'listeners' | 'breakpoints';
export const VIEWS: ViewName[] = ['topology', 'timeline', 'messages', 'findings', 'listeners', 'breakpoints'];

export interface OpenTrace {
  name: string;
  title: string | null;
  data: Dataset;
  /** What the trace says its recording misses (meta.notices). */
  notices: string[];
}

export interface Banner {
  kind: 'error' | 'info';
  text: string;
}

export interface PanelState {
  tab: TabState | null;
  /** False for the standalone viewer: there is no live session, only traces. */
  hasLive: boolean;
  live: Dataset;
  trace: OpenTrace | null;
  view: ViewName;
  selection: Selection;
  filter: MessageFilter;
  brush: Brush | null;
  /** Topology time scrubber; null shows the latest state. */
  scrubAt: number | null;
  banner: Banner | null;
  /** The tab's message breakpoints, as the background keeps them. */
  breakpoints: BreakpointSpec[];
  /** The tab's key for handing DevTools' debug() to the page (panels/main.tsx). */
  debugKey: string | null;
  /** Lists the background confirmed (every frame of the tab has it), and debug() hand-overs evaluated. */
  breakpointsSynced: number;
  debugHandovers: number;
  /** Bumped on every change. */
  version: number;
}

/** Where UI choices survive hiding and re-showing the panel (sessionStorage in the browser). */
export interface KeyValue {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

const UI_KEY = 'channel-inspector.ui';

export function emptyState(hasLive = true): PanelState {
  return {
    tab: null,
    hasLive,
    live: emptyDataset(),
    trace: null,
    view: 'topology',
    selection: NO_SELECTION,
    filter: NO_FILTER,
    brush: null,
    scrubAt: null,
    banner: null,
    breakpoints: [],
    debugKey: null,
    breakpointsSynced: 0,
    debugHandovers: 0,
    version: 0,
  };
}

/** The dataset the views show: the open trace, else the live session. */
export function shown(s: PanelState): Dataset {
  return s.trace ? s.trace.data : s.live;
}

export class Store {
  state: PanelState;
  /** Answers to this panel's replays, by request number (panels/replay.tsx shows them). */
  readonly replies = new Map<number, ReplayOutcome>();
  private lastReplay = 0;
  /** The number of this panel's last breakpoint edit (or of the last the background reported). */
  private breakpointsRev = 0;
  /** Answers to "Store as global variable", by request number (panels/store-global.tsx shows them). */
  readonly stored = new Map<number, StoreOutcome>();
  private listeners = new Set<() => void>();

  constructor(
    private readonly post: (msg: PanelToBackground) => void = () => {},
    private readonly storage: KeyValue | null = null,
    hasLive = true,
  ) {
    this.state = emptyState(hasLive);
    this.restoreUi();
  }

  command(msg: PanelToBackground) {
    this.post(msg);
  }

  /** Asks the background to post message `message` again; the answer lands in `replies`. */
  replay(message: number, value: unknown, target: ReplayTarget | null): number {
    const req = ++this.lastReplay;
    this.post({ t: 'replay', req, message, value, target });
    return req;
  }

  addBreakpoint(b: NewBreakpoint) {
    this.setBreakpoints([...this.state.breakpoints, withId(this.state.breakpoints, b)]);
  }

  toggleBreakpoint(id: number, enabled: boolean) {
    this.setBreakpoints(this.state.breakpoints.map((b) => (b.id === id ? { ...b, enabled } : b)));
  }

  removeBreakpoint(id: number) {
    this.setBreakpoints(this.state.breakpoints.filter((b) => b.id !== id));
  }

  noteHandover() {
    this.state.debugHandovers++;
    this.changed(false);
  }

  /** Shown at once; the background's answer (the list it keeps) follows. */
  private setBreakpoints(list: BreakpointSpec[]) {
    this.state.breakpoints = list;
    this.post({ t: 'breakpoints', list, rev: ++this.breakpointsRev });
    this.changed(false);
  }

  /** Asks the background to put a port or a payload into the page as the next tempN. */
  storeGlobal(what: StoreWhat): number {
    const req = ++this.lastReplay;
    this.post({ t: 'storeGlobal', req, what });
    return req;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  apply(msg: BackgroundToPanel) {
    const s = this.state;
    switch (msg.t) {
      case 'snapshot': {
        // A fresh snapshot (first subscribe, a clear, a reconnect) replaces the live data.
        s.live = datasetOf(unpackSnapshot(msg.snapshot), s.live.version + 1);
        s.tab = msg.state;
        break;
      }
      case 'delta':
        applyDelta(s.live, msg.delta);
        break;
      case 'packedDelta':
        applyDelta(s.live, unpackDelta(msg.delta));
        break;
      case 'state':
        s.tab = msg.state;
        break;
      case 'replayed':
        this.replies.set(msg.req, msg.outcome);
        break;
      case 'stored':
        this.stored.set(msg.req, msg.outcome);
        break;
      case 'breakpoints':
        s.debugKey = msg.key;
        s.breakpointsSynced++;
        // The answer to an edit older than the last one shown would undo that one (and an edit
        // made on top of it would then lose it): wait for the answer that includes it.
        if (msg.rev < this.breakpointsRev) break;
        this.breakpointsRev = msg.rev;
        s.breakpoints = msg.list;
        break;
      default:
        return;
    }
    this.changed(false);
  }

  /** Opens an imported trace (already validated by src/trace importTrace) in the views. */
  openTrace(doc: TraceDocument, name: string) {
    const data = datasetOf({
      contexts: doc.contexts,
      ports: doc.ports,
      messages: doc.messages,
      firstMessageId: doc.meta.firstMessageId,
      findings: doc.findings,
      mismatches: doc.mismatches,
      dropped: doc.dropped,
      listeners: doc.listeners,
    });
    this.state.trace = { name, title: doc.meta.title, data, notices: doc.meta.notices ?? [] };
    this.resetPicks();
    this.state.banner = null;
    this.changed(true);
  }

  closeTrace() {
    if (!this.state.trace) return;
    this.state.trace = null;
    this.resetPicks();
    this.changed(true);
  }

  setView(view: ViewName) {
    this.state.view = view;
    this.changed(true);
  }

  select(selection: Selection) {
    this.state.selection = selection;
    this.changed(true);
  }

  setFilter(patch: Partial<MessageFilter>) {
    this.state.filter = { ...this.state.filter, ...patch };
    this.changed(true);
  }

  setBrush(brush: Brush | null) {
    this.state.brush = brush && brush.to > brush.from ? brush : null;
    this.changed(true);
  }

  setScrub(at: number | null) {
    this.state.scrubAt = at;
    this.changed(false);
  }

  showBanner(banner: Banner | null) {
    this.state.banner = banner;
    this.changed(false);
  }

  private resetPicks() {
    const s = this.state;
    s.selection = NO_SELECTION;
    s.filter = NO_FILTER;
    s.brush = null;
    s.scrubAt = null;
  }

  private changed(uiChanged: boolean) {
    this.state.version++;
    if (uiChanged) this.saveUi();
    for (const fn of this.listeners) fn();
  }

  private saveUi() {
    if (!this.storage) return;
    const { view, selection, filter, brush } = this.state;
    try {
      this.storage.set(UI_KEY, JSON.stringify({ view, selection, filter, brush }));
    } catch {
      // Storage full or disabled: the choices just won't survive a reload.
    }
  }

  private restoreUi() {
    let raw: string | null = null;
    try {
      raw = this.storage?.get(UI_KEY) ?? null;
    } catch {
      raw = null;
    }
    if (!raw) return;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(raw);
    } catch {
      return;
    }
    if (typeof o !== 'object' || o === null) return;
    const s = this.state;
    if (VIEWS.includes(o.view as ViewName)) s.view = o.view as ViewName;
    s.selection = parseSelection(o.selection);
    s.filter = parseFilter(o.filter);
    const b = o.brush as Record<string, unknown> | null;
    if (b && typeof b === 'object' && Number.isFinite(b.from) && Number.isFinite(b.to) && (b.to as number) > (b.from as number)) s.brush = { from: b.from as number, to: b.to as number };
  }
}

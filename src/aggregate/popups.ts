// Popups: a tab that a recorded tab's page opened (window.open, a link with a target) is
// recorded into its opener's session, so that the two sides of their messages meet. Its
// frames are numbered apart from every browser frame id of that session's tab (ids from
// 2^52 up: Chromium's are small, Firefox's are below 2^48), and a popup's popup joins the
// same session.

import type { BatchSource } from './contexts';

/** The first frame number a popup's frames take in the opener's session. */
export const POPUP_FRAME_BASE = 2 ** 52;

export interface PopupRoutesState {
  /** [popup tab, the tab whose session records it] */
  tabs: [number, number][];
  /** [popup tab, its browser frame id, the frame number in the session] */
  frames: [number, number, number][];
  /** [popup tab, the number of the frame that opened it] */
  openers: [number, number][];
  next: number;
}

export class PopupRoutes {
  private readonly root = new Map<number, number>();
  private readonly numbers = new Map<number, Map<number, number>>();
  private readonly byNumber = new Map<number, { tabId: number; frameId: number }>();
  private readonly openers = new Map<number, number>();
  private next = POPUP_FRAME_BASE;

  /**
   * Tab `tabId` was opened from frame `frameId` of tab `openerTab`. Returns the tab whose
   * session records it, the popup's top frame and its opener's frame, numbered there.
   */
  opened(openerTab: number, frameId: number, tabId: number): { tabId: number; popupFrame: number; openerFrame: number } {
    const root = this.root.get(openerTab) ?? openerTab;
    const openerFrame = this.frameIn(openerTab, frameId);
    this.root.set(tabId, root);
    this.openers.set(tabId, openerFrame);
    return { tabId: root, popupFrame: this.frameIn(tabId, 0), openerFrame };
  }

  /** The tab whose session records this popup tab; undefined for a tab that is no popup. */
  sessionTab(tabId: number): number | undefined {
    return this.root.get(tabId);
  }

  /** The popup tabs a session records. */
  popupsOf(sessionTab: number): number[] {
    const out: number[] = [];
    for (const [tab, root] of this.root) if (root === sessionTab) out.push(tab);
    return out;
  }

  /** A frame's number in the session that records its tab (a tab's own frames keep theirs). */
  frameIn(tabId: number, frameId: number): number {
    if (!this.root.has(tabId) || frameId < 0) return frameId;
    let m = this.numbers.get(tabId);
    if (!m) this.numbers.set(tabId, (m = new Map()));
    let n = m.get(frameId);
    if (n === undefined) {
      n = this.next++;
      m.set(frameId, n);
      this.byNumber.set(n, { tabId, frameId });
    }
    return n;
  }

  /** The numbers a popup tab's frames have in its session. */
  framesOf(tabId: number): number[] {
    return [...(this.numbers.get(tabId)?.values() ?? [])];
  }

  /** The browser's tab and frame behind a frame number of a session. */
  browserFrame(sessionTab: number, frame: number): { tabId: number; frameId: number } {
    return this.byNumber.get(frame) ?? { tabId: sessionTab, frameId: frame };
  }

  /** Where a popup's batch comes from, in its session's numbering (its top frame names its opener). */
  source(tabId: number, s: BatchSource): BatchSource {
    if (!this.root.has(tabId)) return s;
    const out: BatchSource = { ...s, frameId: this.frameIn(tabId, s.frameId) };
    if (s.parentFrameId !== undefined) out.parentFrameId = this.frameIn(tabId, s.parentFrameId);
    const opener = this.openers.get(tabId);
    if (s.frameId === 0 && opener !== undefined) out.openerFrameId = opener;
    return out;
  }

  /**
   * The tab closed: its routes go, and a session tab's popups are recorded on their own from
   * now on. Returns whether any route went (there is something to save).
   */
  closed(tabId: number): boolean {
    let changed = false;
    for (const [tab, root] of this.root) {
      if (tab !== tabId && root !== tabId) continue;
      this.forget(tab);
      changed = true;
    }
    return changed;
  }

  private forget(tabId: number): void {
    this.root.delete(tabId);
    this.openers.delete(tabId);
    const m = this.numbers.get(tabId);
    if (m) for (const n of m.values()) this.byNumber.delete(n);
    this.numbers.delete(tabId);
  }

  toState(): PopupRoutesState {
    const frames: [number, number, number][] = [];
    for (const [tab, m] of this.numbers) for (const [f, n] of m) frames.push([tab, f, n]);
    return { tabs: [...this.root], frames, next: this.next, openers: [...this.openers] };
  }

  /** From toState(); anything else (nothing saved yet, another version's) gives no routes. */
  static fromState(s: unknown): PopupRoutes {
    const r = new PopupRoutes();
    if (!isState(s)) return r;
    for (const [tab, root] of s.tabs) r.root.set(tab, root);
    for (const [tab, f, n] of s.frames) {
      let m = r.numbers.get(tab);
      if (!m) r.numbers.set(tab, (m = new Map()));
      m.set(f, n);
      r.byNumber.set(n, { tabId: tab, frameId: f });
    }
    for (const [tab, f] of s.openers) r.openers.set(tab, f);
    r.next = s.next;
    return r;
  }
}

function isState(s: unknown): s is PopupRoutesState {
  if (typeof s !== 'object' || s === null) return false;
  const o = s as Record<string, unknown>;
  const rows = (v: unknown, n: number) => Array.isArray(v) && v.every((x) => Array.isArray(x) && x.length === n && x.every(Number.isSafeInteger));
  return rows(o.tabs, 2) && rows(o.frames, 3) && rows(o.openers, 2) && Number.isSafeInteger(o.next);
}

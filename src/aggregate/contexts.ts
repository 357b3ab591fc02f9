// The browser's frame tree as the background learns it: parent links from the runtime
// sender / webNavigation, child indices from each document's own context event, and which
// document is current in each frame. WindowPaths (relative to a sender) resolve against it.

import type { StreamOwner, WindowPath } from '../protocol/messages';

/** What the background knows about where a batch came from (runtime sender + webNavigation). */
export interface BatchSource {
  frameId: number;
  parentFrameId?: number;
  url?: string;
  documentId?: string;
  origin?: string;
  /** A popup's top frame: the frame whose document opened it (the background numbers a popup's frames into its opener's session). */
  openerFrameId?: number;
  /** A worker's own stream (issue 21): the context its creator numbered for it (the creator's relay carries it). */
  owner?: StreamOwner;
}

/** A path that cannot be resolved (yet): parked by the caller and retried on change. */
export const UNRESOLVED = -1;
/** A path outside the tab's frame tree, to a window this session does not know: never resolvable here. */
export const OUTSIDE = -2;

export interface FrameRegistryState {
  parents: [number, number][];
  /** [parentFrameId, index, frameId] */
  children: [number, number, number][];
  /** [frameId, contextId, lastAt] */
  current: [number, number, number][];
  /** [popup's top frameId, opener frameId] (absent in states saved before popups were followed) */
  openers?: [number, number][];
  version: number;
}

export class FrameRegistry {
  private readonly parents = new Map<number, number>();
  private readonly children = new Map<number, Map<number, number>>();
  /** frameId → context id of the document current in it, with the time that made it current. */
  private readonly current = new Map<number, { contextId: number; lastAt: number }>();
  /** A popup's top frame → the frame that opened it. */
  private readonly openers = new Map<number, number>();
  /** Bumped whenever a path that failed might now resolve. */
  version = 0;

  setParent(frameId: number, parentFrameId: number): void {
    if (this.parents.get(frameId) === parentFrameId) return;
    this.parents.set(frameId, parentFrameId);
    this.version++;
  }

  parentOf(frameId: number): number | undefined {
    return this.parents.get(frameId);
  }

  setOpener(popupFrameId: number, openerFrameId: number): void {
    if (this.openers.get(popupFrameId) === openerFrameId) return;
    this.openers.set(popupFrameId, openerFrameId);
    this.version++;
  }

  openerOf(frameId: number): number | undefined {
    return this.openers.get(frameId);
  }

  /** The popups `frameId` opened (their top frames), oldest first. */
  popupsOf(frameId: number): number[] {
    const out: number[] = [];
    for (const [popup, opener] of this.openers) if (opener === frameId) out.push(popup);
    return out;
  }

  setIndex(frameId: number, index: number): void {
    const parent = this.parents.get(frameId);
    if (parent === undefined || parent < 0) return;
    let kids = this.children.get(parent);
    if (!kids) this.children.set(parent, (kids = new Map()));
    if (kids.get(index) === frameId) return;
    kids.set(index, frameId);
    this.version++;
  }

  /**
   * Records activity of a document in a frame. The document with the latest activity is the
   * current one, which also covers a page coming back from the back/forward cache.
   * Returns the context it replaced, if any.
   */
  touch(frameId: number, contextId: number, at: number): number | null {
    const cur = this.current.get(frameId);
    if (!cur) {
      this.current.set(frameId, { contextId, lastAt: at });
      this.version++;
      return null;
    }
    if (cur.contextId === contextId) {
      if (at > cur.lastAt) cur.lastAt = at;
      return null;
    }
    if (at <= cur.lastAt) return null;
    const replaced = cur.contextId;
    cur.contextId = contextId;
    cur.lastAt = at;
    this.version++;
    return replaced;
  }

  toState(): FrameRegistryState {
    const children: [number, number, number][] = [];
    for (const [parent, kids] of this.children) for (const [i, f] of kids) children.push([parent, i, f]);
    const current: [number, number, number][] = [];
    for (const [f, c] of this.current) current.push([f, c.contextId, c.lastAt]);
    return { parents: [...this.parents], children, current, openers: [...this.openers], version: this.version };
  }

  static fromState(s: FrameRegistryState): FrameRegistry {
    const r = new FrameRegistry();
    for (const [f, p] of s.parents) r.parents.set(f, p);
    for (const [p, i, f] of s.children) {
      let kids = r.children.get(p);
      if (!kids) r.children.set(p, (kids = new Map()));
      kids.set(i, f);
    }
    for (const [f, contextId, lastAt] of s.current) r.current.set(f, { contextId, lastAt });
    for (const [popup, opener] of s.openers ?? []) r.openers.set(popup, opener);
    r.version = s.version;
    return r;
  }

  currentContext(frameId: number): number | undefined {
    return this.current.get(frameId)?.contextId;
  }

  /** The WindowPath from frame `from` to frame `to` (the inverse of resolve), or null when the tree does not tell. */
  pathBetween(from: number, to: number): WindowPath | null {
    // `to`'s ancestors with the index each step down takes.
    const downFrom = new Map<number, number[]>([[to, []]]);
    for (let f = to, down: number[] = [], i = 0; i < 64; i++) {
      const p = this.parents.get(f);
      if (p === undefined || p < 0) break;
      const kids = this.children.get(p);
      let index: number | undefined;
      if (kids) for (const [k, c] of kids) if (c === f) index = k;
      if (index === undefined) break;
      down = [index, ...down];
      downFrom.set(p, down);
      f = p;
    }
    for (let f: number | undefined = from, up = 0; f !== undefined && f >= 0 && up < 64; f = this.parents.get(f), up++) {
      const down = downFrom.get(f);
      if (down) return { up, down };
    }
    return null;
  }

  /**
   * The frame a WindowPath from `fromFrame` names, or UNRESOLVED / OUTSIDE. An opener is the
   * one that opened `fromFrame`; a popup, those it opened: `popupsOf` (the caller decides
   * between several by origin).
   */
  resolve(fromFrame: number, path: WindowPath): number {
    if (path.rel === 'opener') return this.openers.get(fromFrame) ?? OUTSIDE;
    if (path.rel !== undefined) return OUTSIDE;
    let f = fromFrame;
    for (let i = 0; i < path.up; i++) {
      const p = this.parents.get(f);
      if (p === undefined) return UNRESOLVED;
      if (p < 0) return OUTSIDE;
      f = p;
    }
    for (let i = 0; i < path.down.length; i++) {
      const c = this.children.get(f)?.get(path.down[i]);
      if (c === undefined) return UNRESOLVED;
      f = c;
    }
    return f;
  }
}

const originCache = new Map<string, string | null>();

/** The origin a targetOrigin string names, or null when it does not parse. */
export function originOf(url: string): string | null {
  let o = originCache.get(url);
  if (o !== undefined) return o;
  try {
    o = new URL(url).origin;
  } catch {
    o = null;
  }
  if (originCache.size > 1000) originCache.clear();
  originCache.set(url, o);
  return o;
}

// Window messages, seen where they are delivered. window.postMessage itself is left
// alone: a call to another window's postMessage runs that window's function (same
// origin) or a native cross-origin one, never the caller's, and a wrapper would change
// the MessageEvent.source the receiver sees. The receiving frame knows the sender from
// event.source, which is named by its path in the frame tree.
import type { Instr } from './context';
import type { Listeners } from './listeners';
import { D, put } from '../protocol/compact';
import { watchScopeMessages } from './scope-messages';
import type { WindowPath } from '../protocol/messages';
import type { Natives } from './natives';

const MAX_FRAMES_SEARCHED = 200;

/** Path from `from` to `to` in the frame tree (and opener when outside it). */
export function windowPath(n: Natives, from: Window, to: unknown): WindowPath {
  if (to === from) return { up: 0, down: n.list() };
  try {
    let ancestor: Window = from;
    for (let up = 0; up < 32; up++) {
      const down = findDown(n, ancestor, to);
      if (down) return { up, down };
      const parent = n.windowParent(ancestor);
      if (parent === ancestor) break;
      ancestor = parent;
    }
    const opener = n.windowOpener(from);
    if (opener && to === opener) return { up: 0, down: n.list(), rel: 'opener' };
  } catch {
    /* a window that went away mid-walk */
  }
  return { up: 0, down: n.list(), rel: to ? 'popup' : 'unknown' };
}

/** Breadth-first search of `root`'s descendants for `target`; returns child indices. */
function findDown(n: Natives, root: Window, target: unknown): number[] | null {
  if (root === target) return n.list();
  // No array methods, destructuring or prototype-backed arrays here: a page may have
  // replaced the methods or put setters on Array.prototype.
  const queue: { w: Window; path: number[] }[] = n.list();
  queue[0] = { w: root, path: n.list() };
  let seen = 0;
  for (let q = 0; q < queue.length && seen < MAX_FRAMES_SEARCHED; q++) {
    const { w, path } = queue[q];
    const count = n.windowLength(w);
    for (let i = 0; i < count; i++) {
      const child = w[i] as Window;
      seen++;
      const childPath: number[] = n.list();
      for (let j = 0; j < path.length; j++) childPath[j] = path[j];
      childPath[path.length] = i;
      if (child === target) return childPath;
      queue[queue.length] = { w: child, path: childPath };
    }
  }
  return null;
}

export function indexInParent(n: Natives, w: Window): number | undefined {
  const parent = n.windowParent(w);
  if (parent === w) return undefined;
  const count = n.windowLength(parent);
  for (let i = 0; i < count; i++) if (parent[i] === w) return i;
  return undefined;
}

export function instrumentWindow(I: Instr, listeners: Listeners, isBridgeMessage: (e: MessageEvent) => boolean): void {
  const { g, n } = I;
  const self = g as unknown as Window;
  watchScopeMessages(I, listeners, {
    via: 'window',
    skip: isBridgeMessage,
    describe(record, e) {
      put(record, D.source, windowPath(n, self, n.eventSource(e)));
      put(record, D.origin, n.eventOrigin(e));
    },
  });
}

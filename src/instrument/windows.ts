// window.postMessage in both forms, and every window message delivered to this window.
// Windows are named by their path in the frame tree relative to the reporting window,
// which the background resolves to the browser's frame ids.
import type { Instr } from './context';
import type { WindowPath, DeliverEvent } from '../protocol/messages';
import { convertWindowPost } from './webidl';
import { portIds } from './ports';
import { preview } from './preview';

const MAX_FRAMES_SEARCHED = 200;

/** Path from `from` to `to` in the frame tree (and opener/popup when outside it). */
export function windowPath(from: Window, to: unknown): WindowPath {
  if (to === from) return { up: 0, down: [] };
  try {
    let ancestor: Window = from;
    for (let up = 0; up < 32; up++) {
      const down = findDown(ancestor, to);
      if (down) return { up, down };
      const parent = ancestor.parent;
      if (parent === ancestor) break;
      ancestor = parent;
    }
    if (from.opener && to === from.opener) return { up: 0, down: [], rel: 'opener' };
  } catch {
    /* a window that went away mid-walk */
  }
  return { up: 0, down: [], rel: 'unknown' };
}

/** Breadth-first search of `root`'s descendants for `target`; returns child indices. */
function findDown(root: Window, target: unknown): number[] | null {
  if (root === target) return [];
  // No array methods or destructuring here: a page may have replaced them.
  const queue: { w: Window; path: number[] }[] = [{ w: root, path: [] }];
  let seen = 0;
  for (let q = 0; q < queue.length && seen < MAX_FRAMES_SEARCHED; q++) {
    const { w, path } = queue[q];
    const count = w.length;
    for (let i = 0; i < count; i++) {
      const child = w[i] as Window;
      seen++;
      const childPath: number[] = [];
      for (let j = 0; j < path.length; j++) childPath[j] = path[j];
      childPath[path.length] = i;
      if (child === target) return childPath;
      queue[queue.length] = { w: child, path: childPath };
    }
  }
  return null;
}

export function indexInParent(w: Window): number | undefined {
  const parent = w.parent;
  if (parent === w) return undefined;
  for (let i = 0; i < parent.length; i++) if (parent[i] === w) return i;
  return undefined;
}

export function instrumentWindow(I: Instr, isBridgeMessage: (e: MessageEvent) => boolean): void {
  const { g, n, rec, disguise } = I;
  const self = g as unknown as Window;
  const nativePost = n.windowPostMessage;
  if (!nativePost) return;

  disguise.method(g, 'postMessage', {
    postMessage(this: Window, _message: unknown) {
      if (!rec.active) return n.apply(nativePost, this, arguments);
      const conv = convertWindowPost(n, arguments);
      const transfer = conv ? I.describeTransfer(conv.transfer) : [];
      const at = n.now();
      const msg = I.nextMessageId();
      // `this` is the target window (a WindowProxy); undefined/null means the global itself.
      const target = windowPath(self, this ?? self);
      const targetOrigin = conv ? (conv.targetOrigin ?? '/') : '/';
      try {
        n.apply(nativePost, this, conv ? conv.args : arguments);
      } catch (err) {
        const e = err as { name?: string; message?: string };
        rec.emit({ k: 'post', at, msg, via: 'window', target, targetOrigin, transfer, predicted: { o: 'error', name: n.String(e?.name), message: n.String(e?.message) }, stack: I.stack() });
        throw err;
      }
      rec.emit({ k: 'post', at, msg, via: 'window', target, targetOrigin, transfer, predicted: { o: 'sent' } });
    },
  }.postMessage);

  const onWindowMessage = (type: 'message' | 'messageerror') =>
    function (e: MessageEvent) {
      if (!rec.active || isBridgeMessage(e)) return;
      const ev: DeliverEvent = {
        k: 'deliver',
        at: n.now(),
        type,
        via: 'window',
        source: windowPath(self, n.eventSource(e)),
        origin: n.eventOrigin(e),
        ports: portIds(I, e),
        listeners: -1,
      };
      if (type === 'message') ev.preview = preview(n, n.eventData(e));
      rec.emit(ev);
    };
  // Capture phase on the window, registered before any page script: it runs first.
  n.apply(n.addEventListener, g, ['message', onWindowMessage('message'), true]);
  n.apply(n.addEventListener, g, ['messageerror', onWindowMessage('messageerror'), true]);
}

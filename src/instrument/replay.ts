// Posts a recorded message again at the panel's request. The command comes over the
// private bridge only (the relay holds its other end; no page script can reach either),
// so the page's own code can never start a replay. The value is posted with the captured
// natives, exactly once, and recorded like any other post but marked `replay`. Nothing
// here throws into the page: every failure becomes a ReplayResult the panel shows.
import type { PostEvent, Predicted, ReplayResult, WindowPath } from '../protocol/messages';
import type { Instr } from './context';
import type { PortTable } from './port-table';

export interface Replayer {
  /** Runs one command (as it came over the bridge: untrusted shape, page-realm objects). */
  run(cmd: unknown): ReplayResult;
  /** The port this document numbered `id`, while the page still holds it. */
  portOf(id: number): MessagePort | undefined;
}

const NO_TRANSFER = Object.freeze([]) as unknown as PostEvent['transfer'];

/** `ports`: this context's port table (port-table.ts), the way back from a local id to its port. */
export function createReplayer(I: Instr, ports: PortTable): Replayer {
  const { g, n, rec, shadow } = I;
  const self = g as unknown as Window;
  const portOf = (id: number): MessagePort | undefined => ports.get(id);

  const emit = (ev: PostEvent) => rec.emit(ev);

  const error = (text: string): ReplayResult => ({ ok: false, error: text });

  const errorText = (err: unknown): string => {
    const p = I.errorOutcome(err);
    return p.o === 'error' ? (p.message ? `${p.name}: ${p.message}` : p.name) : 'error';
  };

  const dropText = (p: Predicted, port: number): string | null => {
    if (p.o !== 'dropped') return null;
    switch (p.reason) {
      case 'port-closed':
        return `port ${port} is closed: the browser dropped the message`;
      case 'port-shipped':
        return `port ${port} was transferred away (neutered): the browser dropped the message`;
      case 'partner-closed':
        return `the other end of port ${port} is closed: the message is lost`;
      default:
        return `the message is lost (${p.reason})`;
    }
  };

  const postOnPort = (local: number, value: unknown, replayOf: number): ReplayResult => {
    const port = portOf(local);
    if (!port) return error(`the port is gone from this document (closed and collected, or never seen here)`);
    const at = n.now();
    const msg = I.nextMessageId();
    const args = n.list<unknown>();
    args[0] = value;
    try {
      n.apply(n.portPostMessage, port, args);
    } catch (err) {
      emit({ k: 'post', at, msg, via: 'port', port: local, transfer: NO_TRANSFER, predicted: I.errorOutcome(err), replay: true, replayOf });
      return error(errorText(err));
    }
    const predicted = shadow.post(local, []);
    emit({ k: 'post', at, msg, via: 'port', port: local, transfer: NO_TRANSFER, predicted, replay: true, replayOf });
    const lost = dropText(predicted, local);
    return lost ? error(lost) : { ok: true, msg };
  };

  const windowAt = (path: WindowPath): Window | null => {
    let w: Window = self;
    for (let i = 0; i < path.up; i++) {
      // Through the getter captured at document_start (a page may shadow `parent`).
      const p = n.windowParent(w);
      if (!p || p === w) return null;
      w = p;
    }
    for (let i = 0; i < path.down.length; i++) {
      const child = w[path.down[i]] as Window | undefined;
      if (!child) return null;
      w = child;
    }
    return w;
  };

  const postToWindow = (path: WindowPath, targetOrigin: string, value: unknown, replayOf: number): ReplayResult => {
    const post = n.windowPostMessage;
    if (!post) return error('this document cannot post window messages');
    const target = windowAt(path);
    if (!target) return error('the target window is not in the frame tree any more');
    const at = n.now();
    const msg = I.nextMessageId();
    const args = n.list<unknown>();
    args[0] = value;
    args[1] = targetOrigin;
    try {
      try {
        // This realm's own postMessage (captured at document_start) also works on a
        // same-origin window, whose own postMessage its page may have replaced.
        n.apply(post, target, args);
      } catch (err) {
        const e = I.errorOutcome(err);
        if (target === self || e.o !== 'error' || e.name !== 'TypeError') throw err;
        // A cross-origin window: its cross-origin postMessage, read as a data property of
        // the WindowProxy (no page code can stand behind it).
        const own = n.getOwnPropertyDescriptor(target, 'postMessage')?.value as Function | undefined;
        if (typeof own !== 'function') throw err;
        n.apply(own, target, args);
      }
    } catch (err) {
      emit({ k: 'post', at, msg, via: 'window', target: path, targetOrigin, transfer: NO_TRANSFER, predicted: I.errorOutcome(err), replay: true, replayOf });
      return error(errorText(err));
    }
    emit({ k: 'post', at, msg, via: 'window', target: path, targetOrigin, transfer: NO_TRANSFER, predicted: { o: 'sent' }, replay: true, replayOf });
    return { ok: true, msg };
  };

  /** A small non-negative integer read without running any getter, or null. */
  const int = (o: object, key: string): number | null => {
    const v = n.dataProp(o, key);
    return typeof v === 'number' && v >= 0 && v <= 0x7fffffff && v % 1 === 0 ? v : null;
  };

  const pathOf = (v: unknown): WindowPath | null => {
    if (typeof v !== 'object' || v === null) return null;
    const up = int(v, 'up');
    const down = n.dataProp(v, 'down');
    if (up === null || up > 64 || !n.isArray(down)) return null;
    const len = n.dataProp(down, 'length');
    if (typeof len !== 'number' || len > 64) return null;
    const out = n.list<number>();
    for (let i = 0; i < len; i++) {
      const k = int(down, n.String(i));
      if (k === null) return null;
      out[i] = k;
    }
    return { up, down: out };
  };

  return {
    portOf,
    run(cmd) {
      try {
        if (typeof cmd !== 'object' || cmd === null) return error('malformed replay command');
        if (n.dataProp(cmd, 'doc') !== rec.doc) return error('the document has changed since it was recorded (navigated or reloaded)');
        const replayOf = int(cmd, 'replayOf');
        if (replayOf === null || replayOf === 0) return error('malformed replay command');
        const value = n.dataProp(cmd, 'value');
        const via = n.dataProp(cmd, 'via');
        if (via === 'port') {
          const port = int(cmd, 'port');
          return port === null ? error('malformed replay command') : postOnPort(port, value, replayOf);
        }
        if (via === 'window') {
          const path = pathOf(n.dataProp(cmd, 'target'));
          const targetOrigin = n.dataProp(cmd, 'targetOrigin');
          if (!path || typeof targetOrigin !== 'string') return error('malformed replay command');
          return postToWindow(path, targetOrigin, value, replayOf);
        }
        return error('malformed replay command');
      } catch (err) {
        return error(`the replay failed: ${errorText(err)}`);
      }
    },
  };
}

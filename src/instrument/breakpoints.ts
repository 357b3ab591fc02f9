// Message breakpoints in the page: the panel's breakpoints arrive over the private bridge
// (BreakpointsCommand), already in this document's local ids. A delivery is tested once, as
// its first page listener is about to run, and the page pauses at that listener's first line;
// a port send is tested inside the page's postMessage call, which pauses there.
//
// How it pauses (docs/engine-differences.md): where DevTools' own debug() was handed over
// (Chromium: the DevTools page evaluates `debug` through devtools.inspectedWindow.eval and
// passes it in with the tab's key), debug(listener) arms a one-shot breakpoint on the page's
// function just before it is called and undebug() removes it after, so DevTools shows the
// page's own listener paused on its first line. Elsewhere (Firefox has no debug() there) a
// `debugger` statement right before the call pauses in the wrapper; two Step into land on
// the listener's first line.
//
// Nothing runs on the message path while no breakpoint is set: the wrappers read one
// boolean (deliverArmed, sendArmed).
import type { Natives } from './natives';
import { D, type Built } from '../protocol/compact';
import type { BreakOn, PageBreakpoint, Predicted, SendOutcome, Via } from '../protocol/messages';
import { decodeSample } from '../decode';

export interface Breakpoints {
  /** A delivery breakpoint is set: listener wrappers call the page's function through callListener. */
  deliverArmed: boolean;
  /** A send breakpoint is set: port sends ask sendHits. */
  sendArmed: boolean;
  /** The relay's BreakpointsCommand, as the page realm's clone (read through own data only). */
  set(cmd: unknown, doc: string): void;
  /** Calls the page's listener; pauses before its first line when this delivery matches. */
  callListener(fn: Function, self: unknown, event: Event, record: Built): unknown;
  /** Whether a port send matches a send breakpoint (the caller then pauses in the page's call). */
  sendHits(port: number, predicted: Predicted): boolean;
  /**
   * DevTools' debug and undebug, handed in by the DevTools page's evaluation as
   * `MessagePort.prototype.postMessage.call(null, key, debug, undebug)`; true when `args` is
   * such a hand-over (the caller then returns as if nothing happened).
   */
  take(args: ArrayLike<unknown>): boolean;
}

interface Armed extends PageBreakpoint {
  on: BreakOn;
}

export function createBreakpoints(n: Natives, origin: string): Breakpoints {
  // Captured at document_start with the other natives: the page may replace them later.
  const lower = String.prototype.toLowerCase;
  const lc = (s: string) => n.apply(lower, s, []) as string;
  let deliver: Armed[] = n.list();
  let send: Armed[] = n.list();
  let key: string | null = null;
  let debugFn: Function | null = null;
  let undebugFn: Function | null = null;
  /** A hand-over that came before the key (the key comes with the relay's first answer). */
  let offered: { key: unknown; d: unknown; u: unknown } | null = null;
  /** The delivery tested last, and whether it still has to pause (at its first page listener). */
  let lastEvent: Event | null = null;
  let pausePending = false;

  const strings = (x: unknown, k: string): string | undefined => {
    const v = n.ownData(x as object, k);
    return typeof v === 'string' ? v : undefined;
  };
  const readList = (x: unknown): Armed[] => {
    const out: Armed[] = n.list();
    if (!n.isArray(x)) return out;
    const len = n.ownData(x, 'length') as number;
    for (let i = 0; i < len && i < 64; i++) {
      const b = n.ownData(x, i);
      if (typeof b !== 'object' || b === null) continue;
      const id = n.ownData(b, 'id');
      const on = n.ownData(b, 'on');
      if (typeof id !== 'number' || (on !== 'deliver' && on !== 'send')) continue;
      const ports = n.ownData(b, 'ports');
      let local: number[] | undefined;
      if (n.isArray(ports)) {
        local = n.list();
        const pl = n.ownData(ports, 'length') as number;
        for (let j = 0; j < pl; j++) {
          const p = n.ownData(ports, j);
          if (typeof p === 'number') local[local.length] = p;
        }
      }
      const text = strings(b, 'text');
      const call = strings(b, 'call');
      out[out.length] = {
        id,
        on,
        via: strings(b, 'via') as Via | undefined,
        ports: local,
        origin: strings(b, 'origin'),
        protocol: strings(b, 'protocol'),
        call: call === undefined ? undefined : lc(call),
        text: text === undefined ? undefined : lc(text),
        outcome: strings(b, 'outcome') as SendOutcome | undefined,
      };
    }
    return out;
  };
  const hasPort = (ports: number[], p: unknown) => {
    for (let i = 0; i < ports.length; i++) if (ports[i] === p) return true;
    return false;
  };
  const field = (r: Built, f: number): unknown => {
    for (let i = 2; i + 1 < r.length; i += 2) if (r[i] === f) return r[i + 1];
    return undefined;
  };
  const accept = (k: unknown, d: unknown, u: unknown) => {
    if (k !== key || typeof d !== 'function' || typeof u !== 'function') return false;
    debugFn = d;
    undebugFn = u;
    return true;
  };

  /** Whether a delivery (its built record) matches one of the delivery breakpoints. */
  const matches = (record: Built): boolean => {
    const via = (field(record, D.via) as Via | undefined) ?? 'port';
    if (field(record, D.type) === 'messageerror') return false;
    const port = field(record, D.port);
    const from = field(record, D.origin);
    const sample = field(record, D.sample);
    let text: string | null = null;
    let label: { protocol: string; label: string } | null | undefined;
    for (let i = 0; i < deliver.length; i++) {
      const b = deliver[i];
      if (b.via !== undefined && b.via !== via) continue;
      if (b.ports !== undefined && !hasPort(b.ports, port)) continue;
      if (b.origin !== undefined && b.origin !== origin && b.origin !== from) continue;
      if (b.text !== undefined) {
        text ??= typeof sample === 'string' ? lc(sample) : '';
        if (n.indexOf(text, b.text) < 0) continue;
      }
      if (b.protocol !== undefined) {
        // The receiver's sample decoded as the panel decodes it (src/decode), once per delivery.
        if (label === undefined) {
          const c = typeof sample === 'string' ? decodeSample(sample) : null;
          label = c ? { protocol: c.protocol, label: lc(c.label) } : null;
        }
        if (label === null || label.protocol !== b.protocol) continue;
        if (b.call !== undefined && n.indexOf(label.label, b.call) < 0) continue;
      }
      return true;
    }
    return false;
  };

  return {
    deliverArmed: false,
    sendArmed: false,
    set(cmd, doc) {
      if (typeof cmd !== 'object' || cmd === null) return;
      const k = n.ownData(cmd, 'key');
      key = typeof k === 'string' && k.length >= 16 ? k : null;
      const byDoc = n.ownData(cmd, 'byDoc');
      const mine = typeof byDoc === 'object' && byDoc !== null ? n.ownData(byDoc, doc) : undefined;
      const all = readList(mine !== undefined ? mine : n.ownData(cmd, 'common'));
      deliver = n.list();
      send = n.list();
      for (let i = 0; i < all.length; i++) {
        const list = all[i].on === 'deliver' ? deliver : send;
        list[list.length] = all[i];
      }
      this.deliverArmed = deliver.length > 0;
      this.sendArmed = send.length > 0;
      if (offered !== null && accept(offered.key, offered.d, offered.u)) offered = null;
    },
    callListener(fn, self, event, record) {
      if (event !== lastEvent) {
        lastEvent = event;
        try {
          pausePending = matches(record);
        } catch {
          pausePending = false; // never into the page
        }
      }
      if (!pausePending) return n.apply(fn, self, [event]);
      pausePending = false;
      if (debugFn !== null && undebugFn !== null && typeof fn === 'function') {
        let armed = false;
        try {
          n.apply(debugFn, undefined, [fn]);
          armed = true;
        } catch {
          /* DevTools closed since: the statement below */
        }
        if (armed) {
          try {
            return n.apply(fn, self, [event]);
          } finally {
            try {
              n.apply(undebugFn, undefined, [fn]);
            } catch {
              /* never into the page */
            }
          }
        }
      }
      // The page's listener is the next call: Step into goes to this call's line, and a second
      // Step into lands on the listener's first line.
      // eslint-disable-next-line no-debugger
      debugger;
      return n.apply(fn, self, [event]);
    },
    sendHits(port, predicted) {
      try {
        for (let i = 0; i < send.length; i++) {
          const b = send[i];
          if (b.via !== undefined && b.via !== 'port') continue;
          if (b.ports !== undefined && !hasPort(b.ports, port)) continue;
          if (b.origin !== undefined && b.origin !== origin) continue;
          if (b.outcome !== undefined && b.outcome !== predicted.o) continue;
          if (b.text !== undefined || b.protocol !== undefined) continue; // a send's payload is not read
          return true;
        }
      } catch {
        /* never into the page */
      }
      return false;
    },
    take(args) {
      if (args.length !== 3 || typeof args[0] !== 'string') return false;
      if (key === null) {
        // Before the key: kept, and judged when it comes (a page cannot know it).
        offered = { key: args[0], d: args[1], u: args[2] };
        return n.indexOf(args[0], 'ci-debug-') === 0;
      }
      return accept(args[0], args[1], args[2]);
    },
  };
}

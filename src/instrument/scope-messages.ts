// Messages delivered to a global scope itself — a window, or a dedicated worker's scope — seen
// by the first page listener (Listeners.watch), with onmessage/onmessageerror wrapped so that
// their handlers are timed. Both live on the global (or, in some engines, its prototype).
import type { Instr } from './context';
import type { Listeners } from './listeners';
import { builtDeliver, D, put, putReceived, type Built } from '../protocol/compact';

export interface ScopeMessages {
  via: 'window' | 'worker';
  // Both are own properties (null when unused): a missing one would be looked up on a
  // prototype the page can change.
  /** Events that are not the page's (the frames' private bridge): never reported. */
  skip: ((e: MessageEvent) => boolean) | null;
  /** Fields only this kind of scope has (a window's source and origin). */
  describe: ((record: Built, e: MessageEvent) => void) | null;
}

export function watchScopeMessages(I: Instr, listeners: Listeners, how: ScopeMessages): void {
  const { g, n, rec } = I;
  const { via, skip, describe } = how;
  const isWindow = via === 'window';
  const deliver = (e: MessageEvent, type: 'message' | 'messageerror') => {
    const at = n.now();
    const s = type === 'message' ? I.sample(n.eventData(e), e.isTrusted) : null;
    const record = builtDeliver(at, isWindow);
    if (type !== 'message') put(record, D.type, type);
    put(record, D.via, via);
    if (describe) describe(record, e);
    putReceived(record, I.arrivedPorts(e), listeners.count(g, type), s);
    listeners.begin(e, record);
    rec.emit(record);
  };
  const watch = (type: 'message' | 'messageerror') => {
    listeners.watch(g as unknown as EventTarget, type, (_target, e) => {
      try {
        if (rec.active && !(skip && skip(e as MessageEvent))) deliver(e as MessageEvent, type);
      } catch {
        /* never into the page */
      }
    });
  };
  watch('message');
  watch('messageerror');
  const holder = n.getOwnPropertyDescriptor(g, 'onmessage') ? g : n.getPrototypeOf(g);
  if (holder) {
    listeners.wrapHandler(holder, 'onmessage');
    listeners.wrapHandler(holder, 'onmessageerror');
  }
}

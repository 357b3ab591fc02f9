// Store as global variable, at the panel's request (over the private bridge only): puts a port
// this document still holds, or a value the panel rebuilt from the recording, into the page as
// the first free `tempN`, as DevTools' own "Store as global variable" does. Nothing is added
// to the page until a person asks, and nothing here throws into the page.
import type { StoreResult } from '../protocol/messages';
import type { Instr } from './context';

export function createStoreGlobal(I: Instr, portOf: (id: number) => MessagePort | undefined): { run(cmd: unknown): StoreResult } {
  const { g, n, rec } = I;
  const error = (text: string): StoreResult => ({ ok: false, error: text });
  const put = (value: unknown, real: boolean): StoreResult => {
    // DevTools' numbering: the first tempN the page does not have (own or inherited).
    for (let i = 1; i < 10000; i++) {
      const name = `temp${i}`;
      if (name in g) continue;
      n.defineProperty(g, name, { value, writable: true, enumerable: true, configurable: true });
      return { ok: true, name, real };
    }
    return error('no free tempN name');
  };
  return {
    run(cmd) {
      try {
        if (typeof cmd !== 'object' || cmd === null) return error('malformed command');
        if (n.dataProp(cmd, 'doc') !== rec.doc) return error('the document has changed since it was recorded (navigated or reloaded)');
        const kind = n.dataProp(cmd, 'kind');
        if (kind === 'port') {
          const id = n.dataProp(cmd, 'port');
          const port = typeof id === 'number' ? portOf(id) : undefined;
          return port ? put(port, true) : error('the page no longer holds this port (it let it go, or it was never kept while recording was off)');
        }
        if (kind === 'value') return put(n.dataProp(cmd, 'value'), false);
        return error('malformed command');
      } catch {
        return error('the page refused it');
      }
    },
  };
}

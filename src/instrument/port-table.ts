// The ports this context numbered, by local id, held weakly (the page's own lifetimes stay its
// own): for the state report when recording begins (known-ports.ts) and for the panel's
// replay and Store as global, which need the port back from its id (replay.ts).
import type { Instr } from './context';

export interface PortTable {
  /** A port this context numbered (made, arrived or first touched). */
  remember(port: MessagePort, id: number): void;
  /** The port numbered `id`, while the page still holds it. */
  get(id: number): MessagePort | undefined;
  /** Calls `f` with the id of each port still held, in the order they were numbered. */
  eachLive(f: (id: number) => void): void;
}

/** Entries the table may hold before its first sweep of collected ports. */
const SWEEP_MIN = 1024;

export function createPortTable(I: Pick<Instr, 'g' | 'n'>): PortTable {
  const { g, n } = I;
  const WR = (g as { WeakRef?: WeakRefConstructor }).WeakRef;
  const deref = WR ? WR.prototype.deref : undefined;
  let ports = new n.Map<number, WeakRef<MessagePort>>();
  let size = 0;
  let sweepAt = SWEEP_MIN;

  const portOf = (ref: WeakRef<MessagePort>) => (deref ? (n.apply(deref, ref, []) as MessagePort | undefined) : undefined);

  // Ports the page let go of are forgotten, so the table stays as large as what is alive;
  // amortized: the next sweep waits until the table doubles again.
  const sweep = () => {
    const fresh = new n.Map<number, WeakRef<MessagePort>>();
    let live = 0;
    const it = n.mapEntries(ports as Map<unknown, unknown>);
    for (let e = it.next(); !e.done; e = it.next()) {
      const ref = e.value[1] as WeakRef<MessagePort>;
      if (portOf(ref) !== undefined) {
        n.mapSet(fresh, e.value[0] as number, ref);
        live++;
      }
    }
    ports = fresh;
    size = live;
    sweepAt = live * 2 > SWEEP_MIN ? live * 2 : SWEEP_MIN;
  };

  return {
    remember(port, id) {
      if (!WR) return;
      n.mapSet(ports, id, new WR(port));
      if (++size >= sweepAt) sweep();
    },
    get(id) {
      const ref = n.mapGet(ports, id);
      return ref ? portOf(ref) : undefined;
    },
    eachLive(f) {
      const it = n.mapEntries(ports as Map<unknown, unknown>);
      for (let e = it.next(); !e.done; e = it.next()) if (portOf(e.value[1] as WeakRef<MessagePort>) !== undefined) f(e.value[0] as number);
    },
  };
}

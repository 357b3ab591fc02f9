// What this context knows of its live ports, for when recording begins: a port the page set up
// before (started with onmessage, used) must not show as "not started" because its start was
// not recorded. The ports are held weakly (the page's own lifetimes stay its own); the state is
// the model's shadow (started, closed, shipped, partner).
import type { Instr } from './context';
import { PORT_KNOWN_CLOSED, PORT_KNOWN_SHIPPED, PORT_KNOWN_STARTED } from '../protocol/messages';

export interface KnownPorts {
  /** A port this context numbered (made, arrived or first touched). */
  remember(port: MessagePort, id: number): void;
  /** Reports every live port's state as one `ports` event (recording just began). */
  report(): void;
}

export function createKnownPorts(I: Pick<Instr, 'g' | 'n' | 'rec' | 'shadow'>): KnownPorts {
  const { g, n, rec, shadow } = I;
  const WR = (g as { WeakRef?: WeakRefConstructor }).WeakRef;
  const deref = WR ? WR.prototype.deref : undefined;
  let ports = new n.Map<number, WeakRef<MessagePort>>();
  let size = 0;
  let sweepAt = 1024;

  const alive = (ref: WeakRef<MessagePort>): boolean => !!deref && n.apply(deref, ref, []) !== undefined;

  const sweep = () => {
    const fresh = new n.Map<number, WeakRef<MessagePort>>();
    let live = 0;
    const it = n.mapEntries(ports as Map<unknown, unknown>);
    for (let e = it.next(); !e.done; e = it.next()) {
      const ref = e.value[1] as WeakRef<MessagePort>;
      if (alive(ref)) {
        n.mapSet(fresh, e.value[0] as number, ref);
        live++;
      }
    }
    ports = fresh;
    size = live;
    sweepAt = live * 2 > 1024 ? live * 2 : 1024;
  };

  return {
    remember(port, id) {
      if (!WR) return;
      n.mapSet(ports, id, new WR(port));
      if (++size >= sweepAt) sweep();
    },
    report() {
      if (!WR) return;
      // [id, flags, partner (0: none, -1: in another context)] per live port, in id order of the map.
      const flat = n.list<number>();
      const it = n.mapEntries(ports as Map<unknown, unknown>);
      for (let e = it.next(); !e.done; e = it.next()) {
        if (!alive(e.value[1] as WeakRef<MessagePort>)) continue;
        const id = e.value[0] as number;
        const s = shadow.state(id);
        const flags = (s.started ? PORT_KNOWN_STARTED : 0) | (s.closed ? PORT_KNOWN_CLOSED : 0) | (s.shipped ? PORT_KNOWN_SHIPPED : 0);
        flat[flat.length] = id;
        flat[flat.length] = flags;
        flat[flat.length] = s.partner === 'remote' ? -1 : s.partner === null ? 0 : s.partner;
      }
      if (flat.length) rec.emit({ k: 'ports', at: n.now(), ports: flat });
    },
  };
}

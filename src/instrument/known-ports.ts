// What this context knows of its live ports, for when recording begins: a port the page set up
// before (started with onmessage, used) must not show as "not started" because its start was
// not recorded. The ports are this context's port table (port-table.ts); the state is the
// model's shadow (started, closed, shipped, partner).
import type { Instr } from './context';
import type { PortTable } from './port-table';
import { PORT_KNOWN_CLOSED, PORT_KNOWN_SHIPPED, PORT_KNOWN_STARTED } from '../protocol/messages';

export interface KnownPorts {
  /** Reports every live port's state as one `ports` event (recording just began). */
  report(): void;
}

export function createKnownPorts(I: Pick<Instr, 'n' | 'rec' | 'shadow'>, table: PortTable): KnownPorts {
  const { n, rec, shadow } = I;
  return {
    report() {
      // [id, flags, partner (0: none, -1: in another context)] per live port, in numbering order.
      const flat = n.list<number>();
      table.eachLive((id) => {
        const s = shadow.state(id);
        const flags = (s.started ? PORT_KNOWN_STARTED : 0) | (s.closed ? PORT_KNOWN_CLOSED : 0) | (s.shipped ? PORT_KNOWN_SHIPPED : 0);
        flat[flat.length] = id;
        flat[flat.length] = flags;
        flat[flat.length] = s.partner === 'remote' ? -1 : s.partner === null ? 0 : s.partner;
      });
      if (flat.length) rec.emit({ k: 'ports', at: n.now(), ports: flat });
    },
  };
}

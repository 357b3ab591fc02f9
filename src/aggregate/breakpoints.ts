// The panel's message breakpoints as each document of the session can test them by itself:
// a breakpoint that names a port or a channel becomes the local ids under which each document
// knows those ports; one that names a context goes only to that context's document. The
// others are `common`: a new document (a reload) gets them from its first answer.
import type { BreakpointSpec, BreakpointsCommand, PageBreakpoint } from '../protocol/messages';
import type { Session } from './session';

function forPage(b: BreakpointSpec, ports?: number[]): PageBreakpoint {
  const p: PageBreakpoint = { id: b.id, on: b.on };
  if (b.via !== undefined) p.via = b.via;
  if (ports !== undefined) p.ports = ports;
  if (b.origin) p.origin = b.origin;
  if (b.protocol) p.protocol = b.protocol;
  if (b.call) p.call = b.call.toLowerCase();
  if (b.text) p.text = b.text.toLowerCase();
  if (b.outcome !== undefined) p.outcome = b.outcome;
  return p;
}

const local = (b: BreakpointSpec) => b.port !== undefined || b.channel !== undefined || b.context !== undefined;

export function breakpointsCommand(s: Session, specs: readonly BreakpointSpec[], key: string): BreakpointsCommand {
  const on = specs.filter((b) => b.enabled);
  const common = on.filter((b) => !local(b)).map((b) => forPage(b));
  const byDoc: Record<string, PageBreakpoint[]> = {};
  if (on.some(local)) {
    for (const [doc, c] of s.documentStates()) {
      if (!c || c.rec.endedAt !== null) continue;
      const list: PageBreakpoint[] = [];
      for (const b of on) {
        if (b.context !== undefined && c.rec.id !== b.context) continue;
        let ports: number[] | undefined;
        if (b.port !== undefined || b.channel !== undefined) {
          ports = [];
          for (const [id, global] of c.ports) if (global === b.port || (b.channel !== undefined && s.port(global)?.channelId === b.channel)) ports.push(id);
        }
        list.push(forPage(b, ports));
      }
      byDoc[doc] = list;
    }
  }
  return { t: 'breakpoints', key, common, byDoc };
}

// Where a "Store as global variable" goes: a port to the document that holds it now (only
// there is it the page's own object), a payload to the document that received it, or to the
// top document when that one has gone. The page never takes part in the choice.
import type { StoreWhat } from '../protocol/messages';
import type { ContextRecord } from '../protocol/session';
import type { Session } from './session';
import type { CtxState } from './core';

export interface StoreRoute {
  /** The browser's frame id (tabs.sendMessage with frameId). */
  frameId: number;
  /** The document, in words, for the panel ("in 127.0.0.1:8080/a.html"). */
  where: string;
  cmd: { doc: string } & ({ kind: 'port'; port: number } | { kind: 'value'; value: unknown });
}

const live = (c: Readonly<CtxState> | undefined): boolean => !!c && c.rec.kind === 'window' && c.rec.ctx === 0 && c.rec.endedAt === null && c.rec.frameId !== null;

function describe(c: ContextRecord): string {
  try {
    const u = new URL(c.url);
    return `${u.host}${u.pathname}${c.top ? '' : ' (a frame: pick it in the Console’s context menu)'}`;
  } catch {
    return c.url || `context #${c.id}`;
  }
}

export function routeStore(s: Session, what: StoreWhat): StoreRoute | { error: string } {
  if (what.kind === 'port') {
    const p = s.port(what.port);
    if (!p) return { error: `port #${what.port} is not known` };
    const holder = p.holders[p.holders.length - 1];
    const c = holder ? s.contextState(holder.contextId) : undefined;
    if (!holder || !c) return { error: `nobody is known to hold port #${p.id}` };
    if (!live(c)) return { error: `port #${p.id} is in ${c.rec.kind === 'window' ? 'a document that has gone' : `a ${c.rec.kind}, out of the extension's reach`}` };
    let local: number | undefined;
    for (const [l, g] of c.ports) if (g === p.id) local = l;
    if (local === undefined) return { error: `port #${p.id} is not numbered in the document that holds it` };
    return { frameId: c.rec.frameId as number, where: describe(c.rec), cmd: { doc: c.doc.doc, kind: 'port', port: local } };
  }
  const m = s.message(what.message);
  if (!m) return { error: `message #${what.message} is not in this recording (cleared or evicted)` };
  let c = m.toContext !== null ? s.contextState(m.toContext) : undefined;
  if (!live(c)) c = [...s.contextStates()].find((x) => live(x) && x.rec.top && x.rec.openerId === null);
  if (!c || !live(c)) return { error: 'no live document to put it in' };
  return { frameId: c.rec.frameId as number, where: describe(c.rec), cmd: { doc: c.doc.doc, kind: 'value', value: what.value } };
}

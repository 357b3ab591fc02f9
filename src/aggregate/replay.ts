// Where a replay from the panel is posted: the panel names the message and the target by
// global ids; this turns them into the one document that can post it and that document's
// local ids (a ReplayCommand), or says in words why it cannot be done. The page itself
// never takes part in the choice.

import type { ReplayCommand, ReplayRequest, ReplayTarget, WindowPath } from '../protocol/messages';
import type { ContextRecord, MessageRecord } from '../protocol/session';
import type { CtxState } from './core';
import type { Session } from './session';

export interface ReplayRoute {
  /** The browser's frame id of the document that posts (tabs.sendMessage with frameId). */
  frameId: number;
  cmd: ReplayCommand;
}

/** The target a replay takes when the panel chose none: where the original went. */
export function defaultReplayTarget(s: Session, m: MessageRecord): ReplayTarget | string {
  if (m.via === 'port') return m.fromPort !== null ? { kind: 'port', port: m.fromPort } : `the port that sent message #${m.id} is not known`;
  if (m.via === 'window') {
    if (m.toContext === null) return `the window that received message #${m.id} is not known`;
    const to = s.context(m.toContext);
    const targetOrigin = m.targetOrigin ?? to?.origin ?? '*';
    return { kind: 'window', context: m.toContext, from: m.fromContext !== null ? 'sender' : 'self', targetOrigin: targetOrigin || '*' };
  }
  return `a ${m.via} message cannot be replayed (only port and window messages can)`;
}

export function routeReplay(s: Session, req: ReplayRequest): ReplayRoute | { error: string } {
  const m = s.message(req.message);
  if (!m) return { error: `message #${req.message} is not in this recording (cleared or evicted)` };
  const target = req.target ?? defaultReplayTarget(s, m);
  if (typeof target === 'string') return { error: target };
  const base = { req: req.req, replayOf: m.id, value: req.value };

  if (target.kind === 'port') {
    const p = s.port(target.port);
    if (!p) return { error: `port #${target.port} is not known` };
    if (p.closed) return { error: `port #${p.id} is closed` };
    const holder = p.holders[p.holders.length - 1];
    if (!holder) return { error: `nobody is known to hold port #${p.id}` };
    const c = documentOf(s, holder.contextId, `port #${p.id}`);
    if (typeof c === 'string') return { error: c };
    let local: number | undefined;
    for (const [l, g] of c.ports) if (g === p.id) local = l;
    if (local === undefined) return { error: `port #${p.id} is not numbered in the document that holds it` };
    return { frameId: c.rec.frameId as number, cmd: { ...base, doc: c.doc.doc, via: 'port', port: local } };
  }

  const to = documentOf(s, target.context, `context #${target.context}`);
  if (typeof to === 'string') return { error: to };
  let from: Readonly<CtxState> = to;
  let path: WindowPath = { up: 0, down: [] };
  if (target.from === 'sender') {
    if (m.fromContext === null) return { error: `the sender of message #${m.id} is not known: replay it from the receiving window itself` };
    const sender = documentOf(s, m.fromContext, `the sender of message #${m.id}`);
    if (typeof sender === 'string') return { error: sender };
    from = sender;
    const found = sender === to ? path : s.pathBetween(sender.rec.frameId as number, to.rec.frameId as number);
    if (!found) return { error: `the way from ${describe(sender.rec)} to ${describe(to.rec)} in the frame tree is not known` };
    path = found;
  }
  return { frameId: from.rec.frameId as number, cmd: { ...base, doc: from.doc.doc, via: 'window', target: path, targetOrigin: target.targetOrigin } };
}

/** The id the Session gave the message a document posted as its local message `msg`, once it has it. */
export function recordOfLocal(s: Session, doc: string, msg: number): number | null {
  const c = s.documentState(doc);
  if (!c) return null;
  const i = c.recentLocal.lastIndexOf(msg);
  const r = i >= 0 ? c.recentRec[i] : undefined;
  return r && r.id > 0 ? r.id : null;
}

/** A live document (a frame's window, not a worker, not navigated away), or why it is not one. */
function documentOf(s: Session, contextId: number, what: string): Readonly<CtxState> | string {
  const c = s.contextState(contextId);
  if (!c) return `${what}: context #${contextId} is not known`;
  if (c.rec.kind !== 'window' || c.rec.ctx !== 0) return `${what} is in a ${c.rec.kind}, which the extension cannot post from`;
  if (c.rec.endedAt !== null) return `${what} is in a document that has gone (${describe(c.rec)})`;
  if (c.rec.frameId === null) return `${what}: the frame of ${describe(c.rec)} is not known`;
  return c;
}

function describe(c: ContextRecord): string {
  return c.url ? `${c.url} (context #${c.id})` : `context #${c.id}`;
}

// Documents and their contexts: a reporting document (one event stream) and the workers it
// numbers, made as their events first name them; when each began and ended (a frame's next
// document replaces it), and what ends with it (its workers, messages on their way to its ports).

import { isStreamOwner, type ContextEvent, type StreamOwner } from '../protocol/messages';
import type { ContextRecord, MessageRecord } from '../protocol/session';
import type * as E from '../protocol/enums';
import { originOf, type BatchSource } from './contexts';
import { RECENT, type Core, type CtxState, type DocState } from './core';
import { KINDS, int, text } from './input';
import type { PortBook } from './port-book';
import { RECEIVER_GONE, newContext } from './records';
import type { Windows } from './windows';
import { insideOf, SWITCH_OFF, type WorkerSwitch } from './worker-inside';

export class Documents {
  /** "Record inside workers" for this tab, as the background last said (worker-inside.ts). */
  private workerSwitch: WorkerSwitch = SWITCH_OFF;

  constructor(
    private readonly k: Core,
    private readonly windows: Windows,
    private readonly book: PortBook,
  ) {}

  newDoc(doc: string, source: BatchSource): DocState {
    const d = { doc, frameId: source.frameId, nextSeq: 1, held: new Map(), strings: new Map(), ctxs: new Map(), objects: new Map(), lastAt: -Infinity, windowSends: false } as unknown as DocState;
    const c = this.newCtx(d, 0);
    d.main = c;
    const r = c.rec;
    r.frameId = source.frameId;
    r.parentFrameId = source.parentFrameId ?? null;
    r.url = typeof source.url === 'string' ? source.url : '';
    r.origin = typeof source.origin === 'string' ? source.origin : (originOf(r.url) ?? '');
    r.documentId = typeof source.documentId === 'string' ? source.documentId : null;
    r.top = source.parentFrameId === -1 || (source.parentFrameId === undefined && source.frameId === 0);
    if (source.parentFrameId !== undefined) this.k.frames.setParent(source.frameId, source.parentFrameId);
    else if (r.top) this.k.frames.setParent(source.frameId, -1);
    if (r.top && Number.isInteger(source.openerFrameId)) this.k.frames.setOpener(source.frameId, source.openerFrameId as number);
    const opener = r.top ? this.k.frames.openerOf(source.frameId) : undefined;
    if (opener !== undefined) r.openerId = this.k.frames.currentContext(opener) ?? null;
    this.k.docs.set(doc, d);
    this.windows.findParent(c);
    return d;
  }

  /**
   * A worker's own stream (issue 21): its events are those of the context its creator already
   * numbered for it (`owner`), which from now on reports itself. The stream keeps its own
   * strings, objects and nested contexts; its main context is that one, whose `doc` it becomes.
   */
  workerDoc(doc: string, owner: StreamOwner): DocState | null {
    const od = this.k.docs.get(owner.doc);
    if (!isStreamOwner(owner) || !od || owner.doc === doc) return null;
    const c = this.ctxOf(od, owner.ctx);
    if (c.doc !== od) return null; // already some other stream's
    const d = { doc, frameId: od.frameId, nextSeq: 1, held: new Map(), strings: new Map(), ctxs: new Map([[0, c]]), objects: new Map(), lastAt: -Infinity, windowSends: false, main: c } as unknown as DocState;
    c.doc = d;
    c.reports = true;
    this.refreshInside(c);
    this.k.docs.set(doc, d);
    this.k.dirtyContexts.add(c.rec.id);
    return d;
  }

  /** The other end of a worker post or delivery in `c`: its Worker object's context, or the worker's creator. */
  workerPeer(c: CtxState, object: unknown): CtxState | undefined {
    // A worker's own stream names an object only for workers it made itself.
    const own = c.rec.ctx === 0 || (c === c.doc.main && object !== undefined);
    return own ? this.workerOf(c.doc, object) : this.parentCtx(c);
  }

  /** The background's word on "Record inside workers" for this tab: every worker says again whether it is recorded inside. */
  setWorkerSwitch(sw: WorkerSwitch): void {
    this.workerSwitch = sw;
    for (const c of this.k.ctxById.values()) this.refreshInside(c);
  }

  /** A worker's context says whether it is recorded from inside, or why not. */
  private refreshInside(c: CtxState): void {
    const r = c.rec;
    const inside = insideOf(r, c.reports, this.workerSwitch, this.k.workerScripts.get(r.id));
    if (inside === undefined || (r.inside && JSON.stringify(r.inside) === JSON.stringify(inside))) return;
    // Recorded stays recorded: turning the switch off later does not unsee what was seen.
    if (r.inside?.recorded) return;
    r.inside = inside;
    this.k.dirtyContexts.add(r.id);
  }

  private newCtx(d: DocState, n: number): CtxState {
    const rec = newContext(this.k.contexts.length + 1, d.doc, n);
    this.k.contexts.push(rec);
    const c: CtxState = { rec, doc: d, ports: new Map(), unknown: new Map(), reports: n === 0, recentLocal: new Array(RECENT).fill(-1), recentRec: new Array(RECENT), recentPos: 0 };
    d.ctxs.set(n, c);
    this.k.ctxById.set(rec.id, c);
    this.k.dirtyContexts.add(rec.id);
    return c;
  }

  ctxOf(d: DocState, n: number | undefined): CtxState {
    if (!n) return d.main;
    let c = d.ctxs.get(n);
    if (!c) {
      c = this.newCtx(d, n);
      c.rec.kind = 'worker';
      c.rec.parentId = d.main.rec.id;
      c.rec.frameId = d.frameId;
      c.rec.origin = d.main.rec.origin;
    }
    return c;
  }

  /** The context of a Worker object of document `d` (object ids map to context numbers). */
  private workerOf(d: DocState, object: unknown): CtxState | undefined {
    if (typeof object !== 'number' || !Number.isSafeInteger(object) || object <= 0) return undefined;
    return this.ctxOf(d, d.objects.get(object) ?? object);
  }

  touchFrame(d: DocState, at: number): void {
    const c = d.main;
    if (c.rec.kind !== 'window') return;
    if (c.rec.createdAt === null) {
      c.rec.createdAt = at;
      this.k.dirtyContexts.add(c.rec.id);
    }
    // Once it is known when it began, its parent is the parent frame's document of that time
    // (not a later load's), and frames that began in its time may find it as theirs.
    const parent = c.rec.parentId !== null ? this.k.contexts[c.rec.parentId - 1] : undefined;
    if ((c.rec.parentFrameId ?? -1) >= 0 && (!parent || (parent.createdAt !== null && parent.createdAt > c.rec.createdAt + this.k.options.clockSkewMs))) this.windows.findParent(c);
    this.windows.retryParents();
    const replaced = this.k.frames.touch(d.frameId, c.rec.id, at);
    if (replaced !== null) this.endContext(this.k.contexts[replaced - 1], at);
    else if (c.rec.endedAt === null) {
      // Reported late, after a later document of its frame began (a new load of the tab): it
      // was replaced by then.
      const cur = this.k.frames.currentContext(d.frameId);
      const later = cur !== undefined && cur !== c.rec.id ? this.k.contexts[cur - 1] : undefined;
      if (later && later.createdAt !== null && later.createdAt > at) this.endContext(c.rec, later.createdAt);
    }
    // Active after it ended: back from the back/forward cache.
    if (c.rec.endedAt !== null && at > c.rec.endedAt && this.k.frames.currentContext(d.frameId) === c.rec.id) {
      c.rec.endedAt = null;
      this.k.dirtyContexts.add(c.rec.id);
    }
    this.windows.afterFrameChange();
  }

  /** A document went away at `at` (unless it already had), and the frames and workers it held went with it. */
  endContext(c: ContextRecord, at: number): void {
    if (c.endedAt !== null) return;
    c.endedAt = at;
    this.k.dirtyContexts.add(c.id);
    for (const k of this.k.contexts) if (k.parentId === c.id && k.id !== c.id && !(k.createdAt !== null && k.createdAt > at)) this.endContext(k, at);
    // What is still on its way to a port this document held will never be dispatched.
    for (const p of this.k.ports.values()) {
      if (p.entangledWith === null || this.book.holderOf(p.id) !== c.id) continue;
      for (const r of this.k.matcher.waitingSends(p.entangledWith)) if (r.toPort === p.id) this.receiverGone(r);
    }
  }

  /**
   * A port send that waits for its delivery, toward a port held by a document that has gone
   * (its frame was removed or navigated): no delivery can come, so it is lost. A document that
   * comes back from the back/forward cache and reports the delivery after all still pairs it
   * (join takes the delivery's outcome).
   */
  receiverGone(r: MessageRecord): void {
    if ((r.outcome.status !== 'sent' && r.outcome.status !== 'queued') || r.toPort === null) return;
    const to = this.k.ports.get(r.toPort);
    // (The sender's model says queued for any partner it shipped away, not knowing its holder.)
    // Queued on a port its holder never started keeps that cause: port-never-started says so.
    if (!to || (r.outcome.status === 'queued' && !to.started)) return;
    const holder = this.book.holderOf(r.toPort);
    const endedAt = holder !== null ? this.k.contexts[holder - 1]?.endedAt : null;
    if (endedAt == null) return;
    // A holder that reports nothing (a worker's inside) may well have got what was sent before
    // it ended (no delivery is ever seen there); only what was sent from then on is surely lost
    // (the same clock tick as a terminate() counts: coarse clocks give both one time).
    if (!this.k.ctxById.get(holder as number)?.reports && !(r.sentAt !== null && r.sentAt >= endedAt)) return;
    r.outcome = RECEIVER_GONE;
    this.book.loseTransfer(r);
    if (r.id) this.k.store.touch(r);
  }

  onContext(d: DocState, ev: ContextEvent): void {
    const n = int(ev.ctx) ?? 0;
    if (n < 0) return void this.k.count('invalid-event', 1);
    const c = this.ctxOf(d, n);
    const r = c.rec;
    if (n === 0 && r.ctx !== 0) {
      // A worker's own stream says where it runs; its creator said the rest.
      r.url = text(ev.url) || r.url;
      r.origin = text(ev.origin) || r.origin;
      this.k.dirtyContexts.add(r.id);
      return;
    }
    if (KINDS.has(ev.kind)) r.kind = ev.kind as E.ContextKind;
    // A page knows no url for a worker it made (only the worker itself does).
    r.url = (n !== 0 ? text(ev.url) || null : text(ev.url)) ?? r.url;
    r.origin = text(ev.origin) ?? r.origin;
    r.top = ev.top === true;
    if (r.createdAt === null || ev.at < r.createdAt) r.createdAt = ev.at;
    if (n === 0) {
      if (r.top) this.k.frames.setParent(d.frameId, -1);
      const index = int(ev.indexInParent);
      if (index !== null && index >= 0) {
        r.indexInParent = index;
        this.k.frames.setIndex(d.frameId, index);
      }
      if (r.kind !== 'window') {
        // A worker reporting its own stream: it belongs to its frame's document.
        const owner = this.k.frames.currentContext(d.frameId);
        r.parentId = owner !== undefined && owner !== r.id ? owner : null;
      }
    } else {
      const parent = int(ev.parent);
      r.parentId = parent !== null && parent >= 0 && parent !== n ? this.ctxOf(d, parent).rec.id : d.main.rec.id;
      const object = int(ev.object);
      if (object !== null && object > 0) d.objects.set(object, n);
      // Its own stream follows (it may come after the page's deliveries of its messages).
      if (ev.inside === true) c.reports = true;
      if (ev.script === 'blob' || ev.script === 'data') this.k.workerScripts.set(r.id, ev.script);
    }
    this.refreshInside(c);
    this.k.dirtyContexts.add(r.id);
    this.windows.afterFrameChange();
  }

  private parentCtx(c: CtxState): CtxState | undefined {
    return c.rec.parentId !== null ? this.k.ctxById.get(c.rec.parentId) : undefined;
  }
}

// Window messages between frames: a send is routed to the frame its path names (held while
// that frame is not in the tree yet), a delivery is credited to the document current in its
// source frame then (looked at again while that is not sure), and contexts find their parent
// frame's document as frames report.

import type { WindowPath } from '../protocol/messages';
import type { ContextRecord, MessageRecord } from '../protocol/session';
import { OUTSIDE, UNRESOLVED, originOf } from './contexts';
import type { Core, CtxState, Parked } from './core';
import type { LaneKey } from './matcher';

/** What the Session does with a window message once its route is known. */
export interface WindowsOut {
  commit(r: MessageRecord): void;
  route(r: MessageRecord, side: 'send' | 'deliver', key: LaneKey): void;
  loseTransfer(r: MessageRecord): void;
  /** A document went away at `at` (with the frames and workers it held). */
  endContext(c: ContextRecord, at: number): void;
}

export class Windows {
  private seenFrameVersion = 0;
  private readonly ctxWaitingParent = new Set<CtxState>();

  constructor(
    private readonly k: Core,
    private readonly out: WindowsOut,
  ) {}

  /** After readState: the frame tree is as it was, contexts without a parent look again. */
  restored(): void {
    this.seenFrameVersion = this.k.frames.version;
    for (const c of this.k.ctxById.values()) if (c.rec.parentId === null && (c.rec.parentFrameId ?? -1) >= 0) this.ctxWaitingParent.add(c);
  }

  windowDelivery(r: MessageRecord, c: CtxState, from: number, self = false): void {
    // A window that posted to itself is the receiving document, whatever else its frame
    // held before (an initial about:blank whose batch came later, say).
    const src = self ? c.rec.id : this.contextAt(from, r.deliveredAt as number);
    if (src !== undefined) r.fromContext = src;
    // Not sure yet (its frame's next document may not have reported): looked at again.
    if ((src === undefined || (!self && !this.settledSource(src, r.deliveredAt as number))) && this.k.noSource.length < 10_000) this.k.noSource.push({ rec: r, frame: from });
    // Sends are not reported any more, but pair with one if it ever is.
    this.out.route(r, 'deliver', `w${from}>${c.rec.frameId}`);
  }

  routeWindowSend(r: MessageRecord, c: CtxState, path: WindowPath): void {
    const from = c.rec.frameId as number;
    const to = this.k.frames.resolve(from, path);
    if (to === UNRESOLVED) return this.park({ side: 'send', rec: r, ctx: c, path });
    if (to === OUTSIDE) return this.out.commit(r);
    const target = this.k.frames.currentContext(to);
    const tc = target !== undefined ? this.k.contexts[target - 1] : undefined;
    r.toContext = target ?? null;
    const want = r.targetOrigin;
    if (tc && tc.origin && want !== null && want !== '*') {
      const wanted = want === '/' ? c.rec.origin : originOf(want);
      // The browser drops it silently at the target: no delivery will come to match.
      if (wanted !== null && wanted !== tc.origin) {
        r.outcome = { status: 'dropped', reason: 'target-origin-mismatch' };
        this.out.commit(r);
        this.out.loseTransfer(r);
        return;
      }
    }
    this.out.route(r, 'send', `w${from}>${to}`);
  }

  park(p: Parked): void {
    this.k.parked.push(p);
    if (this.k.parked.length > 10_000) {
      const old = this.k.parked.shift() as Parked;
      this.k.count('unresolved-window-target', 1);
      this.out.commit(old.rec);
    }
  }

  /** The frame tree changed: parked window messages may resolve, contexts may find parents. */
  afterFrameChange(): void {
    if (this.k.frames.version === this.seenFrameVersion) return;
    this.seenFrameVersion = this.k.frames.version;
    for (const c of this.ctxWaitingParent) this.findParent(c);
    if (this.k.noSource.length) {
      const list = this.k.noSource;
      this.k.noSource = [];
      for (const n of list) {
        let src = this.contextAt(n.frame, n.rec.deliveredAt as number);
        // A document of another origin than the message's is not its sender: the frame was
        // taken from a stale child index. Unknown then, never that document.
        if (src !== undefined && this.k.contexts[src - 1].origin !== n.rec.origin) {
          if (n.rec.sentAt === null && n.rec.fromContext !== null) {
            n.rec.fromContext = null;
            this.k.store.touch(n.rec);
          }
          // Its frame's next document (or the right frame) may still report.
          if (this.k.noSource.length < 10_000) this.k.noSource.push(n);
          continue;
        }
        // A provisional source is looked at again while the list stays bounded.
        if (src === undefined || (!this.settledSource(src, n.rec.deliveredAt as number) && this.k.noSource.length < 10_000)) this.k.noSource.push(n);
        // A reported send that paired since says who sent it: that stands.
        if (src !== undefined && n.rec.fromContext !== src && (n.rec.fromContext === null || n.rec.sentAt === null)) {
          n.rec.fromContext = src;
          this.k.store.touch(n.rec);
          if (n.rec.call) this.k.calls.seen(n.rec);
        }
      }
    }
    if (!this.k.parked.length) return;
    const parked = this.k.parked;
    this.k.parked = [];
    for (const p of parked) {
      if (p.side === 'send') this.routeWindowSend(p.rec, p.ctx, p.path);
      else {
        const f = this.sourceFrame(p.ctx.rec.frameId as number, p.path, p.rec.origin, p.rec.deliveredAt as number);
        if (f === UNRESOLVED) this.k.parked.push(p);
        else {
          for (const u of this.k.byCarrier.get(p.rec) ?? []) {
            u.path = null;
            if (f === OUTSIDE) u.infer = false;
            else u.srcFrame = f;
          }
          if (f === OUTSIDE) this.out.commit(p.rec);
          else this.windowDelivery(p.rec, p.ctx, f);
        }
      }
    }
  }

  /** The frame a window message came from; a popup is told from the others by its origin. */
  sourceFrame(from: number, path: WindowPath, origin: string | null, at: number): number {
    if (path.rel === 'popup') {
      const fits = this.k.frames.popupsOf(from).filter((f) => this.hasOriginAt(f, origin, at));
      return fits.length === 1 ? fits[0] : OUTSIDE;
    }
    const f = this.k.frames.resolve(from, path);
    if (path.rel === 'opener') return f >= 0 && !this.hasOriginAt(f, origin, at) ? OUTSIDE : f;
    // A child index names the frame last reported there: one whose document then is of another
    // origin than the message's is not its sender (a frame removed since). Wait for the tree to
    // change. (An ended document is no proof: a frame's initial about:blank ends so, see settledSource.)
    return f >= 0 && !this.fitsSender(f, origin, at) ? UNRESOLVED : f;
  }

  /** The frame's document at `at` may have sent a message of this origin then (or has not reported). */
  private fitsSender(frame: number, origin: string | null, at: number): boolean {
    return this.hasOriginAt(frame, origin, at);
  }

  /** The frame's document at `at` has this origin, or has not reported yet. */
  private hasOriginAt(frame: number, origin: string | null, at: number): boolean {
    const id = this.contextAt(frame, at);
    return id === undefined || this.k.contexts[id - 1].origin === origin;
  }

  /** The frame's document at `at` is surely `id`: it was replaced since, or reported after `at`. */
  settledSource(id: number, at: number): boolean {
    const c = this.k.ctxById.get(id);
    if (!c || c.doc.lastAt > at) return true;
    // Ended by a successor that reported: that one's start already decided. Ended only because
    // its relay went (documentGone, on the background's clock), the next document may have
    // started before `at` and not have reported yet: an initial about:blank is replaced so.
    return c.rec.endedAt !== null && (c.rec.frameId === null || this.k.frames.currentContext(c.rec.frameId) !== c.rec.id);
  }

  /** The document that was current in a frame at a time (the sender of a window message). */
  contextAt(frame: number, at: number, strict = false): number | undefined {
    const cur = this.k.frames.currentContext(frame);
    if (cur === undefined) return undefined;
    const cr = this.k.contexts[cur - 1];
    if (cr.createdAt === null || cr.createdAt <= at + this.k.options.clockSkewMs) return cur;
    let best: ContextRecord | undefined;
    for (const c of this.k.contexts) {
      if (c.frameId !== frame || c.ctx !== 0 || c.kind !== 'window' || c.createdAt === null || c.createdAt > at) continue;
      if (!best || c.createdAt > (best.createdAt as number)) best = c;
    }
    // (strict: a document of that time not reported yet is not taken to be the current one.)
    return best ? best.id : strict ? undefined : cur;
  }

  /** Contexts whose parent was not found: a document of their time may have reported since. */
  retryParents(): void {
    for (const c of this.ctxWaitingParent) this.findParent(c);
  }

  findParent(c: CtxState): void {
    const pf = c.rec.parentFrameId;
    if (c.rec.ctx !== 0 || pf === null || pf < 0) {
      this.ctxWaitingParent.delete(c);
      return;
    }
    // The parent frame's document when this one began: a frame of an earlier load that reports
    // late belongs to that load, not to the document in its parent frame now.
    const at = c.rec.createdAt;
    const p = at !== null ? this.contextAt(pf, at, true) : this.k.frames.currentContext(pf);
    if (p === undefined) {
      this.ctxWaitingParent.add(c);
      return;
    }
    c.rec.parentId = p;
    this.k.dirtyContexts.add(c.rec.id);
    this.ctxWaitingParent.delete(c);
    // Its parent has gone since: so has it (from then on, its record kept).
    const pr = this.k.contexts[p - 1];
    if (pr.endedAt !== null && c.rec.endedAt === null && !(at !== null && at > pr.endedAt)) this.out.endContext(c.rec, pr.endedAt);
  }
}

// The page's post and deliver events made into message records: checked, their ports and
// transfers resolved, the sender's predicted outcome applied, and each half sent on by kind
// (port, window, worker, clone, BroadcastChannel) to be joined with its other half.

import type { DeliverEvent, PostEvent, WindowPath } from '../protocol/messages';
import type { PortRecord, TransferRecord } from '../protocol/session';
import { readSample } from '../protocol/sample-check';
import { samplePreview } from '../protocol/sample-preview';
import type { BroadcastRoute } from './broadcast-route';
import { OUTSIDE, UNRESOLVED } from './contexts';
import { RECENT, type Core, type CtxState } from './core';
import type { Documents } from './documents';
import { MAX_SAMPLE, VIAS, finite, int, text } from './input';
import type { Interner } from './intern';
import type { Joins } from './joins';
import type { PortBook } from './port-book';
import type { UnknownPorts } from './port-identity';
import { DELIVERED, MESSAGEERROR, NO_LISTENER, NO_TRANSFER, QUEUED, SENT, newMessage } from './records';
import type { Unknown } from './unknown';
import type { Windows } from './windows';

/** The parts a message's two halves go through. */
export interface TrafficParts {
  book: PortBook;
  joins: Joins;
  windows: Windows;
  documents: Documents;
  unknownPorts: UnknownPorts;
  bc: BroadcastRoute;
  /** Short strings many records repeat, kept once (intern.ts). */
  strings: Interner;
}

export class Traffic {
  private readonly book: PortBook;
  private readonly joins: Joins;
  private readonly windows: Windows;
  private readonly documents: Documents;
  private readonly unknownPorts: UnknownPorts;
  private readonly bc: BroadcastRoute;
  private readonly strings: Interner;

  constructor(
    private readonly k: Core,
    parts: TrafficParts,
  ) {
    ({ book: this.book, joins: this.joins, windows: this.windows, documents: this.documents, unknownPorts: this.unknownPorts, bc: this.bc, strings: this.strings } = parts);
  }

  onPost(c: CtxState, ev: PostEvent): void {
    const tr = ev.transfer;
    const p = ev.predicted;
    if (!Array.isArray(tr) || typeof p !== 'object' || p === null || !VIAS.has(ev.via)) return void this.invalid();
    for (let i = 0; i < tr.length; i++) if (typeof tr[i] !== 'object' || tr[i] === null) return void this.invalid();
    let from: number | Unknown | null = null;
    if (ev.via === 'port') {
      if (typeof ev.port !== 'number') return void this.invalid();
      from = this.book.portRef(c, ev.port, ev.at);
    }
    const r = newMessage(ev.via);
    r.fromContext = c.rec.id;
    r.sentAt = ev.at;
    r.fromPort = typeof from === 'number' ? from : null;
    if (tr.length) r.transfer = this.book.transferOf(c, tr, ev.at);
    r.bytes = finite(ev.bytes);
    r.targetOrigin = this.strings.intern(text(ev.targetOrigin));
    r.stack = ev.stack !== undefined ? (c.doc.strings.get(ev.stack) ?? null) : null;
    if (ev.replay === true) {
      const of = int(ev.replayOf);
      r.replayOf = of !== null && of > 0 ? of : null;
    }
    // The sender's data, for a send whose delivery is out of sight (src/instrument/send-sample.ts).
    const sample = ev.sample === undefined ? null : readSample(ev.sample, MAX_SAMPLE);
    if (sample !== null) {
      r.sample = this.strings.intern(ev.sample as string);
      r.sampleFrom = 'sender';
      r.preview = this.strings.intern(samplePreview(sample));
      this.k.calls.decode(r, sample);
    }
    c.recentLocal[c.recentPos] = ev.msg;
    c.recentRec[c.recentPos] = r;
    c.recentPos = (c.recentPos + 1) % RECENT;

    if (p.o === 'error') {
      r.outcome = { status: 'error', reason: text(`${p.name}: ${p.message}`) };
      r.errorPath = text(p.path);
    } else {
      // The transfer happened: ports left the sender, even when the message is then lost.
      if (r.transfer.length) this.book.ship(r.transfer);
      if (p.o === 'dropped') r.outcome = { status: 'dropped', reason: text(String(p.reason)) };
      else r.outcome = p.o === 'queued' ? QUEUED : SENT;
    }
    if (from !== null && typeof from !== 'number') {
      // Sent on a port not identified yet: it waits loose with the port.
      this.book.used(from, ev.at);
      from.recs.push(r);
      this.book.keepRefs(r);
      return;
    }
    if (from !== null) this.book.used(from, ev.at);
    if (p.o === 'error') return this.joins.commit(r);
    if (p.o === 'dropped') {
      this.joins.commit(r);
      this.book.loseTransfer(r);
      return;
    }
    switch (ev.via) {
      case 'port':
        r.toPort = (this.k.ports.get(from as number) as PortRecord).entangledWith;
        // Toward a port held where nothing reports (a worker), the send is all there is to see.
        if (r.toPort !== null) r.toContext = this.book.silentHolder(r.toPort);
        this.joins.route(r, 'send', from as number);
        if (r.deliveredAt === null) this.documents.receiverGone(r);
        break;
      case 'window':
        // A replay is the one window send this instrumentation reports: it says nothing of the page's own.
        if (ev.replay !== true) c.doc.windowSends = true;
        if (!ev.target || typeof ev.target !== 'object' || !Array.isArray(ev.target.down)) this.joins.commit(r);
        else this.windows.routeWindowSend(r, c, ev.target);
        break;
      case 'worker': {
        const to = this.documents.workerPeer(c, ev.object);
        if (!to || to === c) {
          this.joins.commit(r);
          break;
        }
        r.toContext = to.rec.id;
        this.joins.route(r, 'send', `k${c.rec.id}>${to.rec.id}`);
        // Nothing runs inside a worker to report the arrival: the ports are its from now on.
        if (!to.reports && r.transfer.length) this.book.handOver(r, to);
        break;
      }
      case 'clone':
        r.toContext = c.rec.id;
        this.joins.route(r, 'send', `c${c.rec.id}`);
        break;
      default:
        this.bc.send(r, c, ev);
    }
    this.book.keepRefs(r);
  }

  onDeliver(c: CtxState, ev: DeliverEvent): void {
    if (!Array.isArray(ev.ports) || !VIAS.has(ev.via)) return void this.invalid();
    let to: number | Unknown | null = null;
    if (ev.via === 'port') {
      if (typeof ev.port !== 'number') return void this.invalid();
      to = this.book.portRef(c, ev.port, ev.at);
      this.book.used(to, ev.at);
    }
    const r = newMessage(ev.via);
    r.toContext = c.rec.id;
    r.toPort = typeof to === 'number' ? to : null;
    r.deliveredAt = ev.at;
    r.type = ev.type === 'messageerror' ? 'messageerror' : 'message';
    r.origin = this.strings.intern(text(ev.origin));
    const listeners = int(ev.listeners);
    r.listeners = listeners !== null && listeners >= 0 ? listeners : null;
    r.handlerMs = finite(ev.handlerMs);
    // The page sends a sample and no preview: the preview is derived from the checked sample.
    const sample = ev.type === 'message' ? readSample(ev.sample, MAX_SAMPLE) : null;
    r.sample = sample === null ? null : this.strings.intern(ev.sample as string);
    if (sample !== null) r.sampleFrom = 'receiver';
    this.k.calls.decode(r, sample);
    r.preview = this.strings.intern(sample === null ? text(ev.preview) : samplePreview(sample));
    r.bufferBytes = finite(ev.bufferBytes);
    if (ev.via === 'window') r.originRead = typeof ev.originRead === 'boolean' ? ev.originRead : null;
    r.outcome = r.type === 'messageerror' ? MESSAGEERROR : r.listeners === 0 ? NO_LISTENER : DELIVERED;

    // Where it came from, for sends that will never be reported (windows, workers).
    let srcFrame: number | null = null;
    let srcCtx: CtxState | undefined;
    let path: WindowPath | null = null;
    let infer = false;
    if (ev.via === 'window') {
      infer = true;
      if (!ev.source || typeof ev.source !== 'object' || !Array.isArray(ev.source.down)) infer = false;
      else {
        const f = this.windows.sourceFrame(c.rec.frameId as number, ev.source, r.origin, ev.at);
        if (f === UNRESOLVED) path = ev.source;
        else if (f === OUTSIDE) infer = false;
        else srcFrame = f;
      }
    } else if (ev.via === 'worker') {
      srcCtx = this.documents.workerPeer(c, ev.object);
      if (srcCtx === c) srcCtx = undefined;
      infer = srcCtx !== undefined && !srcCtx.reports;
    }
    const ports = ev.ports;
    this.joins.brought(r, ports.length);
    for (let k = 0; k < ports.length; k++) {
      const local = ports[k];
      if (typeof local !== 'number') continue;
      const u = this.unknownPorts.newUnknown(c, local, r, k, ev.at);
      u.infer = infer;
      u.srcFrame = srcFrame;
      u.srcCtx = srcCtx ? srcCtx.rec.id : null;
      u.path = path;
      if (infer) {
        // Its send is never reported: the message lists the port it brought.
        const t: TransferRecord = { kind: 'MessagePort', id: null, bytes: null };
        if (r.transfer === NO_TRANSFER) r.transfer = [];
        r.transfer.push(t);
        this.k.byTransfer.set(t, u);
        u.refs.push(t);
      }
    }

    if (to !== null && typeof to !== 'number') {
      to.recs.push(r);
      return;
    }
    switch (ev.via) {
      case 'port': {
        const from = (this.k.ports.get(to as number) as PortRecord).entangledWith;
        if (from === null) this.joins.commit(r);
        else {
          // The partner sits in a context that reports nothing (a worker): its send will
          // likely never be seen, so the delivery names it already. A send that does come
          // (the port came back to a document) still pairs and corrects it.
          const silent = this.book.silentHolder(from);
          if (silent !== null) {
            r.fromContext = silent;
            r.fromPort = from;
          }
          this.joins.route(r, 'deliver', from);
        }
        break;
      }
      case 'window':
        if (path) this.windows.park({ side: 'deliver', rec: r, ctx: c, path });
        else if (srcFrame === null) this.joins.commit(r);
        else this.windows.windowDelivery(r, c, srcFrame, isSelf(ev.source));
        break;
      case 'worker':
        if (!srcCtx) this.joins.commit(r);
        else {
          r.fromContext = srcCtx.rec.id;
          this.joins.route(r, 'deliver', `k${srcCtx.rec.id}>${c.rec.id}`);
        }
        break;
      case 'clone':
        this.joins.route(r, 'deliver', `c${c.rec.id}`);
        break;
      default:
        this.bc.deliver(r, c, ev);
    }
    this.book.keepRefs(r);
  }

  private invalid(): void {
    this.k.count('invalid-event', 1);
  }
}

/** The path of a window to itself. */
function isSelf(p: WindowPath | null | undefined): boolean {
  return !!p && p.up === 0 && Array.isArray(p.down) && p.down.length === 0 && p.rel === undefined;
}

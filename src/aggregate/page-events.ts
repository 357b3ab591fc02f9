// A page's events, checked and sent to the part that owns them: each event's time put on the
// microsecond grid, its context found or made, channels and port state kept here, posts and
// deliveries to traffic.ts, listeners to listener-book.ts, counts of the page's own drops kept.

import {
  PORT_KNOWN_CLOSED,
  PORT_KNOWN_SHIPPED,
  PORT_KNOWN_STARTED,
  type ChannelEvent,
  type MismatchEvent,
  type PageEvent,
  type PortStateEvent,
  type PortsKnownEvent,
} from '../protocol/messages';
import { onMicroGrid } from '../protocol/compact';
import type { MismatchRecord, PortRecord } from '../protocol/session';
import type { Core, CtxState, DocState } from './core';
import type { Deltas } from './deltas';
import type { Documents } from './documents';
import { CAUSE, FORBIDDEN_KEYS, int, text } from './input';
import type { ListenerBook } from './listener-book';
import type { PortBook } from './port-book';
import type { Traffic } from './traffic';

/** The parts events go to. */
export interface PageEventParts {
  documents: Documents;
  book: PortBook;
  listenerBook: ListenerBook;
  traffic: Traffic;
  deltas: Deltas;
}

export class PageEvents {
  private readonly documents: Documents;
  private readonly book: PortBook;
  private readonly listenerBook: ListenerBook;
  private readonly traffic: Traffic;
  private readonly deltas: Deltas;

  constructor(
    private readonly k: Core,
    parts: PageEventParts,
  ) {
    ({ documents: this.documents, book: this.book, listenerBook: this.listenerBook, traffic: this.traffic, deltas: this.deltas } = parts);
  }

  handle(d: DocState, ev: PageEvent): void {
    if (typeof ev !== 'object' || ev === null || typeof ev.at !== 'number' || !Number.isFinite(ev.at)) {
      this.k.count('invalid-event', 1);
      return;
    }
    const n = (ev as { ctx?: unknown }).ctx;
    if (n !== undefined && (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)) {
      this.invalid();
      return;
    }
    // Every time on the grid compact posts and deliveries travel on: an object event keeps
    // the page clock's float error (Chromium's 52.90000000037253), which would put a post of
    // the same clock tick before it.
    ev.at = onMicroGrid(ev.at);
    if (ev.at > d.lastAt) d.lastAt = ev.at;
    if (ev.k === 'end') {
      // The page's word for a context it reported (a worker it terminated), never its own.
      const ended = n ? d.ctxs.get(n) : undefined;
      if (ended) this.documents.endContext(ended.rec, ev.at);
      else this.invalid();
      return;
    }
    const c = this.documents.ctxOf(d, n);
    if (n && ev.k !== 'context') c.reports = true;
    switch (ev.k) {
      case 'post':
        return this.traffic.onPost(c, ev);
      case 'deliver':
        return this.traffic.onDeliver(c, ev);
      case 'channel':
        return this.onChannel(c, ev);
      case 'start':
      case 'close':
        return this.onPortState(c, ev);
      case 'ports':
        return this.onPortsKnown(c, ev);
      case 'listen':
        return this.listenerBook.onListen(c, ev);
      case 'listenerStats':
        return this.listenerBook.onListenerStats(c, ev);
      case 'context':
        return this.documents.onContext(d, ev);
      case 'mismatch':
        return this.onMismatch(c, ev);
      case 'dropped':
        if (typeof ev.cause === 'string' && CAUSE.test(ev.cause) && !FORBIDDEN_KEYS.has(ev.cause) && Number.isSafeInteger(ev.count) && ev.count > 0) {
          this.k.count(ev.cause, ev.count);
        } else this.k.count('invalid-event', 1);
        return;
      default:
        this.k.count('invalid-event', 1);
    }
  }

  private onChannel(c: CtxState, ev: ChannelEvent): void {
    if (typeof ev.port1 !== 'number' || typeof ev.port2 !== 'number' || ev.port1 === ev.port2) return void this.invalid();
    const channel = ++this.k.channels;
    const holder2 = int(ev.holder2);
    const a = this.book.addPort(channel, c, ev.at);
    const b = this.book.addPort(channel, holder2 !== null && holder2 > 0 && holder2 !== c.rec.ctx ? this.documents.ctxOf(c.doc, holder2) : c, ev.at);
    a.entangledWith = b.id;
    b.entangledWith = a.id;
    if (ev.stack !== undefined) a.createdStack = b.createdStack = c.doc.strings.get(ev.stack) ?? null;
    c.ports.set(ev.port1, a.id);
    c.ports.set(ev.port2, b.id);
    c.unknown.delete(ev.port1);
    c.unknown.delete(ev.port2);
  }

  private onPortState(c: CtxState, ev: PortStateEvent): void {
    if (typeof ev.port !== 'number') return void this.invalid();
    const ref = this.book.portRef(c, ev.port, ev.at);
    const p = this.book.recordOf(ref);
    if (ev.k === 'start') {
      if (!p.started) {
        p.started = true;
        const h = p.holders[p.holders.length - 1];
        if (h && h.contextId === c.rec.id && h.startedAt === null) h.startedAt = ev.at;
      }
    } else if (!p.closed) {
      p.closed = true;
      p.closedAt = ev.at;
    }
    this.book.used(ref, ev.at);
    if (typeof ref === 'number') this.k.dirtyPorts.add(ref);
  }

  /**
   * Recording began after the page set up these ports: what it knew of each then. A port the
   * background already follows keeps what it saw; the others get records whose state says it
   * was reported (not seen from birth). Two local partners are one channel.
   */
  private onPortsKnown(c: CtxState, ev: PortsKnownEvent): void {
    const list = ev.ports;
    if (!Array.isArray(list) || list.length % 3 !== 0) return void this.invalid();
    const flagsOf = new Map<number, number>();
    for (let i = 0; i < list.length; i += 3) {
      const id = int(list[i]);
      const flags = int(list[i + 1]);
      if (id === null || id <= 0 || flags === null || flags < 0) return void this.invalid();
      flagsOf.set(id, flags);
    }
    const made = new Map<number, PortRecord>();
    const record = (local: number): PortRecord | undefined => {
      if (c.ports.has(local) || c.unknown.has(local)) return undefined;
      const flags = flagsOf.get(local) as number;
      // Shipped before recording began: not here any more, where it went is not known.
      if (flags & PORT_KNOWN_SHIPPED) return undefined;
      const p = this.book.addPort(null, c, ev.at);
      p.createdIn = p.createdAt = null;
      p.stateKnown = 'reported';
      p.started = (flags & PORT_KNOWN_STARTED) !== 0;
      if (flags & PORT_KNOWN_CLOSED) {
        p.closed = true;
        p.closedAt = ev.at;
      }
      c.ports.set(local, p.id);
      made.set(local, p);
      return p;
    };
    for (let i = 0; i < list.length; i += 3) {
      const a = record(list[i]);
      const partner = int(list[i + 2]) ?? 0;
      if (!a || partner <= 0 || !flagsOf.has(partner)) continue;
      const b = made.get(partner) ?? record(partner);
      if (!b || b.channelId !== null) continue;
      // Two ports of this context entangled with each other were made here by one channel.
      a.channelId = b.channelId = ++this.k.channels;
      a.entangledWith = b.id;
      b.entangledWith = a.id;
      a.createdIn = b.createdIn = c.rec.id;
    }
  }

  private onMismatch(c: CtxState, ev: MismatchEvent): void {
    let messageId: number | null = null;
    if (typeof ev.msg === 'number') {
      const i = c.recentLocal.lastIndexOf(ev.msg);
      const r = i >= 0 ? c.recentRec[i] : undefined;
      if (r && r.id >= this.k.store.firstId && r.id > 0) messageId = r.id;
    }
    const m: MismatchRecord = { contextId: c.rec.id, at: ev.at, messageId, expected: text(String(ev.expected)) as string, actual: text(String(ev.actual)) as string };
    this.deltas.mismatch(m);
  }

  private invalid(): void {
    this.k.count('invalid-event', 1);
  }
}

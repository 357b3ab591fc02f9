// The life of a port that arrived in a message whose send is unseen (unknown.ts): made on
// arrival, then settled as the known port it is (resolveTo), as an earlier unknown (merge), or
// as a port of its own (bornAs / giveUp); its loose messages are replayed once it is known.
// Which port it is, is decided in identify.ts alone, which sees only the IdentifyHost made here.

import type { FindingArg, FindingText, MessageRecord, HolderRecord, PortRecord } from '../protocol/session';
import type { MessageKey } from '../i18n/lookup';
import type { Core, CtxState } from './core';
import { candidateIds, identify, type IdentifyHost } from './identify';
import type { LaneKey } from './matcher';
import { newPort } from './records';
import type { Unknown } from './unknown';

/** An identity's reason as a catalogue key and parameters (PortIdentity.text); its English is `why`. */
export const say = (key: MessageKey, ...args: FindingArg[]): FindingText => ({ key, args });

/** What the Session does for a settled port's messages, and the frame facts identify.ts asks. */
export interface UnknownPortsOut {
  commit(r: MessageRecord): void;
  route(r: MessageRecord, side: 'send' | 'deliver', key: LaneKey): void;
  loseTransfer(r: MessageRecord): void;
  keepRefs(r: MessageRecord): void;
  contextAt(frame: number, at: number): number | undefined;
  settledSource(id: number, at: number): boolean;
  clockSkew(a: number | null, b: number | null): number;
}

/** A port's state as its newer record (the unknown's, held since the arrival) has it; a port once closed stays closed. */
function takeState(to: PortRecord, from: PortRecord): void {
  to.started = from.started;
  to.listeners = from.listeners;
  to.lostIn = from.lostIn;
  if (from.closed && !to.closed) {
    to.closed = true;
    to.closedAt = from.closedAt;
  }
}

export class UnknownPorts {
  private readonly host: IdentifyHost;

  constructor(
    private readonly k: Core,
    private readonly out: UnknownPortsOut,
  ) {
    this.host = {
      skewMs: k.options.clockSkewMs,
      ctx: (id) => k.ctxById.get(id),
      port: (id) => k.ports.get(id),
      allPorts: () => k.ports.values(),
      unknowns: () => k.unknowns,
      broughtBy: (carrier) => k.byCarrier.get(carrier),
      inFlight: (port) => k.inFlight.has(port),
      lastUse: (port) => k.lastUse.get(port),
      head: (port) => k.matcher.head(port),
      awaitStream: (d, until) => {
        if (until > (k.awaited.get(d) ?? -Infinity)) k.awaited.set(d, until);
      },
      contextAt: (frame, at) => out.contextAt(frame, at),
      settledSource: (id, at) => out.settledSource(id, at),
      clockSkew: (a, b) => out.clockSkew(a, b),
      resolveTo: (u, p) => this.resolveTo(u, p),
      merge: (u, later) => this.merge(u, later),
      bornAs: (u, from, candidates) => this.bornAs(u, from, candidates),
    };
  }

  /** Gives up on every port still unknown: each keeps an id of its own, with its candidates. */
  giveUpAll(): void {
    for (const u of this.k.unknowns.slice()) if (!u.done) this.giveUp(u, candidateIds(this.host, u));
    this.k.unknowns = [];
  }

  newUnknown(c: CtxState, local: number, carrier: MessageRecord, k: number, at: number): Unknown {
    const rec = newPort(0, null, null, null);
    rec.shipped = true;
    const h: HolderRecord = { contextId: c.rec.id, since: at, messageId: null, startedAt: null };
    rec.holders.push(h);
    this.setHolderMessage(h, carrier);
    const u: Unknown = {
      n: ++this.k.unknownSerial,
      rec,
      maps: [[c.rec.id, local]],
      carrier,
      k,
      infer: false,
      srcFrame: null,
      srcCtx: null,
      path: null,
      at,
      recs: [],
      refs: [],
      touched: [],
      inFlight: false,
      lastUse: at,
      done: false,
      id: 0,
      into: null,
    };
    c.unknown.set(local, u);
    c.ports.delete(local);
    let list = this.k.byCarrier.get(carrier);
    if (!list) this.k.byCarrier.set(carrier, (list = []));
    list.push(u);
    this.k.unknowns.push(u);
    if (this.k.unknowns.length > this.k.options.maxUnknownPorts) {
      const old = this.k.unknowns.find((x) => !x.done);
      if (old) this.giveUp(old);
    }
    return u;
  }

  /** A holder names the message that brought it; a message not stored yet gets its id later. */
  setHolderMessage(h: HolderRecord, m: MessageRecord): void {
    if (m.id > 0) {
      h.messageId = m.id;
      return;
    }
    let hs = this.k.carrierHolders.get(m);
    if (!hs) this.k.carrierHolders.set(m, (hs = []));
    hs.push(h);
  }

  /** An unknown port is `p`: one record from now on, its messages replayed. */
  resolveTo(u: Unknown, p: PortRecord): void {
    u.done = true;
    u.id = p.id;
    for (const h of u.rec.holders) {
      // Handed over by inference to a worker whose own stream had not come yet, then seen
      // arriving there: what the worker reported stands (issue 21). Never an observed holder.
      const last = p.holders[p.holders.length - 1];
      if (last && last.contextId === h.contextId && this.k.handedOver.has(last)) p.holders[p.holders.length - 1] = h;
      else p.holders.push(h);
    }
    p.shipped = true;
    takeState(p, u.rec);
    if (u.inFlight) this.k.inFlight.add(p.id);
    if (!((this.k.lastUse.get(p.id) ?? -Infinity) >= u.lastUse)) this.k.lastUse.set(p.id, u.lastUse);
    this.k.dirtyPorts.add(p.id);
    this.settle(u, p);
  }

  /** `later` (an arrival) is the same port as `u` (an earlier unknown). */
  merge(u: Unknown, later: Unknown): void {
    later.done = true;
    later.into = u;
    u.inFlight = later.inFlight;
    const r = u.rec;
    for (const h of later.rec.holders) r.holders.push(h);
    takeState(r, later.rec);
    u.lastUse = later.lastUse;
    for (const [cid, local] of later.maps) {
      u.maps.push([cid, local]);
      this.k.ctxById.get(cid)?.unknown.set(local, u);
    }
    for (const t of later.refs) {
      u.refs.push(t);
      this.k.byTransfer.set(t, u);
    }
    for (const m of later.touched) u.touched.push(m);
    for (const m of later.recs) u.recs.push(m);
  }

  /** Never identified: it keeps an id of its own, with the ports it may be. */
  private giveUp(
    u: Unknown,
    candidates: number[] = [],
    why = 'arrived in a message whose send is not seen, and nothing decided between the ports its sender held',
    text: FindingText = say('idWhy_send_unseen'),
  ): void {
    this.k.count('port-identity-unknown', 1);
    this.bornAs(u, null);
    if (candidates.length) u.rec.identity = { status: 'unknown', candidates, why, text };
  }

  /**
   * Its send names port `id`, whose record the port budget evicted (budgets.ts): it gets a
   * record of its own that says so, never another port's.
   */
  evicted(u: Unknown, id: number): void {
    this.giveUp(u, [id], `it is port #${id}, whose record was evicted by the port budget`, say('idWhy_evicted_as', { port: id }));
  }

  /**
   * A port of its own record: it came out of a context whose inside is not seen
   * (`from`, a worker: it made it, or it is one of `candidates`), or it was never identified.
   */
  private bornAs(u: Unknown, from: number | null, candidates: number[] = []): void {
    u.done = true;
    const p = u.rec;
    p.id = u.id = this.k.ports.nextId;
    if (from !== null) {
      // Made there only when it held no port it could be; else its birth is not known.
      if (!candidates.length) p.createdIn = from;
      else p.identity = { status: 'unknown', candidates, why: 'came from a worker whose inside is not seen: made there, or one of the ports it held', text: say('idWhy_worker_inside') };
      p.holders.unshift({ contextId: from, since: u.at, messageId: null, startedAt: null });
    }
    this.k.ports.add(p);
    this.k.lastUse.set(p.id, u.lastUse);
    if (u.inFlight) this.k.inFlight.add(p.id);
    this.k.dirtyPorts.add(p.id);
    this.settle(u, p);
  }

  /** Points everything that named the unknown port at `p` and replays its messages. */
  private settle(u: Unknown, p: PortRecord): void {
    for (const [cid, local] of u.maps) {
      const c = this.k.ctxById.get(cid);
      if (!c) continue;
      if (c.unknown.get(local) === u) c.unknown.delete(local);
      c.ports.set(local, p.id);
    }
    for (const t of u.refs) {
      t.id = p.id;
      this.k.byTransfer.delete(t);
    }
    for (const m of u.touched) this.k.store.touch(m);
    const recs = u.recs;
    u.recs = [];
    for (const r of recs) {
      if (r.sentAt !== null) {
        r.fromPort = p.id;
        const routable = r.outcome.status === 'sent' || r.outcome.status === 'queued';
        if (r.outcome.status === 'dropped') {
          this.out.commit(r);
          this.out.loseTransfer(r);
        } else if (!routable || p.entangledWith === null) this.out.commit(r);
        else {
          r.toPort = p.entangledWith;
          this.out.route(r, 'send', p.id);
        }
      } else {
        r.toPort = p.id;
        if (p.entangledWith === null) this.out.commit(r);
        else this.out.route(r, 'deliver', p.entangledWith);
      }
      this.out.keepRefs(r);
    }
  }

  /** Tries to identify the ports that arrived in messages whose send is unseen. */
  identify(releasing: boolean): void {
    this.k.awaited.clear();
    if (!this.k.unknowns.length) return;
    identify(this.host, releasing);
    this.k.unknowns = this.k.unknowns.filter((u) => !u.done);
    // Carriers whose ports are all known need no entry (a late send only refills fields).
    for (const [m, us] of this.k.byCarrier) if (us.every((u) => u.done) && m.id > 0) this.k.byCarrier.delete(m);
  }
}

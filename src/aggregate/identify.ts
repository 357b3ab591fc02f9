// Identity of ports that arrived in a message whose send is unseen (window sends are never
// reported; a worker's inside is invisible). Such a port is one of the ports its source
// context held at that time. In order of strength:
//   evidence: a message posted on a known port X whose partner is candidate C is delivered on
//   the unknown port U (U = C); a message posted on U waits at a known port Y (U = partner(Y));
//   a candidate that is itself unknown (passed on at once, never used where it passed) is
//   weighed by the same traffic against its own source's candidates, along the chain;
//   only one candidate may fit the traffic (nearness in time decides nothing), and another
//   unknown port's loose traffic makes each candidate fit whose partner that port may be;
//   count: one port arrived and one candidate is left, once the source's stream has passed
//   the arrival (else a port made just before the send may not be seen yet); several ports
//   in one message are never handed out by count (the unseen send's order is not known);
//   a worker's port with no candidate was made inside the worker.
// Timing allows the clock skew between processes, as the matcher does.

import type { MessageRecord, PortRecord } from '../protocol/session';
import type { CtxState, DocState } from './core';
import { isUnknown, lastHolder, type Candidate, type Unknown } from './unknown';

/** What identification reads of the aggregate and the steps it may take: nothing else. */
export interface IdentifyHost {
  /** How far two processes' clocks may disagree, ms. */
  readonly skewMs: number;
  ctx(id: number): CtxState | undefined;
  /** Known port by id (ids are dense from 1). */
  port(id: number): PortRecord;
  /** Every known port, in id order. */
  allPorts(): readonly PortRecord[];
  /** Ports not identified yet, oldest first. */
  unknowns(): readonly Unknown[];
  /** The unknown ports one delivery brought. */
  broughtBy(carrier: MessageRecord): readonly Unknown[] | undefined;
  /** The port left in a seen send whose delivery is not matched yet. */
  inFlight(port: number): boolean;
  /** Last time its holder used the port (undefined: never). */
  lastUse(port: number): number | undefined;
  /** The oldest send and delivery waiting in a port's lane. */
  head(port: number): { send: MessageRecord | undefined; delivery: MessageRecord | undefined };
  /** Not decidable until `d`'s stream has passed `until` (Session.awaitedStreams). */
  awaitStream(d: DocState, until: number): void;
  /** The document current in a frame at a time, and whether that is sure yet. */
  contextAt(frame: number, at: number): number | undefined;
  settledSource(id: number, at: number): boolean;
  /** How much earlier a delivery on b's clock may be stamped than a send on a's. */
  clockSkew(a: number | null, b: number | null): number;
  /** The unknown port is `p`. */
  resolveTo(u: Unknown, p: PortRecord): void;
  /** `later` is the same port as the earlier unknown `u`. */
  merge(u: Unknown, later: Unknown): void;
  /** A port of its own record, come out of `from` (a context whose inside is unseen). */
  bornAs(u: Unknown, from: number | null, candidates: number[]): void;
}


export function identify(s: IdentifyHost, releasing: boolean): void {
  // One identification can make another possible (a port passed on, a candidate gone).
  for (let guard = 0; guard < 100; guard++) {
    let progressed = false;
    for (const u of s.unknowns()) if (!u.done && u.infer && identifyOne(s, u, releasing)) progressed = true;
    if (!progressed) return;
  }
}

function sourceOf(s: IdentifyHost, u: Unknown): CtxState | undefined {
  if (u.srcCtx !== null) return s.ctx(u.srcCtx);
  if (u.srcFrame === null) return undefined;
  const id = s.contextAt(u.srcFrame, u.at);
  if (id === undefined) return undefined;
  const c = s.ctx(id);
  // Kept only once it is sure: the frame's next document may not have reported yet (the
  // initial about:blank is current until then), unless this one was replaced or outlived u.at.
  if (s.settledSource(id, u.at)) u.srcCtx = id;
  return c;
}

function identifyOne(s: IdentifyHost, u: Unknown, releasing: boolean): boolean {
  const src = sourceOf(s, u);
  if (!src) return false;
  const skew = s.skewMs;
  // Until the source's stream has passed the arrival, its ports there are not all known;
  // a document that reports its window sends will report this one too.
  // (A worker's inside is never seen: its page's stream is all there is.)
  if (!releasing && src.reports) {
    if (u.srcFrame !== null && src.doc.windowSends) return false;
    if (src.doc.lastAt <= u.at) {
      s.awaitStream(src.doc, u.at);
      return false;
    }
  }
  const cands = candidates(s, src, u);
  // A worker's inside is not seen: what it sends may be a port it was given or one it made
  // (Comlink answers a call with a port of its own). Traffic cannot tell them apart (the
  // worker's sends and deliveries on the ports it holds are all unseen), so the port gets a
  // record of its own, held by the worker first, partner unknown; the ports it may be are named.
  if (!src.reports) {
    s.bornAs(u, src.rec.id, cands.filter((c): c is PortRecord => !isUnknown(c)).map((c) => c.id));
    return true;
  }
  if (!cands.length) return false;

  const best = byEvidence(s, u, cands, releasing);
  if (best) {
    apply(s, u, best);
    return true;
  }
  // Count: one port arrived, and one candidate is left. (Several ports in one message are a
  // set: the message's order is the unseen send's transfer order, which nothing here tells, so
  // handing them out in held order would be a guess — ground-truth fixture swapped-ends.)
  if (!releasing && !(src.doc.lastAt > u.at + skew)) {
    s.awaitStream(src.doc, u.at + skew);
    return false;
  }
  const siblings = (s.broughtBy(u.carrier) ?? []).filter((x) => !x.done && x.infer);
  if (cands.length !== 1 || siblings.some((x) => x !== u)) return false;
  apply(s, u, cands[0]);
  return true;
}

/** Ids of the known ports `u` may be (for the record of a port given up on). */
export function candidateIds(s: IdentifyHost, u: Unknown): number[] {
  const src = sourceOf(s, u);
  if (!src) return [];
  return candidates(s, src, u)
    .filter((c): c is PortRecord => !isUnknown(c))
    .map((c) => c.id);
}

function apply(s: IdentifyHost, u: Unknown, c: Candidate): void {
  if (isUnknown(c)) s.merge(c, u);
  else s.resolveTo(u, c);
}


/** Ports its source held at the arrival: there, not closed, not gone, not used there later. */
function candidates(s: IdentifyHost, src: CtxState, u: Unknown): Candidate[] {
  const skew = s.skewMs;
  const limit = u.at + skew;
  const out: Candidate[] = [];
  const held = (p: PortRecord) => {
    const h = p.holders[p.holders.length - 1];
    return h !== undefined && h.contextId === src.rec.id && h.since <= limit && !p.closed && p.lostIn === null;
  };
  const seen = new Set<number>();
  for (const id of src.ports.values()) {
    if (seen.has(id)) continue;
    seen.add(id);
    const p = s.port(id);
    if (!held(p) || s.inFlight(id) || (s.lastUse(id) ?? -Infinity) > limit) continue;
    out.push(p);
  }
  // Ports handed to a worker are in its holders, not in its local ids.
  if (!src.reports) {
    for (const p of s.allPorts()) if (!seen.has(p.id) && held(p) && !s.inFlight(p.id) && !((s.lastUse(p.id) ?? -Infinity) > limit)) out.push(p);
  }
  for (const x of s.unknowns()) {
    if (x === u || x.done || x.inFlight || !held(x.rec) || x.lastUse > limit) continue;
    if (x.carrier === u.carrier) continue;
    out.push(x);
  }
  return out;
}

/**
 * The one candidate traffic points at; undefined when none or several fit, or not decidable
 * yet. Nearness in time decides nothing: an old or queued send on another candidate's partner
 * fits as well as the real one (ground-truth fixture queued-send), so only a single fit counts,
 * and only when no port still unknown has loose traffic that could be the other half.
 */
function byEvidence(s: IdentifyHost, u: Unknown, cands: Candidate[], releasing: boolean): Candidate | undefined {
  let firstDelivery: Stamp | null = null;
  let firstSend: Stamp | null = null;
  for (const r of u.recs) {
    if (r.sentAt === null && firstDelivery === null && r.deliveredAt !== null) firstDelivery = { at: r.deliveredAt, ctx: r.toContext };
    if (r.sentAt !== null && firstSend === null && (r.outcome.status === 'sent' || r.outcome.status === 'queued')) firstSend = { at: r.sentAt, ctx: r.fromContext };
  }
  if (firstDelivery === null && firstSend === null) return undefined;
  const arrival: Stamp = { at: u.at, ctx: u.rec.holders[0]?.contextId ?? null };
  const t: Traffic = { firstDelivery, firstSend, arrival, releasing, seen: new Set([u]), others: othersOf(s, u, firstDelivery, firstSend) };
  let best: Candidate | undefined;
  let fits = 0;
  for (const c of cands) {
    const gap = gapOf(s, c, t, 0);
    if (Number.isNaN(gap)) return undefined;
    if (gap === Infinity) continue;
    best = c;
    fits++;
  }
  return fits === 1 ? best : undefined;
}

/** A time and the context whose clock took it. */
interface Stamp {
  at: number;
  ctx: number | null;
}

interface Traffic {
  firstDelivery: Stamp | null;
  firstSend: Stamp | null;
  /** When and where u arrived: a port the chain reaches must have been made before. */
  arrival: Stamp;
  releasing: boolean;
  /** Unknowns on the chain so far (a port can come back to where it was). */
  seen: Set<Unknown>;
  /** Other unknown ports whose loose traffic may be the other half of u's (see othersOf). */
  others: Other[];
}

/** An unknown port with loose traffic that may answer u's, and the known ports it may be (null: any). */
interface Other {
  x: Unknown;
  mayBe: ((q: number) => boolean) | null;
  /** It has a loose send that may be u's first delivery. */
  sends: boolean;
  /** It has a loose delivery that may be of u's first send. */
  deliveries: boolean;
}

/**
 * Unknown ports (other than u) whose own loose traffic could be the other half of u's first
 * delivery or send: a send on one of them is not in any lane (its partner is not known), so a
 * candidate whose partner it may be fits u's delivery as well as one with a waiting send.
 */
function othersOf(s: IdentifyHost, u: Unknown, firstDelivery: Stamp | null, firstSend: Stamp | null): Other[] {
  const out: Other[] = [];
  for (const x of s.unknowns()) {
    if (x === u || x.done) continue;
    let sends = false;
    let deliveries = false;
    for (const r of x.recs) {
      if (firstDelivery !== null && r.sentAt !== null && (r.outcome.status === 'sent' || r.outcome.status === 'queued') && r.sentAt <= firstDelivery.at + s.clockSkew(r.fromContext, firstDelivery.ctx)) sends = true;
      if (firstSend !== null && r.sentAt === null && r.deliveredAt !== null && firstSend.at <= r.deliveredAt + s.clockSkew(firstSend.ctx, r.toContext)) deliveries = true;
    }
    if (sends || deliveries) out.push({ x, mayBe: mayBe(s, x, u), sends, deliveries });
  }
  return out;
}

/** Known ports unknown x may be (null: any). */
function mayBe(s: IdentifyHost, x: Unknown, u: Unknown): ((q: number) => boolean) | null {
  return x.infer ? mayBeInferred(s, x, u) : mayBeCarried(s, x);
}

/** For a port whose own send is unseen: one of its source's candidates, through one unknown (never u itself). */
function mayBeInferred(s: IdentifyHost, x: Unknown, u: Unknown): ((q: number) => boolean) | null {
  const src = sourceOf(s, x);
  if (!src || !src.reports) return null;
  const out = new Set<number>();
  for (const c of candidates(s, src, x)) {
    if (!isUnknown(c)) out.add(c.id);
    else if (c !== u) {
      const src2 = sourceOf(s, c);
      if (!src2 || !src2.reports) return null;
      for (const c2 of candidates(s, src2, c)) {
        if (!isUnknown(c2)) out.add(c2.id);
        else if (c2 !== u) return null;
      }
    }
  }
  return (q) => out.has(q);
}

/**
 * For a port that came on a known port from a context that reports its sends (the send is
 * seen, only not joined yet: it may wait loose on u itself, as a Comlink proxy does): it is a
 * port that left in a seen send (in flight), or one whose holder's send may not have come yet.
 * A port still unknown that left in a send may be anything: then any.
 */
function mayBeCarried(s: IdentifyHost, x: Unknown): ((q: number) => boolean) | null {
  const carrier = x.carrier;
  if (carrier.via !== 'port' || carrier.toPort === null || carrier.fromContext !== null) return null;
  for (const y of s.unknowns()) if (y !== x && !y.done && y.inFlight) return null;
  const until = x.at + s.skewMs;
  return (q) => {
    if (s.inFlight(q)) return true;
    const h = lastHolder(s.port(q));
    const c = h ? s.ctx(h.contextId) : undefined;
    return !c || !c.reports || !(c.doc.lastAt > until);
  };
}

const MAX_CHAIN = 8;

/** How closely the unknown port's traffic fits candidate c (Infinity: not at all; NaN: not yet known). */
function gapOf(s: IdentifyHost, c: Candidate, t: Traffic, depth: number): number {
  if (isUnknown(c)) {
    // A port handed on before its holder used it: it is one of the ports its own source held
    // then, so the traffic is weighed against those. Without this, two unknown ports in the
    // middle frame (one passed on, one idle) leave the relayed one unidentified.
    if (!c.infer || depth >= MAX_CHAIN || t.seen.has(c)) return Infinity;
    const src = sourceOf(s, c);
    if (!src || !src.reports) return Infinity;
    // Its source's ports there may not all be known yet.
    if (!t.releasing && !(src.doc.lastAt > c.at + s.skewMs)) {
      s.awaitStream(src.doc, c.at + s.skewMs);
      return NaN;
    }
    t.seen.add(c);
    let gap = Infinity;
    for (const x of candidates(s, src, c)) {
      const g = gapOf(s, x, t, depth + 1);
      if (Number.isNaN(g)) gap = NaN;
      else if (!Number.isNaN(gap)) gap = Math.min(gap, g);
    }
    t.seen.delete(c);
    return gap;
  }
  // Through a chain, a port made after u arrived (on one clock; within the skew across two)
  // cannot be what u is: the port in the middle frame would have come back before it existed.
  if (depth > 0 && c.createdAt !== null && c.createdAt > t.arrival.at + s.clockSkew(c.createdIn, t.arrival.ctx)) return Infinity;
  let gap = Infinity;
  // Posted on its partner, not delivered anywhere seen, delivered on U (never before it was
  // sent, on one clock; within the skew across two).
  if (t.firstDelivery !== null && c.entangledWith !== null) {
    const head = s.head(c.entangledWith).send;
    if (head && (head.sentAt ?? 0) <= t.firstDelivery.at + s.clockSkew(head.fromContext, t.firstDelivery.ctx)) gap = Math.min(gap, Math.abs(t.firstDelivery.at - (head.sentAt ?? 0)));
  }
  // Delivered on its partner with no send seen, posted on U.
  if (t.firstSend !== null) {
    const head = s.head(c.id).delivery;
    if (head && t.firstSend.at <= (head.deliveredAt ?? 0) + s.clockSkew(t.firstSend.ctx, head.toContext)) gap = Math.min(gap, Math.abs((head.deliveredAt ?? 0) - t.firstSend.at));
  }
  // Or the other half is loose on an unknown port that may be c's partner.
  const partner = c.entangledWith;
  if (gap === Infinity && partner !== null) {
    for (const o of t.others) {
      // (A port on the chain is the one whose traffic this is, if the chain is right.)
      if (t.seen.has(o.x)) continue;
      if (!((o.sends && t.firstDelivery !== null) || (o.deliveries && t.firstSend !== null))) continue;
      if (!(o.mayBe === null || o.mayBe(partner))) continue;
      // U's first send may be delivered on o.x; but U's first delivery, if any, had a send, on
      // c's partner: none in its lane fits, so it was loose on an unknown port (o.x is the
      // partner here, and its holder has reported past it) — else c is not U.
      if (!o.sends && t.firstDelivery !== null && !looseSendFor(s, t, partner, o)) continue;
      return 0;
    }
  }
  return gap;
}

/** U's first delivery may have been sent loose on an unknown port that may be `partner`, or o.x's holder has not reported that far. */
function looseSendFor(s: IdentifyHost, t: Traffic, partner: number, o: Other): boolean {
  const d = t.firstDelivery as Stamp;
  for (const o2 of t.others) if (o2.sends && !t.seen.has(o2.x) && (o2.mayBe === null || o2.mayBe(partner))) return true;
  const h = lastHolder(o.x.rec);
  const c = h ? s.ctx(h.contextId) : undefined;
  return !c || !c.reports || !(c.doc.lastAt > d.at + s.clockSkew(c.rec.id, d.ctx));
}

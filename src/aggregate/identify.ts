// Identity of ports that arrived in a message whose send is unseen (window sends are never
// reported; a worker's inside is invisible). Such a port is one of the ports its source
// context held at that time. In order of strength:
//   evidence: a message posted on a known port X whose partner is candidate C is delivered on
//   the unknown port U (U = C); a message posted on U waits at a known port Y (U = partner(Y));
//   a candidate that is itself unknown (passed on at once, never used where it passed) is
//   weighed by the same traffic against its own source's candidates, along the chain;
//   count: as many candidates remain as ports arrived, once the source's stream has passed
//   the arrival (else a port made just before the send may not be seen yet);
//   a worker's port with no candidate was made inside the worker.
// Timing allows the clock skew between processes, as the matcher does.

import type { MessageRecord, PortRecord } from '../protocol/session';
import type { CtxState, DocState } from './core';
import { isUnknown, type Candidate, type Unknown } from './unknown';

/** What identification reads of the aggregate and the steps it may take: nothing else. */
export interface IdentifyHost {
  /** How far two processes' clocks may disagree, ms. */
  readonly skewMs: number;
  ctx(id: number): CtxState | undefined;
  /** Known port by id (undefined: evicted by the port budget). */
  port(id: number): PortRecord | undefined;
  /** Every known port, in id order. */
  allPorts(): Iterable<PortRecord>;
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
  // The port budget evicted ports it held (budgets.ts): the one that arrived may be one of
  // those, so no inference from here is certain; it stays unknown, then keeps its candidates.
  if (src.lostPorts) return false;
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
  // Count: the carrier's ports still unknown, against the candidates, in the order held.
  if (!releasing && !(src.doc.lastAt > u.at + skew)) {
    s.awaitStream(src.doc, u.at + skew);
    return false;
  }
  const siblings = (s.broughtBy(u.carrier) ?? []).filter((x) => !x.done && x.infer).sort((a, b) => a.k - b.k);
  const group = siblings.includes(u) ? siblings : [u];
  if (group.length !== cands.length) return false;
  const ordered = cands.slice().sort((a, b) => heldSince(a, src) - heldSince(b, src) || idOf(a) - idOf(b));
  group.forEach((x, i) => apply(s, x, ordered[i]));
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

const idOf = (c: Candidate): number => (isUnknown(c) ? 1e15 + c.n : c.id);

function recOf(c: Candidate): PortRecord {
  return isUnknown(c) ? c.rec : c;
}

function heldSince(c: Candidate, src: CtxState): number {
  const hs = recOf(c).holders;
  const h = hs[hs.length - 1];
  return h && h.contextId === src.rec.id ? h.since : 0;
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
    if (!p || !held(p) || s.inFlight(id) || (s.lastUse(id) ?? -Infinity) > limit) continue;
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

/** The one candidate traffic points at; undefined when none, several equally, or not decidable yet. */
function byEvidence(s: IdentifyHost, u: Unknown, cands: Candidate[], releasing: boolean): Candidate | undefined {
  let firstDelivery: Stamp | null = null;
  let firstSend: Stamp | null = null;
  for (const r of u.recs) {
    if (r.sentAt === null && firstDelivery === null && r.deliveredAt !== null) firstDelivery = { at: r.deliveredAt, ctx: r.toContext };
    if (r.sentAt !== null && firstSend === null && (r.outcome.status === 'sent' || r.outcome.status === 'queued')) firstSend = { at: r.sentAt, ctx: r.fromContext };
  }
  if (firstDelivery === null && firstSend === null) return undefined;
  const t: Traffic = { firstDelivery, firstSend, releasing, seen: new Set([u]) };
  let best: Candidate | undefined;
  let bestGap = Infinity;
  let tie = false;
  for (const c of cands) {
    const gap = gapOf(s, c, t, 0);
    if (Number.isNaN(gap)) return undefined;
    if (gap === Infinity) continue;
    if (gap < bestGap) {
      best = c;
      bestGap = gap;
      tie = false;
    } else if (gap === bestGap) tie = true;
  }
  return tie ? undefined : best;
}

/** A time and the context whose clock took it. */
interface Stamp {
  at: number;
  ctx: number | null;
}

interface Traffic {
  firstDelivery: Stamp | null;
  firstSend: Stamp | null;
  releasing: boolean;
  /** Unknowns on the chain so far (a port can come back to where it was). */
  seen: Set<Unknown>;
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
  return gap;
}

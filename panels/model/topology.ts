// The Topology view's model: the frame tree at an instant (from src/aggregate topologyAt),
// each context's ports with their state, entangled pairs, and the handles a shipped port
// left behind (neutered) in the contexts it moved out of.
import { topologyAt, type PortAt } from '../../src/aggregate/timeline';
import type { ContextRecord, PortRecord } from '../../src/protocol/session';
import type { Dataset } from './dataset';
import { listenerCounts } from '../../src/aggregate/listeners';

export type PortState = 'not-started' | 'started' | 'closed' | 'in-flight' | 'lost' | 'state-unknown';

export interface PortChip {
  id: number;
  channelId: number | null;
  state: PortState;
  /** Partner while still entangled at that instant. */
  entangledWith: number | null;
  /** It has moved between contexts at least once by that instant. */
  moved: boolean;
  /** The message carrying it (in flight) or that lost it. */
  messageId: number | null;
  /** Listeners and on* handlers attached to it at that instant. */
  listeners: number;
  /** The context that held its partner and had gone by that instant (removed or navigated), taking the partner with it: sends here are lost. */
  partnerGoneWith: number | null;
  /** Which port it is was not certain: the ports it may be (PortRecord.identity); null when known. */
  candidates: number[] | null;
}

/** A neutered handle: the port was transferred out of this context. */
export interface GhostChip {
  id: number;
  /** The message that took it away. */
  leftIn: number | null;
}

export interface TopoNode {
  context: ContextRecord;
  /** Child frames, by their index in the parent. */
  frames: TopoNode[];
  workers: TopoNode[];
  ports: PortChip[];
  ghosts: GhostChip[];
  /** Listeners and on* handlers on the window (or worker object) itself at that instant. */
  listeners: number;
}

export interface TopologyModel {
  at: number;
  roots: TopoNode[];
  inFlight: PortChip[];
  lost: PortChip[];
  /** Entangled pairs, lower id first. */
  links: [number, number][];
  contextCount: number;
  portCount: number;
}

function stateOf(p: PortAt, rec: PortRecord | undefined): PortState {
  if (p.closed) return 'closed';
  if (p.inFlight !== null) return 'in-flight';
  if (p.holder === null && rec?.lostIn !== null && rec?.lostIn !== undefined) return 'lost';
  if (p.started) return 'started';
  // First seen in use after its start may have happened: "not started" would be a guess.
  return rec?.stateKnown === 'unknown' ? 'state-unknown' : 'not-started';
}

export function topologyModel(d: Dataset, at: number): TopologyModel {
  const src = { contexts: [...d.contexts.values()], ports: [...d.ports.values()], messages: d.messages };
  const topo = topologyAt(src, at);
  const nodes = new Map<number, TopoNode>();
  const counts = listenerCounts(d.listeners.values(), at);
  for (const c of topo.contexts) nodes.set(c.id, { context: c, frames: [], workers: [], ports: [], ghosts: [], listeners: counts.byContext.get(c.id) ?? 0 });
  const roots: TopoNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.context.parentId !== null ? nodes.get(n.context.parentId) : undefined;
    if (!parent) roots.push(n);
    else if (n.context.kind === 'window') parent.frames.push(n);
    else parent.workers.push(n);
  }
  const byIndex = (a: TopoNode, b: TopoNode) => (a.context.indexInParent ?? 1e9) - (b.context.indexInParent ?? 1e9) || a.context.id - b.context.id;
  for (const n of nodes.values()) {
    n.frames.sort(byIndex);
    n.workers.sort((a, b) => a.context.id - b.context.id);
  }
  roots.sort((a, b) => Number(b.context.top) - Number(a.context.top) || a.context.id - b.context.id);

  const inFlight: PortChip[] = [];
  const lost: PortChip[] = [];
  const pairs: [number, number][] = [];
  const shown = new Set<number>();
  let portCount = 0;
  const holderAt = new Map(topo.ports.map((p) => [p.id, p.holder]));
  for (const p of topo.ports) {
    const rec = d.ports.get(p.id);
    const arrived = rec ? rec.holders.filter((h) => h.since <= at) : [];
    const chip: PortChip = {
      id: p.id,
      channelId: p.channelId,
      state: stateOf(p, rec),
      entangledWith: p.entangledWith,
      moved: arrived.length > 1 || p.inFlight !== null || (rec?.shipped === true && p.holder === null),
      messageId: p.inFlight ?? (p.holder === null ? (rec?.lostIn ?? null) : null),
      listeners: counts.byPort.get(p.id) ?? 0,
      partnerGoneWith: null,
      candidates: rec?.identity ? rec.identity.candidates : null,
    };
    const partnerHolder = p.entangledWith !== null ? holderAt.get(p.entangledWith) : undefined;
    if (partnerHolder != null && !nodes.has(partnerHolder) && d.contexts.has(partnerHolder)) chip.partnerGoneWith = partnerHolder;
    // Every context it left keeps a neutered handle; the message that took it is the next arrival's.
    const current = p.holder === null ? arrived.length : arrived.length - 1;
    for (let i = 0; i < current; i++) {
      const left = rec?.holders[i + 1]?.messageId ?? rec?.lostIn ?? null;
      nodes.get(arrived[i].contextId)?.ghosts.push({ id: p.id, leftIn: left });
    }
    const holder = p.holder !== null ? nodes.get(p.holder) : undefined;
    // Held by a document that is gone by then (reloaded, navigated away): the port went with it.
    if (p.holder !== null && !holder) continue;
    shown.add(p.id);
    if (p.entangledWith !== null && p.id < p.entangledWith) pairs.push([p.id, p.entangledWith]);
    if (holder) holder.ports.push(chip);
    else if (chip.state === 'lost') lost.push(chip);
    else inFlight.push(chip);
    portCount++;
  }
  // A pair is linked where both its ports are drawn (not one gone with its document).
  const links = pairs.filter(([, b]) => shown.has(b));
  return { at, roots, inFlight, lost, links, contextCount: nodes.size, portCount };
}

/**
 * The document that took a port's partner away: the partner's last holder, gone now (its frame
 * removed or navigated) while the partner was neither closed nor travelling. Null otherwise.
 */
export function partnerGoneWith(d: Dataset, p: PortRecord): ContextRecord | null {
  const q = p.entangledWith !== null ? d.ports.get(p.entangledWith) : undefined;
  if (!q || q.closed || p.closed || q.lostIn !== null || !q.holders.length) return null;
  const c = d.contexts.get(q.holders[q.holders.length - 1].contextId);
  return c && c.endedAt !== null ? c : null;
}

/** Nodes in display order (depth first: frames, then workers), for keyboard navigation. */
export function flatten(roots: TopoNode[]): TopoNode[] {
  const out: TopoNode[] = [];
  const walk = (n: TopoNode) => {
    out.push(n);
    n.workers.forEach(walk);
    n.frames.forEach(walk);
  };
  roots.forEach(walk);
  return out;
}

export interface PathStep {
  contextId: number;
  since: number;
  /** The message that brought it here (null where it was created). */
  messageId: number | null;
}

/** A port's moves: every context that held it, in order, and how it got there. */
export function portPath(p: PortRecord): { steps: PathStep[]; lostIn: number | null } {
  return { steps: p.holders.map((h) => ({ contextId: h.contextId, since: h.since, messageId: h.messageId })), lostIn: p.lostIn };
}

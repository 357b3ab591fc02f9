// Ports whose identity is not known yet: they arrived in a message whose send is unseen
// (window sends are never reported; a worker's are invisible) or not matched yet. They never
// block a stream: messages on them wait loose until the port is identified, then replay.

import type { WindowPath } from '../protocol/messages';
import type { MessageRecord, PortRecord, TransferRecord } from '../protocol/session';

export interface Unknown {
  /** Serial number, for persistence. */
  n: number;
  /** Provisional record (id 0): holders since the arrival, state set by its holders. */
  rec: PortRecord;
  /** [contextId, local port id] of each context that named it. */
  maps: [number, number][];
  /** The delivery that brought it first, and its index in that delivery's ports. */
  carrier: MessageRecord;
  k: number;
  /** Its send will never be reported: identity is inferred from its source context. */
  infer: boolean;
  /** Source window's frame (window deliveries) or context (worker deliveries), when known. */
  srcFrame: number | null;
  srcCtx: number | null;
  /** Window path still to resolve against the frame tree. */
  path: WindowPath | null;
  at: number;
  /** Messages posted or delivered on it, loose (not stored), in order. */
  recs: MessageRecord[];
  /** Transfer entries that name it (id null until it is known). */
  refs: TransferRecord[];
  /** Stored messages holding those entries (re-sent in the next delta once it is known). */
  touched: MessageRecord[];
  /** Left its holder in a send that was seen, arrival not matched yet. */
  inFlight: boolean;
  /** Last time its current holder used it (post, deliver, start, close). */
  lastUse: number;
  done: boolean;
  /** The port it turned out to be (0 while unknown or merged into another unknown). */
  id: number;
  /** The earlier unknown it turned out to be. */
  into: Unknown | null;
}

/** A candidate for an unknown port: a known port, or another unknown one. */
export type Candidate = PortRecord | Unknown;

export const isUnknown = (c: Candidate): c is Unknown => (c as Unknown).recs !== undefined;

/** Time its current holder got it: the last holder's since. */
export function lastHolder(p: PortRecord): { contextId: number; since: number } | undefined {
  return p.holders[p.holders.length - 1];
}

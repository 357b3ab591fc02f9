// BroadcastChannel matching: a send reaches every other object of the same name and origin
// in the tab. Each (send, receiving object) pair is one message, matched FIFO per sender for
// each receiver; a receiver skips sends made before it was first seen (it did not exist).
// A delivery is joined only when exactly one sender's next send fits it: objects are made
// unseen (no constructor is reported), so time alone never tells two senders apart.

import type { MessageRecord } from '../protocol/session';

export interface BcSend {
  rec: MessageRecord;
  /** The stored send record already holds one delivery: later receivers get copies. */
  used: boolean;
}

export interface BcSender {
  sends: BcSend[];
  /** Index of sends[0] since the sender began (old sends are trimmed). */
  base: number;
}

export interface BcReceiver {
  /** Sender key → absolute index of the next send this receiver may get from it. */
  cursors: Map<string, number>;
  /** Deliveries (stored) whose send is not seen yet, oldest first. */
  waiting: MessageRecord[];
  firstSeen: number;
  /** Senders one of whose sends may have gone to an unpaired delivery here: their order is lost. */
  uncertain?: Set<string>;
}

export interface BcLane {
  senders: Map<string, BcSender>;
  receivers: Map<string, BcReceiver>;
}

/** Sends kept per sender object (receivers further behind lose their pairing, not records). */
const KEEP = 4096;

export class Broadcasts {
  lanes = new Map<string, BcLane>();

  constructor(readonly skewMs: number) {}

  lane(key: string): BcLane {
    let l = this.lanes.get(key);
    if (!l) this.lanes.set(key, (l = { senders: new Map(), receivers: new Map() }));
    return l;
  }

  /** Notes that an object exists from `at` on (the earliest event naming it). */
  seen(key: string, obj: string, at: number): BcReceiver {
    const l = this.lane(key);
    let r = l.receivers.get(obj);
    if (!r) l.receivers.set(obj, (r = { cursors: new Map(), waiting: [], firstSeen: at }));
    else if (at < r.firstSeen) r.firstSeen = at;
    return r;
  }

  addSend(key: string, obj: string, send: BcSend): void {
    const l = this.lane(key);
    let s = l.senders.get(obj);
    if (!s) l.senders.set(obj, (s = { sends: [], base: 0 }));
    s.sends.push(send);
    if (s.sends.length > 2 * KEEP) {
      const n = s.sends.length - KEEP;
      s.sends = s.sends.slice(n);
      s.base += n;
    }
  }

  /**
   * The send that receiver `obj`'s delivery at `at` surely is, consumed; undefined when none
   * fits or more than one sender's might (then those senders' order here is no longer known,
   * and their later sends are candidates that are never taken).
   */
  take(key: string, obj: string, at: number, fits: (send: MessageRecord) => boolean = () => true): BcSend | undefined {
    const l = this.lane(key);
    const r = l.receivers.get(obj);
    if (!r) return undefined;
    const found: [string, number, BcSend][] = [];
    let blocked = false;
    for (const [from, s] of l.senders) {
      if (from === obj) continue;
      let i = Math.max(r.cursors.get(from) ?? 0, s.base);
      while (i - s.base < s.sends.length && (s.sends[i - s.base].rec.sentAt ?? 0) < r.firstSeen - this.skewMs) i++;
      r.cursors.set(from, i);
      const c = s.sends[i - s.base];
      if (!c || (c.rec.sentAt ?? 0) > at + this.skewMs) continue;
      if (r.uncertain?.has(from)) blocked = true;
      else if (fits(c.rec)) found.push([from, i, c]);
    }
    if (found.length === 1 && !blocked) {
      const [from, i, c] = found[0];
      r.cursors.set(from, i + 1);
      return c;
    }
    if (found.length > 1) for (const [from] of found) (r.uncertain ??= new Set()).add(from);
    return undefined;
  }
}

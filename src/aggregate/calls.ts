// The Session's glue to src/decode: what a receiver got is decoded as a library's call, and
// stored records with a call are paired (src/decode/pairing.ts decides who answers whom).
// Its state is its own: the pairing's halves, the decoded calls not offered yet, and the ports
// whose identity a held half's scope still waits on.
import { decodeParsedSample, type DecodedCall } from '../decode';
import { CallPairing, PAIRING_MAX, callScope, refreshLatency, toCallRecord, type CallScope } from '../decode/pairing';
import type { Sample } from '../protocol/sample';
import type { MessageRecord } from '../protocol/session';

/** What the glue needs of the Session: stored records and the channel of a port. */
export interface CallHost {
  get(id: number): MessageRecord | undefined;
  touch(r: MessageRecord): void;
  channelOf(port: number): number | null;
  /** The port a port is entangled with, when known: the other end of a call whose sender is out of sight. */
  partnerOf(port: number): number | null;
  /** How far apart two contexts' clocks may be (calls that reuse an id are told apart by time). */
  skewMs?: number;
}

/** Held halves whose scope is not final yet, by a port of theirs, and what was known of that port then. */
interface Watch {
  known: string;
  recs: Set<MessageRecord>;
}

export class CallGlue {
  private pairing: CallPairing;
  /** The decoded call of records not offered yet. */
  private decoded = new WeakMap<MessageRecord, DecodedCall>();
  /** Port → the held halves whose channel or direction waits on what is known of it. */
  private watch = new Map<number, Watch>();

  constructor(private readonly host: CallHost) {
    this.pairing = this.newPairing();
  }

  private newPairing(): CallPairing {
    return new CallPairing(PAIRING_MAX, this.host.skewMs, (r) => this.unwatch(r));
  }

  /** Decodes a message's sample, the receiver's or the sender's (unknown data stays raw). */
  decode(r: MessageRecord, sample: Sample | null): void {
    if (sample === null) return;
    const d = decodeParsedSample(sample);
    if (!d) return;
    r.call = toCallRecord(d);
    this.decoded.set(r, d);
  }

  /** `into` (the kept half of a join) now carries the call decoded on `from`. */
  carry(from: MessageRecord, into: MessageRecord): void {
    const d = this.decoded.get(from);
    if (d) this.decoded.set(into, d);
  }

  /**
   * A stored record with a call, new or changed (joined, its source found): paired, moved to
   * where its scope now puts it, or its pair's latency refreshed.
   */
  seen(r: MessageRecord): void {
    if (r.id === 0) return;
    const scope = this.scopeOf(r);
    const d = this.decoded.get(r);
    let changed: MessageRecord[];
    if (d) {
      if (scope === null) {
        // Offered once its scope is known; until then it says why it waits.
        const call = r.call;
        if (call && (call.role === 'request' || call.role === 'response') && call.unpaired !== 'no-scope') {
          call.unpaired = 'no-scope';
          this.host.touch(r);
        }
        return;
      }
      this.decoded.delete(r);
      changed = this.pairing.offer(r, d, scope);
    } else if (this.pairing.has(r)) changed = this.pairing.rescope(r, scope);
    else {
      // No longer held (forgotten, or paired before a restart): only its latency can change.
      const other = refreshLatency(r, (id) => this.host.get(id));
      if (other) this.host.touch(other);
      return;
    }
    this.watchIf(r, scope);
    for (const x of changed) this.host.touch(x);
  }

  /**
   * Ports whose record changed (identified, entangled): the held halves whose scope waited on
   * one of them are placed again. Cheap when nothing that matters changed: one lookup per port
   * (per watched port when those are fewer).
   */
  portsChanged(ports: ReadonlySet<number> | readonly number[]): void {
    if (!this.watch.size) return;
    // The Session's dirty ports may be many (kept until its next delta): walk the smaller side.
    const set = ports instanceof Set ? ports : null;
    const list = set && set.size > this.watch.size ? [...this.watch.keys()].filter((p) => set.has(p)) : ports;
    for (const port of list) {
      const w = this.watch.get(port);
      if (!w) continue;
      const known = this.knownOf(port);
      if (known === w.known) continue;
      this.watch.delete(port);
      for (const r of w.recs) if (r.call) this.seen(r);
    }
  }

  private scopeOf(r: MessageRecord): CallScope | null {
    return callScope(r, (port) => this.host.channelOf(port), (port) => this.host.partnerOf(port));
  }

  private knownOf(port: number): string {
    return `${this.host.channelOf(port)}:${this.host.partnerOf(port)}`;
  }

  /** A port message held in its port's own scope, or with an end unknown, waits on its ports. */
  private watchIf(r: MessageRecord, scope: CallScope | null): void {
    if (r.via !== 'port' || !this.pairing.has(r)) return;
    const final = scope !== null && !scope.key.startsWith('p') && scope.from !== null && scope.to !== null;
    if (final && !this.watch.size) return;
    for (const port of [r.toPort, r.fromPort]) {
      if (port === null) continue;
      const w = this.watch.get(port);
      if (final) w?.recs.delete(r);
      else if (w) w.recs.add(r);
      else this.watch.set(port, { known: this.knownOf(port), recs: new Set([r]) });
    }
  }

  private unwatch(r: MessageRecord): void {
    if (!this.watch.size) return;
    for (const port of [r.toPort, r.fromPort]) {
      if (port === null) continue;
      const w = this.watch.get(port);
      if (!w) continue;
      w.recs.delete(r);
      if (!w.recs.size) this.watch.delete(port);
    }
  }

  clear(): void {
    this.pairing.clear();
    this.watch.clear();
  }

  toState<R>(ref: (r: MessageRecord) => R | null): [string, R][] {
    return this.pairing.toState(ref);
  }

  restore<R>(entries: readonly [string, R][], deref: (x: R) => MessageRecord | undefined): void {
    this.watch.clear();
    const held: MessageRecord[] = [];
    this.pairing = CallPairing.fromState(entries, this.pairing.max, (x) => {
      const r = deref(x);
      if (r) held.push(r);
      return r;
    }, (r) => this.scopeOf(r), this.host.skewMs, (r) => this.unwatch(r));
    for (const r of held) this.watchIf(r, this.scopeOf(r));
  }
}

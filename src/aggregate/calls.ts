// The Session's glue to src/decode: what a receiver got is decoded as a library's call, and
// stored records with a call are paired (src/decode/pairing.ts decides who answers whom).
// Its state is its own: the pairing's waiting halves and the decoded calls not paired yet.
import { decodeParsedSample, type DecodedCall } from '../decode';
import { CallPairing, callScope, refreshLatency, toCallRecord } from '../decode/pairing';
import type { Sample } from '../protocol/sample';
import type { MessageRecord } from '../protocol/session';

/** What the glue needs of the Session: stored records and the channel of a port. */
export interface CallHost {
  get(id: number): MessageRecord | undefined;
  touch(r: MessageRecord): void;
  channelOf(port: number): number | null;
  /** The port a port is entangled with, when known: the other end of a call whose sender is out of sight. */
  partnerOf(port: number): number | null;
}

export class CallGlue {
  private pairing = new CallPairing();
  /** The decoded call of records not paired yet. */
  private decoded = new WeakMap<MessageRecord, DecodedCall>();

  constructor(private readonly host: CallHost) {}

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

  /** A stored record with a call: pair it, or refresh its pair's latency when its times changed. */
  seen(r: MessageRecord): void {
    if (r.id === 0) return;
    const call = r.call as NonNullable<MessageRecord['call']>;
    if (call.pairedWith !== null) {
      const other = refreshLatency(r, (id) => this.host.get(id));
      if (other) this.host.touch(other);
      return;
    }
    const d = this.decoded.get(r);
    if (!d) return;
    const scope = callScope(r, (port) => this.host.channelOf(port), (port) => this.host.partnerOf(port));
    if (scope === null) return;
    const other = this.pairing.offer(r, d, scope);
    if (!other) return;
    this.decoded.delete(r);
    this.decoded.delete(other);
    this.host.touch(r);
    this.host.touch(other);
  }

  clear(): void {
    this.pairing.clear();
  }

  toState<R>(ref: (r: MessageRecord) => R | null): [string, R][] {
    return this.pairing.toState(ref);
  }

  restore<R>(entries: readonly [string, R][], deref: (x: R) => MessageRecord | undefined): void {
    this.pairing = CallPairing.fromState(entries, this.pairing.max, deref);
  }
}

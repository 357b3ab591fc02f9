// One copy of each short string that many records repeat (an origin, a "ping" preview, a
// heartbeat's sample): every batch arrives parsed anew, so without this each record holds its
// own copy. Bounded: past MAX strings, new ones are kept as they came.
const MAX = 16_384;
const MAX_LENGTH = 256;

export class Interner {
  private seen = new Map<string, string>();

  intern<T extends string | null>(s: T): T {
    if (s === null || s.length > MAX_LENGTH) return s;
    const have = this.seen.get(s);
    if (have !== undefined) return have as T;
    if (this.seen.size < MAX) this.seen.set(s, s);
    return s;
  }
}

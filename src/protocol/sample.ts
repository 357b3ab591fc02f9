// A bounded, JSON-safe copy of what a receiver got: the payload as a tree the panel can
// open lazily, decoders can read, and a trace file can carry. The page makes it from the
// receiver's fresh clone (never the sender's object); it is cut at fixed budgets and says
// where it was cut, so a reader always knows whether it sees the whole value.
//
// Encoding: JSON primitives stand for themselves (null, true/false, finite numbers and
// strings no longer than SAMPLE_LIMITS.string). Everything else is an object with a `$`
// tag. It travels as JSON text (MessageRecord.sample), so it fits the string columns.

export const SAMPLE_LIMITS = {
  /** Levels of containers below the root that are opened. */
  depth: 6,
  /** Entries kept per array, object, Map or Set. */
  entries: 50,
  /** Characters kept per string (and per object key: a longer key is cut and ends with '…'). */
  string: 1000,
  /**
   * Characters kept of a message that is one string: protocols that post JSON text (post-robot
   * packs an ack and a response with its stack in one) need the whole text to be decoded.
   * Its own budget, apart from `chars`: a sample never holds more than this plus `chars`.
   */
  rootString: 16_384,
  /** Characters of strings and keys in all: past it strings keep no head and containers no more entries. */
  chars: 10_000,
  /** Nodes in all: past it every container is cut ({ $: 'cut' }). */
  nodes: 400,
  /** Leading bytes kept of an ArrayBuffer, typed array or DataView. */
  bytes: 16,
} as const;

export type Sample =
  | null
  | boolean
  | number
  | string
  /** A string longer than the limit: its head and its full length. */
  | { $: 'str'; head: string; length: number }
  | { $: 'undefined' }
  /** NaN, ±Infinity and -0, which JSON cannot carry. */
  | { $: 'number'; v: 'NaN' | 'Infinity' | '-Infinity' | '-0' }
  | { $: 'bigint'; v: string }
  /** Epoch ms (NaN for an invalid date is written as null). */
  | { $: 'date'; v: number | null }
  | { $: 'regexp'; source: string; flags: string }
  /** `length` is the array's length; `items` its first elements (null for holes is `{ $: 'hole' }`). */
  | { $: 'array'; items: Sample[]; length: number }
  | { $: 'hole' }
  /** Own enumerable string keys in order; `count` is how many there were in all. */
  | { $: 'object'; entries: [string, Sample][]; count: number }
  | { $: 'map'; entries: [Sample, Sample][]; size: number }
  | { $: 'set'; items: Sample[]; size: number }
  /**
   * ArrayBuffer or a view: its constructor name, its own byte length (a view's, not its
   * buffer's) and its first bytes (0-255, in memory order): bytes rather than elements so
   * that floats' NaN and bigint elements stay JSON-safe; a reader decodes elements from them.
   */
  | { $: 'bytes'; kind: string; byteLength: number; head: number[] }
  | { $: 'error'; name: string; message: string }
  /** A MessagePort referenced from the data (it arrived in event.ports too). */
  | { $: 'port' }
  | { $: 'blob'; kind: 'Blob' | 'File'; size: number; type: string; name?: string }
  /** Another platform object (ImageBitmap, CryptoKey...): its kind only. */
  | { $: 'other'; kind: string }
  /** An object already met higher up this tree. */
  | { $: 'circular' }
  /** Not opened: depth or node budget reached. `kind` says what was there. */
  | { $: 'cut'; kind: string };

export type SampleTag = Exclude<Sample, null | boolean | number | string>['$'];

/** Stands for a part of the value the sample did not keep (sampleToValue). */
export const TRUNCATED: unique symbol = Symbol('truncated');

/**
 * The sample as a plain value again, for decoders and replay: Maps are Maps, dates Dates,
 * bigints bigints. What the sample cut (strings, entries, opened levels) is not invented:
 * a cut container or string becomes TRUNCATED, and a cut array or object gets the
 * TRUNCATED symbol as a property so a reader can tell it is partial. A buffer or view whose
 * bytes were all kept (byteLength ≤ SAMPLE_LIMITS.bytes) is made again; a longer one is TRUNCATED.
 */
export function sampleToValue(s: Sample): unknown {
  if (s === null || typeof s !== 'object') return s;
  switch (s.$) {
    case 'str':
      return TRUNCATED;
    case 'undefined':
    case 'hole':
      return undefined;
    case 'number':
      return s.v === 'NaN' ? NaN : s.v === 'Infinity' ? Infinity : s.v === '-Infinity' ? -Infinity : -0;
    case 'bigint':
      return BigInt(s.v);
    case 'date':
      return new Date(s.v ?? NaN);
    case 'regexp':
      return new RegExp(s.source, s.flags);
    case 'array': {
      const out = s.items.map(sampleToValue);
      if (s.length > s.items.length) Object.defineProperty(out, TRUNCATED, { value: s.length });
      return out;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of s.entries) Object.defineProperty(out, k, { value: sampleToValue(v), enumerable: true, writable: true, configurable: true });
      if (s.count > s.entries.length) Object.defineProperty(out, TRUNCATED, { value: s.count });
      return out;
    }
    case 'map':
      return new Map(s.entries.map(([k, v]) => [sampleToValue(k), sampleToValue(v)]));
    case 'set':
      return new Set(s.items.map(sampleToValue));
    case 'error':
      return Object.assign(new Error(s.message), { name: s.name });
    case 'bytes':
      return s.head.length === s.byteLength ? bytesValue(s.kind, s.head) : TRUNCATED;
    default:
      // port, blob, other, circular, cut: the sample holds their description only.
      return TRUNCATED;
  }
}

/** A buffer or view whose bytes the sample kept whole, made again (TRUNCATED for an unknown kind). */
function bytesValue(kind: string, head: number[]): unknown {
  const buffer = new Uint8Array(head).buffer;
  if (kind === 'ArrayBuffer') return buffer;
  if (kind === 'DataView') return new DataView(buffer);
  const ctor = (globalThis as Record<string, unknown>)[kind];
  const size = typeof ctor === 'function' ? (ctor as { BYTES_PER_ELEMENT?: unknown }).BYTES_PER_ELEMENT : undefined;
  if (typeof size !== 'number' || !/^(Big)?(Ui|I)nt(8|16|32|64)(Clamped)?Array$|^Float(16|32|64)Array$/.test(kind) || head.length % size !== 0) return TRUNCATED;
  return new (ctor as new (b: ArrayBuffer) => ArrayBufferView)(buffer);
}

/** Parses MessageRecord.sample; a missing or malformed text gives undefined rather than throwing. */
export function parseSample(text: string | null | undefined): Sample | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as Sample;
  } catch {
    return undefined;
  }
}

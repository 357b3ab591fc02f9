// Checks that a value is a well-formed Sample (src/protocol/sample.ts) before anyone trusts
// it: the background checks what a page sent, the trace reader what a file holds. A Sample
// that passes can be rendered and given to sampleToValue without throwing.
import type { Sample } from './sample';

/** Deeper than any sample the page makes (SAMPLE_LIMITS.depth), shallow enough for any stack. */
const MAX_NESTING = 64;

const NUMBER_WORDS: ReadonlySet<string> = new Set(['NaN', 'Infinity', '-Infinity', '-0']);
const INTEGER = /^-?\d+$/;
const FLAGS = /^[dgimsuvy]*$/;

/** What is wrong with `v` as a Sample (with where, e.g. "at .entries[2][1]: ..."), or null when nothing is. */
export function sampleError(v: unknown): string | null {
  // Paths are built only for a sample known to be wrong, so checking a large trace stays fast.
  return isSample(v, 0) ? null : sampleProblem(v);
}

/** check with paths from the root: sampleError's slow half, and what tests compare isSample with. */
export function sampleProblem(v: unknown): string | null {
  return check(v, '', 0);
}

/**
 * The Sample in JSON text, or null when the text is missing, longer than `maxChars`, not
 * JSON, or not a well-formed Sample.
 */
export function readSample(text: unknown, maxChars: number): Sample | null {
  if (typeof text !== 'string' || text.length > maxChars) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  return isSample(v, 0) ? (v as Sample) : null;
}

/**
 * check's verdict without its messages, and without the closures it makes per node: the
 * background runs this on every delivery's sample. The rules are check's, in the same order.
 */
function isSample(v: unknown, nesting: number): boolean {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'object' || Array.isArray(v) || nesting > MAX_NESTING) return false;
  const o = v as Record<string, unknown>;
  const inner = nesting + 1;
  switch (o.$) {
    case 'undefined':
    case 'hole':
    case 'port':
    case 'circular':
      return true;
    case 'str':
      return typeof o.head === 'string' && isCount(o.length) && o.head.length <= o.length;
    case 'number':
      return typeof o.v === 'string' && NUMBER_WORDS.has(o.v);
    case 'bigint':
      return typeof o.v === 'string' && o.v.length <= 100_000 && INTEGER.test(o.v);
    case 'date':
      return o.v === null || (typeof o.v === 'number' && Number.isFinite(o.v));
    case 'regexp':
      if (typeof o.source !== 'string' || typeof o.flags !== 'string' || !FLAGS.test(o.flags)) return false;
      try {
        new RegExp(o.source, o.flags);
        return true;
      } catch {
        return false;
      }
    case 'array':
    case 'set': {
      const n = o.$ === 'array' ? o.length : o.size;
      const items = o.items;
      if (!isCount(n) || !Array.isArray(items)) return false;
      for (let i = 0; i < items.length; i++) if (!isSample(items[i], inner)) return false;
      return items.length <= n;
    }
    case 'object':
    case 'map': {
      const n = o.$ === 'object' ? o.count : o.size;
      const entries = o.entries;
      if (!isCount(n) || !Array.isArray(entries)) return false;
      for (let i = 0; i < entries.length; i++) {
        const pair = entries[i];
        if (!Array.isArray(pair) || pair.length !== 2) return false;
        if (o.$ === 'object' ? typeof pair[0] !== 'string' : !isSample(pair[0], inner)) return false;
        if (!isSample(pair[1], inner)) return false;
      }
      return entries.length <= n;
    }
    case 'bytes': {
      const head = o.head;
      if (typeof o.kind !== 'string' || !isCount(o.byteLength) || !Array.isArray(head)) return false;
      for (let i = 0; i < head.length; i++) {
        const x = head[i];
        if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 255) return false;
      }
      return head.length <= o.byteLength;
    }
    case 'error':
      return typeof o.name === 'string' && typeof o.message === 'string';
    case 'blob':
      return (o.kind === 'Blob' || o.kind === 'File') && isCount(o.size) && typeof o.type === 'string' && (o.name === undefined || typeof o.name === 'string');
    case 'other':
    case 'cut':
      return typeof o.kind === 'string';
    default:
      return false;
  }
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
/** Where in the sample, e.g. ".entries[2][1]" ('' for the root). */
type Path = string;
const at = (path: Path, message: string) => (path ? `at ${path}: ${message}` : message);
const sub = (path: Path, key: string) => `${path}.${key}`;

/** What isSample refuses, said with where (sampleError). */
function check(v: unknown, path: Path, nesting: number): string | null {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? null : at(path, 'a number that JSON cannot carry');
  if (typeof v !== 'object' || Array.isArray(v)) return at(path, 'expected null, a boolean, a number, a string or a tagged object');
  if (nesting > MAX_NESTING) return at(path, `nested deeper than ${MAX_NESTING} levels`);
  const o = v as Record<string, unknown>;
  const str = (key: string) => (typeof o[key] === 'string' ? null : at(sub(path, key), 'expected a string'));
  const count = (key: string) => (isCount(o[key]) ? null : at(sub(path, key), 'expected a count (integer ≥ 0)'));
  const list = (key: string, each: (x: unknown, p: Path) => string | null, min: number): string | null => {
    const a = o[key];
    if (!Array.isArray(a)) return at(sub(path, key), 'expected an array');
    for (let i = 0; i < a.length; i++) {
      const e = each(a[i], `${path}.${key}[${i}]`);
      if (e) return e;
    }
    return a.length <= min ? null : at(sub(path, key), `more entries (${a.length}) than the value had (${min})`);
  };
  const item = (x: unknown, p: Path) => check(x, p, nesting + 1);
  const pair = (first: (x: unknown, p: Path) => string | null) => (x: unknown, p: Path) => {
    if (!Array.isArray(x) || x.length !== 2) return at(p, 'expected a [key, value] pair');
    return first(x[0], `${p}[0]`) ?? item(x[1], `${p}[1]`);
  };
  switch (o.$) {
    case 'undefined':
    case 'hole':
    case 'port':
    case 'circular':
      return null;
    case 'str':
      return str('head') ?? count('length') ?? ((o.head as string).length <= (o.length as number) ? null : at(sub(path, 'head'), 'longer than the string'));
    case 'number':
      return typeof o.v === 'string' && NUMBER_WORDS.has(o.v) ? null : at(sub(path, 'v'), 'expected "NaN", "Infinity", "-Infinity" or "-0"');
    case 'bigint':
      return typeof o.v === 'string' && o.v.length <= 100_000 && INTEGER.test(o.v) ? null : at(sub(path, 'v'), 'expected a decimal integer');
    case 'date':
      return o.v === null || (typeof o.v === 'number' && Number.isFinite(o.v)) ? null : at(sub(path, 'v'), 'expected epoch ms or null');
    case 'regexp': {
      const e = str('source') ?? (typeof o.flags === 'string' && FLAGS.test(o.flags) ? null : at(sub(path, 'flags'), 'expected regular expression flags'));
      if (e) return e;
      try {
        new RegExp(o.source as string, o.flags as string);
        return null;
      } catch {
        return at(sub(path, 'source'), 'not a valid regular expression');
      }
    }
    case 'array':
      return count('length') ?? list('items', item, o.length as number);
    case 'object':
      return count('count') ?? list('entries', pair((k, p) => (typeof k === 'string' ? null : at(p, 'expected a string key'))), o.count as number);
    case 'map':
      return count('size') ?? list('entries', pair(item), o.size as number);
    case 'set':
      return count('size') ?? list('items', item, o.size as number);
    case 'bytes':
      return (
        str('kind') ??
        count('byteLength') ??
        list('head', (x, p) => (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 255 ? null : at(p, 'expected a byte (0-255)')), o.byteLength as number)
      );
    case 'error':
      return str('name') ?? str('message');
    case 'blob':
      return (o.kind === 'Blob' || o.kind === 'File' ? null : at(sub(path, 'kind'), 'expected "Blob" or "File"')) ?? count('size') ?? str('type') ?? (o.name === undefined ? null : str('name'));
    case 'other':
    case 'cut':
      return str('kind');
    default:
      return at(sub(path, '$'), typeof o.$ === 'string' ? `unknown tag "${o.$.slice(0, 40)}"` : 'expected a tag ($)');
  }
}

// The page's sample builder, run in Node over plain accessors: what it keeps, where it cuts
// and says so, what it counts, and that its text is always a well-formed Sample.
import { describe, expect, it } from 'vitest';
import { buildSample, type SampleLimits } from '../../../src/instrument/sample';
import { SAMPLE_LIMITS, TRUNCATED, sampleToValue, type Sample } from '../../../src/protocol/sample';
import { sampleError } from '../../../src/protocol/sample-check';
import { plainAccess } from './plain-access';

/** The sample of `v`, checked to be JSON and well-formed. */
function sampleOf(v: unknown, limits: SampleLimits = SAMPLE_LIMITS): Sample {
  const { text } = buildSample(plainAccess, v, limits);
  expect(text).not.toBeNull();
  const s = JSON.parse(text!) as Sample;
  expect(sampleError(s)).toBeNull();
  return s;
}

type Tagged<T extends string> = Extract<Sample, { $: T }>;
const as = <T extends string>(s: Sample, tag: T): Tagged<T> => {
  expect(s).toMatchObject({ $: tag });
  return s as Tagged<T>;
};

describe('buildSample', () => {
  it('keeps JSON primitives as themselves and tags what JSON cannot carry', () => {
    expect(sampleOf('news')).toBe('news');
    expect(sampleOf(42.5)).toBe(42.5);
    expect(sampleOf(true)).toBe(true);
    expect(sampleOf(null)).toBe(null);
    expect(sampleOf(undefined)).toEqual({ $: 'undefined' });
    expect(sampleOf(NaN)).toEqual({ $: 'number', v: 'NaN' });
    expect(sampleOf(-0)).toEqual({ $: 'number', v: '-0' });
    expect(sampleOf(0)).toBe(0);
    expect(sampleOf(-Infinity)).toEqual({ $: 'number', v: '-Infinity' });
    expect(sampleOf(12345678901234567890n)).toEqual({ $: 'bigint', v: '12345678901234567890' });
    expect(sampleOf('a "quoted"\n\u2028 line')).toBe('a "quoted"\n\u2028 line');
  });

  it('tells each structured-cloneable kind by its type', () => {
    const s = as(sampleOf({ m: new Map<unknown, unknown>([['k', 1], [2, { x: true }]]), s: new Set([1n, 'two']), d: new Date(1700000000000), bad: new Date(NaN), r: /a+b/gi }), 'object');
    const byKey = Object.fromEntries(s.entries);
    expect(byKey.m).toEqual({ $: 'map', entries: [['k', 1], [2, { $: 'object', entries: [['x', true]], count: 1 }]], size: 2 });
    expect(byKey.s).toEqual({ $: 'set', items: [{ $: 'bigint', v: '1' }, 'two'], size: 2 });
    expect(byKey.d).toEqual({ $: 'date', v: 1700000000000 });
    expect(byKey.bad).toEqual({ $: 'date', v: null });
    expect(byKey.r).toEqual({ $: 'regexp', source: 'a+b', flags: 'gi' });
  });

  it('gives buffers and views their kind, own byte length and first bytes', () => {
    const buffer = new ArrayBuffer(64);
    new Uint8Array(buffer).set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    const s = as(sampleOf([buffer, new Uint16Array(buffer, 2, 3), new DataView(buffer, 60), new Float64Array([NaN])]), 'array');
    expect(s.items[0]).toEqual({ $: 'bytes', kind: 'ArrayBuffer', byteLength: 64, head: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16] });
    expect(s.items[1]).toEqual({ $: 'bytes', kind: 'Uint16Array', byteLength: 6, head: [3, 4, 5, 6, 7, 8] });
    expect(s.items[2]).toEqual({ $: 'bytes', kind: 'DataView', byteLength: 4, head: [0, 0, 0, 0] });
    // A float NaN is kept as its bytes, which JSON can carry.
    expect(as(s.items[3], 'bytes').head).toEqual([0, 0, 0, 0, 0, 0, 248, 127]);
  });

  it('counts the bytes of distinct buffers, also those past what the sample kept', () => {
    const shared = new ArrayBuffer(100);
    expect(buildSample(plainAccess, { a: new Uint8Array(shared), b: new Uint32Array(shared), c: shared }).bufferBytes).toBe(100);
    const many = Array.from({ length: 200 }, () => new Uint8Array(10));
    expect(buildSample(plainAccess, many).bufferBytes).toBe(2000);
    const deep = { l1: { l2: { l3: { l4: { l5: { l6: { l7: { l8: new ArrayBuffer(7) } } } } } } } };
    expect(buildSample(plainAccess, deep).bufferBytes).toBe(7);
    expect(buildSample(plainAccess, 'text').bufferBytes).toBe(0);
  });

  it('marks a cycle where the object is met again above, but repeats a shared object', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    expect(sampleOf(loop)).toEqual({ $: 'object', entries: [['name', 'loop'], ['self', { $: 'circular' }]], count: 2 });
    const shared = { x: 1 };
    const s = as(sampleOf([shared, shared]), 'array');
    expect(s.items).toEqual([{ $: 'object', entries: [['x', 1]], count: 1 }, { $: 'object', entries: [['x', 1]], count: 1 }]);
    const m = new Map<unknown, unknown>();
    m.set('me', m);
    expect(sampleOf(m)).toEqual({ $: 'map', entries: [['me', { $: 'circular' }]], size: 1 });
  });

  it('opens the root and SAMPLE_LIMITS.depth levels below it, and cuts the next one', () => {
    let v: unknown = { leaf: 1 };
    for (let i = 0; i < 20; i++) v = { down: v };
    let s = sampleOf(v);
    let levels = 0;
    while (typeof s === 'object' && s !== null && s.$ === 'object') {
      levels++;
      s = s.entries[0][1];
    }
    expect(levels).toBe(SAMPLE_LIMITS.depth + 1);
    expect(s).toEqual({ $: 'cut', kind: 'object' });
  });

  it('keeps the first entries of huge arrays, objects, maps and sets with their true size', () => {
    const big = new Array(100_000).fill(7);
    const a = as(sampleOf(big), 'array');
    expect(a.items).toHaveLength(SAMPLE_LIMITS.entries);
    expect(a.length).toBe(100_000);
    const o = as(sampleOf(Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]))), 'object');
    expect(o.entries.slice(0, 2)).toEqual([['k0', 0], ['k1', 1]]);
    expect([o.entries.length, o.count]).toEqual([SAMPLE_LIMITS.entries, 1000]);
    const m = as(sampleOf(new Map(Array.from({ length: 300 }, (_, i) => [i, i]))), 'map');
    expect([m.entries.length, m.size]).toEqual([SAMPLE_LIMITS.entries, 300]);
    const st = as(sampleOf(new Set(Array.from({ length: 300 }, (_, i) => i))), 'set');
    expect([st.items.length, st.size]).toEqual([SAMPLE_LIMITS.entries, 300]);
  });

  it('cuts a long string to its head and says how long it was', () => {
    expect(sampleOf(['x'.repeat(1_000_000)])).toEqual({ $: 'array', items: [{ $: 'str', head: 'x'.repeat(SAMPLE_LIMITS.string), length: 1_000_000 }], length: 1 });
    expect(sampleOf(['y'.repeat(SAMPLE_LIMITS.string)])).toEqual({ $: 'array', items: ['y'.repeat(SAMPLE_LIMITS.string)], length: 1 });
    // A message that is one string (JSON text: post-robot, JSON-RPC as text) keeps more, within its own bound.
    expect(sampleOf('x'.repeat(1_000_000))).toEqual({ $: 'str', head: 'x'.repeat(SAMPLE_LIMITS.rootString), length: 1_000_000 });
    expect(sampleOf('y'.repeat(SAMPLE_LIMITS.rootString))).toBe('y'.repeat(SAMPLE_LIMITS.rootString));
    const key = 'k'.repeat(5000);
    const o = as(sampleOf({ [key]: 1 }), 'object');
    expect(o.entries[0][0]).toBe('k'.repeat(SAMPLE_LIMITS.string) + '…');
  });

  it('stops at the character budget: later strings keep no head, containers no more entries', () => {
    const s = as(sampleOf(Array.from({ length: 40 }, () => 'z'.repeat(900))), 'array');
    const whole = s.items.filter((x) => typeof x === 'string');
    expect(whole).toHaveLength(Math.floor(SAMPLE_LIMITS.chars / 900));
    expect(s.items[whole.length]).toEqual({ $: 'str', head: 'z'.repeat(SAMPLE_LIMITS.chars % 900), length: 900 });
    expect(s.items.length).toBe(whole.length + 1);
    expect(s.length).toBe(40);
    const row = new Array(200).fill('w'.repeat(1000));
    const { text } = buildSample(plainAccess, Array.from({ length: 200 }, () => row.slice()));
    expect(text!.length).toBeLessThan(SAMPLE_LIMITS.chars + 50_000);
  });

  it('cuts containers once the node budget is spent and keeps the sample bounded', () => {
    const grid = Array.from({ length: 50 }, (_, i) => Array.from({ length: 50 }, (_, j) => i * 50 + j));
    const s = as(sampleOf(grid), 'array');
    const opened = s.items.filter((x) => as(x, x && typeof x === 'object' ? (x as { $: string }).$ : 'array').$ === 'array');
    const cut = s.items.filter((x) => (x as { $: string }).$ === 'cut');
    expect(opened.length).toBe(Math.ceil(SAMPLE_LIMITS.nodes / 51));
    expect(cut.length).toBe(50 - opened.length);
    expect(cut[0]).toEqual({ $: 'cut', kind: 'array' });
    // Past the budget, the entries already open still show their leaves.
    expect(as(opened[opened.length - 1], 'array').items).toHaveLength(50);
  });

  it('keeps holes, undefined and errors apart', () => {
    // eslint-disable-next-line no-sparse-arrays
    const s = as(sampleOf([1, , undefined, new TypeError('bad thing'), new RangeError('x'.repeat(3000))]), 'array');
    expect(s.items.slice(0, 4)).toEqual([1, { $: 'hole' }, { $: 'undefined' }, { $: 'error', name: 'TypeError', message: 'bad thing' }]);
    expect(as(s.items[4], 'error').message).toBe('x'.repeat(SAMPLE_LIMITS.string) + '…');
    expect(s.length).toBe(5);
  });

  it('never runs a getter, even one on a prototype it walks past', () => {
    let calls = 0;
    const o = Object.defineProperty({ plain: 1 }, 'trap', {
      enumerable: true,
      get() {
        calls++;
        throw new Error('ran');
      },
    });
    const proto = Object.create(Array.prototype, { 1: { get: () => (calls++, 'proto') } });
    const holey = Object.setPrototypeOf([0, , 2], proto);
    expect(sampleOf(o)).toEqual({ $: 'object', entries: [['plain', 1], ['trap', { $: 'undefined' }]], count: 2 });
    expect(as(sampleOf(holey), 'array').items[1]).toEqual({ $: 'hole' });
    expect(calls).toBe(0);
  });

  it('describes platform objects by kind and never throws', () => {
    const { port1 } = new MessageChannel();
    const s = as(sampleOf([port1, new Blob(['abc'], { type: 'text/plain' }), new File(['z'], 'f.txt'), new URL('https://a.test/')]), 'array');
    port1.close();
    expect(s.items).toEqual([
      { $: 'port' },
      { $: 'blob', kind: 'Blob', size: 3, type: 'text/plain' },
      { $: 'blob', kind: 'File', size: 1, type: '', name: 'f.txt' },
      { $: 'other', kind: 'URL' },
    ]);
    const broken = { ...plainAccess, keys: () => { throw new Error('boom'); } };
    expect(buildSample(broken, { a: 1 })).toEqual({ text: null, bufferBytes: 0 });
  });

  it('round-trips through sampleToValue where nothing was cut', () => {
    const v = { n: [1, 'two', null, true], m: new Map([['k', new Set([1, 2])]]), d: new Date(5), big: 9n, u: new Uint8Array([1, 2, 3]), f: new Float32Array([1.5, -2]) };
    const back = sampleToValue(sampleOf(v)) as typeof v;
    expect(back).toEqual(v);
    expect(back.u).toBeInstanceOf(Uint8Array);
    expect(Object.is(sampleToValue(sampleOf(-0)), -0)).toBe(true);
    expect(sampleToValue(sampleOf(new Uint8Array(100)))).toBe(TRUNCATED);
    const cutArray = sampleToValue(sampleOf(new Array(80).fill(0))) as unknown[];
    expect(cutArray).toHaveLength(SAMPLE_LIMITS.entries);
    expect((cutArray as unknown as Record<symbol, unknown>)[TRUNCATED]).toBe(80);
  });

  it('follows the limits it is given', () => {
    const small = { ...SAMPLE_LIMITS, depth: 1, entries: 2, string: 3, nodes: 100, bytes: 2, chars: 100 };
    expect(sampleOf({ a: 'abcdef', b: { c: { d: 1 } }, z: 3 }, small)).toEqual({
      $: 'object',
      entries: [['a', { $: 'str', head: 'abc', length: 6 }], ['b', { $: 'object', entries: [['c', { $: 'cut', kind: 'object' }]], count: 1 }]],
      count: 3,
    });
    expect(sampleOf(new Uint8Array([9, 8, 7]), small)).toEqual({ $: 'bytes', kind: 'Uint8Array', byteLength: 3, head: [9, 8] });
  });

  it('writes any string as JSON.stringify would, quoting plain ones itself', () => {
    const strings = ['', 'ping', 'a"b', 'back\\slash', 'tab\there', 'nul\u0000', 'line\u2028sep', 'é€😀', 'lone \ud800 high', 'lone \udc00 low', 'x'.repeat(64), 'y'.repeat(65) + '"'];
    for (const str of strings) {
      expect(buildSample(plainAccess, str).text).toBe(JSON.stringify(str));
      expect(buildSample(plainAccess, { [str]: str }).text).toBe(`{"$":"object","entries":[[${JSON.stringify(str)},${JSON.stringify(str)}]],"count":1}`);
    }
  });

  it('reads a fresh clone directly and writes the same sample as through descriptors', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    // eslint-disable-next-line no-sparse-arrays
    const payloads: unknown[] = [{ type: 'rpc', id: 7, args: [42, { fields: ['name', 'email'] }] }, loop, [1, , 3], new Map([['k', new Set([1])]]), Array.from({ length: 300 }, (_, i) => ({ i })), { __proto__: null, own: 1 }];
    for (const v of payloads) {
      const clone = structuredClone(v);
      expect(buildSample(plainAccess, clone, SAMPLE_LIMITS, true)).toEqual(buildSample(plainAccess, clone));
    }
  });

  it('never reads a hole of a clone through Array.prototype', () => {
    let reads = 0;
    // eslint-disable-next-line no-sparse-arrays
    const clone = structuredClone([1, , 3]);
    let text: string | null;
    Object.defineProperty(Array.prototype, '1', { get: () => ++reads, configurable: true });
    try {
      text = buildSample(plainAccess, clone, SAMPLE_LIMITS, true).text;
    } finally {
      delete (Array.prototype as unknown as Record<string, unknown>)['1'];
    }
    expect(JSON.parse(text!)).toEqual({ $: 'array', items: [1, { $: 'hole' }, 3], length: 3 });
    expect(reads).toBe(0);
  });
});

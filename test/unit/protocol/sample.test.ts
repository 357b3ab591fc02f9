// Reading samples: the check that guards the background and the trace reader, the preview
// derived from a sample (the text the page used to make itself), and parseSample.
import { describe, expect, it } from 'vitest';
import { buildSample } from '../../../src/instrument/sample';
import { parseSample, sampleToValue, type Sample } from '../../../src/protocol/sample';
import { readSample, sampleError, sampleProblem } from '../../../src/protocol/sample-check';
import { samplePreview } from '../../../src/protocol/sample-preview';
import { plainAccess } from '../instrument/plain-access';

const previewOf = (v: unknown) => samplePreview(JSON.parse(buildSample(plainAccess, v).text!) as Sample);

describe('samplePreview', () => {
  it('writes what the page wrote before samples, for the payloads users send', () => {
    const nested = { type: 'rpc', id: 7, args: [1, 'two', { deep: { deeper: { deepest: 1 } } }], meta: null };
    // [payload, the preview the page itself made before samples existed]
    const corpus: [unknown, string][] = [
      ['news', '"news"'],
      [42, '42'],
      [true, 'true'],
      [null, 'null'],
      [undefined, 'undefined'],
      [10n, '10n'],
      [{ ask: 1 }, '{ask: 1}'],
      [nested, '{type: "rpc", id: 7, args: [1, "two", {deep: {…}}], meta: null}'],
      [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], '[1, 2, 3, 4, 5, 6, 7, 8, …3]'],
      [Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i])), '{k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, …4}'],
      // eslint-disable-next-line no-sparse-arrays
      [[1, , 3], '[1, empty, 3]'],
      [new Map<unknown, unknown>([['a', 1], [{ k: 1 }, [2]]]), 'Map(2) {"a" => 1, {k: 1} => [2]}'],
      [new Set(['x', 'y']), 'Set(2) {"x", "y"}'],
      [new Date(1700000000000), 'Date(1700000000000)'],
      [new ArrayBuffer(2048), 'ArrayBuffer(2048)'],
      [new Uint8Array(16), 'Uint8Array(16 bytes)'],
      [new TypeError('bad'), 'TypeError: bad'],
      ['x'.repeat(500), '"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"'],
      [{ text: 'y'.repeat(70), list: Array.from({ length: 30 }, (_, i) => ({ i, name: `item ${i}` })) }, '{text: "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy…", list: [{i: 0, name: "item 0"}, {i: 1, name: "item 1"}, {i: 2, name: "item 2"}, {i: 3, name: "item 3"}, {i: 4, name: "item 4"}, …'],
      [NaN, 'NaN'],
      [[[[['four levels']]]], '[[[[…]]]]'],
    ];
    for (const [v, expected] of corpus) expect(previewOf(v)).toBe(expected);
  });

  it('is at most 200 characters and shows where it stopped', () => {
    const p = previewOf({ text: 'y'.repeat(50), list: Array.from({ length: 30 }, (_, i) => `entry number ${i}`) });
    expect(p).toHaveLength(200);
    expect(p.endsWith('…')).toBe(true);
  });

  it('names what the old preview showed as {}', () => {
    expect(previewOf([/a+/g, -0, new Blob(['ab'])])).toBe('[/a+/g, -0, Blob(2)]');
    expect(samplePreview({ $: 'port' })).toBe('MessagePort');
    expect(samplePreview({ $: 'other', kind: 'ImageBitmap' })).toBe('ImageBitmap');
    expect(samplePreview({ $: 'array', items: [], length: 3 })).toBe('[…3]');
  });
});

describe('sampleError', () => {
  it('accepts every sample the builder makes', () => {
    const loop: Record<string, unknown> = {};
    loop.loop = loop;
    for (const v of [loop, new Map([[1, new Set([new Date()])]]), [new Uint8Array(3), 1n, NaN, /x/y], 'z'.repeat(5000)]) {
      expect(sampleError(JSON.parse(buildSample(plainAccess, v).text!))).toBeNull();
    }
  });

  it('says what is wrong and where', () => {
    const cases: [unknown, string][] = [
      [{ $: 'nope' }, 'at .$: unknown tag "nope"'],
      [{ v: 1 }, 'at .$: expected a tag ($)'],
      [[1, 2], 'expected null, a boolean, a number, a string or a tagged object'],
      [{ $: 'array', items: [1, { $: 'bigint', v: '1.5' }], length: 2 }, '.items[1].v: expected a decimal integer'],
      [{ $: 'array', items: [1, 2], length: 1 }, '.items: more entries (2) than the value had (1)'],
      [{ $: 'object', entries: [[1, 2]], count: 1 }, '.entries[0][0]: expected a string key'],
      [{ $: 'object', entries: [['a']], count: 1 }, '.entries[0]: expected a [key, value] pair'],
      [{ $: 'map', entries: [], size: -1 }, '.size: expected a count (integer ≥ 0)'],
      [{ $: 'bytes', kind: 'Uint8Array', byteLength: 2, head: [1, 256] }, '.head[1]: expected a byte (0-255)'],
      [{ $: 'regexp', source: '(', flags: '' }, '.source: not a valid regular expression'],
      [{ $: 'regexp', source: 'a', flags: 'q' }, '.flags: expected regular expression flags'],
      [{ $: 'str', head: 'abc', length: 2 }, '.head: longer than the string'],
      [{ $: 'number', v: 'one' }, '.v: expected "NaN", "Infinity", "-Infinity" or "-0"'],
      [{ $: 'date', v: 'today' }, '.v: expected epoch ms or null'],
      [{ $: 'blob', kind: 'Image', size: 1, type: '' }, '.kind: expected "Blob" or "File"'],
    ];
    for (const [v, message] of cases) expect(sampleError(v)).toContain(message);
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { $: 'array', items: [deep], length: 1 };
    expect(sampleError(deep)).toMatch(/nested deeper than 64 levels/);
  });

  it('lets readSample refuse what is missing, too long, not JSON or malformed', () => {
    expect(readSample('{"$":"undefined"}', 100)).toEqual({ $: 'undefined' });
    expect(readSample(undefined, 100)).toBeNull();
    expect(readSample('"' + 'x'.repeat(200) + '"', 100)).toBeNull();
    expect(readSample('{"$":"object"', 100)).toBeNull();
    expect(readSample('{"$":"object","entries":[],"count":"1"}', 100)).toBeNull();
  });
});

describe('parseSample and sampleToValue', () => {
  it('parse text and give plain values back', () => {
    expect(parseSample('not json')).toBeUndefined();
    expect(parseSample(null)).toBeUndefined();
    const s = parseSample(buildSample(plainAccess, { when: new Date(3), tags: new Set(['a']), err: new RangeError('r') }).text)!;
    const v = sampleToValue(s) as { when: Date; tags: Set<string>; err: Error };
    expect(v.when.getTime()).toBe(3);
    expect([...v.tags]).toEqual(['a']);
    expect([v.err.name, v.err.message]).toEqual(['RangeError', 'r']);
  });
});

describe('the fast sample check', () => {
  // readSample's verdict (isSample) and sampleError's messages (check) are two walks of the
  // same rules: every sample and every broken copy of one gets the same answer from both.
  it('agrees with the explaining check on valid samples and on every one-field break of them', () => {
    const loop: Record<string, unknown> = {};
    loop.loop = loop;
    const values: unknown[] = [
      loop,
      { t: 'ping', n: 1, deep: { a: [1, [2, [3, [4, [5, [6, [7]]]]]]] } },
      new Map<unknown, unknown>([[1, new Set([new Date(), new Date(NaN)])], [{ k: 1 }, 'v']]),
      [new Uint8Array(3), new DataView(new ArrayBuffer(4)), 1n, NaN, -0, Infinity, /x/y, undefined, null, true],
      'z'.repeat(5000),
      Object.assign(new Error('boom'), { name: 'TypeError' }),
      new Blob(['ab']),
      new File(['abc'], 'f.txt'),
      // eslint-disable-next-line no-sparse-arrays
      [1, , 3],
      Array.from({ length: 80 }, (_, i) => i),
    ];
    const breaks: unknown[] = [undefined, -1, 1.5, 'x', 300, NaN, [], {}, null, { $: 'nope' }, [1], [[1, 2]], [['k']]];
    let compared = 0;
    const mutate = (node: unknown, visit: (copy: unknown) => void, path: (string | number)[] = []) => {
      if (typeof node !== 'object' || node === null) return;
      for (const key of Object.keys(node)) {
        for (const b of breaks) {
          const root = structuredClone(sample);
          let at = root as Record<string | number, unknown>;
          for (const p of path) at = at[p] as Record<string | number, unknown>;
          if (b === undefined) delete at[key];
          else at[key] = b;
          visit(root);
        }
        mutate((node as Record<string, unknown>)[key], visit, [...path, Array.isArray(node) ? Number(key) : key]);
      }
    };
    let sample: unknown;
    for (const v of values) {
      sample = JSON.parse(buildSample(plainAccess, v).text!);
      expect(sampleProblem(sample)).toBeNull();
      expect(readSample(JSON.stringify(sample), Infinity)).toEqual(sample);
      mutate(sample, (broken) => {
        compared++;
        // As the background gets it: through JSON (a NaN break arrives as null).
        const text = JSON.stringify(broken);
        const fast = readSample(text, Infinity) !== null;
        expect([fast, text]).toEqual([sampleProblem(JSON.parse(text)) === null, text]);
        expect(sampleError(JSON.parse(text)) === null).toBe(fast);
      });
    }
    expect(compared).toBeGreaterThan(2000);
  });
});

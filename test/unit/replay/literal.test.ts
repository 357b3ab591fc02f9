import { describe, expect, it } from 'vitest';
import { buildSample } from '../../../src/instrument/sample';
import { sampleToValue, type Sample } from '../../../src/protocol/sample';
import { LITERAL_LIMITS, formatSample, parseLiteral, sampleGaps } from '../../../src/replay/literal';
import { plainAccess } from '../instrument/plain-access';

const sampleOf = (v: unknown): Sample => JSON.parse(buildSample(plainAccess, v).text as string) as Sample;
const parsed = (text: string): unknown => {
  const r = parseLiteral(text);
  if (!r.ok) throw new Error(`${r.error.line}:${r.error.column} ${r.error.message}`);
  return r.value;
};
const failure = (text: string) => {
  const r = parseLiteral(text);
  if (r.ok) throw new Error(`parsed: ${String(r.value)}`);
  return r.error;
};

describe('parseLiteral: the types the structured clone keeps', () => {
  it('reads primitives JSON cannot carry', () => {
    expect(parsed('undefined')).toBeUndefined();
    expect(parsed('NaN')).toBeNaN();
    expect(parsed('Infinity')).toBe(Infinity);
    expect(parsed('-Infinity')).toBe(-Infinity);
    expect(Object.is(parsed('-0'), -0)).toBe(true);
    expect(parsed('123n')).toBe(123n);
    expect(parsed('-18446744073709551616n')).toBe(-(2n ** 64n));
    expect(parsed('0x1fn')).toBe(31n);
    expect(parsed('0x1f')).toBe(31);
    expect(parsed('1.5e3')).toBe(1500);
    expect(parsed("'it\\'s' ")).toBe("it's");
    expect(parsed('"\\u{1F600}\\x41\\n"')).toBe('😀A\n');
  });

  it('reads containers, holes and trailing commas as JavaScript does', () => {
    const a = parsed('[1, , 3,]') as unknown[];
    expect(a).toHaveLength(3);
    expect(1 in a).toBe(false);
    expect(parsed('{ a: 1, "b c": [true], 2: null, }')).toEqual({ a: 1, 'b c': [true], 2: null });
    expect(parsed('Map { "a" => 1, 2n => Set { 3, "x" } }')).toEqual(new Map<unknown, unknown>([['a', 1], [2n, new Set([3, 'x'])]]));
    expect(parsed('Set {}')).toEqual(new Set());
  });

  it('reads dates, regular expressions, errors, buffers and typed arrays', () => {
    expect((parsed('Date("2024-01-31T12:00:00.000Z")') as Date).getTime()).toBe(Date.UTC(2024, 0, 31, 12));
    expect((parsed('Date(0)') as Date).getTime()).toBe(0);
    expect((parsed('Date(NaN)') as Date).getTime()).toBeNaN();
    const re = parsed('/a[/]b\\//gi') as RegExp;
    expect([re.source, re.flags]).toEqual(['a[/]b\\/', 'gi']);
    const e = parsed('TypeError("bad")') as Error;
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe('bad');
    expect(parsed('Uint8Array [1, 2, 255]')).toEqual(new Uint8Array([1, 2, 255]));
    expect(parsed('Float64Array [-0, NaN, 1.5]')).toEqual(new Float64Array([-0, NaN, 1.5]));
    expect(parsed('BigInt64Array [-1n, 2n]')).toEqual(new BigInt64Array([-1n, 2n]));
    expect(new Uint8Array(parsed('ArrayBuffer [0, 255]') as ArrayBuffer)).toEqual(new Uint8Array([0, 255]));
    expect((parsed('DataView [7]') as DataView).getUint8(0)).toBe(7);
  });

  it('allows comments and white space anywhere between tokens', () => {
    expect(parsed('// what the child expects\n{ /* id */ id: 1 }\n')).toEqual({ id: 1 });
  });
});

describe('parseLiteral: errors say where and what was expected', () => {
  it.each([
    ['{ a: 1 b: 2 }', 1, 8, "expected ',' or '}' after an entry, found 'b'"],
    ['[1, 2', 1, 6, "expected ',' or ']' after an array item, found the end of the text"],
    ['{\n  a 1\n}', 2, 5, `expected ':' after the key "a", found '1'`],
    ['Map { 1: 2 }', 1, 8, "expected '=>' between a Map key and its value, found ':'"],
    ['"abc', 1, 1, 'this string is never closed (expected ")'],
    ['"a\nb"', 1, 3, 'a line break inside a string: write \\n, or close the string with "'],
    ['1.5n', 1, 1, 'a BigInt must be an integer: 1.5n'],
    ['Uint8Array [256]', 1, 13, 'expected an integer from 0 to 255 for Uint8Array'],
    ['BigInt64Array [1]', 1, 16, 'expected a BigInt from -9223372036854775808n to 9223372036854775807n for BigInt64Array'],
    ['Date("soon")', 1, 1, 'not a date: "soon" (write an ISO date like "2024-01-31T12:00:00.000Z", epoch milliseconds, or NaN)'],
    ['/(/', 1, 1, 'not a valid regular expression'],
    ['foo', 1, 1, "unknown word 'foo'"],
    ['1 2', 1, 3, "expected the end of the text after the value, found '2'"],
    ['', 1, 1, 'expected a value, found the end of the text'],
    ['/* open', 1, 1, 'this comment is never closed (expected */)'],
    ['"\\q"', 1, 2, 'unknown escape \\q in a string'],
  ])('%j', (text, line, column, message) => {
    const e = failure(text);
    expect({ line: e.line, column: e.column }).toEqual({ line, column });
    expect(e.message).toContain(message);
  });

  it('stops at a part the recording did not keep and says what to do', () => {
    const e = failure('{ a: 1, b: <cut 3 more entries> }');
    expect(e).toMatchObject({ line: 1, column: 12 });
    expect(e.message).toBe('the recording did not keep this part (<cut 3 more entries>): write the value to send in its place, or remove it');
  });
});

describe('parseLiteral: hostile input', () => {
  it('refuses nesting beyond the limit without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const e = failure(deep);
    expect(e.message).toBe(`nesting deeper than ${LITERAL_LIMITS.depth} levels`);
    expect(e.column).toBe(LITERAL_LIMITS.depth + 1);
    expect(parsed('['.repeat(LITERAL_LIMITS.depth) + ']'.repeat(LITERAL_LIMITS.depth))).toBeInstanceOf(Array);
  });

  it('refuses text over the size limit, and reads large text within it', () => {
    expect(failure('"' + 'x'.repeat(LITERAL_LIMITS.length) + '"').message).toContain(`at most ${LITERAL_LIMITS.length}`);
    const big = '[' + Array.from({ length: 50_000 }, (_, i) => i).join(',') + ']';
    expect((parsed(big) as number[])[49_999]).toBe(49_999);
  });

  it('keeps __proto__, constructor and prototype keys as own data, never the prototype', () => {
    const v = parsed('{ "__proto__": { polluted: true }, constructor: 1, prototype: 2 }') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const bare = parsed('{ __proto__: [1] }') as object;
    expect(Array.isArray(Object.getPrototypeOf(bare))).toBe(false);
  });

  it('never throws, whatever bytes it is given', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const alphabet = '[]{}()<>,:=>"\'\\/nN0123456789.-+eExMapSetDate \n*abc';
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
      expect(() => parseLiteral(text)).not.toThrow();
    }
  });
});

describe('formatSample → parseLiteral round trips', () => {
  const values: [string, unknown][] = [
    ['primitives', [null, true, false, 0, -0, 1.5, -2e-7, NaN, Infinity, -Infinity, undefined, 12345678901234567890n, -1n, '', 'a"b\\c\n\u2028', '\ud800']],
    ['holes', [1, , 3, ,]],
    ['nested objects', { a: { b: { c: [1, { d: 'deep' }] } }, 'not an ident': 1, __proto__key: 2, $x: 3 }],
    ['a Map with a BigInt and a Set', new Map<unknown, unknown>([['big', 2n ** 64n], [{ k: 1 }, new Set([1, 'two', null])]])],
    ['dates', [new Date(0), new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 999)), new Date(NaN)]],
    ['regular expressions', [/a\/b[/]c/gimsuy, new RegExp(''), /\n/]],
    ['typed arrays', [new Uint8Array([1, 2, 3]), new Int16Array([-1, 300]), new Float32Array([0.5, -0]), new BigUint64Array([2n ** 64n - 1n]), new Uint8Array([9, 8]).buffer]],
    ['errors', [new TypeError('bad'), new RangeError('far')]],
    ['a long array broken over lines', Array.from({ length: 30 }, (_, i) => ({ index: i, label: `item ${i}` }))],
  ];
  it.each(values)('%s', (_, value) => {
    const s = sampleOf(value);
    expect(sampleGaps(s)).toEqual([]);
    const text = formatSample(s);
    const back = parsed(text);
    expect(back).toEqual(value);
    // Formatting what was parsed again gives the same text.
    expect(formatSample(sampleOf(back))).toBe(text);
  });

  it('parses what it formats into the value sampleToValue gives', () => {
    const s = sampleOf({ a: [1, , 'x'], m: new Map([[1n, new Set([-0])]]), d: new Date(5) });
    expect(parsed(formatSample(s))).toEqual(sampleToValue(s));
  });

  it('keeps an own "__proto__" key through the round trip', () => {
    const v: Record<string, unknown> = {};
    Object.defineProperty(v, '__proto__', { value: 1, enumerable: true, writable: true, configurable: true });
    const text = formatSample(sampleOf(v));
    expect(text).toBe('{ "__proto__": 1 }');
    expect(Object.getOwnPropertyDescriptor(parsed(text) as object, '__proto__')?.value).toBe(1);
  });

  it('writes what the sample cut as placeholders, and says why it cannot be replayed as it was', () => {
    const value = { long: 'x'.repeat(5000), list: Array.from({ length: 80 }, (_, i) => i), bytes: new Uint8Array(64) };
    const s = sampleOf(value);
    const text = formatSample(s);
    expect(text).toContain('<cut: the string had 5000 characters>');
    expect(text).toContain('<cut 30 more items>');
    expect(text).toContain('<cut 48 more bytes>');
    expect(sampleGaps(s)).toEqual(['a long string was cut', 'an array was cut', 'only the first 16 of 64 bytes of a Uint8Array were kept']);
    expect(parseLiteral(text).ok).toBe(false);
  });

  it('names ports, cycles and platform objects as what cannot be replayed', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(sampleGaps(sampleOf(cyclic))).toEqual(['it refers to itself (cycles are not kept)']);
    const s: Sample = { $: 'array', length: 2, items: [{ $: 'port' }, { $: 'other', kind: 'ImageBitmap' }] };
    expect(sampleGaps(s)).toEqual(['it holds a MessagePort (ports and other transferables cannot be replayed)', 'it holds a ImageBitmap, which the recording does not keep']);
    expect(formatSample(s)).toBe('[\n  <port: a MessagePort cannot be replayed>,\n  <ImageBitmap: not kept by the recording>,\n]');
  });
});

// Every rule that decides whether two runs differ: count tolerances, latency factor and floor, stats.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/args';
import { EXACT, latencyWithin, parseFactor, parseTolerance, stats, withinTolerance } from '../../../src/cli/diff-tolerance';

describe('parseTolerance', () => {
  it('reads a count, a signed count and a percentage', () => {
    expect(parseTolerance('3')).toEqual({ kind: 'absolute', value: 3 });
    expect(parseTolerance('±2')).toEqual({ kind: 'absolute', value: 2 });
    expect(parseTolerance('+2')).toEqual({ kind: 'absolute', value: 2 });
    expect(parseTolerance('10%')).toEqual({ kind: 'percent', value: 10 });
    expect(parseTolerance('2.5%')).toEqual({ kind: 'percent', value: 2.5 });
  });
  it('rejects what is not one, with a usage error', () => {
    for (const bad of ['', 'ten', '-3', '10 %', '150%', '%', '3%%']) expect(() => parseTolerance(bad), bad).toThrow(UsageError);
  });
});

describe('withinTolerance', () => {
  it('exact by default: any change differs', () => {
    expect(withinTolerance(5, 5, EXACT)).toBe(true);
    expect(withinTolerance(5, 6, EXACT)).toBe(false);
    expect(withinTolerance(6, 5, EXACT)).toBe(false);
  });
  it('±N: up to N either way, not N+1', () => {
    const t = parseTolerance('2');
    expect(withinTolerance(10, 12, t)).toBe(true);
    expect(withinTolerance(10, 8, t)).toBe(true);
    expect(withinTolerance(10, 13, t)).toBe(false);
    expect(withinTolerance(10, 7, t)).toBe(false);
  });
  it('N%: of the earlier count, either way, bound included', () => {
    const t = parseTolerance('10%');
    expect(withinTolerance(30, 33, t)).toBe(true);
    expect(withinTolerance(30, 27, t)).toBe(true);
    expect(withinTolerance(30, 34, t)).toBe(false);
    expect(withinTolerance(100, 89, t)).toBe(false);
    // Relative to before, not after: 10 → 11 is 10% of 10.
    expect(withinTolerance(10, 11, t)).toBe(true);
    expect(withinTolerance(11, 10, t)).toBe(true);
  });
  it('appearing or disappearing always differs, whatever the tolerance', () => {
    expect(withinTolerance(0, 1, parseTolerance('5'))).toBe(false);
    expect(withinTolerance(1, 0, parseTolerance('5'))).toBe(false);
    expect(withinTolerance(0, 1, parseTolerance('100%'))).toBe(false);
    expect(withinTolerance(0, 0, EXACT)).toBe(true);
  });
});

describe('latency', () => {
  const rule = { factor: 2, floorMs: 5 };
  it('within the factor, or within the floor, is the same', () => {
    expect(latencyWithin(10, 20, rule)).toBe(true);
    expect(latencyWithin(20, 10, rule)).toBe(true);
    expect(latencyWithin(0.2, 4, rule)).toBe(true); // ×20 but only 3.8 ms
    expect(latencyWithin(0, 5, rule)).toBe(true);
  });
  it('beyond both the factor and the floor differs, up or down', () => {
    expect(latencyWithin(10, 20.5, rule)).toBe(false);
    expect(latencyWithin(30, 10, rule)).toBe(false);
    expect(latencyWithin(0, 6, rule)).toBe(false);
  });
  it('parseFactor takes 2, 1.5 and 3x; below 1 is a usage error', () => {
    expect(parseFactor('2')).toBe(2);
    expect(parseFactor('1.5')).toBe(1.5);
    expect(parseFactor('3x')).toBe(3);
    for (const bad of ['0.5', 'x', '', '-2', 'two']) expect(() => parseFactor(bad), bad).toThrow(UsageError);
  });
  it('stats: median (mean of the middle pair) and nearest-rank p95', () => {
    expect(stats([])).toBeNull();
    expect(stats([4])).toEqual({ n: 1, median: 4, p95: 4 });
    expect(stats([3, 1, 2, 4])).toEqual({ n: 4, median: 2.5, p95: 4 });
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(stats(hundred)).toEqual({ n: 100, median: 50.5, p95: 95 });
  });
});

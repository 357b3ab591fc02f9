// The rules that decide whether two numbers from two runs of one flow differ: counts within
// a tolerance (±N or N%), latencies within a factor above a floor. Each rule has its tests.
import { UsageError } from './args';

/** ±`value` messages, or `value` percent of the earlier count. */
export type Tolerance = { kind: 'absolute'; value: number } | { kind: 'percent'; value: number };

export const EXACT: Tolerance = { kind: 'absolute', value: 0 };

/** "10%" or "3" (also "±3", "+3"). */
export function parseTolerance(raw: string): Tolerance {
  const m = /^[±+]?(\d+(?:\.\d+)?)(%?)$/.exec(raw.trim());
  if (!m) throw new UsageError(`--tolerance expects a count (e.g. 3) or a percentage (e.g. 10%), got "${raw}"`);
  const value = Number(m[1]);
  if (m[2] && value > 100) throw new UsageError(`--tolerance cannot be above 100%, got "${raw}"`);
  return m[2] ? { kind: 'percent', value } : { kind: 'absolute', value };
}

export function describeTolerance(t: Tolerance): string {
  return t.kind === 'percent' ? `${t.value}%` : t.value === 0 ? 'exact' : `±${t.value}`;
}

/**
 * Whether `after` is `before` within the tolerance. Something that appears or disappears
 * (0 on one side only) always differs: a tolerance absorbs noise in how many, never whether.
 */
export function withinTolerance(before: number, after: number, t: Tolerance): boolean {
  if (before === after) return true;
  if (before === 0 || after === 0) return false;
  const allowed = t.kind === 'absolute' ? t.value : (t.value / 100) * before;
  // A hair of slack for percentages that land exactly on the bound (10% of 30 = 3.0000000000000004).
  return Math.abs(after - before) <= allowed + 1e-9;
}

export interface LatencyRule {
  /** A latency differs when it grew or shrank by more than this factor... */
  factor: number;
  /** ...and by more than this many milliseconds (sub-millisecond jitter is not a regression). */
  floorMs: number;
}

export const DEFAULT_LATENCY: LatencyRule = { factor: 2, floorMs: 5 };

export function parseFactor(raw: string): number {
  const n = Number(raw.trim().replace(/x$/i, ''));
  if (!/^\d+(\.\d+)?x?$/i.test(raw.trim()) || !(n >= 1)) throw new UsageError(`--latency-factor expects a number ≥ 1 (e.g. 2 or 1.5x), got "${raw}"`);
  return n;
}

export function latencyWithin(before: number, after: number, rule: LatencyRule): boolean {
  if (Math.abs(after - before) <= rule.floorMs) return true;
  const lo = Math.min(before, after);
  const hi = Math.max(before, after);
  // A latency of 0 ms against one past the floor: no factor reaches it.
  if (lo <= 0) return false;
  return hi / lo <= rule.factor + 1e-9;
}

/** Median (mean of the middle two for an even count) and p95 (nearest rank); null for no values. */
export function stats(values: readonly number[]): { n: number; median: number; p95: number } | null {
  if (!values.length) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  const p95 = v[Math.max(0, Math.ceil(0.95 * v.length) - 1)];
  return { n: v.length, median, p95 };
}

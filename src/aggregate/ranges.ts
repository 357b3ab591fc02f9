// Sets of ids kept as sorted, disjoint [first, last] runs: which ids a budget evicted. Ids are
// dense and evicted mostly oldest first, so a million evicted ports are a handful of runs (at
// most one more run than ids still kept between them).

import type { IdRuns } from '../protocol/session';
export type { IdRuns };

export class IdRanges {
  constructor(private runs: IdRuns = []) {}

  has(id: number): boolean {
    const i = this.find(id);
    return i < this.runs.length && this.runs[i][0] <= id;
  }

  /** Adds ids (any order). */
  addAll(ids: readonly number[]): void {
    const sorted = ids.slice().sort((a, b) => a - b);
    for (const id of sorted) this.add(id);
  }

  add(id: number): void {
    const runs = this.runs;
    const i = this.find(id);
    if (i < runs.length && runs[i][0] <= id) return;
    const joinsPrev = i > 0 && runs[i - 1][1] === id - 1;
    const joinsNext = i < runs.length && runs[i][0] === id + 1;
    if (joinsPrev && joinsNext) {
      runs[i - 1][1] = runs[i][1];
      runs.splice(i, 1);
    } else if (joinsPrev) runs[i - 1][1] = id;
    else if (joinsNext) runs[i][0] = id;
    else runs.splice(i, 0, [id, id]);
  }

  /** How many ids are in the set. */
  get count(): number {
    let n = 0;
    for (const [a, b] of this.runs) n += b - a + 1;
    return n;
  }

  /** A copy of the runs, for a snapshot, a state or a trace. */
  toJSON(): IdRuns {
    return this.runs.map(([a, b]) => [a, b]);
  }

  /** Index of the first run whose last id is ≥ id. */
  private find(id: number): number {
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.runs[mid][1] < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

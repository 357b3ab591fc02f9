// Re-runs in the differential e2e suites are counted, capped and printed: a run that differs is
// run once more to tell a difference that shows every time from one that shows once, but a
// green result never rests on re-runs silently. Every re-run and its outcome is printed, a
// case that differs on its re-run too fails, and so does the suite when more than MAX_SHARE of
// its cases needed a re-run.
export const MAX_SHARE = 0.01;

export interface Rerun {
  name: string;
  /** The re-run agreed (the first difference did not show again). */
  agreed: boolean;
  /** The first run's difference, shortened. */
  first: string;
}

export class Reruns {
  readonly list: Rerun[] = [];
  constructor(
    /** Printed with every line: which suite and browser. */
    readonly what: string,
    /** Cases in the suite (scenarios, seeds). */
    readonly total: number,
  ) {}

  /** Records a re-run and prints it. */
  note(name: string, agreed: boolean, first: string): void {
    const r = { name, agreed, first: first.length > 400 ? first.slice(0, 400) + '…' : first };
    this.list.push(r);
    console.log(`[${this.what}] re-run of ${name}: ${agreed ? 'agreed on the re-run' : 'DIFFERED AGAIN'}; the first run differed: ${r.first}`);
  }

  /** How many re-runs the suite may need and still pass (MAX_SHARE of its cases, rounded down). */
  get allowed(): number {
    return Math.floor(this.total * MAX_SHARE);
  }

  /** Why the suite fails on its re-runs ('' when it does not), and a summary line printed either way. */
  verdict(): string {
    const n = this.list.length;
    const again = this.list.filter((r) => !r.agreed).length;
    console.log(`[${this.what}] ${n} of ${this.total} re-run (${again} differed again; at most ${this.allowed} may be re-run: ${MAX_SHARE * 100}%)`);
    if (n <= this.allowed) return '';
    return `${n} of ${this.total} cases needed a re-run, above ${MAX_SHARE * 100}% (at most ${this.allowed}): ${this.list.map((r) => `${r.name} (${r.agreed ? 'agreed on the re-run' : 'differed again'})`).join(', ')}`;
  }
}

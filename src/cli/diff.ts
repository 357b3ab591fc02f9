// `diff`: compares two recordings of the same flow and says what changed beyond the noise
// between runs: messages per route and per protocol call, new and gone findings, lost
// messages, call latency (median, p95) and payload shapes per route. Pure: two snapshots in,
// one report out; the CLI prints it (diff-print.ts) and sets the exit status.
import { runAudit, type AuditFinding } from '../audit';
import type { AggregateSnapshot } from '../protocol/session';
import { Keys, callKey, lossKey, payloadShape } from './diff-keys';
import { DEFAULT_LATENCY, EXACT, describeTolerance, latencyWithin, stats, withinTolerance, type LatencyRule, type Tolerance } from './diff-tolerance';

export interface DiffOptions {
  tolerance: Tolerance;
  latency: LatencyRule;
  ignorePorts: boolean;
}

export const DEFAULT_DIFF_OPTIONS: DiffOptions = { tolerance: EXACT, latency: DEFAULT_LATENCY, ignorePorts: false };

export interface CountRow {
  key: string;
  before: number;
  after: number;
  /** Beyond the tolerance (or present on one side only). */
  differs: boolean;
}

export interface Stats {
  n: number;
  median: number;
  p95: number;
}

export interface LatencyRow {
  key: string;
  before: Stats | null;
  after: Stats | null;
  /** Median or p95 moved by more than the factor and the floor; only when both sides have values. */
  differs: boolean;
}

export interface FindingRow {
  key: string;
  rule: string;
  severity: AuditFinding['severity'];
  /** The finding's own sentence, from the recording that has it. */
  message: string;
  count: number;
}

export interface ShapeRow {
  route: string;
  added: string[];
  removed: string[];
}

export interface TraceDiff {
  options: { tolerance: string; latencyFactor: number; latencyFloorMs: number; ignorePorts: boolean };
  /** Every route, call and loss of either side, in key order; `differs` marks what counts. */
  routes: CountRow[];
  calls: CountRow[];
  losses: CountRow[];
  latency: LatencyRow[];
  findings: { added: FindingRow[]; removed: FindingRow[] };
  shapes: ShapeRow[];
  /** What either recording did not keep (evicted or unrecorded): the comparison cannot see it. */
  notes: string[];
  /** How many rows above differ. 0: same flow within tolerance. */
  differences: number;
}

interface Side {
  routes: Map<string, number>;
  calls: Map<string, number>;
  losses: Map<string, number>;
  latency: Map<string, number[]>;
  findings: Map<string, FindingRow[]>;
  shapes: Map<string, Set<string>>;
}

function collect(s: AggregateSnapshot, o: DiffOptions): Side {
  const keys = new Keys(s, { ignorePorts: o.ignorePorts });
  const side: Side = { routes: new Map(), calls: new Map(), losses: new Map(), latency: new Map(), findings: new Map(), shapes: new Map() };
  for (const m of s.messages) {
    const route = keys.route(m);
    bump(side.routes, route);
    const loss = lossKey(m);
    if (loss) bump(side.losses, `${route}: ${loss}`);
    const call = callKey(m.call);
    if (call) {
      bump(side.calls, call);
      if (m.call?.role === 'request' && m.call.latencyMs !== null) push(side.latency, call, m.call.latencyMs);
    }
    const shape = payloadShape(m);
    if (shape !== null) {
      let set = side.shapes.get(route);
      if (!set) side.shapes.set(route, (set = new Set()));
      set.add(shape);
    }
  }
  // The audit runs again over what the file holds, as `audit` does: stored findings are not trusted.
  for (const f of runAudit(s)) push(side.findings, keys.finding(f), { key: keys.finding(f), rule: f.rule, severity: f.severity, message: f.message, count: f.count });
  return side;
}

export function diffSnapshots(before: AggregateSnapshot, after: AggregateSnapshot, o: DiffOptions = DEFAULT_DIFF_OPTIONS): TraceDiff {
  const a = collect(before, o);
  const b = collect(after, o);
  const counts = (x: Map<string, number>, y: Map<string, number>): CountRow[] =>
    union(x, y).map((key) => {
      const n0 = x.get(key) ?? 0;
      const n1 = y.get(key) ?? 0;
      return { key, before: n0, after: n1, differs: !withinTolerance(n0, n1, o.tolerance) };
    });
  const latency = union(a.latency, b.latency).map((key): LatencyRow => {
    const s0 = stats(a.latency.get(key) ?? []);
    const s1 = stats(b.latency.get(key) ?? []);
    const differs = s0 !== null && s1 !== null && !(latencyWithin(s0.median, s1.median, o.latency) && latencyWithin(s0.p95, s1.p95, o.latency));
    return { key, before: s0, after: s1, differs };
  });
  const shapes: ShapeRow[] = [];
  for (const route of union(a.shapes, b.shapes)) {
    const s0 = a.shapes.get(route);
    const s1 = b.shapes.get(route);
    // A route on one side only is already a route difference; shapes compare where both carried data.
    if (!s0 || !s1) continue;
    const added = [...s1].filter((x) => !s0.has(x)).sort();
    const removed = [...s0].filter((x) => !s1.has(x)).sort();
    if (added.length || removed.length) shapes.push({ route, added, removed });
  }
  const findings = {
    added: union(b.findings, new Map()).filter((k) => !a.findings.has(k)).flatMap((k) => b.findings.get(k) ?? []),
    removed: union(a.findings, new Map()).filter((k) => !b.findings.has(k)).flatMap((k) => a.findings.get(k) ?? []),
  };
  const routes = counts(a.routes, b.routes);
  const calls = counts(a.calls, b.calls);
  const losses = counts(a.losses, b.losses);
  const differences =
    routes.filter((r) => r.differs).length +
    calls.filter((r) => r.differs).length +
    losses.filter((r) => r.differs).length +
    latency.filter((r) => r.differs).length +
    findings.added.length +
    findings.removed.length +
    shapes.length;
  return {
    options: { tolerance: describeTolerance(o.tolerance), latencyFactor: o.latency.factor, latencyFloorMs: o.latency.floorMs, ignorePorts: o.ignorePorts },
    routes,
    calls,
    losses,
    latency,
    findings,
    shapes,
    notes: [...incomplete('before', before), ...incomplete('after', after)],
    differences,
  };
}

function incomplete(side: string, s: AggregateSnapshot): string[] {
  const out: string[] = [];
  if (s.firstMessageId > 1) out.push(`${side}: messages #1–#${s.firstMessageId - 1} were evicted before export and are not compared`);
  const dropped = Object.entries(s.dropped).filter(([, n]) => n > 0);
  if (dropped.length) out.push(`${side}: not recorded: ${dropped.map(([cause, n]) => `${n} ${cause}`).join(', ')}`);
  return out;
}

function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

function push<T>(m: Map<string, T[]>, key: string, v: T): void {
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}

function union(x: Map<string, unknown>, y: Map<string, unknown>): string[] {
  return [...new Set([...x.keys(), ...y.keys()])].sort();
}

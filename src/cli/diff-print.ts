// The text report of `diff`: only what differs, grouped, one line each, then the verdict.
import type { CountRow, LatencyRow, Stats, TraceDiff } from './diff';

type Write = (line: string) => void;

export function printDiff(d: TraceDiff, names: { before: string; after: string }, write: Write): void {
  write(`Comparing ${names.before} → ${names.after} (counts: ${d.options.tolerance}; latency: ×${d.options.latencyFactor} and > ${d.options.latencyFloorMs} ms${d.options.ignorePorts ? '; ports ignored in origins' : ''})`);
  section(write, 'Messages per route', d.routes.filter((r) => r.differs).map((r) => countLine(r, 'route')));
  section(write, 'Protocol calls', d.calls.filter((r) => r.differs).map((r) => countLine(r, 'call')));
  section(write, 'Lost messages', d.losses.filter((r) => r.differs).map((r) => countLine(r, 'loss')));
  section(write, 'Latency per call (median / p95)', d.latency.filter((r) => r.differs).map(latencyLine));
  section(write, 'Findings', [
    ...d.findings.added.map((f) => `+ new   ${f.severity.toUpperCase()} ${f.rule}: ${f.message}`),
    ...d.findings.removed.map((f) => `- gone  ${f.severity.toUpperCase()} ${f.rule}: ${f.message}`),
  ]);
  section(
    write,
    'Payload shapes',
    d.shapes.flatMap((s) => [`~ ${s.route}`, ...s.added.map((x) => `    + ${x}`), ...s.removed.map((x) => `    - ${x}`)]),
  );
  if (d.notes.length) section(write, 'Not compared', d.notes.map((n) => `! ${n}`));
  write('');
  write(d.differences ? `${d.differences} difference${d.differences === 1 ? '' : 's'} beyond tolerance.` : 'No differences beyond tolerance.');
}

function section(write: Write, title: string, lines: string[]): void {
  if (!lines.length) return;
  write('');
  write(`${title}:`);
  for (const l of lines) write(`  ${l}`);
}

function countLine(r: CountRow, what: 'route' | 'call' | 'loss'): string {
  const tag = r.before === 0 ? (what === 'loss' ? 'new loss' : `new ${what}`) : r.after === 0 ? (what === 'loss' ? 'no longer lost' : `${what} gone`) : r.after > r.before ? 'more' : 'fewer';
  const sign = r.before === 0 ? '+' : r.after === 0 ? '-' : '~';
  return `${sign} ${r.key}: ${r.before} → ${r.after} (${tag})`;
}

function latencyLine(r: LatencyRow): string {
  return `~ ${r.key}: ${fmt(r.before)} → ${fmt(r.after)}`;
}

function fmt(s: Stats | null): string {
  return s ? `${ms(s.median)} / ${ms(s.p95)} ms (${s.n})` : '—';
}

function ms(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

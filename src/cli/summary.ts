// Text summaries of a recorded session for the terminal: npm start without a display,
// and `channel-inspector summary`.
import type { AggregateSnapshot, ContextRecord, MessageRecord } from '../protocol/session';

type Write = (line: string) => void;

export function contextLabel(c: ContextRecord | undefined): string {
  if (!c) return '?';
  try {
    const u = new URL(c.url);
    return `${u.host}${u.pathname}`;
  } catch {
    return c.url || c.origin;
  }
}

/** Ports listed per context in the frame tree; the others are counted. */
const PORTS_SHOWN = 32;

/** The frame tree with each context's ports. */
export function printTopology(s: AggregateSnapshot, write: Write = console.log): void {
  const byParent = new Map<number | null, ContextRecord[]>();
  for (const c of s.contexts) {
    const list = byParent.get(c.parentId) ?? [];
    list.push(c);
    byParent.set(c.parentId, list);
  }
  const held = new Map<number, typeof s.ports>();
  for (const p of s.ports) {
    const id = p.holders.at(-1)?.contextId;
    if (id === undefined) continue;
    const list = held.get(id) ?? [];
    list.push(p);
    held.set(id, list);
  }
  const walk = (parent: number | null, depth: number) => {
    for (const c of byParent.get(parent) ?? []) {
      // One screen: a context holding a hundred thousand ports names the first few and counts the rest.
      const all = held.get(c.id) ?? [];
      const shown = all
        .slice(0, PORTS_SHOWN)
        .map((p) => `#${p.id}${p.entangledWith ? `⇄#${p.entangledWith}` : ''}${p.closed ? ' closed' : p.started ? '' : ' not started'}`);
      if (all.length > PORTS_SHOWN) shown.push(`… ${all.length - PORTS_SHOWN} more`);
      const ports = shown.join(', ');
      write(`${'  '.repeat(depth)}${c.kind} ${c.origin} ${contextLabel(c)}${c.endedAt !== null ? ' (gone)' : ''}${ports ? `  ports: ${ports}` : ''}`);
      walk(c.id, depth + 1);
    }
  };
  walk(null, 0);
}

export function printMessages(s: AggregateSnapshot, write: Write = console.log): void {
  const ctx = new Map(s.contexts.map((c) => [c.id, c]));
  const time = (m: MessageRecord) => m.sentAt ?? m.deliveredAt ?? 0;
  const rows = [...s.messages].sort((a, b) => time(a) - time(b));
  const t0 = rows.length ? time(rows[0]) : 0;
  for (const m of rows) {
    const route = `${contextLabel(ctx.get(m.fromContext ?? -1))} → ${contextLabel(ctx.get(m.toContext ?? -1))}`;
    const ports = m.via === 'port' ? ` #${m.fromPort ?? '?'}→#${m.toPort ?? '?'}` : '';
    const outcome = m.outcome.reason ? `${m.outcome.status} (${m.outcome.reason})` : m.outcome.status;
    const transfer = m.transfer.length ? ` [${m.transfer.map((t) => (t.kind === 'MessagePort' ? `port #${t.id}` : `${t.kind}${t.bytes !== null ? ` ${t.bytes} B` : ''}`)).join(', ')}]` : '';
    write(`${((time(m) - t0) / 1000).toFixed(3).padStart(7)} s  ${m.via.padEnd(6)}${ports}  ${route}  ${outcome}${transfer}  ${m.preview ?? ''}`);
  }
}

export function printSummary(s: AggregateSnapshot, write: Write = console.log): void {
  write('Contexts and ports:');
  printTopology(s, (l) => write('  ' + l));
  write('');
  write('Messages:');
  printMessages(s, (l) => write('  ' + l));
  const counts = new Map<string, number>();
  for (const m of s.messages) counts.set(m.outcome.status, (counts.get(m.outcome.status) ?? 0) + 1);
  const dropped = Object.entries(s.dropped);
  write('');
  write(
    `${s.contexts.length} contexts, ${s.ports.length} ports, ${s.messages.length} messages (${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')})` +
      (dropped.length ? `; not kept: ${dropped.map(([c, n]) => `${n} (${c})`).join(', ')}` : ''),
  );
  const calls = callCounts(s.messages);
  if (calls) write(`Calls: ${calls}`);
  if (s.findings.length) {
    write('');
    write('Findings:');
    for (const f of s.findings) write(`  ${f.severity.padEnd(7)} ${f.rule}: ${f.message}`);
  }
}

/** Requests and responses, how many paired, and why the others are not (CallRecord.unpaired). */
export function callCounts(messages: readonly MessageRecord[]): string | null {
  let halves = 0;
  let paired = 0;
  const why = new Map<string, number>();
  for (const m of messages) {
    const c = m.call;
    if (!c || (c.role !== 'request' && c.role !== 'response')) continue;
    halves++;
    if (c.pairedWith !== null) paired++;
    else why.set(c.unpaired ?? 'not said', (why.get(c.unpaired ?? 'not said') ?? 0) + 1);
  }
  if (!halves) return null;
  const unpaired = [...why].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`);
  return `${halves} requests and responses, ${paired} paired${unpaired.length ? `; unpaired: ${unpaired.join(', ')}` : ''}`;
}

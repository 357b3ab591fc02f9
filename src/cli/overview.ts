// `summary` and the end of `record`: the frame tree with its ports, where ports moved, and
// message counts by outcome and by route. Bounded output, whatever the size of the recording.
import type { AggregateSnapshot, ContextRecord } from '../protocol/session';
import { callCounts, contextLabel, printTopology } from './summary';

type Write = (line: string) => void;

export interface OverviewOptions {
  /** At most this many lines of topology and of port moves (the rest is counted). */
  maxLines?: number;
}

export function printOverview(s: AggregateSnapshot, write: Write, { maxLines = Infinity }: OverviewOptions = {}): void {
  const ctx = new Map(s.contexts.map((c) => [c.id, c]));
  const current = s.contexts.filter((c) => c.endedAt === null);
  write(`Contexts: ${s.contexts.length} (${countBy(current, (c) => c.kind)} current${s.contexts.length > current.length ? `, ${s.contexts.length - current.length} gone` : ''})  ·  Ports: ${s.ports.length}  ·  Messages: ${s.messages.length}`);
  write('');
  write('Frames and ports:');
  capped(write, maxLines, (w) => printTopology(s, (l) => w('  ' + l)));

  const moved = s.ports.filter((p) => p.holders.length > 1);
  if (moved.length) {
    write('');
    write('Port moves:');
    capped(write, maxLines, (w) => {
      for (const p of moved) {
        const path = p.holders.map((h, i) => `${label(ctx.get(h.contextId))}${i > 0 && h.messageId !== null ? ` (msg #${h.messageId})` : ''}`);
        w(`  #${p.id}: ${path.join(' → ')}${p.lostIn !== null ? `, lost in msg #${p.lostIn}` : ''}`);
      }
    });
  }

  write('');
  write(`Messages by outcome: ${countBy(s.messages, (m) => (m.outcome.reason ? `${m.outcome.status} (${m.outcome.reason})` : m.outcome.status)) || 'none'}`);
  write(`Messages by via:     ${countBy(s.messages, (m) => m.via) || 'none'}`);
  const calls = callCounts(s.messages);
  if (calls) write(`Calls:               ${calls}`);
  if (s.firstMessageId > 1) write(`Evicted before export: messages #1–#${s.firstMessageId - 1}`);
  const dropped = Object.entries(s.dropped).filter(([, n]) => n > 0);
  if (dropped.length) write(`Not recorded: ${dropped.map(([cause, n]) => `${n} ${cause}`).join(', ')}`);
  if (s.mismatches.length) write(`Model/browser mismatches: ${s.mismatches.length} (a bug in the model or the browser)`);
}

function label(c: ContextRecord | undefined): string {
  return c ? `${c.kind === 'window' ? '' : `${c.kind} `}${contextLabel(c)}` : '?';
}

/** "5 delivered, 3 queued": by count, largest first. */
export function countBy<T>(items: readonly T[], key: (x: T) => string): string {
  const counts = new Map<string, number>();
  for (const x of items) {
    const k = key(x);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}

/** Runs `body` with a writer that keeps the first `max` lines and counts the rest. */
function capped(write: Write, max: number, body: (w: Write) => void): void {
  let n = 0;
  body((l) => {
    if (n++ < max) write(l);
  });
  if (n > max) write(`  … ${n - max} more lines (channel-inspector summary <trace> shows all)`);
}

// Text summaries of a recorded tab for the terminal (npm start without a display).
import type { SessionSnapshot } from '../protocol/messages';
import { describe } from '../protocol/describe';

export function printRows(snapshot: SessionSnapshot, write: (line: string) => void = console.log): void {
  const rows = [...snapshot.rows].sort((a, b) => a.event.at - b.event.at);
  const t0 = rows[0]?.event.at ?? 0;
  const urlWidth = Math.min(48, Math.max(5, ...rows.map((r) => r.url.length)));
  write(`${'time'.padStart(9)}  ${'frame'.padEnd(urlWidth)}  ${'event'.padEnd(8)}  details`);
  for (const r of rows) {
    const url = r.url.length > urlWidth ? r.url.slice(0, urlWidth - 1) + '…' : r.url.padEnd(urlWidth);
    write(`${((r.event.at - t0) / 1000).toFixed(3).padStart(7)} s  ${url}  ${r.event.k.padEnd(8)}  ${describe(r.event)}`);
  }
  const dropped = Object.entries(snapshot.dropped);
  write(`${rows.length} events from ${new Set(rows.map((r) => r.frameId)).size} frames${dropped.length ? `; dropped: ${dropped.map(([c, n]) => `${n} (${c})`).join(', ')}` : ''}`);
}

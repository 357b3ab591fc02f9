// Reading the background's aggregated session from e2e tests.
import type { AggregateSnapshot, ContextRecord, MessageRecord } from '../../src/protocol/session';
import { PACE_MAX_MS, QUIET_MS } from '../../src/protocol/relay-pace';

export function messagesOf(s: AggregateSnapshot | null, pred: (m: MessageRecord) => boolean = () => true): MessageRecord[] {
  return (s?.messages ?? []).filter(pred);
}

export function contextByOrigin(s: AggregateSnapshot | null, origin: string): ContextRecord | undefined {
  return s?.contexts.find((c) => c.origin === origin && c.endedAt === null && !c.url.startsWith('about:'));
}

/** Polls `read` until `done` holds, or fails with the last value read. */
export async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 3000)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

/**
 * How long a recording must stay unchanged to count as settled: each frame's relay holds its
 * batches up to PACE_MAX_MS while the page is busy and ships them QUIET_MS after it stops
 * (src/protocol/relay-pace.ts), so frames report at different moments.
 */
export const SETTLE_MS = PACE_MAX_MS + QUIET_MS + 150;

/** What changes in a snapshot while batches still arrive: its records and what was joined. */
export function snapshotKey(s: AggregateSnapshot | null): string {
  if (!s) return '';
  const delivered = s.messages.filter((m) => m.deliveredAt !== null).length;
  const paired = s.messages.filter((m) => m.call?.pairedWith != null).length;
  return `${s.contexts.length}/${s.ports.length}/${s.messages.length}/${delivered}/${paired}`;
}

/** Polls until `done` holds and the snapshot then stays the same for SETTLE_MS (every frame has reported). */
export async function waitSettled(
  read: () => Promise<AggregateSnapshot | null>,
  done: (v: AggregateSnapshot | null) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<AggregateSnapshot | null> {
  const end = Date.now() + timeoutMs;
  let last = await waitFor(read, done, what, timeoutMs);
  for (;;) {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const next = await read();
    if (snapshotKey(next) === snapshotKey(last) && done(next)) return next;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} to settle; last: ${snapshotKey(next)}`);
    last = next;
  }
}

// Reading the background's aggregated session from e2e tests.
import type { AggregateSnapshot, ContextRecord, MessageRecord } from '../../src/protocol/session';

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

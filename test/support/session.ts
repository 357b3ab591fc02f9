// Reading the background's state from e2e tests.
import type { EventRow, PageEvent, SessionSnapshot } from '../../src/protocol/messages';

export function rowsOf(snapshot: SessionSnapshot | null, pred: (e: PageEvent, r: EventRow) => boolean = () => true): EventRow[] {
  return (snapshot?.rows ?? []).filter((r) => pred(r.event, r));
}

/** Polls `read` until `done` holds, or fails with the last value read. */
export async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

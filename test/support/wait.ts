// Waiting in e2e harnesses: a pause, and polling until a read gives something.
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `f` every 100 ms until it gives a truthy value, which it returns; a read that throws
 * counts as nothing yet. On time-out the error names what was awaited and the last failure.
 */
export async function until<T>(f: () => Promise<T | null | undefined | false>, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown = null;
  for (;;) {
    const v = await f().catch((e) => ((last = e), null));
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}${last ? ` (${String((last as Error).message ?? last).split('\n')[0]})` : ''}`);
    await sleep(100);
  }
}

// `record`: load a page in a browser with the extension recording, wait until its messaging
// goes quiet, and write the trace. The browser side is behind `Recording` (drivers.ts) so
// that everything here runs in unit tests with a fake one.
import { existsSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runAudit } from '../audit';
import type { AggregateSnapshot } from '../protocol/session';
import { exportTrace, stringifyTrace, toChromeTrace } from '../trace';
import { UsageError } from './args';

export type BrowserName = 'chromium' | 'firefox';

/** Counters that change whenever the background learns something new about the tab. */
export interface Activity {
  contexts: number;
  ports: number;
  messages: number;
  /** Messages whose delivery, loss or error is known. */
  settled: number;
  /** Everything not kept (budgets' evictions included): a page that churns records at a budget still moves it. */
  dropped?: number;
}

/** One browser, recording one tab. */
export interface Recording {
  /** Navigates and waits for the load event; rejects with PageLoadError. */
  open(url: string, timeoutMs: number): Promise<{ url: string; title: string }>;
  /** Null while the background has nothing for the tab. */
  activity(): Promise<Activity | null>;
  /** Forces through what still waits for data (the end of the recording) and snapshots. */
  finish(): Promise<AggregateSnapshot>;
  close(): Promise<void>;
}

/** `workers`: record inside dedicated workers too (the panel's "Record inside workers"; issue 21). */
export type Launch = (browser: BrowserName, options: { headful: boolean; workers?: boolean }) => Promise<Recording>;

/** The page did not load (network error, HTTP error, timeout): exit 2. */
export class PageLoadError extends Error {
  override readonly name = 'PageLoadError';
}

export interface RecordOptions {
  url: string;
  out: string;
  browser: BrowserName;
  untilIdleMs: number;
  timeoutMs: number;
  headful: boolean;
  /** Record inside dedicated workers (--workers). */
  workers?: boolean;
  perfetto: string | null;
  tool: string;
}

export interface RecordEnv {
  launch: Launch;
  write: (line: string) => void;
  /** Progress lines (stderr), so stdout stays the summary. */
  note: (line: string) => void;
  signal?: AbortSignal;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface RecordResult {
  snapshot: AggregateSnapshot;
  stop: StopReason;
  url: string;
}

export type StopReason = 'idle' | 'timeout' | 'interrupted';

/** http(s) and file URLs; a path to an existing file becomes a file URL. */
export function checkUrl(raw: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(raw) && existsSync(raw)) return pathToFileURL(raw).href;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`not a URL: "${raw}" (give an absolute http://, https:// or file:// URL)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'file:') {
    throw new UsageError(`cannot record ${u.protocol} URLs: give an http://, https:// or file:// URL`);
  }
  return u.href;
}

export async function record(o: RecordOptions, env: RecordEnv): Promise<RecordResult> {
  const now = env.now ?? Date.now;
  const sleep = env.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const rec = await env.launch(o.browser, { headful: o.headful, workers: o.workers === true });
  let snapshot: AggregateSnapshot;
  let stop: StopReason;
  let loaded: { url: string; title: string };
  try {
    const started = now();
    loaded = await rec.open(o.url, o.timeoutMs);
    env.note(`loaded ${loaded.url}; recording until ${o.untilIdleMs} ms without new messages…`);
    stop = await waitIdle(rec, { idleMs: o.untilIdleMs, deadline: started + o.timeoutMs, signal: env.signal, now, sleep });
    if (stop === 'timeout') env.note(`no ${o.untilIdleMs} ms without messages before --timeout ${o.timeoutMs} ms: stopping there`);
    if (stop === 'interrupted') env.note('interrupted: writing what was recorded');
    const got = (await rec.finish()) as AggregateSnapshot | null;
    if (!got) throw new PageLoadError(`nothing was recorded from ${loaded.url}: the extension's instrumentation never reported from it`);
    snapshot = got;
  } finally {
    await rec.close();
  }
  // The trace carries the findings of this audit, over exactly what it holds.
  snapshot = { ...snapshot, findings: runAudit(snapshot) };
  const doc = exportTrace(snapshot, { tool: o.tool, exportedAt: new Date().toISOString(), title: loaded.title || loaded.url });
  save(o.out, stringifyTrace(doc));
  if (o.perfetto) save(o.perfetto, JSON.stringify(toChromeTrace(doc)));
  return { snapshot, stop, url: loaded.url };
}

function save(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${(e as Error).message}`);
  }
}

function fingerprint(a: Activity | null): string {
  return a ? `${a.contexts}/${a.ports}/${a.messages}/${a.settled}/${a.dropped ?? 0}` : '-';
}

/** Polls the background until nothing changed for `idleMs`, the deadline passes, or Ctrl-C. */
export async function waitIdle(
  rec: Pick<Recording, 'activity'>,
  o: { idleMs: number; deadline: number; signal?: AbortSignal; now: () => number; sleep: (ms: number) => Promise<void> },
): Promise<StopReason> {
  const poll = Math.max(20, Math.min(200, Math.floor(o.idleMs / 5)));
  let last = fingerprint(await rec.activity());
  let changedAt = o.now();
  for (;;) {
    if (o.signal?.aborted) return 'interrupted';
    // Until the page's first batch has arrived (no session yet), nothing is quiet: a page busy
    // from its load on reaches the background late. The deadline still holds.
    if (last !== '-' && o.now() - changedAt >= o.idleMs) return 'idle';
    if (o.now() >= o.deadline) return 'timeout';
    await o.sleep(poll);
    const f = fingerprint(await rec.activity());
    if (f !== last) {
      last = f;
      changedAt = o.now();
    }
  }
}

// Transparency: every scenario page (test/pages/transparency) logs everything a page can
// observe of its channel messaging. Each runs in each browser three ways: without the
// extension (native), with the extension recording every tab (recording), and with the
// extension installed but not recording (installed). The three logs must be equal.
//
// One browser per mode, a fresh page per scenario; all scenarios of a browser run in its
// beforeAll, a few at a time, and each `it` compares one scenario's logs.
// Recording mode proves it recorded: before a scenario's tab closes, the tab's session must
// hold a document for each of its frames and, when the scenario posts, its messages; an
// instrumentation that failed to load would otherwise pass as "transparent".
// A differing scenario is run once more, alone; every re-run is printed (test/support/reruns.ts),
// one that differs again fails, and so does the suite when more than 1% needed one.
// SCENARIOS=name1,name2 and BROWSERS=chromium|firefox restrict the run (for debugging).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_FIREFOX, launchChromium, launchChromiumWithExtension, launchFirefox } from '../../scripts/browsers.mjs';
import { servePages } from '../support/pages-server';
import { scenarios } from '../pages/transparency/scenarios.mjs';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { Reruns } from '../support/reruns';

type Mode = 'native' | 'recording' | 'installed';
const MODES: Mode[] = ['native', 'recording', 'installed'];
const ONLY = process.env.SCENARIOS?.split(',').filter(Boolean);
const BROWSERS = process.env.BROWSERS?.split(',').filter(Boolean);
const NAMES: string[] = Object.keys(scenarios).filter((n) => !ONLY || ONLY.includes(n));
const CONCURRENCY = 2;
const SCENARIO_TIMEOUT_MS = 20_000;

interface Runner {
  /**
   * Loads the scenario page, waits for its log and returns it (JSON text), or a description of
   * what went wrong; a recording runner also returns what the tab's session lacked (`unrecorded`).
   */
  run(url: string): Promise<Run>;
  close(): Promise<void>;
}

interface Run {
  text: string;
  /** Recording mode only: what the session should hold and did not ([] when it held it all). */
  unrecorded?: string[];
}

/** How long a recording runner waits for the tab's session to hold a scenario (a bound, not a pace). */
const RECORDED_WITHIN_MS = 10_000;

/** Scenarios that post (a port, window, worker or BroadcastChannel message): their session must hold messages. */
const posts = (url: string) => {
  const name = new URL(url).searchParams.get('s') ?? '';
  const f = (scenarios as Record<string, unknown>)[name];
  return typeof f === 'function' && /\.postMessage\s*\(/.test(String(f));
};

/**
 * What the tab's session lacks of a scenario that just finished in it: a document for each frame
 * the page has now (by URL: the instrumentation ran there) and, when the scenario posts, a message.
 * Polls `read` until nothing lacks, within RECORDED_WITHIN_MS.
 */
/**
 * Frames the instrumentation is known not to reach, by browser and scenario: each is printed
 * on every run, and an entry that stops being needed fails (delete it then).
 * Firefox ESR: the sandboxed (opaque-origin) about:srcdoc frame gets no document in the
 * session, on this session's code and on the code before it (checked on both builds);
 * whether page.js runs there at all is not known yet (docs/engine-differences.md).
 */
const KNOWN_UNRECORDED: Record<string, Record<string, Record<string, number>>> = {
  firefox: { 'srcdoc-and-sandboxed-iframes': { 'about:srcdoc': 1 } },
};

async function unrecorded(url: string, frameUrls: () => string[], read: () => Promise<AggregateSnapshot | null>, browser = ''): Promise<string[]> {
  const name = new URL(url).searchParams.get('s') ?? '';
  const gaps = KNOWN_UNRECORDED[browser]?.[name] ?? {};
  const lacks = (s: AggregateSnapshot | null): string[] => {
    if (!s) return ['the tab has no session'];
    const out: string[] = [];
    const have = new Map<string, number>();
    for (const c of s.contexts) if (c.kind === 'window') have.set(c.url, (have.get(c.url) ?? 0) + 1);
    const want = new Map<string, number>();
    // Read again at each poll: the driver may not know a frame's URL yet when the scenario ends ('').
    for (const u of frameUrls()) want.set(u, (want.get(u) ?? 0) + 1);
    for (const [u, n] of want) {
      const got = have.get(u) ?? 0;
      const gap = gaps[u] ?? 0;
      if (got < n - gap) out.push(`${n} frame(s) at ${u}, the session has ${got} document(s) there`);
      else if (gap > 0 && got >= n) out.push(`known gap at ${u} (${browser}, ${name}) no longer happens: delete it from KNOWN_UNRECORDED`);
    }
    if (!s.contexts.some((c) => c.top && c.url === url)) out.push('no top document for the scenario page');
    if (posts(url) && s.messages.length === 0) out.push('the scenario posts, the session holds no message');
    return out;
  };
  const end = Date.now() + RECORDED_WITHIN_MS;
  let last = lacks(await read().catch(() => null));
  while (last.length && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    last = lacks(await read().catch(() => null));
  }
  for (const [u, gap] of Object.entries(gaps)) console.log(`[recording] ${name}: known gap in ${browser}, ${gap} frame(s) at ${u} not required to be recorded`);
  if (last.length) {
    console.log(`[recording] ${url}: ${last.join('; ')}`);
    const s = await read().catch(() => null);
    last.push(`(the session held ${s ? `${s.contexts.length} contexts: ${s.contexts.map((c) => `${c.kind} ${c.url}`).join(', ')}; ${s.messages.length} messages` : 'nothing'})`);
  }
  return last;
}

/** What a scenario gave in one mode: its log entries, or the harness failure. */
type Outcome = { entries: unknown[] } | { failure: string };

function parse(text: string): Outcome {
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? { entries: v } : { failure: `log is not an array: ${text.slice(0, 300)}` };
  } catch {
    return { failure: text.slice(0, 500) };
  }
}

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined' : s.length > 1500 ? s.slice(0, 1500) + '…' : s;
};

/** '' when equal; otherwise the first differing entry of `other` against `base`. */
/**
 * What the instrumentation cannot hide, by scenario: log entries with these labels are
 * left out of the comparison (they must still be in the native log). Each has its reason;
 * docs/engine-differences.md lists them for users.
 */
/** Sorts every array found under a key named `key` (an order the page cannot rely on across engines). */
const sortedUnder = (key: string) => (entry: unknown) =>
  JSON.parse(JSON.stringify(entry), (k, v) => (k === key && Array.isArray(v) ? [...v].sort() : v));
/** Sorts the list that follows `label` in its entry. */
const sortedAfter = (label: string) => (entry: unknown) =>
  Array.isArray(entry) && entry[0] === label ? entry.map((x, i) => (i > 0 && Array.isArray(x) ? [...x].sort() : x)) : entry;

const KNOWN: Record<string, { browsers?: string[]; labels?: string[]; normalize?: (entry: unknown) => unknown; reason: string }> = {
  'wrapped-function-identity': {
    browsers: ['firefox'],
    normalize: sortedUnder('ownKeys'),
    reason: "SpiderMonkey resolves a native function's name and length lazily, in the order the page first touches them; a wrapper has both from the start",
  },
  'globals-unchanged': {
    browsers: ['firefox'],
    normalize: sortedAfter('getOwnPropertyNames(window)'),
    reason: 'Firefox lists lazily defined globals in the order they were first touched, and the instrumentation touches some at document_start: the same names, in another order',
  },
  'settimeout-vs-message': {
    browsers: ['firefox'],
    labels: ['messages', 'timer index bucket'],
    reason: 'whether a 0 ms timer runs before the end of a 200-message self-posting loop depends on how long each message takes; with recording on, Firefox ran it after the loop (it still runs, so timers are not starved)',
  },
  'wrapped-function-identity-cross-realm': {
    labels: ['iframe toString on ours', 'our toString on theirs'],
    reason: "another realm's Function.prototype.toString prints a wrapper's JavaScript source: the realms' instrumentations cannot share which functions are theirs without the page seeing it",
  },
  'worker-constructor-identity': {
    labels: ['our toString on theirs'],
    reason: 'as wrapped-function-identity-cross-realm',
  },
  'dataclone-wrapped-functions-as-data': {
    browsers: ['chromium'],
    labels: ['postMessage', 'start', 'close', 'onmessageSetter', 'addEventListener', 'structuredClone', 'toString'],
    reason: "Chromium writes a function's source text into the DataCloneError message for a function in a message: for a wrapper it is the wrapper's source",
  },
  'proxy-as-options': {
    labels: ['port dict', 'port sequence'],
    reason: "the transfer list is read through data properties only, which runs no getter but does run a proxy's getOwnPropertyDescriptor trap",
  },
  'bad-arguments-port': {
    browsers: ['firefox'],
    labels: ['next not callable'],
    reason: 'SpiderMonkey names the calling expression in this TypeError message, and the caller of the native postMessage is now the wrapper',
  },
  'bad-arguments-port@early': {
    browsers: ['firefox'],
    labels: ['next not callable'],
    reason: 'as bad-arguments-port',
  },
};

const labelOf = (entry: unknown) => (Array.isArray(entry) ? String(entry[0]) : '');

/** The outcome without the entries KNOWN says cannot be hidden in this browser. */
export function withoutKnown(name: string, browserName: string, o: Outcome): Outcome {
  const known = KNOWN[name];
  if (!known || 'failure' in o) return o;
  if (known.browsers && !known.browsers.some((b) => browserName.toLowerCase().startsWith(b))) return o;
  const labels = known.labels ?? [];
  const kept = o.entries.filter((e) => !labels.includes(labelOf(e)));
  return { ...o, entries: known.normalize ? kept.map(known.normalize) : kept };
}

/** Each mode's first difference from the native run, known differences left out. */
function problemsOf(name: string, browserName: string, r: Record<Mode, Outcome>): string[] {
  const clean = (m: Mode) => withoutKnown(name, browserName, r[m]);
  return (['recording', 'installed'] as Mode[]).map((m) => firstDifference(name, 'native', clean('native'), m, clean(m))).filter(Boolean);
}

export function firstDifference(name: string, baseMode: Mode, base: Outcome, mode: Mode, other: Outcome): string {
  if ('failure' in base || 'failure' in other) {
    if ('failure' in base && 'failure' in other && base.failure === other.failure) return '';
    return `scenario "${name}": ${baseMode}: ${'failure' in base ? 'FAILED ' + base.failure : 'ok'}; ${mode}: ${'failure' in other ? 'FAILED ' + other.failure : 'ok'}`;
  }
  const a = base.entries;
  const b = other.entries;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = JSON.stringify(a[i]);
    const y = JSON.stringify(b[i]);
    if (x !== y) {
      return (
        `scenario "${name}": first difference at log entry ${i} of ${a.length} (${baseMode}) / ${b.length} (${mode})\n` +
        `  ${baseMode.padEnd(9)}: ${show(a[i])}\n` +
        `  ${mode.padEnd(9)}: ${show(b[i])}` +
        detail(a[i], b[i])
      );
    }
  }
  return '';
}

/** For two differing entries that are arrays or objects, the first differing part. */
function detail(x: unknown, y: unknown, path = ''): string {
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) {
    return path ? `\n  at ${path}: ${show(x)} vs ${show(y)}` : '';
  }
  const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])];
  for (const k of keys) {
    const a = (x as Record<string, unknown>)[k];
    const b = (y as Record<string, unknown>)[k];
    if (JSON.stringify(a) !== JSON.stringify(b)) return detail(a, b, `${path}[${JSON.stringify(k)}]`);
  }
  return '';
}

async function pool<T>(items: T[], n: number, f: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await f(items[next++]);
    }),
  );
}

const server = servePages();

const scenarioUrl = (name: string) => `${server.origin('127.0.0.1')}/transparency/index.html?s=${encodeURIComponent(name)}`;

function defineSuite(browserName: string, launch: Record<Mode, () => Promise<Runner>>) {
  if (BROWSERS && !BROWSERS.some((b) => browserName.toLowerCase().startsWith(b))) return;
  describe(`${browserName}: scenario logs are identical without the extension, recording, and not recording`, () => {
    const runners = new Map<Mode, Runner>();
    const results = new Map<string, Record<Mode, Outcome>>();
    /** Recording mode: what each scenario's session lacked (the run whose logs are compared). */
    const recorded = new Map<string, string[]>();
    const reruns = new Reruns(`${browserName} transparency`, NAMES.length);
    let rerunVerdict = '';
    const runScenario = async (name: string) => {
      const runs = await Promise.all(MODES.map((m) => runners.get(m)!.run(scenarioUrl(name))));
      recorded.set(name, runs[MODES.indexOf('recording')].unrecorded ?? ['the recording runner did not check its session']);
      return Object.fromEntries(MODES.map((m, i) => [m, parse(runs[i].text)])) as Record<Mode, Outcome>;
    };

    beforeAll(async () => {
      for (const mode of MODES) runners.set(mode, await launch[mode]());
      await pool(NAMES, CONCURRENCY, async (name) => void results.set(name, await runScenario(name)));
      // Some engine behaviour depends on timing on a loaded machine (Firefox's port transfers,
      // timers against message loops): a differing scenario runs once more, alone. The re-run
      // is printed and counted; one that differs again keeps its first result and fails.
      const differing = NAMES.filter((name) => problemsOf(name, browserName, results.get(name)!).length > 0);
      await pool(differing, 1, async (name) => {
        const first = problemsOf(name, browserName, results.get(name)!).join(' / ');
        const firstRecorded = recorded.get(name)!;
        const again = await runScenario(name);
        const agreed = problemsOf(name, browserName, again).length === 0;
        reruns.note(name, agreed, first);
        if (agreed) results.set(name, again);
        else recorded.set(name, firstRecorded);
      });
      rerunVerdict = reruns.verdict();
    }, 600_000);
    afterAll(async () => {
      await Promise.all([...runners.values()].map((r) => r.close()));
      // TRANSPARENCY_DUMP=dir keeps every log, for reading the differences in full.
      const dir = process.env.TRANSPARENCY_DUMP;
      if (dir) {
        const { mkdirSync, writeFileSync } = await import('node:fs');
        mkdirSync(dir, { recursive: true });
        writeFileSync(`${dir}/${browserName.split(' ')[0].toLowerCase()}.json`, JSON.stringify(Object.fromEntries(results), null, 1));
      }
    });

    it('re-runs at most 1% of the scenarios', () => {
      if (rerunVerdict) expect.fail(rerunVerdict);
    });

    it('runs every scenario natively', () => {
      const failed = NAMES.filter((n) => 'failure' in results.get(n)!.native).map((n) => `${n}: ${(results.get(n)!.native as { failure: string }).failure}`);
      expect(failed, 'scenarios that did not complete without the extension').toEqual([]);
    });

    for (const name of NAMES) {
      it(name, () => {
        const r = results.get(name)!;
        const known = KNOWN[name];
        if (known?.labels && !('failure' in r.native)) {
          // A known difference must still be exercised by the scenario.
          expect(r.native.entries.some((e) => known.labels!.includes(labelOf(e))), `${name} still logs ${known.labels.join(', ')}`).toBe(true);
        }
        const problems = problemsOf(name, browserName, r);
        const lacking = recorded.get(name) ?? [];
        if (lacking.length) problems.push(`recording mode did not record scenario "${name}": ${lacking.join('; ')}`);
        if (problems.length) expect.fail(problems.join('\n'));
      });
    }
  });
}

// ───────────── Chromium (playwright-core) ─────────────

type PwPage = import('playwright-core').Page;

function withTimeout<T>(p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`scenario did not finish within ${SCENARIO_TIMEOUT_MS} ms`)), SCENARIO_TIMEOUT_MS);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** `read`: the tab's session in the background, for recording mode (checked before the tab closes). */
async function runIn(newPage: () => Promise<PwPage>, url: string, read?: (url: string) => Promise<AggregateSnapshot | null>): Promise<Run> {
  const page = await newPage();
  try {
    await page.goto(url);
    const text = await withTimeout(page.evaluate(() => (window as unknown as { __run: () => Promise<string> }).__run()));
    if (!read) return { text };
    return { text, unrecorded: await unrecorded(url, () => page.frames().map((f) => f.url()), () => read(url)) };
  } catch (e) {
    return { text: `harness error: ${String((e as Error).message).split('\n')[0]}`, ...(read ? { unrecorded: ['the scenario did not finish'] } : {}) };
  } finally {
    await page.close().catch(() => {});
  }
}

defineSuite('Chromium', {
  native: async () => {
    const b = await launchChromium();
    const ctx = await b.browser.newContext();
    return { run: (url) => runIn(() => ctx.newPage(), url), close: b.close };
  },
  recording: async () => {
    const b = await launchChromiumWithExtension();
    const sw = await b.worker();
    await sw.evaluate(() => (globalThis as any).channelInspector.setRecordAll(true));
    const read = async (url: string) =>
      (await b.worker()).evaluate(async (u: string) => {
        const ci = (globalThis as any).channelInspector;
        const tab = (await (globalThis as any).chrome.tabs.query({})).find((t: { url: string }) => t.url === u);
        if (tab?.id === undefined) return null;
        await ci.flush();
        return ci.snapshot(tab.id);
      }, url) as Promise<AggregateSnapshot | null>;
    return { run: (url) => runIn(() => b.context.newPage(), url, read), close: b.close };
  },
  installed: async () => {
    const b = await launchChromiumWithExtension();
    const sw = await b.worker();
    await sw.evaluate(() => (globalThis as any).channelInspector.setRecordAll(false));
    return { run: (url) => runIn(() => b.context.newPage(), url), close: b.close };
  },
});

// ───────────── Firefox ESR (puppeteer-core over WebDriver BiDi) ─────────────

async function firefoxRunner(ff: Awaited<ReturnType<typeof launchFirefox>>, read?: (url: string) => Promise<AggregateSnapshot | null>): Promise<Runner> {
  // Two tabs opened at once over BiDi sometimes fail ("no such frame"): open them one at a
  // time, and try again when it happens anyway.
  let opening: Promise<unknown> = Promise.resolve();
  const newPage = () => {
    const p = opening.then(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await ff.browser.newPage();
        } catch (e) {
          if (attempt >= 4) throw e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    });
    opening = p.catch(() => {});
    return p;
  };
  return {
    async run(url) {
      const failed = read ? { unrecorded: ['the scenario did not finish'] } : {};
      let page;
      try {
        page = await newPage();
      } catch (e) {
        return { text: `harness error: could not open a tab: ${String((e as Error).message).split('\n')[0]}`, ...failed };
      }
      try {
        await page.goto(url);
        const text = await withTimeout(page.evaluate(() => (window as unknown as { __run: () => Promise<string> }).__run()));
        if (!read) return { text };
        return { text, unrecorded: await unrecorded(url, () => page.frames().map((f) => f.url()), () => read(url), 'firefox') };
      } catch (e) {
        return { text: `harness error: ${String((e as Error).message).split('\n')[0]}`, ...failed };
      } finally {
        await page.close().catch(() => {});
      }
    },
    close: ff.close,
  };
}

async function firefoxWithExtension(record: boolean): Promise<Runner> {
  const ff = await launchFirefox({ extDir: DIST_FIREFOX });
  const ext = await ff.extensionPage('/devtools.html');
  await ext.evaluate(async (on: boolean) => {
    const bg = await (globalThis as any).browser.runtime.getBackgroundPage();
    await bg.channelInspector.setRecordAll(on);
  }, record);
  if (!record) return firefoxRunner(ff);
  const read = (url: string) =>
    ext.evaluate(async (u: string) => {
      const b = (globalThis as any).browser;
      const tab = (await b.tabs.query({})).find((t: { url: string }) => t.url === u);
      if (tab?.id === undefined) return null;
      const bg = await b.runtime.getBackgroundPage();
      await bg.channelInspector.flush();
      return bg.channelInspector.snapshot(tab.id);
    }, url) as Promise<AggregateSnapshot | null>;
  return firefoxRunner(ff, read);
}

defineSuite('Firefox ESR', {
  native: async () => firefoxRunner(await launchFirefox()),
  recording: () => firefoxWithExtension(true),
  installed: () => firefoxWithExtension(false),
});

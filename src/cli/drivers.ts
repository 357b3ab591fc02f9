// The two real browsers behind `Recording`. scripts/browsers.mjs is handed in by the bin
// (not imported) so that the bundle does not pull in playwright-core and puppeteer-core.
// Functions given to evaluate() run in the extension, so they must not use anything from here.
import type { AggregateSnapshot } from '../protocol/session';
import { UsageError } from './args';
import { PageLoadError, type Activity, type BrowserName, type Launch, type Recording } from './record';

/* eslint-disable @typescript-eslint/no-explicit-any -- playwright and puppeteer objects */
export interface BrowsersModule {
  DIST_CHROME: string;
  DIST_FIREFOX: string;
  findBrowser(name: BrowserName): string | null;
  browserHelp(name: BrowserName): string;
  launchChromiumWithExtension(o: { headless: boolean }): Promise<any>;
  launchFirefox(o: { extDir: string; headless: boolean }): Promise<any>;
}

/** Runs in the extension: the id of the tab showing `u` (or the only web page open). */
const findTab = async (arg: { u: string; tabs: any }): Promise<number | null> => {
  const tabs: { id?: number; url?: string }[] = await arg.tabs.query({});
  const strip = (x: string) => x.split('#')[0];
  const hit = tabs.find((t) => t.url === arg.u) ?? tabs.find((t) => t.url !== undefined && strip(t.url) === strip(arg.u));
  if (hit?.id !== undefined) return hit.id;
  const pages = tabs.filter((t) => !/^(about:|chrome:|chrome-extension:|moz-extension:)/.test(t.url ?? 'about:'));
  return pages.length === 1 && pages[0].id !== undefined ? pages[0].id : null;
};

/** Runs in the extension: counters that move whenever the tab's session does. */
const activityOf = (s: AggregateSnapshot | null): Activity | null => {
  if (!s) return null;
  let settled = 0;
  for (const m of s.messages) if (m.deliveredAt !== null || m.outcome.status === 'dropped' || m.outcome.status === 'error') settled++;
  let dropped = 0;
  for (const k in s.dropped) dropped += s.dropped[k];
  return { contexts: s.contexts.length, ports: s.ports.length, messages: s.messages.length, settled, dropped };
};

export function browserLauncher(browsers: BrowsersModule): Launch {
  return async (name, { headful, workers = false }) => {
    if (!browsers.findBrowser(name)) throw new UsageError(browsers.browserHelp(name));
    if (headful && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) throw new UsageError('--headful needs a display (DISPLAY or WAYLAND_DISPLAY is not set)');
    // Playwright and Puppeteer close the browser on SIGINT; the bin's own handler must win, so
    // that Ctrl-C stops the recording and still writes the trace (their exit handlers stay).
    const before = new Set(process.listeners('SIGINT'));
    try {
      return name === 'chromium' ? await chromium(browsers, headful, workers) : await firefox(browsers, headful, workers);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`could not start ${name} with the extension: ${firstLine(e)}`);
    } finally {
      for (const l of process.listeners('SIGINT')) if (!before.has(l)) process.removeListener('SIGINT', l);
    }
  };
}

/** Navigation errors as one readable line; HTTP errors count as a failed load. */
async function navigate(page: any, url: string, timeoutMs: number): Promise<void> {
  let response: any;
  try {
    response = await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
  } catch (e) {
    const msg = firstLine(e).replace(/^page\.goto: /, '');
    throw new PageLoadError(/timeout/i.test(msg) ? `${url} did not load within ${timeoutMs} ms` : `${url} failed to load: ${msg}`);
  }
  const status = response?.status?.() ?? 0;
  if (status >= 400) throw new PageLoadError(`${url} failed to load: HTTP ${status}`);
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n')[0];
}

/**
 * Code for the extension, as source: `(ci, tabs) => …` over the background's channelInspector
 * and the tabs API. Sent as text because extension pages forbid eval (CSP), while the
 * debugging protocols that run it do not.
 */
export const snippets = {
  findTab: (u: string) => `async (ci, tabs) => (${findTab.toString()})({ u: ${JSON.stringify(u)}, tabs })`,
  // peek: no audit on every poll (it would starve the worker of a page making 100,000 ports).
  activity: (id: number) => `async (ci) => (${activityOf.toString()})(await ci.peek(${id}))`,
  // As JSON text: a large snapshot crosses the debugging protocol as one string, not as a tree
  // of serialized objects (80,000 ports took 90 s and 950 MB in the CLI that way).
  finish: (id: number) => `async (ci) => { await ci.release(${id}); return JSON.stringify(await ci.snapshot(${id})); }`,
};

/** The page's tab and its snapshot calls, given a way to run a snippet in the extension. */
function recording(page: any, run: (snippet: string) => Promise<any>, close: () => Promise<void>): Recording {
  let tabId: number | null = null;
  return {
    async open(url, timeoutMs) {
      await navigate(page, url, timeoutMs);
      const u: string = page.url();
      tabId = await run(snippets.findTab(u));
      if (typeof tabId !== 'number') throw new Error(`the extension does not see a tab showing ${u}`);
      return { url: u, title: await page.title().catch(() => '') };
    },
    activity: () => run(snippets.activity(tabId!)),
    finish: async () => JSON.parse((await run(snippets.finish(tabId!))) as string),
    close,
  };
}

/** Runs a snippet in the extension's background. */
export type RunSnippet = (snippet: string) => Promise<any>;

/** In Chromium's service worker, given what launchChromiumWithExtension resolved with. */
export function chromiumRunner(b: { worker(): Promise<any> }): RunSnippet {
  // The service worker may be stopped and restarted during a recording: ask for it each time.
  return async (snippet) => (await b.worker()).evaluate(`(${snippet})(globalThis.channelInspector, chrome.tabs)`);
}

/** In Firefox, from an extension page (launchFirefox's extensionPage), which reaches the event page's globals as the panel does. */
export function firefoxRunner(ext: { evaluate(fn: any): Promise<any> }): RunSnippet {
  return (snippet) => ext.evaluate(`async () => { const bg = await browser.runtime.getBackgroundPage(); return (${snippet})(bg.channelInspector, browser.tabs); }`);
}

async function chromium(browsers: BrowsersModule, headful: boolean, workers: boolean): Promise<Recording> {
  const b = await browsers.launchChromiumWithExtension({ headless: !headful });
  const run = chromiumRunner(b);
  try {
    await run('(ci) => ci.setRecordAll(true)');
    if (workers) await run('(ci) => ci.setRecordWorkers(true)');
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    return recording(page, run, () => b.close());
  } catch (e) {
    await b.close();
    throw e;
  }
}

async function firefox(browsers: BrowsersModule, headful: boolean, workers: boolean): Promise<Recording> {
  const ff = await browsers.launchFirefox({ extDir: browsers.DIST_FIREFOX, headless: !headful });
  try {
    const run = firefoxRunner(await ff.extensionPage('/devtools.html'));
    await run('(ci) => ci.setRecordAll(true)');
    if (workers) await run('(ci) => ci.setRecordWorkers(true)');
    return recording(await ff.browser.newPage(), run, () => ff.close());
  } catch (e) {
    await ff.close();
    throw e;
  }
}

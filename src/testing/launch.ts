// The browsers behind the test helper: Chromium with the extension through playwright-core
// (a persistent context, as extensions need), Firefox ESR through puppeteer-core over WebDriver
// BiDi. Both start recording every tab and hand back a ChannelsHandle on their first page.
// scripts/browsers.mjs finds the system browsers (CHROMIUM_PATH / FIREFOX_PATH win) and the
// built extension beside this bundle (dist/chrome, dist/firefox).
import type { BrowserContext, Page } from 'playwright-core';
import type { Browser as PuppeteerBrowser, Page as PuppeteerPage } from 'puppeteer-core';
import * as browsers from '../../scripts/browsers.mjs';
import { chromiumRunner, firefoxRunner, snippets, type RunSnippet } from '../cli/drivers';
import type { Activity } from '../cli/record';
import type { AggregateSnapshot } from '../protocol/session';
import { ChannelsHandle, type TabSource } from './handle';

/* eslint-disable @typescript-eslint/no-explicit-any -- playwright and puppeteer objects */

export interface LaunchOptions {
  /** Default true; false needs a display. */
  headless?: boolean;
  /** Extra browser command-line arguments. */
  args?: string[];
}

/** A page of either driver: what the handle needs of it. */
interface AnyPage {
  url(): string;
  title(): Promise<string>;
}

/** The tab showing `page`, found in the background on first use (after the page navigated). */
export function pageSource(page: AnyPage, run: RunSnippet): TabSource {
  let tabId: number | null = null;
  const tab = async (): Promise<number | null> => {
    if (tabId === null) {
      const id = await run(snippets.findTab(page.url()));
      if (typeof id === 'number') tabId = id;
    }
    return tabId;
  };
  const call = async (make: (id: number) => string): Promise<any> => {
    const id = await tab();
    return id === null ? null : run(make(id));
  };
  return {
    snapshot: (): Promise<AggregateSnapshot | null> => call((id) => `async (ci) => ci.snapshot(${id})`),
    activity: (): Promise<Activity | null> => call(snippets.activity),
    finish: async (): Promise<AggregateSnapshot | null> => {
      const text = await call(snippets.finish);
      return typeof text === 'string' ? JSON.parse(text) : null;
    },
    title: async () => (await page.title().catch(() => '')) || page.url(),
  };
}

const TOOL = 'channel-inspector test helper';

export interface ChromiumSession {
  /** Playwright's BrowserContext (persistent: extensions need one); its pages are recorded. */
  context: BrowserContext;
  /** The context's first page: the one `channels` follows. */
  page: Page;
  channels: ChannelsHandle;
  extensionId: string;
  close(): Promise<void>;
}

export async function launchChromiumSession(o: LaunchOptions = {}): Promise<ChromiumSession> {
  const b = await browsers.launchChromiumWithExtension({ extDir: browsers.DIST_CHROME, headless: o.headless ?? true, args: o.args ?? [] });
  try {
    const run = chromiumRunner(b);
    await run('(ci) => ci.setRecordAll(true)');
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    return { context: b.context, page, channels: new ChannelsHandle(pageSource(page, run), TOOL), extensionId: b.extensionId, close: b.close };
  } catch (e) {
    await b.close();
    throw e;
  }
}

export interface FirefoxSession {
  /** Puppeteer's Browser (Firefox ESR over WebDriver BiDi). */
  browser: PuppeteerBrowser;
  /** A new page: the one `channels` follows. */
  page: PuppeteerPage;
  channels: ChannelsHandle;
  close(): Promise<void>;
}

export async function launchFirefoxSession(o: LaunchOptions = {}): Promise<FirefoxSession> {
  const ff = await browsers.launchFirefox({ extDir: browsers.DIST_FIREFOX, headless: o.headless ?? true, args: o.args ?? [] });
  try {
    const run = firefoxRunner(await ff.extensionPage('/devtools.html'));
    await run('(ci) => ci.setRecordAll(true)');
    const page = await ff.browser.newPage();
    return { browser: ff.browser, page, channels: new ChannelsHandle(pageSource(page, run), TOOL), close: ff.close };
  } catch (e) {
    await ff.close();
    throw e;
  }
}

/** A missing browser, as the CLI says it (which package, which variable). */
export function requireBrowser(name: 'chromium' | 'firefox'): void {
  if (!browsers.findBrowser(name)) throw new Error(browsers.browserHelp(name));
}

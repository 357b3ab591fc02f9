// One way for e2e tests to record pages with the built extension in either browser and
// read the background's session for a tab, as the panel would see it.
import { DIST_FIREFOX, launchChromiumWithExtension, launchFirefox } from '../../scripts/browsers.mjs';
import type { AggregateSnapshot } from '../../src/protocol/session';

export type BrowserName = 'chromium' | 'firefox';

export interface Recorder {
  name: BrowserName;
  /** Opens `url` in a new tab (a new session) and waits for window[flag] to be true (when a flag is given). */
  open(url: string, flag?: string): Promise<RecordedTab>;
  /** The session of the tab showing `url` (null before it has one). */
  snapshot(url: string): Promise<AggregateSnapshot | null>;
  /** Turns recording of every tab on or off (open tabs are told at once). */
  setRecordAll(on: boolean): Promise<void>;
  /** Turns recording inside every tab's workers on or off (the CLI's --workers). */
  setRecordWorkers(on: boolean): Promise<void>;
  close(): Promise<void>;
}

export interface RecordedTab {
  /** Runs `fn`, or evaluates an expression, in the top frame. */
  evaluate<T>(fn: (() => T) | string): Promise<T>;
  close(): Promise<void>;
}

/** Launches the browser with the extension and recording on for every tab. */
export async function launchRecorder(name: BrowserName): Promise<Recorder> {
  if (name === 'chromium') {
    const b = await launchChromiumWithExtension();
    await (await b.worker()).evaluate(() => (globalThis as any).channelInspector.setRecordAll(true));
    return {
      name,
      async open(url, flag) {
        const page = await b.context.newPage();
        await page.goto(url);
        if (flag) await page.waitForFunction((f) => (window as any)[f] === true, flag);
        return { evaluate: (fn) => page.evaluate(fn) as Promise<any>, close: () => page.close() };
      },
      snapshot: async (url) =>
        (await b.worker()).evaluate(async (u) => {
          const chrome = (globalThis as any).chrome;
          const tab = (await chrome.tabs.query({})).find((t: { url: string }) => t.url === u);
          return tab ? (globalThis as any).channelInspector.snapshot(tab.id) : null;
        }, url),
      setRecordAll: async (on) => (await b.worker()).evaluate((x) => (globalThis as any).channelInspector.setRecordAll(x), on),
      setRecordWorkers: async (on) => (await b.worker()).evaluate((x) => (globalThis as any).channelInspector.setRecordWorkers(x), on),
      close: () => b.close(),
    };
  }
  const ff = await launchFirefox({ extDir: DIST_FIREFOX });
  const ext = await ff.extensionPage('/devtools.html');
  await ext.evaluate(async () => {
    const bg = await (globalThis as any).browser.runtime.getBackgroundPage();
    await bg.channelInspector.setRecordAll(true);
  });
  return {
    name,
    async open(url, flag) {
      const page = await ff.browser.newPage();
      await page.goto(url);
      if (flag) await page.waitForFunction((f: string) => (window as any)[f] === true, {}, flag);
      return { evaluate: (fn) => page.evaluate(fn) as Promise<any>, close: () => page.close() };
    },
    snapshot: (url) =>
      ext.evaluate(async (u: string) => {
        const b = (globalThis as any).browser;
        const tab = (await b.tabs.query({})).find((t: any) => t.url === u);
        if (!tab) return null;
        const bg = await b.runtime.getBackgroundPage();
        return bg.channelInspector.snapshot(tab.id);
      }, url) as Promise<AggregateSnapshot | null>,
    setRecordAll: (on) =>
      ext.evaluate(async (x: boolean) => {
        const bg = await (globalThis as any).browser.runtime.getBackgroundPage();
        await bg.channelInspector.setRecordAll(x);
      }, on) as Promise<void>,
    setRecordWorkers: (on) =>
      ext.evaluate(async (x: boolean) => {
        const bg = await (globalThis as any).browser.runtime.getBackgroundPage();
        await bg.channelInspector.setRecordWorkers(x);
      }, on) as Promise<void>,
    close: () => ff.close(),
  };
}

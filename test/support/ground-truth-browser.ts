// One tab of Chromium or Firefox ESR with the built extension recording it, driven by the
// ground-truth test: load a page, evaluate in it, read the background's session of the tab.
import { DIST_FIREFOX, launchChromiumWithExtension, launchFirefox } from '../../scripts/browsers.mjs';
import type { AggregateSnapshot } from '../../src/protocol/session';

export type GtBrowserName = 'chromium' | 'firefox';

export interface GtTab {
  goto(url: string): Promise<void>;
  /** Evaluates an expression in the top frame. */
  evaluate(expression: string): Promise<unknown>;
  close(): Promise<void>;
}

export interface GtBrowser {
  /** A new tab (a new session in the background). */
  newTab(): Promise<GtTab>;
  /** The session of the tab showing `url` (null before it has one). */
  snapshot(url: string): Promise<AggregateSnapshot | null>;
  close(): Promise<void>;
}

export async function launchRecordingBrowser(name: GtBrowserName): Promise<GtBrowser> {
  if (name === 'chromium') {
    const b = await launchChromiumWithExtension();
    await (await b.worker()).evaluate(() => (globalThis as any).channelInspector.setRecordAll(true));
    return {
      async newTab() {
        const page = await b.context.newPage();
        return { goto: async (url) => void (await page.goto(url)), evaluate: (expression) => page.evaluate(expression), close: () => page.close() };
      },
      snapshot: async (url) =>
        (await b.worker()).evaluate(async (u) => {
          const chrome = (globalThis as any).chrome;
          const tab = (await chrome.tabs.query({})).find((t: { url: string }) => t.url === u);
          return tab ? (globalThis as any).channelInspector.snapshot(tab.id) : null;
        }, url),
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
    async newTab() {
      const page = await ff.browser.newPage();
      return { goto: async (url) => void (await page.goto(url)), evaluate: (expression) => page.evaluate(expression), close: () => page.close() };
    },
    snapshot: (url) =>
      ext.evaluate(async (u: string) => {
        const b = (globalThis as any).browser;
        const tab = (await b.tabs.query({})).find((t: any) => t.url === u);
        if (!tab) return null;
        const bg = await b.runtime.getBackgroundPage();
        return bg.channelInspector.snapshot(tab.id);
      }, url) as Promise<AggregateSnapshot | null>,
    close: () => ff.close(),
  };
}

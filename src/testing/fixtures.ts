// Fixtures for @playwright/test's test.extend: `page`, `context` and `channels`, recorded by
// the extension. With browserName 'firefox' they come from Firefox ESR through Puppeteer
// (Playwright cannot drive a stock Firefox), so a spec that runs in both uses what the two
// Page APIs share (goto, click, evaluate, title, url).
// Playwright reads each fixture's first parameter to know what it needs: keep the
// destructuring patterns below literal.
import { launchChromiumSession, launchFirefoxSession, type LaunchOptions } from './launch';

/* eslint-disable @typescript-eslint/no-explicit-any, no-empty-pattern -- fixture signatures */
type Use<T> = (value: T) => Promise<void>;

export function channelInspectorFixtures(options: LaunchOptions = {}) {
  return {
    channelInspector: async ({ browserName }: { browserName?: string }, use: Use<any>) => {
      const session = browserName === 'firefox' ? await launchFirefoxSession(options) : await launchChromiumSession(options);
      try {
        await use(session);
      } finally {
        await session.close();
      }
    },
    context: async ({ channelInspector }: { channelInspector: any }, use: Use<any>) => use(channelInspector.context ?? channelInspector.browser),
    page: async ({ channelInspector }: { channelInspector: any }, use: Use<any>) => use(channelInspector.page),
    channels: async ({ channelInspector }: { channelInspector: any }, use: Use<any>) => use(channelInspector.channels),
  };
}

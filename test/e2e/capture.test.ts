// Each kind of channel operation a page does arrives in the background, with the right
// frames and ports, in real Chromium and real Firefox ESR.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { DIST_FIREFOX, launchChromiumWithExtension, launchFirefox } from '../../scripts/browsers.mjs';
import { startServer } from '../../scripts/serve.mjs';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { waitFor } from '../support/session';
import { captureComplete, capturePath, expectCapture } from '../support/capture';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

describe('Chromium: every captured kind', () => {
  let browser: Awaited<ReturnType<typeof launchChromiumWithExtension>>;
  beforeAll(async () => {
    browser = await launchChromiumWithExtension();
  });
  afterAll(() => browser?.close());

  it('reaches the background with its frames and ports', async () => {
    const sw = await browser.worker();
    await sw.evaluate(() => (globalThis as any).channelInspector.setRecordAll(true));
    const page = await browser.context.newPage();
    const url = `${server.origin('127.0.0.1')}${capturePath}`;
    await page.goto(url);
    await page.waitForFunction(() => (window as any).scenarioDone === true);
    const read = () =>
      sw.evaluate(async (u) => {
        const chrome = (globalThis as any).chrome;
        const tab = (await chrome.tabs.query({})).find((t: { url: string }) => t.url === u);
        return tab ? (globalThis as any).channelInspector.snapshot(tab.id) : null;
      }, url) as Promise<AggregateSnapshot | null>;
    expectCapture(await waitFor(read, captureComplete, 'the capture page recorded'), server.origin('127.0.0.1'), server.origin('localhost'));
  });
});

describe('Firefox: every captured kind', () => {
  let ff: Awaited<ReturnType<typeof launchFirefox>>;
  let ext: Awaited<ReturnType<Awaited<ReturnType<typeof launchFirefox>>['extensionPage']>>;
  beforeAll(async () => {
    ff = await launchFirefox({ extDir: DIST_FIREFOX });
    ext = await ff.extensionPage('/devtools.html');
    await ext.evaluate(async () => {
      const bg = await (globalThis as any).browser.runtime.getBackgroundPage();
      await bg.channelInspector.setRecordAll(true);
    });
  });
  afterAll(() => ff?.close());

  it('reaches the background with its frames and ports', async () => {
    const page = await ff.browser.newPage();
    const url = `${server.origin('127.0.0.1')}${capturePath}`;
    await page.goto(url);
    await page.waitForFunction(() => (window as any).scenarioDone === true);
    const read = () =>
      ext.evaluate(async (u: string) => {
        const b = (globalThis as any).browser;
        const tab = (await b.tabs.query({})).find((t: any) => t.url === u);
        if (!tab) return null;
        const bg = await b.runtime.getBackgroundPage();
        return bg.channelInspector.snapshot(tab.id);
      }, url) as Promise<AggregateSnapshot | null>;
    expectCapture(await waitFor(read, captureComplete, 'the capture page recorded'), server.origin('127.0.0.1'), server.origin('localhost'));
  });
});

// End to end in real Firefox ESR (WebDriver BiDi): the same demo as in Chromium gives
// the same session.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { DIST_FIREFOX, launchFirefox } from '../../scripts/browsers.mjs';
import { startServer } from '../../scripts/serve.mjs';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { waitFor } from '../support/session';
import { demoComplete, demoPath, expectDemoSession } from '../support/demo';

let server: Awaited<ReturnType<typeof startServer>>;
let ff: Awaited<ReturnType<typeof launchFirefox>>;
let ext: Awaited<ReturnType<Awaited<ReturnType<typeof launchFirefox>>['extensionPage']>>;

beforeAll(async () => {
  server = await startServer();
  ff = await launchFirefox({ extDir: DIST_FIREFOX });
  // An extension page gives the test the background's state, as a panel would see it.
  ext = await ff.extensionPage('/devtools.html');
  await ext.evaluate(async () => {
    const bg = await (globalThis as any).browser.runtime.getBackgroundPage();
    await bg.channelInspector.setRecordAll(true);
  });
});
afterAll(async () => {
  await ff?.close();
  await server?.close();
});

const snapshotFor = (url: string) =>
  ext.evaluate(async (u: string) => {
    const b = (globalThis as any).browser;
    const tab = (await b.tabs.query({})).find((t: any) => t.url === u);
    if (tab?.id === undefined) return null;
    const bg = await b.runtime.getBackgroundPage();
    return bg.channelInspector.snapshot(tab.id);
  }, url) as Promise<AggregateSnapshot | null>;

describe('Firefox: page traffic reaches the background', () => {
  it('records both frames of a cross-origin page, with the port that moved between them', async () => {
    const page = await ff.browser.newPage();
    const url = `${server.origin('127.0.0.1')}${demoPath}`;
    await page.goto(url);
    await page.waitForFunction(() => (window as any).demoReceived === 2);
    const snap = await waitFor(() => snapshotFor(url), demoComplete, 'both pongs delivered');
    expectDemoSession(snap, server.origin('127.0.0.1'), server.origin('localhost'));
    await page.close();
  });
});

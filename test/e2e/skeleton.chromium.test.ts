// End to end in real Chromium: a page on 127.0.0.1 with a cross-origin child (localhost)
// talks over a MessageChannel; the background's session holds both documents, the port
// that moved between them, and every message matched with its delivery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'playwright-core';
import { launchChromiumWithExtension } from '../../scripts/browsers.mjs';
import { startServer } from '../../scripts/serve.mjs';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { waitFor } from '../support/session';
import { demoComplete, demoPath, expectDemoSession } from '../support/demo';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Awaited<ReturnType<typeof launchChromiumWithExtension>>;

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromiumWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

export async function snapshotFor(sw: Worker, url: string): Promise<AggregateSnapshot | null> {
  return sw.evaluate(async (u) => {
    const chrome = (globalThis as any).chrome;
    const tab = (await chrome.tabs.query({})).find((t: { url: string }) => t.url === u);
    return tab?.id === undefined ? null : (globalThis as any).channelInspector.snapshot(tab.id);
  }, url);
}

describe('Chromium: page traffic reaches the background', () => {
  it('records both frames of a cross-origin page, with the port that moved between them', async () => {
    const sw = await browser.worker();
    await sw.evaluate(() => (globalThis as any).channelInspector.setRecordAll(true));
    const page = await browser.context.newPage();
    const url = `${server.origin('127.0.0.1')}${demoPath}`;
    await page.goto(url);
    // The page itself works as without the extension: both replies arrive.
    await page.waitForFunction(() => (window as any).demoReceived === 2);
    const snap = await waitFor(() => snapshotFor(sw, url), demoComplete, 'both pongs delivered');
    expectDemoSession(snap, server.origin('127.0.0.1'), server.origin('localhost'));
    // Chromium gives the browser's frame ids to the background.
    expect(snap!.contexts.find((c) => c.top)?.frameId).toBe(0);
    await page.close();
  });
});

// The walking skeleton in real Chromium: a page on 127.0.0.1 with a cross-origin child
// (localhost) talks over a MessageChannel; events from both frames reach the background.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'playwright-core';
import { launchChromiumWithExtension } from '../../scripts/browsers.mjs';
import { startServer } from '../../scripts/serve.mjs';
import type { SessionSnapshot } from '../../src/protocol/messages';
import { rowsOf, waitFor } from '../support/session';

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

async function snapshotFor(sw: Worker, url: string): Promise<SessionSnapshot | null> {
  return sw.evaluate(async (u) => {
    const chrome = (globalThis as any).chrome;
    const tab = (await chrome.tabs.query({})).find((t: { url: string }) => t.url === u);
    return tab?.id === undefined ? null : (globalThis as any).channelInspector.snapshot(tab.id);
  }, url);
}

describe('Chromium: page traffic reaches the background', () => {
  it('records both frames of a cross-origin page', async () => {
    const sw = await browser.worker();
    await sw.evaluate(() => (globalThis as any).channelInspector.setRecordAll(true));
    const page = await browser.context.newPage();
    const url = `${server.origin('127.0.0.1')}/demo/index.html`;
    await page.goto(url);
    // The page itself works as without the extension: both replies arrive.
    await page.waitForFunction(() => (window as any).demoReceived === 2);

    const snap = await waitFor(
      () => snapshotFor(sw, url),
      (s) => rowsOf(s, (e) => e.k === 'deliver' && e.via === 'port' && e.preview?.includes('pong') === true).length >= 2,
      'both pongs recorded',
    );
    const top = rowsOf(snap, (_, r) => r.frameId === 0);
    const child = rowsOf(snap, (_, r) => r.frameId !== 0);
    expect(top.length).toBeGreaterThan(0);
    expect(child.length).toBeGreaterThan(0);

    const contexts = rowsOf(snap, (e) => e.k === 'context').map((r) => (r.event as any).origin);
    expect(contexts).toContain(server.origin('127.0.0.1'));
    expect(contexts).toContain(server.origin('localhost'));

    // Top: one channel and two port posts, one transferring 1 KiB. (Its window post to the
    // cross-origin child runs the child realm's native postMessage: it is seen at delivery.)
    expect(rowsOf(snap, (e, r) => e.k === 'channel' && r.frameId === 0)).toHaveLength(1);
    const bytesPost = rowsOf(snap, (e, r) => e.k === 'post' && e.via === 'port' && r.frameId === 0 && e.transfer.length === 1)[0]?.event as any;
    expect(bytesPost.transfer).toEqual([{ kind: 'ArrayBuffer', bytes: 1024 }]);

    // Child: the handshake arrived with one port, then both port messages on it.
    const handshake = rowsOf(snap, (e, r) => e.k === 'deliver' && e.via === 'window' && r.frameId !== 0 && e.ports.length === 1)[0]?.event as any;
    expect(handshake.origin).toBe(server.origin('127.0.0.1'));
    expect(handshake.source).toEqual({ up: 1, down: [] });
    const childPortDeliveries = rowsOf(snap, (e, r) => e.k === 'deliver' && e.via === 'port' && r.frameId !== 0).map((r) => (r.event as any).preview);
    expect(childPortDeliveries[0]).toContain('"ping"');
    expect(childPortDeliveries[1]).toContain('ArrayBuffer(1024)');
    await page.close();
  });
});

// The walking skeleton in real Firefox ESR (WebDriver BiDi): both frames of a
// cross-origin page reach the background.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_FIREFOX, launchFirefox } from '../../scripts/browsers.mjs';
import { startServer } from '../../scripts/serve.mjs';
import type { SessionSnapshot } from '../../src/protocol/messages';
import { rowsOf, waitFor } from '../support/session';

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
  }, url) as Promise<SessionSnapshot | null>;

describe('Firefox: page traffic reaches the background', () => {
  it('records both frames of a cross-origin page', async () => {
    const page = await ff.browser.newPage();
    const url = `${server.origin('127.0.0.1')}/demo/index.html`;
    await page.goto(url);
    await page.waitForFunction(() => (window as any).demoReceived === 2);

    const snap = await waitFor(
      () => snapshotFor(url),
      (s) => rowsOf(s, (e) => e.k === 'deliver' && e.via === 'port' && e.preview?.includes('pong') === true).length >= 2,
      'both pongs recorded',
    );
    const frames = new Set(rowsOf(snap).map((r) => r.frameId));
    expect(frames.size).toBe(2);
    const contexts = rowsOf(snap, (e) => e.k === 'context').map((r) => (r.event as any).origin);
    expect(contexts).toContain(server.origin('127.0.0.1'));
    expect(contexts).toContain(server.origin('localhost'));
    const handshake = rowsOf(snap, (e, r) => e.k === 'deliver' && e.via === 'window' && r.frameId !== 0 && e.ports.length === 1)[0]?.event as any;
    expect(handshake.origin).toBe(server.origin('127.0.0.1'));
    const bytesPost = rowsOf(snap, (e, r) => e.k === 'post' && r.frameId === 0 && e.transfer.length === 1)[0]?.event as any;
    expect(bytesPost.transfer).toEqual([{ kind: 'ArrayBuffer', bytes: 1024 }]);
    const childPort = rowsOf(snap, (e, r) => e.k === 'deliver' && e.via === 'port' && r.frameId !== 0).map((r) => (r.event as any).preview);
    expect(childPort[1]).toContain('ArrayBuffer(1024)');
    await page.close();
  });
});

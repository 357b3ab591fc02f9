// The background's session in real browsers: a port relayed through three levels of
// cross-origin frames keeps one identity (holders A, B, C), and in Chromium a service
// worker stopped in the middle of a 10,000-message burst loses nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromiumWithExtension } from '../../scripts/browsers.mjs';
import { servePages } from '../support/pages-server';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { waitFor } from '../support/session';
import { launchRecorder, type BrowserName, type Recorder } from '../support/recorder';

const server = servePages();

/** Three answers came back to A over the port C holds. */
const relayDone = (s: AggregateSnapshot | null) => (s?.messages ?? []).filter((m) => m.via === 'port' && m.outcome.status === 'delivered').length >= 6;

function expectRelayed(s: AggregateSnapshot | null) {
  const origins = [server.origin('127.0.0.1'), server.origin('localhost'), server.origin('127.0.0.2')];
  const [a, b, c] = origins.map((o) => s!.contexts.find((x) => x.origin === o && x.endedAt === null && !x.url.startsWith('about:'))!);
  expect([a, b, c].every(Boolean), 'documents A, B and C').toBe(true);
  expect(b.parentId).toBe(a.id);
  expect(c.parentId).toBe(b.id);
  const relayed = s!.ports.find((p) => p.createdIn === a.id && p.holders.length > 1)!;
  expect(relayed.holders.map((h) => h.contextId), 'the port went A → B → C').toEqual([a.id, b.id, c.id]);
  const portMessages = s!.messages.filter((m) => m.via === 'port');
  expect(portMessages).toHaveLength(6);
  for (const m of portMessages) {
    expect(m.outcome.status, `message ${m.id}: ${m.preview}`).toBe('delivered');
    expect([m.fromContext, m.toContext].sort()).toEqual([a.id, c.id].sort());
    expect(m.sentAt).not.toBeNull();
  }
  // The first ask waited in the port's queue while the port travelled through B.
  const first = portMessages.find((m) => m.preview?.includes('ask: 1'))!;
  expect(first).toMatchObject({ fromContext: a.id, toContext: c.id, toPort: relayed.id });
  // The hand-overs are window messages seen where they arrived, carrying the port: the
  // port's moves in order, as the panel lists them (Firefox's 1 ms clock often gives both
  // the same deliveredAt, so time alone cannot order them).
  const handovers = s!.messages.filter((m) => m.via === 'window' && m.transfer.some((t) => t.id === relayed.id));
  const moves = relayed.holders.slice(1).map((h) => handovers.find((m) => m.id === h.messageId));
  expect(handovers).toHaveLength(2);
  expect(moves.map((m) => [m?.fromContext, m?.toContext])).toEqual([
    [a.id, b.id],
    [b.id, c.id],
  ]);
}

for (const name of ['chromium', 'firefox'] as BrowserName[]) {
  describe(`${name}: a relayed port`, () => {
    let rec: Recorder;
    beforeAll(async () => {
      rec = await launchRecorder(name);
    });
    afterAll(() => rec?.close());

    it('keeps one identity through three levels of cross-origin frames', async () => {
      const url = `${server.origin('127.0.0.1')}/relay3/index.html`;
      const page = await rec.open(url, 'scenarioDone');
      expectRelayed(await waitFor(() => rec.snapshot(url), relayDone, 'the relayed conversation'));
      await page.close();
    });
  });
}

describe('Chromium: the service worker stopped mid-burst', () => {
  let browser: Awaited<ReturnType<typeof launchChromiumWithExtension>>;
  beforeAll(async () => {
    browser = await launchChromiumWithExtension();
    await (await browser.worker()).evaluate(() => (globalThis as any).channelInspector.setRecordAll(true));
  });
  afterAll(() => browser?.close());

  const snapshot = async (url: string): Promise<AggregateSnapshot | null> =>
    (await browser.worker()).evaluate(async (u) => {
      const chrome = (globalThis as any).chrome;
      const tab = (await chrome.tabs.query({})).find((t: { url: string }) => t.url === u);
      return tab ? (globalThis as any).channelInspector.snapshot(tab.id) : null;
    }, url);

  it('loses nothing when the service worker is stopped in the middle of a 10,000-message burst', async () => {
    const page = await browser.context.newPage();
    const url = `${server.origin('127.0.0.1')}/burst/index.html`;
    await page.goto(url);
    const sw = await browser.worker();
    await sw.evaluate(() => {
      (globalThis as any).__beforeStop = true;
    });
    const burst = page.evaluate(() => (window as any).burst(10_000, 5_000));
    await page.waitForFunction(() => (window as any).burstPaused === true && (window as any).burstReceived === 5_000);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await page.evaluate(() => (window as any).resumeBurst());
    expect(await burst).toBe(10_000);
    // It really was stopped: the worker that answers now is a new one.
    expect(await (await browser.worker()).evaluate(() => (globalThis as any).__beforeStop ?? false)).toBe(false);
    const s = await waitFor(
      () => snapshot(url),
      (x) => (x?.messages ?? []).filter((m) => m.outcome.status === 'delivered').length >= 10_000,
      '10,000 delivered messages',
      60_000,
    );
    expect(s!.messages.filter((m) => m.outcome.status === 'delivered')).toHaveLength(10_000);
    expect(s!.dropped).toEqual({});
    await page.close();
  });
});

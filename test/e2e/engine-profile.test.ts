// The shadow model's engine comes from the build (page.js is built per browser), not from the
// page's user agent: in Chromium, DevTools' user-agent override set to Firefox's (CDP
// Emulation.setUserAgentOverride) must not change the outcomes the session shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromiumWithExtension } from '../../scripts/browsers.mjs';
import { servePages } from '../support/pages-server';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { waitFor } from '../support/session';

const server = servePages();
const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0';

describe('Chromium: a user-agent override does not change the outcomes', () => {
  let browser: Awaited<ReturnType<typeof launchChromiumWithExtension>>;
  beforeAll(async () => {
    browser = await launchChromiumWithExtension();
    await (await browser.worker()).evaluate(() => (globalThis as any).channelInspector.setRecordAll(true));
  });
  afterAll(() => browser?.close());

  async function record(userAgent: string | null) {
    const page = await browser.context.newPage();
    if (userAgent) {
      const cdp = await browser.context.newCDPSession(page);
      await cdp.send('Emulation.setUserAgentOverride', { userAgent });
    }
    const url = `${server.origin('127.0.0.1')}/engine/index.html?ua=${userAgent ? 'firefox' : 'own'}`;
    await page.goto(url);
    await page.waitForFunction(() => (window as any).scenarioDone === true);
    const ua = await page.evaluate(() => navigator.userAgent);
    const received = await page.evaluate(() => (window as any).received);
    const s = await waitFor(
      async () =>
        (await browser.worker()).evaluate(async (u) => {
          const tab = (await (globalThis as any).chrome.tabs.query({})).find((t: { url: string }) => t.url === u);
          if (!tab) return null;
          await (globalThis as any).channelInspector.release(tab.id);
          return (globalThis as any).channelInspector.snapshot(tab.id);
        }, url),
      (x: AggregateSnapshot | null) => (x?.messages ?? []).filter((m) => m.via === 'port').length >= 6,
      'the port messages',
    );
    await page.close();
    const outcomes = s!.messages.filter((m) => m.via === 'port').map((m) => `${m.preview} ${m.outcome.status}${'reason' in m.outcome ? ` ${m.outcome.reason}` : ''}`);
    return { ua, received, outcomes, mismatches: s!.mismatches.length };
  }

  it('records the same outcomes with a Firefox user agent as with its own', async () => {
    const own = await record(null);
    const spoofed = await record(FIREFOX_UA);
    expect(spoofed.ua).toBe(FIREFOX_UA);
    // The page itself behaves alike (Chromium discards the closed port's queue either way).
    expect(spoofed.received).toEqual(own.received);
    expect(own.received).toEqual(['c:returned', 'd:sent', 'e:still-here', 'b:carry', 'b:plain']);
    expect(own.mismatches, 'the shadow agrees with Chromium').toBe(0);
    expect(spoofed.outcomes).toEqual(own.outcomes);
    expect(spoofed.mismatches, 'the shadow still predicts Chromium').toBe(0);
  });
});

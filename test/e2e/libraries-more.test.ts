// More real libraries from npm that nothing else in this repository uses, each page run twice
// in each browser: natively (the browser without the extension) and recorded as a user would
// (the extension installed, recording, "Record inside workers" on). The page's results must be
// identical in both runs (transparency), and the record must be true: every message where it
// went, or the reason it cannot be known (a shared worker seen from outside, a blob: worker
// that Firefox does not let the extension into), never a guess.
//
// iframe-resizer 4: string window messages between a page and its cross-origin frame.
// greenlet: one blob: dedicated worker per function, ArrayBuffers transferred both ways.
// broadcast-channel: the npm package over the native BroadcastChannel, page and frame.
// Comlink over a module SharedWorker: the page and a frame share one counter; a callback's port
// travels into the shared worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { servePages } from '../support/pages-server';
import { waitSettled } from '../support/session';
import { launchRecorder, type BrowserName, type Recorder } from '../support/recorder';
import { launchChromium, launchFirefox } from '../../scripts/browsers.mjs';
import type { AggregateSnapshot, ContextRecord, MessageRecord } from '../../src/protocol/session';

const server = servePages();

const PAGES = ['iframe-resizer', 'greenlet', 'broadcast-channel', 'comlink-shared'] as const;
type PageName = (typeof PAGES)[number];

const label = (m: MessageRecord) => `#${m.id} ${m.via} ${m.preview ?? ''} (${m.outcome.status})`;

/** Each page's results in a browser without the extension. */
async function runNatively(name: BrowserName): Promise<Map<PageName, unknown>> {
  const out = new Map<PageName, unknown>();
  if (name === 'chromium') {
    const b = await launchChromium();
    try {
      for (const p of PAGES) {
        const page = await b.browser.newPage();
        await page.goto(`${server.origin('127.0.0.1')}/libraries/${p}.html`);
        await page.waitForFunction(() => (window as any).scenarioDone === true, null, { timeout: 15_000 });
        out.set(p, await page.evaluate(() => (window as any).results));
        await page.close();
      }
    } finally {
      await b.close();
    }
  } else {
    const b = await launchFirefox();
    try {
      for (const p of PAGES) {
        const page = await b.browser.newPage();
        await page.goto(`${server.origin('127.0.0.1')}/libraries/${p}.html`);
        await page.waitForFunction(() => (window as any).scenarioDone === true, { timeout: 15_000 });
        out.set(p, await page.evaluate(() => (window as any).results));
        await page.close();
      }
    } finally {
      await b.close();
    }
  }
  return out;
}

const dump = (name: string, s: AggregateSnapshot | null) => {
  if (process.env.LIBS_DUMP) writeFileSync(`${process.env.LIBS_DUMP}/${name}.json`, JSON.stringify(s, null, 1));
};

for (const name of ['chromium', 'firefox'] as BrowserName[]) {
  describe(`${name}: more real libraries from npm`, () => {
    let rec: Recorder;
    let native: Map<PageName, unknown>;
    beforeAll(async () => {
      native = await runNatively(name);
      rec = await launchRecorder(name);
      await rec.setRecordWorkers(true);
    }, 90_000);
    afterAll(() => rec?.close());

    async function record(p: PageName, expected: unknown) {
      const url = `${server.origin('127.0.0.1')}/libraries/${p}.html`;
      expect(native.get(p), `${p} natively`).toEqual(expected);
      const page = await rec.open(url, 'scenarioDone');
      expect(await page.evaluate(() => (window as any).results), `${p} recorded, as natively`).toEqual(native.get(p));
      return { url, page };
    }

    it('iframe-resizer', async () => {
      const { url, page } = await record('iframe-resizer', { height: 321, fromChild: { from: 'the frame', height: 321 }, echo: ['hello frame / 7'] });
      const snap = await waitSettled(() => rec.snapshot(url), (s) => (s?.messages.length ?? 0) >= 4, 'iframe-resizer recorded');
      dump(`${name}-iframe-resizer`, snap);
      await page.close();
    });

    it('greenlet', async () => {
      const { url, page } = await record('greenlet', { add: 42, both: [2, 30], sum: 15, detached: 0, made: [6, 3], error: 'Error: boom in greenlet' });
      const snap = await waitSettled(() => rec.snapshot(url), (s) => (s?.messages.length ?? 0) >= 12, 'greenlet recorded');
      dump(`${name}-greenlet`, snap);
      await page.close();
    });

    it('broadcast-channel', async () => {
      const heard = [{ n: 1, text: 'first' }, { n: 2, text: 'second', list: [1, 2, 3] }];
      const { url, page } = await record('broadcast-channel', {
        type: 'native',
        frameHeard: heard,
        heardA: [{ ready: true }, { ack: 1 }, { ack: 2 }, { heard }],
        heardB: [{ ready: true }, ...heard, { ack: 1 }, { ack: 2 }, { heard }],
      });
      const snap = await waitSettled(() => rec.snapshot(url), (s) => (s?.messages.length ?? 0) >= 10, 'broadcast-channel recorded');
      dump(`${name}-broadcast-channel`, snap);
      await page.close();
    });

    it('comlink-shared', async () => {
      const { url, page } = await record('comlink-shared', { first: 1, second: 11, frame: 111, total: 111, called: 'called back by the shared worker', error: 'boom in the shared worker' });
      const snap = await waitSettled(() => rec.snapshot(url), (s) => (s?.messages.length ?? 0) >= 10, 'comlink-shared recorded');
      dump(`${name}-comlink-shared`, snap);
      await page.close();
    });
  });
}

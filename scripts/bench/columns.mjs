// The four columns of the page table, each a way to load the same bench page:
//   native: plain Chromium · naive: plain Chromium + the naive wrapper (test/pages/bench/naive.js)
//   off: Chromium with the extension, recordAll false, no panel · on: the same, recordAll true.
//   panel: recording on with a panel subscribed to the tab (panel-column.mjs): the background
//   packs deltas for it and audits, as when a user records through the Channels panel.
// Every load is a fresh tab; the extension's session for it is cleared by the navigation.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { CHROMIUM_FLAGS, freshProfile, launchChromiumWithExtension, requireBrowser } from '../browsers.mjs';
import { serviceWorkerTarget } from './cdp.mjs';
import { settle } from './settle.mjs';
import { PANEL_SUBSCRIBE } from './panel-column.mjs';

const freePort = () =>
  new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });

/**
 * Plain Chromium in a persistent profile, as the extension's browser runs: pages in a
 * browser.newContext() context ran the same rows 25–40% slower here, which made every ratio
 * to native look better than it was.
 */
async function launchPlainPersistent() {
  const { chromium } = await import('playwright-core');
  const profile = freshProfile();
  const context = await chromium.launchPersistentContext(profile.dir, { executablePath: requireBrowser('chromium'), headless: true, args: CHROMIUM_FLAGS });
  // A persistent context has no Browser object to ask, and the user agent says only 156.0.0.0.
  const version = /\d+\.\d+\.\d+\.\d+/.exec(execFileSync(requireBrowser('chromium'), ['--version'], { encoding: 'utf8' }))?.[0] ?? '?';
  return {
    context,
    version,
    close: async () => {
      await context.close().catch(() => {});
      profile.remove();
    },
  };
}

export async function launchAll() {
  const plain = await launchPlainPersistent();
  const plainCtx = plain.context;
  // A debugging port besides playwright's pipe: the only way to reach the service worker's heap.
  const debugPort = await freePort();
  const ext = await launchChromiumWithExtension({ args: [`--remote-debugging-port=${debugPort}`] });
  let recordAll = null;
  const setRecordAll = async (on) => {
    if (recordAll === on) return;
    const sw = await ext.worker();
    await sw.evaluate((v) => globalThis.channelInspector.setRecordAll(v), on);
    recordAll = on;
  };
  return {
    ext,
    debugPort,
    versions: { chromium: plain.version },
    setRecordAll,
    /** Opens the bench page for a column; resolves once its frames answered. */
    /** `settle`: wait SETTLE_MS once the page is ready (the page table's rows). */
    async open(column, url, { settle: wait = false } = {}) {
      const ctx = column === 'native' || column === 'naive' ? plainCtx : ext.context;
      if (ctx === ext.context) await setRecordAll(column === 'on' || column === 'panel');
      const page = await ctx.newPage();
      await page.goto(column === 'naive' ? url + '&naive=1' : url);
      await page.evaluate(() => window.bench.ready);
      // The panel: an extension page of its own (its renderer is the extension's process, as
      // a DevTools panel's is), subscribed to the tab before the rows run.
      let panel = null;
      if (column === 'panel') {
        panel = await ext.context.newPage();
        await panel.goto(`chrome-extension://${ext.extensionId}/devtools.html`);
        await panel.evaluate(PANEL_SUBSCRIBE, url.split('#')[0]);
      }
      if (wait) await settle();
      const cdp = await ctx.newCDPSession(page);
      return {
        page,
        run: (row, n) => page.evaluate(([r, k]) => window.bench.run(r, k), [row, n]),
        /** Used JS heap of the page after a full GC. */
        async heap() {
          await cdp.send('HeapProfiler.collectGarbage');
          return (await cdp.send('Runtime.getHeapUsage')).usedSize;
        },
        cdp,
        /** Deltas the panel got (panel column). */
        deltas: () => (panel ? panel.evaluate(() => globalThis.__benchPanel.deltas) : Promise.resolve(null)),
        async close() {
          await cdp.detach().catch(() => {});
          await page.close().catch(() => {});
          await panel?.close().catch(() => {});
        },
      };
    },
    /** Relay messages and page batches the worker received so far. */
    relayTraffic: async () => (await ext.worker()).evaluate(() => globalThis.channelInspector.relayTraffic()),
    /** Snapshot counts of the tab showing `url` (recording on), computed in the worker. */
    async counts(url) {
      const sw = await ext.worker();
      return sw.evaluate(async (u) => {
        const t = (await chrome.tabs.query({})).find((x) => x.url === u);
        if (!t) return null;
        const s = await globalThis.channelInspector.snapshot(t.id);
        if (!s) return { messages: 0, delivered: 0, dropped: {} };
        let delivered = 0;
        for (const m of s.messages) if (m.outcome.status === 'delivered') delivered++;
        return { messages: s.messages.length, delivered, dropped: s.dropped };
      }, url.split('#')[0]);
    },
    swHeap: () => serviceWorkerTarget(debugPort, ext.extensionId).then((t) => t.heap()),
    async close() {
      await plain.close();
      await ext.close();
    },
  };
}

// The page table's four columns in Firefox ESR (puppeteer-core over WebDriver BiDi), with the
// same shape as columns.mjs so that page-table.mjs drives both:
//   native: plain Firefox · naive: plain Firefox + the naive wrapper
//   off: Firefox with the extension, recordAll false · on: the same, recordAll true.
// Recording is switched in the background page, as the e2e recorder does. BiDi gives no heap
// figures, so nothing here reads one.
import { DIST_FIREFOX, launchFirefox } from '../browsers.mjs';
import { settle } from './settle.mjs';
import { PANEL_SUBSCRIBE } from './panel-column.mjs';

export async function launchFirefoxColumns() {
  const plain = await launchFirefox();
  const ext = await launchFirefox({ extDir: DIST_FIREFOX });
  const bg = await ext.extensionPage('/devtools.html');
  let recordAll = null;
  const setRecordAll = async (on) => {
    if (recordAll === on) return;
    await bg.evaluate(async (v) => (await globalThis.browser.runtime.getBackgroundPage()).channelInspector.setRecordAll(v), on);
    recordAll = on;
  };
  return {
    versions: { firefox: (await plain.browser.version()).replace(/^firefox\//i, '') },
    /** `settle`: wait SETTLE_MS once the page is ready (the page table's rows). */
    async open(column, url, { settle: wait = false } = {}) {
      const b = column === 'native' || column === 'naive' ? plain : ext;
      if (b === ext) await setRecordAll(column === 'on' || column === 'panel');
      const page = await b.browser.newPage();
      await page.goto(column === 'naive' ? url + '&naive=1' : url);
      await page.evaluate(() => window.bench.ready);
      // The panel column: the extension page subscribes to the tab as the Channels panel does.
      if (column === 'panel') await bg.evaluate(PANEL_SUBSCRIBE, url.split('#')[0]);
      if (wait) await settle();
      return {
        page,
        run: (row, n) => page.evaluate((r, k) => window.bench.run(r, k), row, n),
        close: async () => {
          if (column === 'panel') await bg.evaluate(() => globalThis.__benchPanel?.port.disconnect()).catch(() => {});
          await page.close().catch(() => {});
        },
      };
    },
    /** Relay messages and page batches the background received so far. */
    relayTraffic: () => bg.evaluate(async () => (await globalThis.browser.runtime.getBackgroundPage()).channelInspector.relayTraffic()),
    /** Snapshot counts of the tab showing `url`, computed in the background page. */
    counts: (url) =>
      bg.evaluate(async (u) => {
        const b = globalThis.browser;
        const t = (await b.tabs.query({})).find((x) => x.url === u);
        if (!t) return null;
        const s = await (await b.runtime.getBackgroundPage()).channelInspector.snapshot(t.id);
        if (!s) return { messages: 0, delivered: 0, dropped: {} };
        let delivered = 0;
        for (const m of s.messages) if (m.outcome.status === 'delivered') delivered++;
        return { messages: s.messages.length, delivered, dropped: s.dropped };
      }, url.split('#')[0]),
    async close() {
      await plain.close();
      await ext.close();
    },
  };
}

// Panel scale: the trace viewer page (the panel's views, without DevTools) opening a
// 1,000,000-message trace through its file input, timed to the first frame painted with the
// trace shown; then its JS heap after a full GC (CDP Performance metrics), against the heap of
// the same page before the file was opened. `withLoaded(page, cdp)` runs on the last run's
// page with the trace still open (the frame-time rows).
import { spread } from './stats.mjs';

export async function viewerFirstPaint(b, file, { runs, log, timeoutMs = 120_000, budgetS = 150, withLoaded = null }) {
  const t00 = Date.now();
  const paint = [];
  const heap = [];
  const empty = [];
  let after = null;
  let error = null;
  for (let run = 0; run <= runs; run++) {
    const page = await b.ext.context.newPage();
    try {
      await page.goto(`chrome-extension://${b.ext.extensionId}/viewer.html`);
      const cdp = await b.ext.context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const metrics = async () => {
        await cdp.send('HeapProfiler.collectGarbage');
        return Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
      };
      await page.waitForSelector('[data-testid=import-input]', { state: 'attached' });
      const m0 = await metrics();
      const t0 = Date.now();
      await page.setInputFiles('[data-testid=import-input]', file);
      await page.waitForSelector('[data-testid=trace-bar]', { timeout: timeoutMs });
      // The frame that shows it: two animation frames after the DOM has it.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const ms = Date.now() - t0;
      const m = await metrics();
      if (run > 0) {
        paint.push(ms);
        heap.push(m.JSHeapUsedSize);
        empty.push(m0.JSHeapUsedSize);
      }
      log(`  viewer run ${run || 'warm-up'}: ${ms} ms, heap ${(m.JSHeapUsedSize / 1e6).toFixed(0)} MB`);
      // Too slow for all runs in the time a full bench may take: keep what was measured.
      // At least one run after the warm-up, whatever the budget.
      const last = run === runs || (run >= 1 && (Date.now() - t00) / 1000 + ms / 1000 > budgetS);
      if (last && withLoaded) after = await withLoaded(page, cdp).catch((e) => ({ error: String(e.message ?? e).split('\n')[0] }));
      if (run < runs && last) {
        error = `stopped after ${run} of ${runs} runs (time budget ${budgetS} s)`;
        break;
      }
    } catch (e) {
      error = String(e.message ?? e).split('\n')[0];
      log(`  viewer: ${error}`);
      break;
    } finally {
      await page.close().catch(() => {});
    }
  }
  return { paintMs: spread(paint), heap: spread(heap), emptyHeap: spread(empty), error, after };
}

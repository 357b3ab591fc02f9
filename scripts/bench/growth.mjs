// The same rows at 10k, 100k and 1M messages, so that worse-than-linear costs show; each
// run in a fresh tab. With recording on it also times the pipeline (until the background's
// snapshot holds every delivery), checks nothing was dropped, and reads the page's and the
// service worker's heaps after a full GC.
import { spread } from './stats.mjs';

export const SIZES = [10_000, 100_000, 1_000_000];
const GROWTH_ROWS = [
  ['oneWay', 'one-way burst', 1],
  ['mcPing', 'MessageChannel ping-pong', 2], // messages per operation
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls the background until it holds `n` delivered messages or stops growing. */
async function waitDelivered(b, url, n, maxMs) {
  const t0 = Date.now();
  let last = -1;
  let stable = 0;
  for (;;) {
    const c = await b.counts(url);
    if (c && c.delivered >= n) return c;
    if (c && c.messages === last) stable++;
    else stable = 0;
    last = c ? c.messages : -1;
    if (stable >= 10 || Date.now() - t0 > maxMs) return c;
    await sleep(100);
  }
}

/**
 * `estimate(row, col)` gives msgs/s from the page table, to skip a cell whose runs would not
 * fit in `cellBudgetS`; a skipped cell says so in the table rather than silently vanishing.
 */
export async function growth(b, baseUrl, { runs, columns, sizes = SIZES, estimate, cellBudgetS, phaseBudgetS = Infinity, log }) {
  const out = [];
  const t00 = Date.now();
  for (const [row, label, perOp] of GROWTH_ROWS) {
    for (const n of sizes) {
      const ops = Math.round(n / perOp);
      const res = { row, label, n, cols: {} };
      out.push(res);
      for (const col of columns) {
        const est = estimate(row, col);
        const predictS = est ? ((runs + 1) * n) / est : 0;
        if (predictS > cellBudgetS) {
          res.cols[col] = { skipped: `${Math.round(predictS)} s predicted at ${Math.round(est)} msgs/s > ${cellBudgetS} s budget` };
          continue;
        }
        const leftS = phaseBudgetS - (Date.now() - t00) / 1000;
        if (predictS > leftS) {
          res.cols[col] = { skipped: `${Math.round(predictS)} s predicted, ${Math.max(0, Math.round(leftS))} s left of the ${phaseBudgetS} s growth budget` };
          continue;
        }
        const rate = [];
        const heap = [];
        const bgRate = [];
        const bgHeap = [];
        const drops = [];
        let complete = true;
        for (let run = 0; run <= runs; run++) { // run 0: warm-up, discarded
          const url = `${baseUrl}&growth=${row}-${n}-${col}-${run}`;
          const p = await b.open(col, url);
          const sw0 = col === 'on' ? await b.swHeap() : 0;
          const t0 = Date.now();
          const ms = await p.run(row, ops);
          let c = null;
          if (col === 'on') c = await waitDelivered(b, url, n, 120_000);
          const bgMs = Date.now() - t0;
          const h = await p.heap();
          if (run > 0) {
            rate.push((n / ms) * 1000);
            heap.push(h);
            if (col === 'on') {
              bgRate.push(c && c.delivered >= n ? ((2 * n) / bgMs) * 1000 : NaN);
              if (!c || c.delivered < n) complete = false;
              drops.push(c ? c.dropped : null);
              bgHeap.push((await b.swHeap()) - sw0);
            }
          }
          await p.close();
        }
        res.cols[col] = {
          rate: spread(rate),
          heap: spread(heap),
          ...(col === 'on' ? { bgRate: spread(bgRate), bgHeap: spread(bgHeap), drops, complete } : {}),
        };
        log(`  ${row} ${n.toLocaleString()} ${col}: ${Math.round(res.cols[col].rate.med)} msgs/s, page heap ${(res.cols[col].heap.med / 1e6).toFixed(1)} MB` +
          (col === 'on' ? `, pipeline ${Math.round(res.cols[col].bgRate?.med ?? NaN)} events/s, sw heap +${(res.cols[col].bgHeap.med / 1e6).toFixed(1)} MB, dropped ${JSON.stringify(drops)}` : ''));
      }
    }
  }
  return out;
}

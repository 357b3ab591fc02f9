// The same rows at 10k, 100k and 1M messages, so that worse-than-linear costs show; each run
// in a fresh tab. With recording on it also times the
// pipeline (until the background's snapshot holds every delivery), checks nothing was dropped,
// and reads the page's and the service worker's heaps after a full GC. The 1M cells have their
// own time budget and fewer runs (no warm-up: the smaller sizes warmed the browsers); the table
// says how many, and which cells the budget left out.
import { spread } from './stats.mjs';

export const SIZES = [10_000, 100_000, 1_000_000];
/** [row, label, messages per operation, largest size] */
const GROWTH_ROWS = [
  ['oneWay', 'one-way burst', 1, 1_000_000],
  ['mcPing', 'MessageChannel ping-pong', 2, 1_000_000],
];
export const BIG = 1_000_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Deliveries the background has taken: those it holds, and those its per-tab budget evicted. */
const taken = (c) => (c ? c.delivered + (c.dropped?.['message-budget'] ?? 0) : 0);

/**
 * Polls the background until it has taken `n` deliveries or stops growing. Each poll is a
 * snapshot in the worker, so a large burst is polled less often (it would slow the ingest).
 */
async function waitDelivered(b, url, n, maxMs, everyMs = Math.max(100, n / 500)) {
  const t0 = Date.now();
  let last = -1;
  let stable = 0;
  for (;;) {
    const c = await b.counts(url);
    if (taken(c) >= n) return c;
    if (c && c.messages === last) stable++;
    else stable = 0;
    last = c ? c.messages : -1;
    if (stable * everyMs >= 1000 || Date.now() - t0 > maxMs) return c;
    await sleep(everyMs);
  }
}

/**
 * `bigBudgetS` (seconds, or a function asked when the 1M cells start) bounds those cells.
 * `estimate(row, col)` gives msgs/s from the page table, to skip a cell whose runs would not
 * fit in `cellBudgetS`; a skipped cell says so in the table rather than silently vanishing.
 */
export async function growth(b, baseUrl, { runs, bigRuns = 1, columns, sizes = SIZES, estimate, cellBudgetS, phaseBudgetS = Infinity, bigBudgetS = 120, log }) {
  const out = [];
  const cells = [];
  for (const [row, label, perOp, largest] of GROWTH_ROWS)
    for (const n of sizes) if (n <= largest) out.push({ row, label, n, perOp, largest, cols: {} });
  // The 1M cells last, under their own budget, so that the smaller sizes always fit; column by
  // column, so that should the budget run out, the target's pair (native, on) has both rows.
  for (const res of out.filter((r) => r.n < BIG)) for (const col of columns) cells.push([res, col]);
  for (const col of columns) for (const res of out.filter((r) => r.n >= BIG)) cells.push([res, col]);
  let t00 = Date.now();
  let bigStarted = false;
  let bigBudget = bigBudgetS;
  for (const [res, col] of cells) {
    const { row, n, perOp } = res;
    const big = n >= BIG;
    if (big && !bigStarted) {
      bigStarted = true;
      t00 = Date.now();
      if (typeof bigBudgetS === 'function') bigBudget = Math.round(bigBudgetS()); // as late as it starts
    }
    const budgetS = big ? bigBudget : Math.round(phaseBudgetS);
    // 100k: at most 3 runs (the table gives the count).
    const runsHere = big ? bigRuns : n >= BIG / 10 ? Math.min(runs, 3) : runs;
    const warm = big ? 0 : 1;
    res.runs = runsHere;
    const ops = Math.round(n / perOp);
    const est = estimate(row, col);
    // Recording on, the background's ingest of 2 events per message is waited for too.
    const predictS = est ? ((runsHere + warm) * n) / est * (col === 'on' ? 2.5 : 1) : 0;
    if (!big && predictS > cellBudgetS) {
      res.cols[col] = { skipped: `${Math.round(predictS)} s predicted at ${Math.round(est)} msgs/s > ${cellBudgetS} s budget` };
      continue;
    }
    const leftS = budgetS - (Date.now() - t00) / 1000;
    if (predictS > leftS) {
      res.cols[col] = { skipped: `${Math.round(predictS)} s predicted, ${Math.max(0, Math.round(leftS))} s left of the ${budgetS} s ${big ? '1M' : 'growth'} budget` };
      continue;
    }
    const rate = [];
    const heap = [];
    const bgRate = [];
    const bgHeap = [];
    const drops = [];
    let complete = true;
    for (let run = 1 - warm; run <= runsHere; run++) { // run 0: warm-up, discarded
      const url = `${baseUrl}&growth=${row}-${n}-${col}-${run}`;
      const p = await b.open(col, url);
      const sw0 = col === 'on' ? await b.swHeap() : 0;
      const t0 = Date.now();
      const ms = await p.run(row, ops);
      let c = null;
      if (col === 'on') c = await waitDelivered(b, url, n, big ? 90_000 : 60_000);
      const bgMs = Date.now() - t0;
      const h = await p.heap();
      if (run > 0) {
        rate.push((n / ms) * 1000);
        heap.push(h);
        if (col === 'on') {
          bgRate.push(taken(c) >= n ? ((2 * n) / bgMs) * 1000 : NaN);
          if (taken(c) < n) complete = false;
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
  return out.map(({ perOp, largest, ...r }) => r);
}

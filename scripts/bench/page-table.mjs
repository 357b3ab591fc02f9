// The page overhead table: every row in every column, R runs after one discarded warm-up,
// columns in a rotating order per run so that drift on the machine spreads over all of them.
import { spread } from './stats.mjs';
import { CPU_ROLES, cpuNow, cpuSince } from './cpu.mjs';

export const COLUMNS = ['native', 'off', 'on', 'panel', 'naive'];
/** The columns that record: their rows wait for the background to take the backlog. */
const RECORDS = new Set(['on', 'panel']);

/** [row, label, n, unit]: n small enough that a slow column still finishes in seconds. */
export const ROWS = [
  ['mcPing', 'MessageChannel ping-pong, one frame', 5_000, 'round trips'],
  ['mcCross', 'MessageChannel ping-pong, cross-origin iframe', 500, 'round trips'],
  ['oneWay', 'one-way burst of small messages', 20_000, 'messages'],
  ['winSelf', 'window.postMessage round trips, self', 5_000, 'round trips'],
  ['winFrame', 'window.postMessage round trips, same-origin iframe', 5_000, 'round trips'],
  ['transfer64', '64 MB ArrayBuffer transfer ping-pong', 500, 'round trips'],
  ['scheduler', 'scheduler loop posting to itself every task', 20_000, 'tasks'],
  // From navigation: a fresh tab runs the row as soon as the page is ready, while the relay
  // still watches every window message (until shortly after load) and the page's first
  // flushes wait to learn whether the tab is recorded.
  ['mcPingLoad', 'MessageChannel ping-pong, one frame, from navigation', 5_000, 'round trips', { fresh: 'mcPing' }],
  ['winSelfLoad', 'window.postMessage round trips, self, from navigation', 5_000, 'round trips', { fresh: 'winSelf' }],
];

/**
 * Waits until the background's snapshot of the tab stops growing (recording on), so that one
 * row's backlog is not ingested while the next row runs. Returns the last counts.
 */
export async function drain(b, url, { settleMs = 300, maxMs = 30_000 } = {}) {
  const t0 = Date.now();
  let last = -1;
  let c = null;
  while (Date.now() - t0 < maxMs) {
    c = await b.counts(url);
    if (c && c.messages === last) return c;
    last = c ? c.messages : -1;
    await new Promise((r) => setTimeout(r, settleMs));
  }
  return c;
}

/**
 * Waits until the extension's process has been idle for a while (its service worker took
 * what the row sent), so that the CPU a row cost counts that work and nothing after it.
 */
async function extensionIdle(before, { quietMs = 300, maxMs = 30_000 } = {}) {
  const t0 = Date.now();
  let last = cpuSince(before)?.extension ?? 0;
  while (Date.now() - t0 < maxMs) {
    await new Promise((r) => setTimeout(r, quietMs));
    const now = cpuSince(before)?.extension ?? 0;
    // Under 2% of one core over the wait: timers, not ingest.
    if (now - last < quietMs * 0.02) return;
    last = now;
  }
}

/**
 * `skip`: { row: why } leaves rows out of this browser's table (they show with the reason).
 * `budgetS`: no run starts after that many seconds, once one run is in (the table says how many).
 */
export async function pageTable(b, baseUrl, { runs, scale = 1, skip = {}, budgetS = Infinity, log }) {
  const t00 = Date.now();
  let done = 0;
  const rows = ROWS.filter(([row]) => !(row in skip)).map(([row, label, n, unit, opts]) => ({ row, label, n: Math.max(10, Math.round(n * scale)), unit, fresh: opts?.fresh }));
  const rates = Object.fromEntries(rows.map((r) => [r.row, Object.fromEntries(COLUMNS.map((c) => [c, []]))]));
  const ratios = Object.fromEntries(rows.map((r) => [r.row, Object.fromEntries(COLUMNS.map((c) => [c, []]))]));
  // CPU µs per operation, by process role, per run (Linux only: none elsewhere).
  const cpu = Object.fromEntries(rows.map((r) => [r.row, Object.fromEntries(COLUMNS.map((c) => [c, Object.fromEntries([...CPU_ROLES, 'total'].map((k) => [k, []]))]))]));
  // Recording columns: runtime messages relay → background, and the page batches they carried, per row.
  const traffic = Object.fromEntries(rows.map((r) => [r.row, Object.fromEntries([...RECORDS].map((c) => [c, { messages: [], batches: [] }]))]));
  for (let run = 0; run <= runs; run++) {
    if (run > 1 && (Date.now() - t00) / 1000 > budgetS) {
      log(`  stopped after ${done} of ${runs} runs (time budget ${budgetS} s)`);
      break;
    }
    const order = COLUMNS.map((_, i) => COLUMNS[(i + run) % COLUMNS.length]);
    const got = {};
    for (const col of order) {
      const url = `${baseUrl}&run=${run}-${col}`;
      const p = await b.open(col, url, { settle: true });
      got[col] = { cpu: {} };
      const measure = async (page, r, pageUrl) => {
        const t0 = RECORDS.has(col) ? await b.relayTraffic() : null;
        const c0 = cpuNow();
        const ms = await page.run(r.fresh ?? r.row, r.n);
        got[col][r.row] = (r.n / ms) * 1000;
        if (RECORDS.has(col)) await extensionIdle(c0);
        got[col].cpu[r.row] = cpuSince(c0);
        if (RECORDS.has(col)) await drain(b, pageUrl);
        if (t0) {
          const t1 = await b.relayTraffic();
          got[col].traffic ??= {};
          got[col].traffic[r.row] = { messages: t1.messages - t0.messages, batches: t1.batches - t0.batches, ms };
        }
      };
      for (const r of rows) if (!r.fresh) await measure(p, r, url);
      await p.close();
      // Rows from navigation: a tab of their own each, run as soon as it is ready.
      for (const r of rows) {
        if (!r.fresh) continue;
        const freshUrl = `${url}&fresh=${r.row}`;
        const q = await b.open(col, freshUrl);
        await measure(q, r, freshUrl);
        await q.close();
      }
    }
    log(`  run ${run === 0 ? 'warm-up (discarded)' : run}: ` + rows.map((r) => `${r.row} ${COLUMNS.map((c) => (got[c][r.row] / got.native[r.row]).toFixed(2)).join('/')}`).join(' '));
    if (run === 0) continue;
    done = run;
    for (const r of rows)
      for (const c of COLUMNS) {
        rates[r.row][c].push(got[c][r.row]);
        // Ratios pair the columns of the same run, so drift between runs cancels.
        ratios[r.row][c].push(got[c][r.row] / got.native[r.row]);
        const tr = got[c].traffic?.[r.row];
        if (tr) for (const k of ['messages', 'batches']) traffic[r.row][c][k].push(tr[k]);
        const used = got[c].cpu[r.row];
        if (!used) continue;
        for (const k of CPU_ROLES) cpu[r.row][c][k].push((used[k] * 1000) / r.n);
        cpu[r.row][c].total.push((CPU_ROLES.reduce((a, k) => a + used[k], 0) * 1000) / r.n);
      }
  }
  const measured = rows.map((r) => ({
    ...r,
    runs: done,
    cols: Object.fromEntries(COLUMNS.map((c) => [c, { rate: spread(rates[r.row][c]), ratio: spread(ratios[r.row][c]), cpuUs: Object.fromEntries(Object.entries(cpu[r.row][c]).map(([k, v]) => [k, spread(v)])), ...(traffic[r.row][c] ? { traffic: { messages: spread(traffic[r.row][c].messages), batches: spread(traffic[r.row][c].batches) } } : {}) }])),
  }));
  return ROWS.map(([row, label, n, unit]) => measured.find((r) => r.row === row) ?? { row, label, n, unit, skipped: skip[row] });
}

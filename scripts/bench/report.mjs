// docs/performance.md from one run's results: the machine, the tables, and a note per missed
// target saying what was measured that explains it.
import { fmtMB, fmtMs, fmtRate, fmtRatio, si, table } from './stats.mjs';

const TARGET = { on: 0.85, off: 0.97, ingest: 200_000 };
// Rows the targets apply to: small messages (a 64 MB transfer is reported, not targeted).
const TARGETED = new Set(['mcPing', 'mcCross', 'oneWay', 'winSelf', 'winFrame', 'scheduler']);

export function report({ machine: m, table: rows = [], profile, growth = [], trace, viewer }) {
  const out = [];
  const notes = [];
  const p = (...l) => out.push(...l);
  p('# Performance', '', 'Written by `npm run bench` (scripts/bench.mjs); rerun it to refresh. Each figure is the median of the runs with its spread (min–max); ratios are to native, paired within each run.', '');
  p(`- Date: ${m.date}; wall time of the run: ${m.wallS?.toFixed(0)} s (${m.mode})`);
  p(`- Machine: ${m.cpu}, ${m.cores} cores, ${m.memGB.toFixed(0)} GB; load average before ${m.load.map((x) => x.toFixed(2)).join(' ')}, after ${m.loadAfter?.map((x) => x.toFixed(2)).join(' ')}` +
    (m.load[0] > m.cores * 0.5 ? ' — **not a quiet machine: figures are noisy**' : ''));
  p(`- Browsers: Chromium ${m.chromium} (headless). Firefox: not measured yet. Node ${m.node}`);
  p(`- Measured: commit ${m.commit}, extension built ${m.built}`, '');

  p('## Page overhead', '', `Targets for small messages: recording on ≥ ${TARGET.on}, recording off ≥ ${TARGET.off} of native. "naive" is test/pages/bench/naive.js: one array entry per send and delivery.`, '');
  const flag = (row, col, r) => {
    if (!TARGETED.has(row.row) || !r || !(col in TARGET)) return '';
    if (r.med >= TARGET[col]) return ' ✓';
    notes.push({ row, col, r });
    return ` **MISSED (< ${TARGET[col]})**`;
  };
  p(table(['row', 'n', 'native', 'recording off (ratio)', 'recording on (ratio)', 'naive wrapper (ratio)'], rows.map((r) => [
    r.label, `${si(r.n)} ${r.unit}`, fmtRate(r.cols.native.rate),
    ...['off', 'on', 'naive'].map((c) => `${fmtRate(r.cols[c].rate)} — ${fmtRatio(r.cols[c].ratio)}${flag(r, c, r.cols[c].ratio)}`),
  ])), '');

  p('## Growth and page memory', '', 'The same rows at each size, a fresh tab per run; page heap is the used JS heap after a full GC once the run is over (and, recording on, once the background holds every delivery).', '');
  const cols = ['native', 'off', 'on', 'naive'];
  p(table(['row', 'messages', ...cols.map((c) => `${c}: msgs/s · page heap`)], growth.map((g) => [
    g.label, si(g.n), ...cols.map((c) => { const x = g.cols[c]; return !x ? '–' : x.skipped ? `skipped: ${x.skipped}` : `${fmtRate(x.rate)} · ${fmtMB(x.heap)}`; }),
  ])), '');

  p('## Pipeline and background memory (recording on)', '');
  const on = growth.filter((g) => g.row === 'oneWay' && g.cols.on && !g.cols.on.skipped);
  p(table(['burst', 'page → background events/s (post + delivery)', 'dropped', 'service worker heap growth', 'per 1,000,000 messages'], on.map((g) => {
    const x = g.cols.on;
    const dropped = x.drops.some((d) => d && Object.keys(d).length) ? JSON.stringify(x.drops.find((d) => d && Object.keys(d).length)) : x.complete ? 'none' : 'incomplete';
    return [si(g.n), fmtRate(x.bgRate), dropped, fmtMB(x.bgHeap), x.bgHeap ? `${((x.bgHeap.med / g.n) * 1e6 / 1e6).toFixed(0)} MB` : '–'];
  })), '');
  const clean = on.filter((g) => g.cols.on.complete && !g.cols.on.drops.some((d) => d && Object.keys(d).length));
  const best = on[on.length - 1];
  p(`- Largest burst taken with nothing dropped: ${clean.length ? si(clean[clean.length - 1].n) : 'none of those tried'}${on.length < 3 ? ' (larger bursts not tried: the time budget, see growth)' : ''}.`);
  if (best?.cols.on.bgRate) {
    const r = best.cols.on.bgRate.med;
    p(`- Sustained ingest: ${si(r)} events/s at the ${si(best.n)} burst (target ≥ ${si(TARGET.ingest)}) ${r >= TARGET.ingest ? '✓' : '**MISSED**'}.`);
    if (r < TARGET.ingest) notes.push({ ingest: r, page: best.cols.on.rate?.med });
  }
  p('');

  p('## Panel', '');
  if (trace) {
    p(`- Import of a ${(trace.importBytes / 1e6).toFixed(0)} MB trace (${si(trace.importMessages)} messages, src/trace importTrace, Node): ${fmtMs(trace.importMs)}`);
    p(`- Packed snapshot of ${si(trace.packMessages)} messages + structured clone (Node): first ${trace.packFirstMs.toFixed(0)} ms (one run), again ${fmtMs(trace.packAgainMs)} (target < 1000 ms)`);
  }
  if (viewer) p(`- Viewer (dist/chrome/viewer.html) first paint of a ${trace ? si(trace.viewerMessages) : '?'}-message trace (${trace ? (trace.viewerBytes / 1e6).toFixed(0) : '?'} MB file) through its file input: ${viewer.paintMs ? `${fmtMs(viewer.paintMs)}; its JS heap then ${fmtMB(viewer.heap)}` : 'no figure'}${viewer.error ? ` (${viewer.error})` : ''}`);
  p('- Not measured yet: frame times while scrolling and zooming, frame rate under 10,000 live messages/s.', '');

  if (profile) {
    p('## Where the time goes (recording on, one-way burst)', '', 'Self time from a sampling CPU profile (200 µs) of the page and of the service worker during the burst.', '');
    for (const [k, v] of [['page', profile.page], ['service worker', profile.worker]]) {
      if (!v) continue;
      p(`- ${k} (${v.totalMs.toFixed(0)} ms sampled) by script: ${v.scripts.map((s) => `${s.what} ${s.pct.toFixed(0)}%`).join(', ')}`);
      p(`  - by module: ${v.modules.map((s) => `${s.what} ${s.pct.toFixed(0)}%`).join(', ')}`);
      p(`  - top functions: ${v.functions.slice(0, 8).map((f) => `\`${f.what}\` ${f.pct.toFixed(1)}%`).join(', ')}`);
      for (const f of v.functions.filter((f) => f.callers && f.what.includes('.js:'))) p(`  - \`${f.what}\` is called from: ${f.callers.map((c) => `\`${c.what}\` ${c.pct.toFixed(1)}%`).join(', ')}`);
    }
    p('');
  }

  p('## Missed targets', '');
  if (!notes.length) p('None.');
  const inst = profile?.page.scripts.find((s) => s.what === 'page.js');
  const gc = profile?.page.scripts.find((s) => s.what === '(garbage collector)');
  for (const n of notes) {
    if (n.ingest) {
      p(`- Ingest ${si(n.ingest)} events/s < ${si(TARGET.ingest)}: the page itself only produced ${si(n.page)} messages/s (${si(2 * n.page)} events/s) under recording, so the pipeline is bounded by the page's instrumentation before the background.`);
      continue;
    }
    const why = n.col === 'on' && inst
      ? `the page under recording spends ${inst.pct.toFixed(0)}% of its sampled time in the instrumentation (page.js) and ${gc ? gc.pct.toFixed(0) : '?'}% in GC, against ${(profile.page.scripts.find((s) => s.what === 'rows.js')?.pct ?? 0).toFixed(0)}% in the page's own code (see "Where the time goes")`
      : n.col === 'off' ? 'recording off should cost only the wrappers; the spread shows whether this is noise on a busy machine' : '';
    p(`- ${n.row.label}, recording ${n.col}: ${n.r.med.toFixed(2)} of native (${n.r.min.toFixed(2)}–${n.r.max.toFixed(2)})${why ? `: ${why}` : ''}.`);
  }
  p('');
  return out.join('\n');
}

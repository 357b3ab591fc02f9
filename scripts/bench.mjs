#!/usr/bin/env node
// npm run bench: what users feel, in real Chromium and Firefox ESR, as ratios measured in the
// same run. Page overhead (native / recording off / recording on / a naive wrapper) in both
// browsers, growth at 10k–1M, page and service-worker memory, the page→background pipeline,
// trace import, snapshot packing, the viewer's first paint, memory and frame times while
// scrolling and zooming a 1M-message trace, and the real DevTools panel's frame rate under
// live traffic. Prints the tables and writes docs/performance.md. Every phase has a time
// budget, so that the whole run stays under 10 minutes on this 2-core machine.
// A benchmark, not a test: nothing fails on a slow figure.
//   node scripts/bench.mjs [--quick] [--runs N] [--build] [--no-write]
//   node scripts/bench.mjs --background   (the background's memory and checkpoint pauses only, in Node: no browser)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { DIST_CHROME, ROOT } from './browsers.mjs';
import { buildAll } from './build.mjs';
import { startServer } from './serve.mjs';
import { launchAll } from './bench/columns.mjs';
import { pageTable, ROWS } from './bench/page-table.mjs';
import { growth, SIZES } from './bench/growth.mjs';
import { profileRun } from './bench/profile.mjs';
import { viewerFirstPaint } from './bench/viewer.mjs';
import { viewFrames } from './bench/frames.mjs';
import { livePanel } from './bench/live.mjs';
import { launchFirefoxColumns } from './bench/firefox.mjs';
import { report } from './bench/report.mjs';
import { backgroundBench, backgroundSection } from './bench/background.mjs';

const HAND_MARKER = '<!-- Measured by hand from here on:';
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const flag = (k, d) => (argv.includes(`--${k}`) ? Number(argv[argv.indexOf(`--${k}`) + 1]) : d);
const runs = flag('runs', quick ? 2 : 5);
const started = Date.now();
const log = (s) => console.log(s);
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
// Budgets: a phase gets its own figure, or less when the run is late, keeping `reserve`
// seconds for the phases after it, so that the whole run ends by DEADLINE_S.
const DEADLINE_S = quick ? Infinity : 540;
const fit = (own, reserve) => Math.round(Math.max(10, Math.min(own, DEADLINE_S - (Date.now() - started) / 1000 - reserve)));

if (argv.includes('--background')) {
  log(backgroundSection(backgroundBench({ messages: quick ? 250_000 : 1_000_000, log })));
  process.exit(0);
}

// Measure what is built; build only when nothing is (a fresh clone) or when asked.
if (argv.includes('--build') || !existsSync(join(DIST_CHROME, 'manifest.json'))) await buildAll({ quiet: true });
const git = (...a) => { try { return execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim(); } catch { return '?'; } };
const machine = {
  cpu: cpus()[0]?.model ?? '?',
  cores: cpus().length,
  memGB: totalmem() / 2 ** 30,
  node: process.version,
  load: loadavg(),
  date: new Date().toISOString(),
  commit: `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src', 'extension') ? ' (+ uncommitted changes in src/extension)' : ''}`,
  built: statSync(join(DIST_CHROME, 'page.js')).mtime.toISOString(),
  mode: quick ? `--quick (${runs} runs, small sizes)` : `${runs} runs after a discarded warm-up`,
};
log(`Channel Inspector bench — ${machine.cpu}, ${machine.cores} cores, ${machine.memGB.toFixed(0)} GB; load average ${machine.load.map((x) => x.toFixed(2)).join(' ')}`);
if (machine.load[0] > machine.cores * 0.5) log(`  warning: the machine is not quiet (1-min load ${machine.load[0].toFixed(1)} on ${machine.cores} cores); figures will be noisy`);

const srv = await startServer();
const b = await launchAll();
machine.chromium = b.versions.chromium;
const baseUrl = `${srv.origin()}/bench/index.html?xo=${encodeURIComponent(srv.origin('127.0.0.2'))}`;
const results = { machine };
try {
  log(`\npage overhead (${elapsed()})`);
  results.table = await pageTable(b, baseUrl, { runs, scale: quick ? 0.2 : 1, budgetS: fit(150, 390), log });

  log(`\nprofile of a one-way burst, recording on (${elapsed()})`);
  {
    const url = `${baseUrl}&profile=1`;
    const p = await b.open('on', url);
    const sw = (await (await fetch(`http://127.0.0.1:${b.debugPort}/json/list`)).json()).find((t) => t.type === 'service_worker' && t.url.includes(b.ext.extensionId));
    results.profile = await profileRun(p.cdp, sw?.webSocketDebuggerUrl, () => p.run('oneWay', quick ? 5_000 : 20_000));
    await p.close();
    for (const [k, v] of [['page', results.profile.page], ['service worker', results.profile.worker]])
      if (v) log(`  ${k}: ` + v.scripts.map((s) => `${s.what} ${s.pct.toFixed(0)}%`).join(', '));
  }

  try {
    log(`\npage overhead in Firefox ESR (${elapsed()})`);
    const ff = await launchFirefoxColumns();
    machine.firefox = ff.versions.firefox;
    try {
      // A 64 MB transfer round trip takes seconds in Firefox: timed once natively, not tabled.
      const p = await ff.open('native', `${baseUrl}&ff=transfer`);
      const oneMs = await p.run('transfer64', 1);
      await p.close();
      // Chromium's sizes: a row that ends in a few milliseconds measures Firefox's coarse
      // clock and its first compiles more than the row (at 20%, 1k window round trips took ~7 ms).
      results.firefoxScale = quick ? 0.2 : 1;
      const transfers = Math.round(ROWS.find((r) => r[0] === 'transfer64')[2] * results.firefoxScale);
      const skip = { transfer64: `one round trip took ${oneMs.toFixed(0)} ms natively in Firefox, so ${transfers} round trips do not fit the run` };
      results.firefox = await pageTable(ff, baseUrl, { runs, scale: results.firefoxScale, skip, budgetS: fit(150, 300), log });
    } finally {
      await ff.close();
    }
  } catch (e) {
    results.firefoxError = String(e.message ?? e).split('\n')[0];
    log(`  firefox: ${results.firefoxError}`);
  }

  log(`\ngrowth, memory and pipeline (${elapsed()})`);
  const est = (row, col) => results.table.find((r) => r.row === row)?.cols[col]?.rate?.med;
  results.growth = await growth(b, baseUrl, {
    runs,
    columns: ['native', 'on', 'off', 'naive'], // the target's pair first, should the budget run out
    sizes: quick ? SIZES.slice(0, 1) : SIZES,
    estimate: (row, col) => (row === 'mcPing' ? 2 * est(row, col) : est(row, col)),
    cellBudgetS: quick ? 20 : 90,
    phaseBudgetS: quick ? 60 : fit(170, 200), // bounds the whole run under 10 minutes on a busy machine
    bigBudgetS: () => fit(175, 140),
    bigRuns: 1,
    log,
  });

  log(`\ntrace import and snapshot packing, Node (${elapsed()})`);
  const traceFile = join(tmpdir(), `ci-bench-trace-${process.pid}.json`);
  const child = spawnSync(process.execPath, ['--max-old-space-size=8192', join(ROOT, 'scripts/bench/node-trace.mjs'), '--runs', String(runs), '--out', traceFile, '--budget', String(fit(60, 150)), ...(quick ? ['--messages', '100000', '--mb', '10'] : [])], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) log(`  failed: ${child.stderr.split('\n').slice(0, 3).join(' ')}`);
  else results.trace = JSON.parse(child.stdout.trim().split('\n').pop());
  if (results.trace) log(`  import ${(results.trace.importBytes / 1e6).toFixed(0)} MB: ${results.trace.importMs.med.toFixed(0)} ms; pack ${results.trace.packMessages.toLocaleString()}: ${results.trace.packAgainMs.med.toFixed(0)} ms`);

  log(`\nthe background's memory and checkpoint pauses, Node (${elapsed()})`);
  results.background = backgroundBench({ messages: quick ? 250_000 : 1_000_000, log });

  if (results.trace) {
    log(`\nviewer first paint of ${results.trace.viewerMessages.toLocaleString()} messages (${elapsed()})`);
    const framesBudget = fit(45, 60);
    results.viewer = await viewerFirstPaint(b, results.trace.viewerFile, {
      runs,
      log,
      budgetS: fit(60, 100),
      // Frame times on the last run's page, the trace still open; then one more run profiled.
      withLoaded: async (page, cdp) => {
        const evaluate = async (expression) => {
          const r = await cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
          if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
          return r.result.value;
        };
        log(`\nframe times scrolling and zooming the ${results.trace.viewerMessages.toLocaleString()}-message trace (${elapsed()})`);
        const frames = await viewFrames(cdp, evaluate, { runs, log, budgetS: framesBudget });
        // Where the time goes: one more run, profiled, if the run is not late.
        if (fit(60, 60) >= 30) frames.profile = (await profileRun(cdp, null, () => viewFrames(cdp, evaluate, { runs: 1, log: () => {} }))).page;
        return frames;
      },
    });
    spawnSync('rm', ['-f', results.trace.viewerFile]);
  }
} finally {
  await b.close();
}

try {
  log(`\nthe DevTools panel under live traffic (${elapsed()})`);
  const windows = quick ? 4 : 8;
  results.live = await livePanel(`${srv.origin()}/bench/live.html`, { rate: 10_000, windows, log });
  log(`  sent ${results.live.sent.toLocaleString()} at ${Math.round(results.live.rate)}/s; the panel showed ${results.live.shown.toLocaleString()}; panel heap +${((results.live.heap1 - results.live.heap0) / 1e6).toFixed(1)} MB`);
} catch (e) {
  results.live = { error: String(e.message ?? e).split('\n')[0] };
  log(`  live panel: ${results.live.error}`);
}

await srv.close();
machine.loadAfter = loadavg();
machine.wallS = (Date.now() - started) / 1000;
const md = report(results) + backgroundSection(results.background);
log('\n' + md);
if (!quick && !argv.includes('--no-write')) {
  // Sections measured by hand (before/after figures of a change) follow a marker and are kept.
  const path = join(ROOT, 'docs', 'performance.md');
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const hand = old.indexOf(HAND_MARKER);
  writeFileSync(path, md + (hand >= 0 ? '\n' + old.slice(hand) : ''));
  log(`wrote docs/performance.md (${elapsed()})`);
}

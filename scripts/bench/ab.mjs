#!/usr/bin/env node
// Compares builds of the extension, recording on, each paired with native Chromium in the same
// run (columns in a rotating order), with the CPU each process of the bench's browsers spent per
// operation. For experiments (a change against its parent, or a build with one part cut out, as
// in docs/performance-breakdown.md); `npm run bench` is the reference.
//   node scripts/bench/ab.mjs --variants old=/path/to/checkout,new=. [--runs 3] [--rows mcPing,oneWay]
// Each variant directory holds a built extension (node scripts/build.mjs there: dist/chrome).
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { startServer } from '../serve.mjs';
import { CHROMIUM_FLAGS, freshProfile, launchChromiumWithExtension, requireBrowser } from '../browsers.mjs';
import { settle } from './settle.mjs';
import { cpuNow, cpuSince, CPU_ROLES } from './cpu.mjs';
import { spread } from './stats.mjs';
const argv = process.argv.slice(2);
const get = (k, d) => (argv.includes(`--${k}`) ? argv[argv.indexOf(`--${k}`) + 1] : d);
const runs = Number(get('runs', '3'));
const ROWS = [['mcPing', 5000], ['oneWay', 20000], ['winSelf', 5000], ['scheduler', 20000]].filter(([r]) => get('rows', 'mcPing,oneWay,winSelf,scheduler').split(',').includes(r));
const { chromium } = await import('playwright-core');
const srv = await startServer();
const baseUrl = `${srv.origin()}/bench/index.html?xo=${encodeURIComponent(srv.origin('127.0.0.2'))}`;
const prof = freshProfile();
const plain = await chromium.launchPersistentContext(prof.dir, { executablePath: requireBrowser('chromium'), headless: true, args: CHROMIUM_FLAGS });
const variants = Object.fromEntries(get('variants', 'new=.').split(',').map((x) => x.split('=')).map(([k, d]) => [k, resolve(d)]));
const exts = {};
for (const [k, dir] of Object.entries(variants)) exts[k] = await launchChromiumWithExtension({ extDir: `${dir}/dist/chrome` });
for (const e of Object.values(exts)) await (await e.worker()).evaluate(() => globalThis.channelInspector.setRecordAll(true));
const cols = ['native', ...Object.keys(variants)];
const res = {};
const wait = async (ms) => new Promise((r) => setTimeout(r, ms));
console.log('load before', loadavg().map((x) => x.toFixed(2)).join(' '));
for (let run = 0; run <= runs; run++) {
  const order = cols.map((_, i) => cols[(i + run) % cols.length]);
  const got = {};
  for (const col of order) {
    const ctx = col === 'native' ? plain : exts[col].context;
    const page = await ctx.newPage();
    await page.goto(`${baseUrl}&run=${run}-${col}`);
    await page.evaluate(() => window.bench.ready);
    await settle();
    got[col] = {};
    for (const [row, n] of ROWS) {
      const c0 = cpuNow();
      const ms = await page.evaluate(([r, k]) => window.bench.run(r, k), [row, n]);
      // until the extension's process is idle again
      if (col !== 'native') for (let last = -1, i = 0; i < 60; i++) { await wait(300); const e = cpuSince(c0).extension; if (e - last < 6) break; last = e; }
      const used = cpuSince(c0);
      got[col][row] = { rate: (n / ms) * 1000, cpu: Object.fromEntries(CPU_ROLES.map((k) => [k, (used[k] * 1000) / n])) };
    }
    await page.close();
  }
  console.log(`run ${run}${run === 0 ? ' (warm-up)' : ''}: ` + ROWS.map(([r]) => `${r} ` + Object.keys(variants).map((v) => `${v} ${(got[v][r].rate / got.native[r].rate).toFixed(2)}`).join(' ')).join(' | '), ' load', loadavg()[0].toFixed(1));
  if (run === 0) continue;
  for (const [r] of ROWS) for (const c of cols) ((res[r] ??= {})[c] ??= []).push(got[c][r]);
}
for (const [r] of ROWS) {
  const line = [r];
  for (const c of Object.keys(variants)) {
    const ratios = res[r][c].map((x, i) => x.rate / res[r].native[i].rate);
    const s = spread(ratios);
    const cpu = Object.fromEntries([...CPU_ROLES].map((k) => [k, spread(res[r][c].map((x) => x.cpu[k])).med.toFixed(1)]));
    line.push(`${c}: ${s.med.toFixed(2)} (${s.min.toFixed(2)}-${s.max.toFixed(2)}) cpu µs/op page ${cpu.page} ext ${cpu.extension} browser ${cpu.browser} other ${cpu.other}`);
  }
  line.push(`native cpu page ${spread(res[r].native.map((x) => x.cpu.page)).med.toFixed(1)} browser ${spread(res[r].native.map((x) => x.cpu.browser)).med.toFixed(1)}`);
  console.log(line.join(' || '));
}
console.log('load after', loadavg().map((x) => x.toFixed(2)).join(' '));
await plain.close(); prof.remove();
for (const e of Object.values(exts)) await e.close();
await srv.close();
process.exit(0);

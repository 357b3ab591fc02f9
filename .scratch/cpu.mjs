// node .scratch/cpu.mjs row n runs — CPU ms of every Chromium process per run (page renderer, extension, browser, other), native vs on
import { readFileSync, readdirSync } from 'node:fs';
import { launchAll } from '../scripts/bench/columns.mjs';
import { startServer } from '../scripts/serve.mjs';
import { drain } from '../scripts/bench/page-table.mjs';
const [row = 'mcPing', n = '20000', runs = '5'] = process.argv.slice(2);
const procs = () => {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split(/[\0 ]/);
      if (!cmd[0].includes('chrom')) continue;
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      const ticks = +f[11] + +f[12];
      const type = (cmd.find((a) => a.startsWith('--type=')) ?? '--type=browser').slice(7) + (cmd.includes('--extension-process') ? '-ext' : '');
      const ud = cmd.find((a) => a.startsWith('--user-data-dir=')) ?? '';
      out.push({ pid: d, type, ticks, ud });
    } catch {}
  }
  return out;
};
const srv = await startServer();
const b = await launchAll();
const url = `${srv.origin()}/bench/index.html?xo=${encodeURIComponent(srv.origin('127.0.0.2'))}`;
const pages = { native: await b.open('native', url + '&c=native', { settle: true }), on: await b.open(process.env.COL ?? 'on', url + '&c=on', { settle: true }) };
const totals = { native: {}, on: {} };
const wall = { native: [], on: [] };
for (const c of ['native', 'on']) await pages[c].run(row, +n);
for (let i = 0; i < +runs; i++)
  for (const c of ['native', 'on']) {
    const before = new Map(procs().map((p) => [p.pid, p]));
    const ms = await pages[c].run(row, +n);
    if (c === 'on') await drain(b, url + '&c=on');
    wall[c].push(ms);
    for (const p of procs()) {
      const d = p.ticks - (before.get(p.pid)?.ticks ?? 0);
      if (d <= 0) continue;
      const k = p.type;
      (totals[c][k] ??= []).push(d * 10);
    }
  }
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const c of ['native', 'on']) {
  console.log(c, 'wall', med(wall[c]).toFixed(0), 'ms;', Object.entries(totals[c]).map(([k, v]) => `${k} ${(v.reduce((a, b) => a + b, 0) / +runs).toFixed(0)}`).join(', '), '(cpu ms per run, mean)');
}
await b.close();
process.exit(0);

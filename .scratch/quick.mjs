// node .scratch/quick.mjs row n runs [columns...]  — paired ratios to native, and a profile with PROF=1
import { launchAll } from '../scripts/bench/columns.mjs';
import { profileRun } from '../scripts/bench/profile.mjs';
import { startServer } from '../scripts/serve.mjs';
import { drain } from '../scripts/bench/page-table.mjs';
const [row = 'mcPing', n = '5000', runs = '7', ...cols] = process.argv.slice(2);
const columns = cols.length ? cols : ['native', 'on'];
const srv = await startServer();
const b = await launchAll();
const url = `${srv.origin()}/bench/index.html?xo=${encodeURIComponent(srv.origin('127.0.0.2'))}`;
const pages = {};
for (const c of columns) pages[c] = await b.open(c, url + '&c=' + c, { settle: true });
if (process.env.PROF) {
  const p = pages[process.env.PROF === '1' ? 'on' : process.env.PROF];
  await p.run(row, +n);
  await drain(b, url + '&c=on');
  const sw = (await (await fetch(`http://127.0.0.1:${b.debugPort}/json/list`)).json()).find((t) => t.type === 'service_worker' && t.url.includes(b.ext.extensionId));
  const r = await profileRun(p.cdp, process.env.PROF === '1' ? sw?.webSocketDebuggerUrl : null, () => p.run(row, +n));
  const show = (s) => { console.log('total', s.totalMs.toFixed(0), 'ms'); for (const k of ['modules', 'functions']) { console.log(' ' + k); for (const f of s[k]) { console.log('   ', f.pct.toFixed(1).padStart(5), f.what); for (const c of f.callers ?? []) console.log('          <-', c.pct.toFixed(0) + '%', c.what); } } };
  console.log('PAGE'); show(r.page); if (r.worker) { console.log('SW'); show(r.worker); }
} else {
  const res = Object.fromEntries(columns.map((c) => [c, []]));
  for (const c of columns) await pages[c].run(row, +n);
  for (let i = 0; i < +runs; i++) for (const c of (i % 2 ? [...columns].reverse() : columns)) { res[c].push(+n / (await pages[c].run(row, +n)) * 1000); if (c === 'on') await drain(b, url + '&c=on'); }
  const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  for (const c of columns) {
    const ratios = res[c].map((v, i) => v / res.native[i]);
    console.log(c.padEnd(7), med(res[c]).toFixed(0).padStart(7), '/s  ratio', med(ratios).toFixed(2), ' [' + ratios.map((r) => r.toFixed(2)).join(' ') + ']');
  }
}
await b.close();
srv.close?.();
process.exit(0);

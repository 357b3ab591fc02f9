#!/usr/bin/env node
// Cost of the model per postMessage in Node: the shadow (what the page instrumentation runs per
// native call) and the full reference model (clone + queue + dispatch). Bundles src/model with
// esbuild on the fly. Usage: node scripts/bench-model.mjs [--quick]
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const quick = process.argv.includes('--quick');

const out = await build({ entryPoints: [join(ROOT, 'src/model/index.ts')], bundle: true, format: 'esm', platform: 'node', write: false, target: 'node20' });
const dir = mkdtempSync(join(tmpdir(), 'bench-model-'));
const file = join(dir, 'model.mjs');
writeFileSync(file, out.outputFiles[0].text);
const { createShadow, createRealm } = await import(pathToFileURL(file).href);
rmSync(dir, { recursive: true, force: true });

/** ns per call of f, best of `rounds` runs of n calls (after a warm-up run). */
function measure(n, f, rounds = 5) {
  f(n);
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    f(n);
    const ns = Number(process.hrtime.bigint() - t0) / n;
    if (ns < best) best = ns;
  }
  return best;
}

const rows = [];
const N = quick ? 200_000 : 2_000_000;

// ── shadow mode ──
for (const profile of ['spec', 'chromium', 'firefox']) {
  const s = createShadow(profile);
  const [a, b] = s.channel();
  s.setOnMessage(b);
  const none = [];
  rows.push([`shadow ${profile}: post(id, []) small message`, measure(N, (n) => { for (let i = 0; i < n; i++) s.post(a, none); })]);
}
{
  const s = createShadow('chromium');
  const [a, b] = s.channel();
  s.start(b);
  rows.push(['shadow: channel() + post with 1 port transferred', measure(N / 4, (n) => {
    for (let i = 0; i < n; i++) {
      const [x] = s.channel();
      s.post(a, [x]);
    }
  })]);
  rows.push(['shadow: start(id) / close(id) of a fresh pair', measure(N / 4, (n) => {
    for (let i = 0; i < n; i++) {
      const [x, y] = s.channel();
      s.start(y);
      s.close(x);
    }
  })]);
  const msg = { a: { b: [0, 1, 2, () => 1] } };
  rows.push(['shadow: findCloneErrorPath (only after a native throw)', measure(N / 20, (n) => { for (let i = 0; i < n; i++) s.findCloneErrorPath(msg); })]);
}

// ── full model ──
async function fullModel(profile, count) {
  const r = createRealm({ profile });
  const c = new r.MessageChannel();
  let got = 0;
  c.port2.onmessage = () => got++;
  const msg = { type: 'tick', n: 1 };
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) c.port1.postMessage(msg);
  const t1 = process.hrtime.bigint();
  await new Promise((ok) => {
    const check = () => (got >= count ? ok() : setImmediate(check));
    check();
  });
  const t2 = process.hrtime.bigint();
  return { post: Number(t1 - t0) / count, total: Number(t2 - t0) / count };
}
const M = quick ? 20_000 : 200_000;
for (const profile of ['spec', 'chromium', 'firefox']) {
  await fullModel(profile, M / 10);
  const { post, total } = await fullModel(profile, M);
  rows.push([`full model ${profile}: postMessage({type,n}) call`, post]);
  rows.push([`full model ${profile}: post + clone + dispatch to a handler`, total]);
}

const width = Math.max(...rows.map(([k]) => k.length));
console.log(`node ${process.version}, ${quick ? 'quick' : 'full'} run; ns per operation (best of 5 for the shadow)`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v < 1000 ? v.toFixed(1) + ' ns' : (v / 1000).toFixed(2) + ' µs'}`);

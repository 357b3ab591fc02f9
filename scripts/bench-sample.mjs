#!/usr/bin/env node
// Page cost per delivered message of the data walk, in Node with the captured natives: the
// sample builder on a browser's fresh clone (a trusted event's data, read directly) against the
// same walk through descriptors (what any other value needs). Bundles src/instrument with
// esbuild on the fly. Usage: node scripts/bench-sample.mjs [--quick]
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const quick = process.argv.includes('--quick');

const entry = `export { captureNatives } from './src/instrument/natives';
export { buildSample } from './src/instrument/sample';`;
const out = await build({ stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' }, bundle: true, format: 'esm', platform: 'node', write: false, target: 'node20' });
const dir = mkdtempSync(join(tmpdir(), 'bench-sample-'));
const file = join(dir, 'sample.mjs');
writeFileSync(file, out.outputFiles[0].text);
const { captureNatives, buildSample } = await import(pathToFileURL(file).href);
rmSync(dir, { recursive: true, force: true });
const n = captureNatives(globalThis);

/** ns per call of f, best of `rounds` runs of `count` calls (after a warm-up run). */
function measure(count, f, rounds = quick ? 3 : 7) {
  f(count);
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    f(count);
    const ns = Number(process.hrtime.bigint() - t0) / count;
    if (ns < best) best = ns;
  }
  return best;
}

// Each payload as a receiver gets it: a fresh structured clone.
const payloads = {
  'string "ping"': 'ping',
  'small object {type,id,args}': { type: 'rpc', id: 7, method: 'getUser', args: [42, { fields: ['name', 'email'] }] },
  'nested 5 levels': { a: { b: { c: { d: { e: 'leaf', n: 1 } } } } },
  'Map + Date + Uint8Array(64)': { m: new Map([['a', 1], ['b', 2]]), when: new Date(), bytes: new Uint8Array(64) },
  'array of 1,000 numbers': Array.from({ length: 1000 }, (_, i) => i),
  'array of 200 records': Array.from({ length: 200 }, (_, i) => ({ id: i, name: `row ${i}`, ok: i % 2 === 0 })),
  'string of 100,000 chars': 'x'.repeat(100_000),
  'ArrayBuffer(1 MB)': new ArrayBuffer(1 << 20),
};

const rows = [];
for (const [name, value] of Object.entries(payloads)) {
  const data = structuredClone(value);
  const count = quick ? 2_000 : 20_000;
  let sink = 0;
  const walk = (clone) =>
    measure(count, (k) => {
      for (let i = 0; i < k; i++) {
        const r = buildSample(n, data, undefined, clone);
        sink += (r.text?.length ?? 0) + r.bufferBytes;
      }
    });
  const safe = walk(false);
  const clone = walk(true);
  const text = buildSample(n, data, undefined, true).text ?? '';
  if (text !== buildSample(n, data).text) throw new Error(`the two walks differ on ${name}`);
  rows.push({ payload: name, 'through descriptors µs': (safe / 1000).toFixed(2), 'fresh clone µs': (clone / 1000).toFixed(2), ratio: (clone / safe).toFixed(2), 'sample chars': text.length });
  if (sink === 0.5) console.log(sink);
}
console.table(rows);

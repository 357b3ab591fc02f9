#!/usr/bin/env node
// Benchmarks call pairing (src/aggregate/calls.ts over src/decode/pairing.ts) in Node: a session
// of 1,000,000 JSON-RPC messages (500,000 calls both ways over 100 channels, each side numbering
// its own ids from 1), arriving out of order within batches of 64 (responses before their
// requests too). Times only the pairing (decoding is done before the clock starts). A second
// run offers every record before its ports' channel is known, then the identity of each channel
// at the end of its batch. Reports wall and CPU time (the CPU time of this process, GC
// included, varies less on a busy machine). Bundles src/ on the fly; run with --expose-gc to
// start each clock after a collection.
//
//   node scripts/bench-pairing.mjs [--messages 1000000] [--late 0|1] (both runs when absent)

import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const MESSAGES = arg('messages', 1_000_000);
const CHANNELS = 100;
const BATCH = 64;

const entry = `export { CallGlue } from './src/aggregate/calls.ts'; export { newMessage } from './src/aggregate/records.ts';`;
const out = await build({ stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, format: 'esm', platform: 'node', write: false });
const dir = mkdtempSync(join(tmpdir(), 'ci-bench-pairing-'));
const file = join(dir, 'pairing.mjs');
writeFileSync(file, out.outputFiles[0].text);
const { CallGlue, newMessage } = await import(pathToFileURL(file).href);
rmSync(dir, { recursive: true });

const obj = (o) => ({ $: 'object', entries: Object.entries(o).map(([k, v]) => [k, typeof v === 'object' ? obj(v) : v]), count: Object.keys(o).length });

/** The records of the session in arrival order: each batch of 64 shuffled (a fixed seed). */
function workload() {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const recs = [];
  const next = new Array(CHANNELS * 2).fill(0);
  let t = 1_000_000;
  for (let i = 0; recs.length < MESSAGES; i++) {
    const ch = i % CHANNELS;
    const side = (i / CHANNELS) & 1; // which end asks
    const asker = 2 * ch + 1 + side;
    const answerer = 2 * ch + 2 - side;
    const id = ++next[asker - 1];
    const req = { ...newMessage('port'), toPort: answerer, sentAt: t, deliveredAt: t + 0.1 };
    const res = { ...newMessage('port'), toPort: asker, sentAt: t + 0.4, deliveredAt: t + 0.5 };
    recs.push([req, obj({ jsonrpc: '2.0', id, method: 'm' })], [res, obj({ jsonrpc: '2.0', id, result: id })]);
    t += 1;
  }
  for (let b = 0; b < recs.length; b += BATCH) {
    const end = Math.min(recs.length, b + BATCH);
    for (let i = end - 1; i > b; i--) {
      const j = b + Math.floor(rnd() * (i - b + 1));
      [recs[i], recs[j]] = [recs[j], recs[i]];
    }
  }
  recs.forEach(([r], i) => (r.id = i + 1));
  return recs;
}

function run(lateIdentity) {
  const recs = workload();
  const byId = (id) => recs[id - 1]?.[0];
  const known = new Set();
  const ch = (port) => Math.ceil(port / 2);
  const glue = new CallGlue({
    get: byId,
    touch: () => {},
    channelOf: (port) => (!lateIdentity || known.has(ch(port)) ? ch(port) : null),
    partnerOf: (port) => (!lateIdentity || known.has(ch(port)) ? (port % 2 ? port + 1 : port - 1) : null),
  });
  for (const x of recs) {
    glue.decode(x[0], x[1]);
    x[1] = null; // the samples are not the pairing's: let them go before the clock starts
  }
  globalThis.gc?.();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let b = 0; b < recs.length; b += BATCH) {
    const end = Math.min(recs.length, b + BATCH);
    const ports = new Set();
    for (let i = b; i < end; i++) {
      const r = recs[i][0];
      glue.seen(r);
      ports.add(r.toPort);
    }
    if (lateIdentity) {
      for (const p of ports) known.add(ch(p));
      if (glue.portsChanged) glue.portsChanged(ports);
    }
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  let paired = 0;
  let right = 0;
  for (let i = 0; i < recs.length; i++) {
    const c = recs[i][0].call;
    if (c?.pairedWith == null) continue;
    paired++;
    const o = byId(c.pairedWith);
    if (o && o.call.id === c.id && o.call.role !== c.role && Math.abs(o.sentAt - recs[i][0].sentAt) < 1) right++;
  }
  return { ms, cpuMs, paired, right, total: recs.length };
}

const only = process.argv.indexOf('--late');
for (const late of only > 0 ? [process.argv[only + 1] === '1'] : [false, true]) {
  const r = run(late);
  console.log(`${late ? 'identity after each batch' : 'identity known        '}: ${r.total} messages paired in ${r.ms.toFixed(0)} ms wall, ${r.cpuMs.toFixed(0)} ms CPU (${((r.total / r.cpuMs) * 1000).toFixed(0)} messages per CPU second); paired ${r.paired}, of them right ${r.right}`);
}

#!/usr/bin/env node
// Node side of the panel rows, run as a child of scripts/bench.mjs (its own heap): import of a
// ~100 MB trace (src/trace importTrace) and packing a 1,000,000-message snapshot
// (Session.packedSnapshot + the structured clone a runtime port does). Writes the
// 1,000,000-message trace for the viewer row. Prints one JSON line.
// --budget S: no pack or import run starts after S seconds once one was measured (the output
// gives the runs taken).
//   node scripts/bench/node-trace.mjs --runs 5 --out /tmp/x.json [--messages 1000000] [--mb 100] [--budget S]
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { ROOT } from '../browsers.mjs';

const arg = (k, d) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const RUNS = Number(arg('runs', 5));
const MESSAGES = Number(arg('messages', 1_000_000));
const TARGET_BYTES = Number(arg('mb', 100)) * 1e6;
const BUDGET_MS = Number(arg('budget', Infinity)) * 1000;
const T00 = performance.now();
const late = () => performance.now() - T00 > BUDGET_MS;

const entry = `export * from './src/aggregate/index.ts'; export * from './src/trace/index.ts';`;
const out = await build({ stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' }, bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'error' });
const dir = mkdtempSync(join(tmpdir(), 'ci-bench-trace-'));
writeFileSync(join(dir, 'm.mjs'), out.outputFiles[0].text);
const { Session, exportTrace, stringifyTrace, importTrace } = await import(pathToFileURL(join(dir, 'm.mjs')).href);
rmSync(dir, { recursive: true });

/** A frame with a channel to a child frame: port messages and every 8th a window message. */
function session(messages) {
  const s = new Session({ maxMessages: messages });
  let t = 1e6;
  let seqA = 0;
  let seqB = 0;
  const A = { frameId: 0, parentFrameId: -1, url: 'https://a.test/' };
  const B = { frameId: 3, parentFrameId: 0, url: 'https://b.test/' };
  const a = (events) => s.ingest({ v: 1, doc: 'A', seq: ++seqA, events }, A);
  const b = (events) => s.ingest({ v: 1, doc: 'B', seq: ++seqB, events }, B);
  a([
    { k: 'context', at: t, kind: 'window', url: A.url, origin: 'https://a.test', top: true },
    { k: 'channel', at: t, port1: 1, port2: 2 },
    { k: 'post', at: t, msg: 1, via: 'window', target: { up: 0, down: [0] }, targetOrigin: '*', transfer: [{ kind: 'MessagePort', id: 2 }], predicted: { o: 'sent' } },
  ]);
  b([
    { k: 'context', at: t, kind: 'window', url: B.url, origin: 'https://b.test', top: false, indexInParent: 0 },
    { k: 'deliver', at: t, type: 'message', via: 'window', source: { up: 1, down: [] }, origin: 'https://a.test', ports: [7], listeners: 1 },
    { k: 'start', at: t, port: 7 },
  ]);
  let msg = 1;
  for (let sent = 1; sent < messages; ) {
    const posts = [];
    const dels = [];
    for (let i = 0; i < 64 && sent < messages; i++, sent++) {
      t += 0.01;
      if (sent % 8 === 0) {
        posts.push({ k: 'post', at: t, msg: ++msg, via: 'window', target: { up: 0, down: [0] }, targetOrigin: 'https://b.test', transfer: [], predicted: { o: 'sent' }, bytes: 64 });
        dels.push({ k: 'deliver', at: t + 0.2, type: 'message', via: 'window', source: { up: 1, down: [] }, origin: 'https://a.test', ports: [], listeners: 1, handlerMs: 0.01, preview: '{"n":1}' });
      } else {
        posts.push({ k: 'post', at: t, msg: ++msg, via: 'port', port: 1, transfer: [], predicted: { o: 'sent' }, bytes: 32 });
        dels.push({ k: 'deliver', at: t + 0.2, type: 'message', via: 'port', port: 7, ports: [], listeners: 1, handlerMs: 0.01, preview: 'ping' });
      }
    }
    a(posts);
    b(dels);
  }
  return s;
}

const time = (f) => {
  const t0 = performance.now();
  const r = f();
  return [performance.now() - t0, r];
};
const median = (v) => v.slice().sort((x, y) => x - y)[v.length >> 1];
const stats = (v) => ({ med: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length });

// 1,000,000 messages: packing and the viewer's file.
const big = session(MESSAGES);
const pack = [];
const packAgain = [];
for (let r = 0; r <= RUNS; r++) {
  if (r > 1 && late()) break;
  // The first pack builds every block (one figure: a fresh session would cost the ingest
  // again); later ones reuse full blocks, as when a panel reconnects.
  const [ms, packed] = time(() => deserialize(serialize(big.packedSnapshot())));
  if (r > 0) packAgain.push(ms);
  else pack.push(ms);
  void packed;
}
const bigText = stringifyTrace(exportTrace(big.data()));
const viewerFile = arg('out', join(tmpdir(), 'ci-bench-1m.json'));
writeFileSync(viewerFile, bigText);

// ~100 MB trace: as many messages as make that size.
const n100 = Math.round((MESSAGES * TARGET_BYTES) / bigText.length);
const text100 = n100 >= MESSAGES ? bigText : stringifyTrace(exportTrace(session(n100).data()));
const imp = [];
for (let r = 0; r <= RUNS; r++) {
  if (r > 1 && late()) break;
  const [ms, doc] = time(() => importTrace(text100));
  if (!doc.messages.length) throw new Error('empty import');
  if (r > 0) imp.push(ms);
}
console.log(
  JSON.stringify({
    packFirstMs: pack[0],
    packAgainMs: stats(packAgain),
    packMessages: MESSAGES,
    importMs: stats(imp),
    importBytes: text100.length,
    importMessages: Math.min(n100, MESSAGES),
    viewerFile,
    viewerBytes: bigText.length,
    viewerMessages: MESSAGES,
  }),
);

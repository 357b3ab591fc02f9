#!/usr/bin/env node
// Benchmarks the background's aggregation in Node: ingest throughput (target ≥ 200,000
// events/s) and the cost of a snapshot of 1,000,000 messages (target < 1 s), including the
// structured clone a runtime port does on the way to the panel. Bundles src/ on the fly.
//
//   node scripts/bench-aggregate.mjs [--messages 1000000]

import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deserialize, serialize, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const MESSAGES = arg('messages', 1_000_000);
const BATCH = 64;

const entry = `export * from './src/aggregate/index.ts'; export * from './src/trace/index.ts';`;
const out = await build({ stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, format: 'esm', platform: 'node', write: false });
const dir = mkdtempSync(join(tmpdir(), 'ci-bench-'));
const file = join(dir, 'aggregate.mjs');
writeFileSync(file, out.outputFiles[0].text);
const { Session, exportTrace, stringifyTrace, importTrace, unpackSnapshot } = await import(pathToFileURL(file).href);
rmSync(dir, { recursive: true });

/**
 * A page A with a child frame B: A and B talk over a channel whose port2 went to B (so every
 * delivery resolves a port sent across frames), plus window messages both ways. Sends and
 * deliveries come from different documents, as they do in the browser.
 */
function* workload(messages) {
  let t = 1_000_000;
  let seqA = 0;
  let seqB = 0;
  const a = (events) => ({ batch: { v: 1, doc: 'A', seq: ++seqA, events }, source: { frameId: 0, parentFrameId: -1, url: 'https://a.test/' } });
  const b = (events) => ({ batch: { v: 1, doc: 'B', seq: ++seqB, events }, source: { frameId: 3, parentFrameId: 0, url: 'https://b.test/' } });
  yield a([
    { k: 'context', at: t, kind: 'window', url: 'https://a.test/', origin: 'https://a.test', top: true },
    { k: 'channel', at: t, port1: 1, port2: 2 },
    { k: 'post', at: t, msg: 1, via: 'window', target: { up: 0, down: [0] }, targetOrigin: '*', transfer: [{ kind: 'MessagePort', id: 2 }], predicted: { o: 'sent' } },
  ]);
  yield b([
    { k: 'context', at: t, kind: 'window', url: 'https://b.test/', origin: 'https://b.test', top: false, indexInParent: 0 },
    { k: 'deliver', at: t + 0.1, type: 'message', via: 'window', source: { up: 1, down: [] }, origin: 'https://a.test', ports: [7], listeners: 1 },
    { k: 'start', at: t + 0.1, port: 7 },
  ]);
  let msg = 1;
  for (let sent = 1; sent < messages; ) {
    const posts = [];
    const delivers = [];
    for (let i = 0; i < BATCH && sent < messages; i++, sent++) {
      t += 0.01;
      if (sent % 8 === 0) {
        posts.push({ k: 'post', at: t, msg: ++msg, via: 'window', target: { up: 0, down: [0] }, targetOrigin: 'https://b.test', transfer: [], predicted: { o: 'sent' }, bytes: 64 });
        delivers.push({ k: 'deliver', at: t + 0.2, type: 'message', via: 'window', source: { up: 1, down: [] }, origin: 'https://a.test', ports: [], listeners: 1, handlerMs: 0.01, preview: '{"n":1}' });
      } else {
        posts.push({ k: 'post', at: t, msg: ++msg, via: 'port', port: 1, transfer: [], predicted: { o: 'sent' }, bytes: 32 });
        delivers.push({ k: 'deliver', at: t + 0.2, type: 'message', via: 'port', port: 7, ports: [], listeners: 1, handlerMs: 0.01, preview: 'ping' });
      }
    }
    // Deliveries sometimes reach the background first.
    if (sent % 3 === 0) {
      yield b(delivers);
      yield a(posts);
    } else {
      yield a(posts);
      yield b(delivers);
    }
  }
}

const ms = (f) => {
  const t0 = performance.now();
  const r = f();
  return [performance.now() - t0, r];
};

// The page's events are generated up front so ingest is measured alone.
let feeds = [...workload(MESSAGES)];
const eventCount = feeds.reduce((n, f) => n + f.batch.events.length, 0);
const session = new Session({ maxMessages: MESSAGES });
const [ingestMs] = ms(() => {
  for (const f of feeds) session.ingest(f.batch, f.source);
});
const data = session.data();
const delivered = data.messages.filter((m) => m.outcome.status === 'delivered').length;
console.log(`ingest: ${eventCount.toLocaleString()} events in ${ingestMs.toFixed(0)} ms = ${Math.round(eventCount / (ingestMs / 1000)).toLocaleString()} events/s (target ≥ 200,000)`);
console.log(`        ${data.messages.length.toLocaleString()} messages, ${delivered.toLocaleString()} delivered, pending: ${JSON.stringify(session.pendingWork())}`);
// The background does not keep the batches: free them so they do not weigh on what follows.
feeds = null;
setFlagsFromString('--expose-gc');
runInNewContext('gc')();

const clone = (x) => {
  const buf = serialize(x);
  return [buf.length, deserialize(buf)];
};
const [snapMs, snap] = ms(() => session.snapshot());
const [cloneMs, [bytes]] = ms(() => clone(snap));
console.log(`snapshot as records: build ${snapMs.toFixed(0)} ms + structured clone ${cloneMs.toFixed(0)} ms = ${(snapMs + cloneMs).toFixed(0)} ms, ${(bytes / 1e6).toFixed(0)} MB (not what is posted)`);
// What the background posts: blocks of columns, cloned by the runtime port.
for (const label of ['first packed snapshot', 'next packed snapshot (a panel reconnects)']) {
  const [packMs, packed] = ms(() => session.packedSnapshot());
  const [pcloneMs, [pbytes, arrived]] = ms(() => clone(packed));
  const [unpackMs] = ms(() => unpackSnapshot(arrived));
  console.log(
    `${label} of ${snap.messages.length.toLocaleString()} messages: build ${packMs.toFixed(0)} ms + structured clone ${pcloneMs.toFixed(0)} ms` +
      ` = ${(packMs + pcloneMs).toFixed(0)} ms to reach the panel (target < 1000), ${(pbytes / 1e6).toFixed(0)} MB; decoding every row there: ${unpackMs.toFixed(0)} ms`,
  );
}

const [deltaMs] = ms(() => session.takeDelta());
console.log(`first delta (everything new): ${deltaMs.toFixed(0)} ms`);

const [stateMs, stateLen] = ms(() => JSON.stringify(session.toJSON()).length);
console.log(`toJSON + stringify (persist everything): ${stateMs.toFixed(0)} ms, ${(stateLen / 1e6).toFixed(0)} MB`);
const [packedStateMs, [packedStateBytes]] = ms(() => clone(session.toState()));
console.log(`toState (packed) + structured clone (persist to IndexedDB): ${packedStateMs.toFixed(0)} ms, ${(packedStateBytes / 1e6).toFixed(0)} MB`);
const [exportMs, text] = ms(() => stringifyTrace(exportTrace(data)));
console.log(`trace export + stringify: ${exportMs.toFixed(0)} ms, ${(text.length / 1e6).toFixed(0)} MB`);
const [importMs] = ms(() => importTrace(text));
console.log(`trace import (parse + validate): ${importMs.toFixed(0)} ms`);

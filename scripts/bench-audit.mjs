#!/usr/bin/env node
// Benchmarks runAudit on synthetic snapshots of 100,000 and 1,000,000 messages: mostly
// healthy port, worker and window traffic with a sprinkling of every kind of problem, so
// that every rule does real work. The audit runs after every delta, so it must stay linear.
//
//   node scripts/bench-audit.mjs [--messages 100000,1000000] [--runs 9]
//
// On a shared or busy machine the minimum is the figure to trust; the median shows the noise.

import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const SIZES = String(arg('messages', '100000,1000000')).split(',').map(Number);
const RUNS = Number(arg('runs', 9));

const out = await build({ entryPoints: ['src/audit/index.ts'], bundle: true, format: 'esm', platform: 'node', write: false });
const dir = mkdtempSync(join(tmpdir(), 'ci-bench-audit-'));
const file = join(dir, 'audit.mjs');
writeFileSync(file, out.outputFiles[0].text);
const { runAudit } = await import(pathToFileURL(file).href);
rmSync(dir, { recursive: true });

const ORIGIN_A = 'http://127.0.0.1:8080';
const ORIGIN_B = 'http://localhost:8080';
const STACKS = Array.from({ length: 50 }, (_, i) => `Error\n    at send${i} (${ORIGIN_A}/app.js:${i + 1}:7)\n    at main (${ORIGIN_A}/app.js:200:1)`);

function context(id, url, kind, parentId) {
  return { id, kind, url, origin: new URL(url).origin, parentId, frameId: id - 1, parentFrameId: parentId === null ? -1 : parentId - 1, documentId: null, doc: `d${id}`, ctx: 0, top: parentId === null, indexInParent: null, openerId: null, createdAt: 0, endedAt: null };
}

function port(id, channelId, partner, ctx, o = {}) {
  return { id, channelId, entangledWith: partner, createdIn: ctx, createdAt: 0, holders: [{ contextId: ctx, since: 0, messageId: null, startedAt: 0 }], started: true, closed: false, closedAt: null, shipped: false, lostIn: null, listeners: 1, ...o };
}

const DELIVERED = { status: 'delivered', reason: null };
const NO_TRANSFER = [];

function snapshot(n) {
  const contexts = [context(1, `${ORIGIN_A}/index.html`, 'window', null), context(2, `${ORIGIN_B}/child.html`, 'window', 1), context(3, `${ORIGIN_A}/worker.js`, 'worker', 1)];
  // 50 long-lived channels, plus 150 per-request channels left open (a port-leak).
  const ports = [];
  for (let c = 0; c < 200; c++) {
    const a = ports.length + 1;
    ports.push(port(a, c + 1, a + 1, 1), port(a + 1, c + 1, a, 1, { holders: [{ contextId: c % 2 ? 2 : 3, since: 0, messageId: null, startedAt: 0 }] }));
  }
  ports[2].listeners = 1; // #3 listens without start(): its messages stay queued
  ports[2].started = false;
  const messages = new Array(n);
  for (let i = 0; i < n; i++) {
    const id = i + 1;
    const k = i % 1000;
    const p = ports[(i % 100) + 4];
    const m = {
      id,
      via: 'port',
      type: 'message',
      fromContext: 1,
      toContext: p.holders[0].contextId,
      fromPort: p.entangledWith,
      toPort: p.id,
      sentAt: i,
      deliveredAt: i + 0.2,
      outcome: DELIVERED,
      transfer: NO_TRANSFER,
      preview: null,
      bytes: 64,
      targetOrigin: null,
      origin: null,
      stack: STACKS[i % STACKS.length],
      listeners: 1,
      handlerMs: 0.01,
      waitMs: 0.2,
      bufferBytes: 0,
    };
    if (k === 1) Object.assign(m, { toPort: 3, fromPort: 4, deliveredAt: null, outcome: { status: 'queued', reason: null } });
    else if (k === 2) Object.assign(m, { deliveredAt: null, outcome: { status: 'dropped', reason: 'port-shipped' } });
    else if (k === 3) Object.assign(m, { deliveredAt: null, outcome: { status: 'dropped', reason: 'partner-closed' } });
    else if (k === 4) Object.assign(m, { via: 'window', fromPort: null, toPort: null, toContext: 2, targetOrigin: '*' });
    else if (k === 5) Object.assign(m, { via: 'window', fromContext: null, sentAt: null, stack: null, toPort: null, fromPort: null, toContext: 1, origin: ORIGIN_B, originRead: false });
    else if (k === 6) Object.assign(m, { listeners: 0, outcome: { status: 'dropped', reason: 'no-listener' } });
    else if (k === 7) Object.assign(m, { transfer: [{ kind: 'ArrayBuffer', id: null, bytes: 4096 }], bufferBytes: 0 });
    else if (k === 8) Object.assign(m, { deliveredAt: null, outcome: { status: 'error', reason: 'DataCloneError: An ArrayBuffer is detached and could not be cloned.' } });
    else if (k === 9) Object.assign(m, { deliveredAt: null, outcome: { status: 'error', reason: 'DataCloneError: () => 1 could not be cloned.' } });
    else if (k === 10) Object.assign(m, { type: 'messageerror', outcome: { status: 'error', reason: 'messageerror' } });
    else if (k === 11) Object.assign(m, { bufferBytes: 2 * 1024 * 1024 });
    else if (k === 12) Object.assign(m, { via: 'window', fromPort: null, toPort: null, toContext: 1, targetOrigin: ORIGIN_B, deliveredAt: null, outcome: { status: 'dropped', reason: 'target-origin-mismatch' } });
    else if (k === 13) Object.assign(m, { via: 'worker', fromPort: null, toPort: null, toContext: 3, transfer: [{ kind: 'MessagePort', id: 200 + (i % 200), bytes: null }] });
    messages[i] = m;
  }
  return { rev: 1, contexts, ports, messages, firstMessageId: 1, findings: [], mismatches: [], dropped: {} };
}

for (const n of SIZES) {
  const snap = snapshot(n);
  let findings = [];
  runAudit(snap); // warm up
  const times = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    findings = runAudit(snap);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const rules = new Set(findings.map((f) => f.rule)).size;
  console.log(`${n.toLocaleString('en')} messages: runAudit median ${times[times.length >> 1].toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[times.length - 1].toFixed(1)}), ${findings.length} findings from ${rules} rules`);
}

#!/usr/bin/env node
// The background's own costs, in Node (no browser): the service worker's memory per 1,000,000
// recorded messages (heap after a full GC, with the session and nothing else) and the longest
// pause a checkpoint makes it take while the recording grows. A checkpoint's synchronous part
// is timed as IndexedDB does it: the state is built, then structured-cloned (v8.serialize) by
// each put; pauses are CPU time (the machine may be busy). The write is the background's own (src/background/checkpoints.ts) over a store that
// clones like IndexedDB; each slice it runs between two awaits is one pause.
//
//   node scripts/bench/background.mjs [--messages 1000000] [--at 250000,1000000] [--full] [--json]
// --full: the whole state at once, as checkpoints were written before (for comparison).
// scripts/bench.mjs runs it as a child (its own heap, backgroundBench) and adds its section to
// docs/performance.md (backgroundSection); `node scripts/bench.mjs --background` runs only it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serialize, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const SELF = fileURLToPath(import.meta.url);

/** Runs this script in a child process (its own heap); null with the reason if it failed. */
export function backgroundBench({ messages = 1_000_000, log = console.log } = {}) {
  const at = [250_000, 1_000_000].filter((n) => n <= messages).concat(messages < 250_000 ? [messages] : []);
  const child = spawnSync(process.execPath, ['--max-old-space-size=4096', SELF, '--messages', String(messages), '--at', at.join(','), '--json'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) {
    log(`  background bench failed: ${child.stderr.split('\n').slice(0, 3).join(' ')}`);
    return null;
  }
  const [r] = JSON.parse(child.stdout.trim().split('\n').pop());
  log(`  service worker session: ${r.perMillionMB.toFixed(0)} MB per 1,000,000 messages (Node heap); longest checkpoint pause ${Object.entries(r.at).map(([n, a]) => `${a.longestPauseMs.toFixed(0)} ms by ${Number(n).toLocaleString('en')}`).join(', ')}`);
  return r;
}

/** Its section of docs/performance.md. */
export function backgroundSection(r) {
  if (!r) return '';
  const rows = Object.entries(r.at).map(([n, a]) => `| ${Number(n).toLocaleString('en')} | ${a.checkpoints} | ${a.longestPauseMs.toFixed(0)} ms | ${a.medianPauseMs.toFixed(0)} ms |`);
  return [
    '',
    '## The background: memory and checkpoint pauses',
    '',
    `Node, no browser (scripts/bench/background.mjs): a Session fed ${r.messages.toLocaleString('en')} recorded messages (port messages and one in eight a window message, 64 per batch) holds **${r.perMillionMB.toFixed(0)} MB per 1,000,000 messages** (heap after a full GC; Node does not compress pointers as Chrome does, so the service worker's figure is lower). Checkpoints are written as the background writes them (src/background/checkpoints.ts), over a store that structured-clones each put as IndexedDB does; a pause is the CPU time between two of its tasks.`,
    '',
    '| messages recorded | checkpoints so far | longest pause | median of each checkpoint\'s longest |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) await main();

async function main() {
  const argv = process.argv.slice(2);
  const arg = (k, d) => (argv.includes(`--${k}`) ? argv[argv.indexOf(`--${k}`) + 1] : d);
  const MESSAGES = Number(arg('messages', 1_000_000));
  const AT = String(arg('at', '250000,1000000')).split(',').map(Number).filter((n) => n > 0 && n <= MESSAGES);
  /** Batches between checkpoints, as extension/background.ts (CHECKPOINT_EVERY). */
  const CHECKPOINT_EVERY = 2000;
  /** Messages per page batch: a busy page's relay flush. */
  var PER_BATCH = 64;

  const entry = `export { Session } from './src/aggregate/index.ts'; export * as checkpoints from './src/background/checkpoints.ts';`;
  let mod;
  {
    const out = await build({ stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' }, bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent' }).catch(() => null);
    // Before the incremental checkpoints existed: the session alone.
    const fallback = out ?? (await build({ stdin: { contents: `export { Session } from './src/aggregate/index.ts';`, resolveDir: ROOT, loader: 'ts' }, bundle: true, format: 'esm', platform: 'node', write: false }));
    const dir = mkdtempSync(join(tmpdir(), 'ci-bench-bg-'));
    writeFileSync(join(dir, 'bg.mjs'), fallback.outputFiles[0].text);
    mod = await import(pathToFileURL(join(dir, 'bg.mjs')).href);
    rmSync(dir, { recursive: true });
  }
  const { Session, checkpoints } = mod;
  /** Changed chunks that call for a checkpoint too (src/background/intake.ts). */
  const CHECKPOINT_CHUNKS = checkpoints?.CHECKPOINT_CHUNKS ?? Infinity;

  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };

  /**
   * A page and its child frame: a channel whose port2 went to the child, port messages one way
   * and one in eight a window message, each with a short preview; the child's deliveries come
   * in their own batches, as they do from another document.
   */
  function* batches(messages) {
    let t = 1_000_000;
    let seqA = 0;
    let seqB = 0;
    const A = { frameId: 0, parentFrameId: -1, url: 'https://a.test/' };
    const B = { frameId: 3, parentFrameId: 0, url: 'https://b.test/' };
    const a = (events) => [{ v: 1, doc: 'A', seq: ++seqA, events }, A];
    const b = (events) => [{ v: 1, doc: 'B', seq: ++seqB, events }, B];
    yield a([
      { k: 'context', at: t, kind: 'window', url: A.url, origin: 'https://a.test', top: true },
      { k: 'channel', at: t, port1: 1, port2: 2 },
      { k: 'post', at: t, msg: 1, via: 'window', target: { up: 0, down: [0] }, targetOrigin: '*', transfer: [{ kind: 'MessagePort', id: 2 }], predicted: { o: 'sent' } },
    ]);
    yield b([
      { k: 'context', at: t, kind: 'window', url: B.url, origin: 'https://b.test', top: false, indexInParent: 0 },
      { k: 'deliver', at: t + 0.1, type: 'message', via: 'window', source: { up: 1, down: [] }, origin: 'https://a.test', ports: [7], listeners: 1 },
      { k: 'start', at: t + 0.1, port: 7 },
    ]);
    let msg = 1;
    for (let sent = 1; sent < messages; ) {
      const posts = [];
      const delivers = [];
      for (let i = 0; i < PER_BATCH && sent < messages; i++, sent++) {
        t += 0.01;
        const n = ++msg;
        if (sent % 8 === 0) {
          posts.push({ k: 'post', at: t, msg: n, via: 'window', target: { up: 0, down: [0] }, targetOrigin: 'https://b.test', transfer: [], predicted: { o: 'sent' }, bytes: 64 });
          delivers.push({ k: 'deliver', at: t + 0.2, type: 'message', via: 'window', source: { up: 1, down: [] }, origin: 'https://a.test', ports: [], listeners: 1, handlerMs: 0.01, preview: `{"n":${n}}` });
        } else {
          posts.push({ k: 'post', at: t, msg: n, via: 'port', port: 1, transfer: [], predicted: { o: 'sent' }, bytes: 32 });
          delivers.push({ k: 'deliver', at: t + 0.2, type: 'message', via: 'port', port: 7, ports: [], listeners: 1, handlerMs: 0.01, preview: `"ping ${n % 100}"` });
        }
      }
      yield a(posts);
      yield b(delivers);
    }
  }

  /** A store that clones each put as IndexedDB does (synchronously, inside the put). */
  class CloningStore {
    bytes = 0;
    put(value) {
      this.bytes += serialize(value).length;
    }
  }

  /** Longest pause of the old checkpoint: the whole state built and cloned at once. */
  function fullCheckpoint(session, store) {
    const t0 = process.cpuUsage();
    store.put({ tabId: 1, upTo: 0, state: session.toState() });
    const t1 = process.cpuUsage(t0);
    return [(t1.user + t1.system) / 1000];
  }

  /**
   * The background's incremental checkpoint (CheckpointWriter.run) over a store that clones each
   * put as IndexedDB does and completes it in a later task: each stretch between two of those
   * tasks is one pause of the worker.
   */
  function makeIncremental() {
    if (!checkpoints) return null;
    const writer = new checkpoints.CheckpointWriter(1);
    let pauses = [];
    let t0 = 0;
    // CPU time, not wall time: on a loaded machine a slice is also descheduled, which is not its cost.
    const cpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const slice = async (value) => {
      bytes += serialize(value).length;
      pauses.push(cpu() - t0);
      await new Promise((r) => setImmediate(r));
      t0 = cpu();
    };
    let bytes = 0;
    const store = {
      putChunk: (tabId, serial, cols) => slice(cols),
      checkpoint: (cp) => slice(cp),
    };
    const checkpoint = async (session, cloning) => {
      pauses = [];
      bytes = 0;
      t0 = cpu();
      await writer.run(store, () => session, () => ({ upTo: 0, preserveLog: false, paused: false, bindings: [], notices: [] }));
      cloning.bytes += bytes;
      return pauses;
    };
    return checkpoint;
  }

  async function run(mode) {
    const h0 = heap();
    const session = new Session({ maxMessages: MESSAGES });
    const store = new CloningStore();
    const incremental = makeIncremental();
    const checkpoint = mode === 'incremental' ? incremental : fullCheckpoint;
    const out = { mode, at: {} };
    let batchesSince = 0;
    let longest = 0;
    /** Each checkpoint's longest pause. */
    const each = [];
    const median = () => [...each].sort((x, y) => x - y)[Math.floor(each.length / 2)];
    const targets = [...AT];
    for (const [batch, source] of batches(MESSAGES)) {
      session.ingest(batch, source);
      if (++batchesSince >= CHECKPOINT_EVERY || session.messageStore.dirtyChunkCount >= CHECKPOINT_CHUNKS) {
        batchesSince = 0;
        const p = Math.max(...(await checkpoint(session, store)));
        each.push(p);
        longest = Math.max(longest, p);
      }
      while (targets.length && session.messageCount >= targets[0]) {
        const n = targets.shift();
        // A checkpoint right at this size too: its pause at this size, whatever the cadence.
        const at = Math.max(...(await checkpoint(session, store)));
        each.push(at);
        longest = Math.max(longest, at);
        out.at[n] = { longestPauseMs: longest, medianPauseMs: median(), lastPauseMs: at, checkpoints: each.length };
      }
    }
    out.messages = session.messageCount;
    // Held where the collector sees it: a session no code uses any more would be freed first.
    globalThis.heldForHeap = session;
    out.heapMB = (heap() - h0) / 1e6;
    globalThis.heldForHeap = null;
    out.perMillionMB = (out.heapMB / out.messages) * 1e6;
    out.writtenMB = store.bytes / 1e6;
    return out;
  }

  // One mode per process (a second run in the same heap would measure the first one's garbage).
  const modes = checkpoints && !argv.includes('--full') ? ['incremental'] : ['full'];
  const results = [];
  for (const mode of modes) {
    const r = await run(mode);
    results.push(r);
    if (!argv.includes('--json')) {
      console.log(`${mode} checkpoints, ${r.messages.toLocaleString()} messages: heap ${r.heapMB.toFixed(0)} MB = ${r.perMillionMB.toFixed(0)} MB per 1,000,000 messages; written ${r.writtenMB.toFixed(0)} MB`);
      for (const [n, a] of Object.entries(r.at)) console.log(`  at ${Number(n).toLocaleString()} messages: longest checkpoint pause so far ${a.longestPauseMs.toFixed(1)} ms, median of the ${a.checkpoints} checkpoints' longest ${a.medianPauseMs.toFixed(1)} ms, this one's ${a.lastPauseMs.toFixed(1)} ms`);
    }
  }
  if (argv.includes('--json')) console.log(JSON.stringify(results));
}

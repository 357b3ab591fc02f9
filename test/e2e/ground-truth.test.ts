// Ground truth, differential: random programs over a top frame, same- and cross-origin
// iframes (nested), dedicated workers and BroadcastChannels run in real Chromium and Firefox
// ESR with the extension recording; each context logs by itself what it sent and received
// (test/pages/ground-truth/gt.js), and the recorded session is held against those logs
// (test/support/ground-truth-check.ts): no record may join a send and a delivery of
// different tags, no port record may name a holder where its port never was, and every
// delivery a window logged must be recorded. Unknowns are counted and printed, not failed.
//
// Runs with GT=1 (npm run test:ground-truth) or GT_SEED set; npm test skips it (see RUN below).
// GT_COUNT (default 300) programs per browser from seed GT_SEED (default 1), GT_BATCH per
// page load (default 25), GT_TABS tabs side by side (default 3); GT_BROWSER=chromium or firefox runs one. A failing program is kept
// in test/fixtures/ground-truth/<browser>-<seed>.json.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/browsers.mjs';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { checkProgram, contextNames, formatProblems, tagOfSample, type CheckResult, type GtLogs } from '../support/ground-truth-check';
import { startCollector, type Collector } from '../support/ground-truth-collector';
import { generateGtProgram, tagPrefix, type GtProgram } from '../support/ground-truth-program';
import { launchRecorder, type BrowserName } from '../support/recorder';
import { servePages } from '../support/pages-server';

const SEED0 = Number(process.env.GT_SEED ?? 1);
const COUNT = Number(process.env.GT_COUNT ?? (process.env.GT_SEED ? 1 : 300));
const BATCH = Number(process.env.GT_BATCH ?? 25);
const TABS = Number(process.env.GT_TABS ?? 3);
const BROWSERS = (process.env.GT_BROWSER ?? 'chromium,firefox').split(',') as BrowserName[];
const FIXTURES = join(ROOT, 'test', 'fixtures', 'ground-truth');
// Programs reduced by hand from failing seeds: run first, every time.
const REDUCED = new Map<number, GtProgram>(
  readdirSync(FIXTURES)
    .filter((f) => f.startsWith('reduced-') && f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')).program as GtProgram)
    .map((p) => [p.seed, p]),
);
const programFor = (seed: number) => REDUCED.get(seed) ?? generateGtProgram(seed);

const server = servePages();
let collector: Collector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(async () => {
  await collector?.close();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until every context of the program finished its operations and no log grew for a few polls. */
async function settle(seed: number): Promise<string | null> {
  const end = Date.now() + 60_000;
  let last = -1;
  let stable = 0;
  const total = programFor(seed).contexts.length;
  const t0 = Date.now();
  let arrived = 0;
  let done = 0;
  while (Date.now() < end) {
    const s = collector.state(seed);
    if (!arrived && s.arrived.length === total) arrived = Date.now() - t0;
    if (!done && s.done.length === total) done = Date.now() - t0;
    if (process.env.GT_DEBUG && stable >= 3) console.log(`seed ${seed}: all at the barrier ${arrived} ms, done ${done} ms, settled ${Date.now() - t0} ms`);
    if (s.done.length === total && s.version === last) stable++;
    else stable = 0;
    if (stable >= 4) return null;
    last = s.version;
    await pause(25);
  }
  const s = collector.state(seed);
  return `did not finish in 60 s: arrived at the barrier ${s.arrived.join(', ') || 'none'}; done ${s.done.join(', ') || 'none'} of ${total}`;
}

/** Records of one program, for its fixture. */
function traceOf(snap: AggregateSnapshot, program: GtProgram, logs: GtLogs, topUrl: string) {
  const names = contextNames(snap, program.seed, logs, topUrl);
  const ours = new Set(names.keys());
  const messages = snap.messages.filter((m) => tagOfSample(m.sample)?.startsWith(tagPrefix(program.seed)) || (m.fromContext !== null && ours.has(m.fromContext) && names.get(m.fromContext) !== 'top') || (m.toContext !== null && ours.has(m.toContext) && names.get(m.toContext) !== 'top'));
  const portIds = new Set(messages.flatMap((m) => [m.fromPort, m.toPort, ...m.transfer.map((t) => t.id)]));
  // Its contexts, the others its records name, and every document of its frames (about:blank first).
  const named = new Set(messages.flatMap((m) => [m.fromContext, m.toContext]));
  const frames = new Set(snap.contexts.filter((c) => ours.has(c.id) && names.get(c.id) !== 'top').map((c) => c.frameId));
  const times = Object.values(logs).flatMap((l) => l.flatMap((e) => ('t0' in e ? [e.t0] : 't' in e ? [e.t] : [])));
  const during = (t: number | null) => t !== null && times.length > 0 && t >= Math.min(...times) - 2000 && t <= Math.max(...times) + 2000;
  return {
    contexts: snap.contexts
      .filter((c) => ours.has(c.id) || named.has(c.id) || (c.kind === 'window' && frames.has(c.frameId)) || (!c.top && during(c.createdAt)))
      .map((c) => ({ ...c, gtName: names.get(c.id) ?? null })),
    ports: snap.ports.filter((p) => portIds.has(p.id) || (p.createdIn !== null && ours.has(p.createdIn) && names.get(p.createdIn) !== 'top')),
    messages,
    dropped: snap.dropped,
  };
}

interface Totals {
  programs: number;
  messages: number;
  deliveries: number;
  wrongJoins: number;
  wrongHolders: number;
  missing: number;
  otherWrong: number;
  unknown: number;
  unknownWhy: Record<string, number>;
  harness: number;
}

async function runBrowser(name: BrowserName): Promise<{ totals: Totals; failures: { seed: number; text: string }[]; seconds: number }> {
  const started = Date.now();
  const browser = await launchRecorder(name);
  const totals: Totals = { programs: 0, messages: 0, deliveries: 0, wrongJoins: 0, wrongHolders: 0, missing: 0, otherWrong: 0, unknown: 0, unknownWhy: {}, harness: 0 };
  const failures: { seed: number; text: string }[] = [];
  const batches: number[][] = process.env.GT_SEED ? [] : [[...REDUCED.keys()]];
  for (let b = 0; b * BATCH < COUNT; b++) batches.push(Array.from({ length: Math.min(BATCH, COUNT - b * BATCH) }, (_, i) => SEED0 + b * BATCH + i));
  // TABS tabs run batches side by side (a program waits on page loads and the collector more than on the CPU).
  const lane = async () => {
    for (let seeds = batches.shift(); seeds; seeds = batches.shift()) await runBatch(seeds);
  };
  const runBatch = async (seeds: number[]) => {
    // A fresh tab per batch: a fresh session.
    const url = `${server.origin('127.0.0.1')}/ground-truth/index.html?batch=${seeds[0]}`;
    const tab = await browser.open(url);
    const programs = new Map<number, GtProgram>();
    const stuck = new Map<number, string>();
    for (const seed of seeds) {
      const program = programFor(seed);
      programs.set(seed, program);
      collector.add(program);
      await tab.evaluate(`gtRun(${seed}, ${JSON.stringify(collector.origin)})`);
      const problem = await settle(seed);
      if (problem) stuck.set(seed, problem);
      // Its frames go only once the session holds every delivery a window logged (or 10 s
      // passed): a delivery lost with a removed frame is a finding of its own, not this test's.
      const end = Date.now() + 10_000;
      for (;;) {
        const snap = await browser.snapshot(url);
        if (snap && checkProgram(program, collector.state(seed).logs, snap, { topUrl: url }).missing.length === 0) break;
        if (Date.now() > end) break;
        await pause(100);
      }
      await tab.evaluate(`gtTeardown(${seed})`);
    }
    // The recording catches up: every delivery a window logged reaches the session.
    const allLogs = () => seeds.map((seed) => collector.state(seed).logs);
    const check = (snap: AggregateSnapshot | null) =>
      seeds.map((seed) => (snap ? checkProgram(programs.get(seed)!, collector.state(seed).logs, snap, { topUrl: url, others: allLogs().filter((_, i) => seeds[i] !== seed) }) : null));
    let snap: AggregateSnapshot | null = null;
    let results: (CheckResult | null)[] = [];
    const end = Date.now() + 15_000;
    do {
      if (snap) await pause(200);
      snap = await browser.snapshot(url);
      results = check(snap);
    } while (Date.now() < end && results.some((r) => !r || r.missing.length));
    for (const seed of seeds) {
      const r = results[seeds.indexOf(seed)];
      if (!r) throw new Error(`no session for ${url}`);
      totals.programs++;
      totals.messages += r.messages;
      totals.deliveries += r.deliveries;
      totals.wrongJoins += r.wrongJoins.length;
      totals.wrongHolders += r.wrongHolders.length;
      totals.missing += r.missing.length;
      totals.otherWrong += r.otherWrong.length;
      totals.unknown += r.unknown;
      for (const [k, v] of Object.entries(r.unknownWhy)) totals.unknownWhy[k] = (totals.unknownWhy[k] ?? 0) + v;
      if (stuck.has(seed)) r.harness.push(stuck.get(seed)!);
      totals.harness += r.harness.length;
      const failed = r.wrongJoins.length + r.wrongHolders.length + r.missing.length + r.otherWrong.length + r.harness.length > 0;
      if (failed) {
        const logs: GtLogs = collector.state(seed).logs;
        mkdirSync(FIXTURES, { recursive: true });
        const file = join(FIXTURES, `${name}-${seed}.json`);
        const otherTopLogs = Object.fromEntries(seeds.filter((s) => s !== seed).map((s) => [s, collector.state(s).logs.top ?? []]));
        const trace = process.env.GT_FULL ? snap : traceOf(snap!, programs.get(seed)!, logs, url);
        writeFileSync(file, JSON.stringify({ browser: name, seed, topUrl: url, program: programs.get(seed), logs, otherTopLogs, trace, result: r }, null, 1) + '\n');
        failures.push({ seed, text: `[${name}] seed ${seed} (kept in ${file.slice(ROOT.length + 1)}; re-run: GT_SEED=${seed} GT_BROWSER=${name} npx vitest run --project e2e test/e2e/ground-truth.test.ts)\n${formatProblems(r)}` });
      }
    }
    for (const seed of seeds) collector.forget(seed);
    await tab.close();
  };
  try {
    await Promise.all(Array.from({ length: TABS }, lane));
  } finally {
    await browser.close();
  }
  failures.sort((x, y) => x.seed - y.seed);
  return { totals, failures, seconds: (Date.now() - started) / 1000 };
}

// Opt-in (npm run test:ground-truth): 300 programs take ~10-18 min per browser on this 2-core
// machine, and the aggregate still makes wrong joins here (issue #20 stays open until it
// makes none). npm test counts it as skipped, never as passed.
const RUN = process.env.GT === '1' || process.env.GT_SEED !== undefined;

for (const name of BROWSERS) {
  describe.runIf(RUN)(`${name}: recorded sessions against each context's own log`, () => {
    it(`${COUNT} random programs: 0 wrong joins, 0 wrong holders, every delivery recorded`, { timeout: 1_800_000 }, async () => {
      const { totals: t, failures, seconds } = await runBrowser(name);
      for (const f of failures.slice(0, 8)) console.log(f.text);
      const share = t.messages ? ((100 * t.unknown) / t.messages).toFixed(1) : '0';
      console.log(
        `[ground truth ${name}] programs ${t.programs}, messages ${t.messages}, deliveries ${t.deliveries}, wrong joins ${t.wrongJoins}, wrong holders ${t.wrongHolders}, ` +
          `missing deliveries ${t.missing}, other wrong fields ${t.otherWrong}, harness faults ${t.harness}, unknown share ${share}% (${t.unknown}: ${JSON.stringify(t.unknownWhy)}), ` +
          `${seconds.toFixed(0)} s` + (failures.length ? `; failing seeds ${failures.map((f) => f.seed).join(', ')}` : ''),
      );
      expect(t.harness, 'harness faults (the programs themselves did not run as generated)').toBe(0);
      expect({ wrongJoins: t.wrongJoins, wrongHolders: t.wrongHolders, missingDeliveries: t.missing }).toEqual({ wrongJoins: 0, wrongHolders: 0, missingDeliveries: 0 });
    });
  });
}

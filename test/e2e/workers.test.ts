// Recording inside dedicated workers (issue 21), in real Chromium (the debugger switch) and
// Firefox ESR (the worker script's response filtered): both sides of a worker's messages are
// observed, and what a page and its worker can observe is the same with the switch on or off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePages } from '../support/pages-server';
import { waitFor, waitSettled } from '../support/session';
import { launchRecorder, type BrowserName, type Recorder } from '../support/recorder';
import type { AggregateSnapshot } from '../../src/protocol/session';

const server = servePages();

const settled = (s: AggregateSnapshot | null, count: number) => !!s && s.messages.length >= count && s.messages.every((m) => m.outcome.status !== 'sent');

function expectAllObserved(s: AggregateSnapshot) {
  for (const m of s.messages) {
    const what = `${m.via} ${m.preview ?? ''} (${m.outcome.status}${m.outcome.reason ? ` ${m.outcome.reason}` : ''})`;
    expect(m.outcome.status, what).toBe('delivered');
    expect(m.sentAt, `send of ${what}`).not.toBeNull();
    expect(m.deliveredAt, `delivery of ${what}`).not.toBeNull();
    expect(m.fromContext, `sender of ${what}`).not.toBeNull();
    expect(m.toContext, `receiver of ${what}`).not.toBeNull();
  }
  // Every port's holders were seen, none inferred nor unknown.
  expect(s.dropped['port-identity-unknown'] ?? 0).toBe(0);
  expect(s.dropped['port-identity-lost'] ?? 0).toBe(0);
  for (const p of s.ports) for (const h of p.holders) expect(h.contextId).not.toBeNull();
}

for (const name of ['chromium', 'firefox'] as BrowserName[]) {
  describe(`${name}: recording inside workers`, () => {
    let rec: Recorder;
    beforeAll(async () => {
      rec = await launchRecorder(name);
    });
    afterAll(() => rec?.close());

    const probe = async () => {
      const url = `${server.origin('127.0.0.1')}/workers/probe.html?${Math.random()}`;
      const page = await rec.open(url, 'scenarioDone');
      const seen = await page.evaluate(() => (window as any).seen as string);
      // Every frame and worker has reported (the relays pace their batches).
      const snap = await waitSettled(() => rec.snapshot(url), (x) => x !== null, 'the probe recorded');
      await page.close();
      return { seen: JSON.parse(seen), snap };
    };

    it('with the switch off changes nothing: the worker is seen from its page only', async () => {
      await rec.setRecordWorkers(false);
      const off = await probe();
      // The probe's own first message is the first the page got: no hello in its stream.
      expect(off.seen.order[0]).toEqual(['capture', 'probe']);
      const worker = off.snap!.contexts.find((c) => c.kind === 'worker');
      expect(worker?.url).toBe('');
      // Sent to the worker, never seen arriving: as before recording inside workers existed.
      expect(off.snap!.messages.filter((m) => m.via === 'worker' && m.sentAt !== null).every((m) => m.deliveredAt === null)).toBe(true);
    });

    it('a page and its worker observe the same with the switch on as off', async () => {
      await rec.setRecordWorkers(false);
      const off = await probe();
      await rec.setRecordWorkers(true);
      const on = await probe();
      await rec.setRecordWorkers(false);
      // Known, not of this feature: Firefox lists a native function's own keys name first, a
      // wrapper's length first (every wrapper, in frames too); the names and lengths match.
      if (name === 'firefox') for (const s of [on.seen, off.seen]) s.worker.postMessageShape.pop();
      expect(on.seen).toEqual(off.seen);
      // And the recording did go inside: the worker named itself, its deliveries were seen.
      const worker = on.snap!.contexts.find((c) => c.kind === 'worker' && c.url.endsWith('/workers/probe-worker.js'));
      expect(worker).toBeDefined();
      expect(on.snap!.messages.filter((m) => m.toContext === worker!.id && m.deliveredAt !== null).length).toBeGreaterThanOrEqual(2);
    });

    it('Comlink over a dedicated worker: every call, proxy and transfer observed on both sides', async () => {
      await rec.setRecordWorkers(true);
      const url = `${server.origin('127.0.0.1')}/workers/comlink.html`;
      const page = await rec.open(url, 'scenarioDone');
      expect(await page.evaluate(() => (window as any).results)).toEqual({ add: 5, callback: 42, size: 32, detached: true });
      // add, twice (+ the proxy's call and answer), size: each call and its answer.
      const snap = await waitFor(() => rec.snapshot(url), (s) => settled(s, 8), 'the Comlink calls recorded on both sides');
      await page.close();
      await rec.setRecordWorkers(false);
      const worker = snap!.contexts.find((c) => c.kind === 'worker' && c.url.endsWith('/workers/comlink-worker.mjs'))!;
      expect(worker).toBeDefined();
      expectAllObserved(snap!);
      // The proxy's port went to the worker and was used there: held by it, seen arriving.
      const proxied = snap!.ports.filter((p) => p.holders.some((h) => h.contextId === worker.id));
      expect(proxied.length).toBeGreaterThan(0);
      // The buffer was transferred to the worker, and its delivery there seen.
      const transfer = snap!.messages.find((m) => m.transfer.some((t) => t.kind === 'ArrayBuffer'));
      expect(transfer).toMatchObject({ toContext: worker.id, outcome: { status: 'delivered' } });
    });

    it('a worker hands one end of its channel to the page and the other to a worker it made', async () => {
      await rec.setRecordWorkers(true);
      const url = `${server.origin('127.0.0.1')}/workers/nested.html`;
      const page = await rec.open(url, 'scenarioDone');
      expect(await page.evaluate(() => (window as any).answer)).toBe('pong to ping from page');
      const snap = await waitFor(() => rec.snapshot(url), (s) => settled(s, 4), 'the nested workers recorded');
      await page.close();
      await rec.setRecordWorkers(false);
      const outer = snap!.contexts.find((c) => c.url.endsWith('/workers/nested-outer.js'))!;
      const inner = snap!.contexts.find((c) => c.url.endsWith('/workers/nested-inner.js'))!;
      expect(outer).toBeDefined();
      expect(inner).toBeDefined();
      expect(inner.parentId).toBe(outer.id);
      expectAllObserved(snap!);
      const ping = snap!.messages.find((m) => m.preview?.includes('ping from page'))!;
      const pong = snap!.messages.find((m) => m.preview?.includes('pong to'))!;
      expect(ping.toContext).toBe(inner.id);
      expect(pong.fromContext).toBe(inner.id);
      // The channel the outer worker made: one end ends with the page, the other with the inner worker.
      const ends = snap!.ports.filter((p) => p.holders[0]?.contextId === outer.id).map((p) => p.holders[p.holders.length - 1].contextId);
      expect(ends.sort()).toEqual([snap!.contexts.find((c) => c.kind === 'window' && c.url === url)!.id, inner.id].sort());
    });
  });
}

// Real libraries from npm that nothing else in this repository uses, recorded as a user would
// (the extension installed, recording, "Record inside workers" on), in real Chromium and
// Firefox ESR: birpc over a MessageChannel into a cross-origin frame and over a dedicated
// worker; workerpool's pool of two workers. The library must work as it does natively (its
// results), and the record must be true: every message joined with its own delivery in the
// context that got it, ports held where they went, no mismatch with the model, nothing unknown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePages } from '../support/pages-server';
import { waitSettled } from '../support/session';
import { launchRecorder, type BrowserName, type Recorder } from '../support/recorder';
import type { AggregateSnapshot, ContextRecord, MessageRecord } from '../../src/protocol/session';

const server = servePages();

const label = (m: MessageRecord) => `#${m.id} ${m.via} ${m.preview ?? ''} (${m.outcome.status})`;

/** Every message delivered, after its send, between two recorded contexts; nothing unknown. */
function expectTrue(s: AggregateSnapshot) {
  for (const m of s.messages) {
    expect(m.outcome.status, label(m)).toBe('delivered');
    // A window message is seen where it is delivered only (docs/engine-differences.md): its sender from event.source.
    if (m.via !== 'window') {
      expect(m.sentAt, label(m)).not.toBeNull();
      expect(m.waitMs, label(m)).toBeGreaterThanOrEqual(0);
      // Two contexts stamp on two clocks, each rounded (Firefox: to 1 ms).
      expect(m.deliveredAt! >= m.sentAt! - 2, `${label(m)}: delivered at ${m.deliveredAt}, before it was sent at ${m.sentAt}`).toBe(true);
    }
    expect(m.fromContext, label(m)).not.toBeNull();
    expect(m.toContext, label(m)).not.toBeNull();
    expect(m.toContext, `${label(m)}: delivered where it was sent from`).not.toBe(m.fromContext);
  }
  expect(s.mismatches, 'the model agrees with the browser').toEqual([]);
  expect(s.dropped['port-identity-unknown'] ?? 0).toBe(0);
  expect(s.dropped['port-identity-lost'] ?? 0).toBe(0);
  for (const p of s.ports) {
    expect(p.identity ?? null, `port #${p.id}`).toBeNull();
    for (const h of p.holders) expect(h.contextId, `a holder of port #${p.id}`).not.toBeNull();
  }
  expect(s.findings.filter((f) => f.severity === 'error').map((f) => f.message)).toEqual([]);
}

const directions = (ms: MessageRecord[]) => ms.map((m) => ({ from: m.fromContext, to: m.toContext }));

for (const name of ['chromium', 'firefox'] as BrowserName[]) {
  describe(`${name}: real libraries from npm`, () => {
    let rec: Recorder;
    beforeAll(async () => {
      rec = await launchRecorder(name);
      await rec.setRecordWorkers(true);
    });
    afterAll(() => rec?.close());

    it('birpc across a cross-origin frame and a worker: every call and answer joined where it went', async () => {
      const url = `${server.origin('127.0.0.1')}/libraries/birpc.html`;
      const page = await rec.open(url, 'scenarioDone');
      expect(await page.evaluate(() => (window as any).results)).toEqual({
        add: 5,
        echo: { deep: [1, { two: 2 }], text: 'échange' },
        callsBack: 'hello child, from the page',
        error: 'failed on purpose',
        workerSquare: 144,
        workerCallsBack: 'hello worker, from the page',
        heard: ['child', 'worker'],
      });
      // add, echo, callBack (and the page's hello inside it), fail: a request and an answer each;
      // the same for square, callBack and hello with the worker; and the window message with the port.
      const snap = (await waitSettled(() => rec.snapshot(url), (s) => (s?.messages.length ?? 0) >= 17 && s!.messages.every((m) => m.outcome.status !== 'sent'), 'birpc recorded'))!;
      await page.close();
      const top = snap.contexts.find((c) => c.kind === 'window' && c.url === url)!;
      const child = snap.contexts.find((c) => c.kind === 'window' && c.url.endsWith('/libraries/birpc-child.html'))!;
      const worker = snap.contexts.find((c) => c.kind === 'worker' && c.url.endsWith('/libraries/birpc-worker.mjs')) as ContextRecord;
      expect([top, child, worker].every(Boolean), 'the page, its frame and the worker').toBe(true);
      expect(worker.inside).toEqual({ recorded: true });
      expectTrue(snap);
      const port = snap.messages.filter((m) => m.via === 'port');
      const toWorker = snap.messages.filter((m) => m.via === 'worker');
      const windowMsgs = snap.messages.filter((m) => m.via === 'window');
      expect(port).toHaveLength(10);
      expect(toWorker).toHaveLength(6);
      expect(windowMsgs).toHaveLength(1);
      // The port went to the frame in the window message: one end held by the page, the other by the frame.
      expect(windowMsgs[0]).toMatchObject({ fromContext: top.id, toContext: child.id });
      const ends = snap.ports.map((p) => p.holders[p.holders.length - 1].contextId).sort();
      expect(ends).toEqual([top.id, child.id].sort());
      // Each message between the page and the frame, or the page and the worker, in both directions.
      for (const m of directions(port)) expect([[top.id, child.id], [child.id, top.id]]).toContainEqual([m.from, m.to]);
      for (const m of directions(toWorker)) expect([[top.id, worker.id], [worker.id, top.id]]).toContainEqual([m.from, m.to]);
      // What the frame got is what the page sent: the echo's payload, both ways, in one record each.
      expect(port.filter((m) => (m.preview ?? '').includes('échange'))).toHaveLength(2);
    });

    it('workerpool: tasks over two workers, each message observed on both sides', async () => {
      const url = `${server.origin('127.0.0.1')}/libraries/workerpool.html`;
      const page = await rec.open(url, 'scenarioDone');
      expect(await page.evaluate(() => (window as any).results)).toEqual({
        fib: [55, 610, 6765, 144],
        dynamic: 42,
        error: 'boom in the worker',
        stats: { workers: 2 },
      });
      const snap = (await waitSettled(() => rec.snapshot(url), (s) => (s?.messages.length ?? 0) >= 14 && s!.messages.every((m) => m.outcome.status !== 'sent'), 'workerpool recorded'))!;
      await page.close();
      const top = snap.contexts.find((c) => c.kind === 'window' && c.url === url)!;
      const workers = snap.contexts.filter((c) => c.kind === 'worker');
      expect(workers).toHaveLength(2);
      for (const w of workers) {
        expect(w.url.endsWith('/libraries/workerpool-worker.js'), w.url).toBe(true);
        expect(w.inside).toEqual({ recorded: true });
        expect(w.parentId).toBe(top.id);
      }
      expectTrue(snap);
      // Six tasks, each a request and its answer; each worker says "ready" first.
      const sent = snap.messages.filter((m) => m.fromContext === top.id);
      const answered = snap.messages.filter((m) => m.toContext === top.id);
      expect(sent).toHaveLength(6);
      expect(answered).toHaveLength(6 + 2);
      expect(snap.messages.every((m) => m.via === 'worker')).toBe(true);
    });

    it('Postmate: the handshake and calls between a page and its cross-origin frame, each window message where it went', async () => {
      const url = `${server.origin('127.0.0.1')}/libraries/postmate.html`;
      const page = await rec.open(url, 'scenarioDone');
      expect(await page.evaluate(() => (window as any).results)).toEqual({ height: 42, greeting: 'hello the parent', event: 'painted blue' });
      const snap = (await waitSettled(() => rec.snapshot(url), (s) => (s?.messages.length ?? 0) >= 7, 'postmate recorded'))!;
      await page.close();
      const top = snap.contexts.find((c) => c.kind === 'window' && c.url === url)!;
      const child = snap.contexts.find((c) => c.kind === 'window' && c.url.endsWith('/libraries/postmate-child.html'))!;
      expect([top, child].every(Boolean), 'the page and its frame').toBe(true);
      expectTrue(snap);
      expect(snap.messages.every((m) => m.via === 'window')).toBe(true);
      for (const m of directions(snap.messages)) expect([[top.id, child.id], [child.id, top.id]]).toContainEqual([m.from, m.to]);
      // Every message Postmate sends names its target's origin, and the receiver checks event.origin.
      for (const m of snap.messages) expect(m.origin, `#${m.id}`).toBe(m.fromContext === top.id ? server.origin('127.0.0.1') : server.origin('localhost'));
      // At least: handshake, its reply, two gets and their answers, the call and its event.
      expect(snap.messages.filter((m) => m.fromContext === top.id).length).toBeGreaterThanOrEqual(4);
      expect(snap.messages.filter((m) => m.fromContext === child.id).length).toBeGreaterThanOrEqual(4);
    });

    it('promise-worker: calls to a dedicated worker, and to a service worker answering on a port each', async () => {
      const url = `${server.origin('127.0.0.1')}/libraries/promise-worker.html`;
      const page = await rec.open(url, 'scenarioDone');
      expect(await page.evaluate(() => (window as any).results)).toEqual({ square: 81, both: [4, 9], error: 'boom in the worker', swSquare: 25, swError: 'boom in the service worker' });
      const snap = (await waitSettled(() => rec.snapshot(url), (s) => (s?.messages.length ?? 0) >= 12, 'promise-worker recorded'))!;
      await page.close();
      const top = snap.contexts.find((c) => c.kind === 'window' && c.url === url)!;
      const worker = snap.contexts.find((c) => c.kind === 'worker' && c.url.endsWith('/libraries/promise-worker-worker.js'))!;
      const sw = snap.contexts.find((c) => c.kind === 'serviceworker' && c.url.endsWith('/libraries/promise-worker-sw.js'))!;
      expect([top, worker, sw].every(Boolean), 'the page, its worker and its service worker').toBe(true);
      expect(worker.inside).toEqual({ recorded: true });
      expect(sw.inside).toMatchObject({ recorded: false, why: 'not-dedicated' });
      // The dedicated worker: four requests and four answers, each joined on both sides.
      const withWorker = snap.messages.filter((m) => m.via === 'worker' && (m.toContext === worker.id || m.fromContext === worker.id));
      expect(withWorker).toHaveLength(8);
      for (const m of withWorker) {
        expect(m.outcome.status, `#${m.id}`).toBe('delivered');
        expect(m.sentAt, `#${m.id}`).not.toBeNull();
      }
      // The service worker is seen from outside: each request is sent to it, with a port, and stays
      // sent (its delivery cannot be seen); each answer comes back on that port, delivered in the page.
      const toSw = snap.messages.filter((m) => m.toContext === sw.id);
      expect(toSw).toHaveLength(2);
      for (const m of toSw) {
        expect(m).toMatchObject({ via: 'worker', fromContext: top.id, outcome: { status: 'sent' } });
        expect(m.transfer.map((t) => t.kind)).toEqual(['MessagePort']);
      }
      const answers = snap.messages.filter((m) => m.via === 'port');
      expect(answers).toHaveLength(2);
      for (const a of answers) {
        expect(a).toMatchObject({ toContext: top.id, outcome: { status: 'delivered' } });
        // The port it came on is the one the request carried: its other end went to the service worker.
        const req = toSw.find((m) => m.transfer[0].id !== null && snap.ports.find((p) => p.id === m.transfer[0].id)?.entangledWith === a.toPort);
        expect(req, `the request of answer #${a.id}`).toBeDefined();
      }
      expect(snap.mismatches).toEqual([]);
    });
  });
}

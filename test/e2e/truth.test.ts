// A record is true or says "unknown" (issue #20): real libraries, real browsers, and the
// trace checked against what the page really did.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePages } from '../support/pages-server';
import { waitFor } from '../support/session';
import { launchRecorder, type BrowserName, type Recorder } from '../support/recorder';
import type { AggregateSnapshot, MessageRecord } from '../../src/protocol/session';

const server = servePages();

/** The session once the page's flag is set and two reads in a row agree (the relays flushed). */
async function settled(rec: Recorder, url: string, ready: (s: AggregateSnapshot) => boolean): Promise<AggregateSnapshot> {
  let last = '';
  const s = await waitFor(
    () => rec.snapshot(url),
    (s) => {
      if (!s || !ready(s)) return false;
      const now = JSON.stringify([s.messages.length, s.ports.length, s.ports.map((p) => p.holders.length), s.messages.map((m) => m.outcome.status)]);
      const same = now === last;
      last = now;
      return same;
    },
    'the session settled',
  );
  return s as AggregateSnapshot;
}

/** No record joins a delivery with a send it came before. */
function expectNoDeliveryBeforeSend(messages: MessageRecord[]): void {
  const early = messages.filter((m) => m.sentAt !== null && m.deliveredAt !== null && m.deliveredAt < m.sentAt);
  expect(early).toEqual([]);
}

for (const name of ['chromium', 'firefox'] as BrowserName[]) {
  describe(`${name}: every record true`, () => {
    let rec: Recorder;
    beforeAll(async () => {
      rec = await launchRecorder(name);
    });
    afterAll(() => rec?.close());

    it('Comlink with a dedicated worker: the port the worker made is not the proxy(cb) port', async () => {
      const url = `${server.origin('127.0.0.1')}/truth/comlink.html`;
      const page = await rec.open(url, 'scenarioDone');
      expect(await page.evaluate(() => [(window as any).counterValue, (window as any).callbackSeen])).toEqual([2, [1, 2]]);
      const s = await settled(rec, url, (x) => x.contexts.some((c) => c.kind === 'worker') && x.messages.some((m) => m.via === 'worker' && (m.preview ?? '').includes('pong')));
      const top = s.contexts.find((c) => c.kind === 'window' && c.url === url)!;
      const worker = s.contexts.find((c) => c.kind === 'worker' && c.parentId === top.id)!;
      expect(worker).toBeTruthy();
      // No port goes page → worker → page here: what comes back from the worker it made itself.
      const seq = (p: (typeof s.ports)[0]) => p.holders.map((h) => (h.contextId === top.id ? 'page' : h.contextId === worker.id ? 'worker' : String(h.contextId)));
      const back = s.ports.filter((p) => seq(p)[0] === 'page' && seq(p).join(',').includes('worker,page'));
      expect(back.map(seq)).toEqual([]);
      // The proxy(cb) port: made in the page, held by the worker since.
      const sentToWorker = s.ports.filter((p) => p.createdIn === top.id && seq(p).join(',') === 'page,worker');
      expect(sentToWorker).toHaveLength(1);
      // The counter's port: a record of its own, from the worker to the page. The worker still
      // held the proxy(cb) port, so which port it is cannot be seen: unknown, with that candidate.
      const madeThere = s.ports.filter((p) => seq(p).join(',') === 'worker,page');
      expect(madeThere).toHaveLength(1);
      expect(madeThere[0]).toMatchObject({ createdIn: null, entangledWith: null, identity: { status: 'unknown', candidates: [sentToWorker[0].id] } });
      const onCounter = s.messages.filter((m) => m.via === 'port' && m.toPort === madeThere[0].id && m.toContext === top.id);
      // inc, inc, value and the release are answered on it.
      expect(onCounter.length).toBeGreaterThanOrEqual(4);
      expectNoDeliveryBeforeSend(s.messages);
      // Every port message here crosses between page and worker: none is delivered where it was sent.
      const inPlace = s.messages.filter((m) => m.via === 'port' && m.fromContext !== null && m.fromContext === m.toContext);
      expect(inPlace).toEqual([]);
      // The page's answers to the worker's callback calls go to the worker.
      const answers = s.messages.filter((m) => m.via === 'port' && m.fromContext === top.id && m.fromPort !== null && m.fromPort === sentToWorker[0].entangledWith);
      expect(answers.length).toBe(2);
      for (const m of answers) expect(m.toContext).toBe(worker.id);
      await page.close();
    });

    it('ports set up before recording began: started ports are not shown as "not started"', async () => {
      const url = `${server.origin('127.0.0.1')}/truth/before.html`;
      await rec.setRecordAll(false);
      const page = await rec.open(url, 'setupDone');
      await rec.setRecordAll(true);
      // The page reports its ports when it is told recording began.
      await waitFor(() => rec.snapshot(url), (s) => (s?.ports.length ?? 0) >= 3, 'the ports known');
      await page.evaluate(() => (window as any).later());
      const s = await settled(rec, url, (x) => x.messages.filter((m) => m.via === 'port').length >= 3);
      expect(await page.evaluate(() => (window as any).got)).toEqual(['2:early', '1:re early', '2:later', '1:re later']);
      const top = s.contexts.find((c) => c.url === url)!;
      const byId = new Map(s.ports.map((p) => [p.id, p]));
      const later = s.messages.find((m) => m.via === 'port' && m.preview?.includes('later') && !m.preview.includes('re'))!;
      const reply = s.messages.find((m) => m.via === 'port' && m.preview?.includes('re later'))!;
      expect(later).toMatchObject({ fromContext: top.id, toContext: top.id, outcome: { status: 'delivered' } });
      expect(reply).toMatchObject({ outcome: { status: 'delivered' } });
      // Both ports of the used channel: started (as the page reported), one channel.
      const used = [byId.get(later.fromPort!)!, byId.get(later.toPort!)!];
      for (const p of used) expect(p).toMatchObject({ started: true, stateKnown: 'reported' });
      expect(used[0].entangledWith).toBe(used[1].id);
      // The idle channel's listened port was really never started: that stays a fact, and is found.
      const stuck = s.messages.find((m) => m.via === 'port' && m.fromPort !== null && m.deliveredAt === null && m.sentAt !== null && !used.some((p) => p.id === m.fromPort))!;
      expect(stuck).toBeTruthy();
      expect(byId.get(stuck.toPort!)).toMatchObject({ started: false, stateKnown: 'reported', listeners: 1 });
      // No port reads "not started" as fact unless the page said so.
      for (const p of s.ports) if (!p.started) expect(p.stateKnown).not.toBe('observed');
      await page.close();
    });

    it('@remote-ui/rpc: the port handed to a frame is identified by later evidence, and port-never-started is found', async () => {
      const url = `${server.origin('127.0.0.1')}/truth/remote-ui.html`;
      const page = await rec.open(url, 'scenarioDone');
      const s = await settled(rec, url, (x) => x.contexts.length >= 2 && x.findings.some((f) => f.rule === 'port-never-started'));
      const top = s.contexts.find((c) => c.url === url)!;
      const child = s.contexts.find((c) => c.url.includes('remote-ui-child'))!;
      // The page's call on port1 waits at the frame's port: it is port2, moved to the frame.
      const call = s.messages.find((m) => m.via === 'port' && m.fromContext === top.id && m.sentAt !== null)!;
      const [p1, p2] = [s.ports.find((p) => p.id === call.fromPort)!, s.ports.find((p) => p.id === call.toPort)!];
      expect(p1.entangledWith).toBe(p2.id);
      expect(p1.holders.map((h) => h.contextId)).toEqual([top.id]);
      expect(p2.holders.map((h) => h.contextId)).toEqual([top.id, child.id]);
      expect(p2).toMatchObject({ started: false, listeners: 1 });
      expect(call.deliveredAt).toBeNull();
      const finding = s.findings.find((f) => f.rule === 'port-never-started')!;
      expect(finding.portIds).toContain(p2.id);
      // No port of unknown identity is left, and no guess was counted as given up.
      expect(s.ports.filter((p) => p.identity)).toEqual([]);
      expect(s.dropped['port-identity-unknown'] ?? 0).toBe(0);
      await page.close();
    });
  });
}

// Setting a port's onmessage to anything, null included, starts it (HTML Standard, "the first
// time onmessage is set"; both engines): the session must say such a message was sent and
// delivered, and an unstarted port's message queued — not the other way round.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePages } from '../support/pages-server';
import { waitFor } from '../support/session';
import { launchRecorder, type BrowserName, type Recorder } from '../support/recorder';

const server = servePages();

for (const name of ['chromium', 'firefox'] as BrowserName[]) {
  describe(`${name}: a handler set to any value starts its port`, () => {
    let rec: Recorder;
    beforeAll(async () => {
      rec = await launchRecorder(name);
    });
    afterAll(() => rec?.close());

    it('records the outcome the browser had', async () => {
      const url = `${server.origin('127.0.0.1')}/handlers/index.html`;
      const page = await rec.open(url, 'scenarioDone');
      const received = await page.evaluate(() => (window as any).received);
      expect(received).toEqual(['null:null', 'undefined:undefined', 'number:number', 'function then null:function then null']);
      const snap = await waitFor(() => rec.snapshot(url), (s) => (s?.messages ?? []).filter((m) => m.via === 'port').length === 5, 'the five port messages');
      // In the page's order (a message never delivered has no sample: its preview is empty).
      const ports = snap!.messages.filter((m) => m.via === 'port').sort((a, b) => a.id - b.id);
      expect(ports.map((m) => m.outcome.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered', 'queued']);
      expect(ports.slice(0, 4).map((m) => m.preview)).toEqual(['"null"', '"undefined"', '"number"', '"function then null"']);
      // Each receiving port is shown started (the Topology and port-never-started read this).
      const receivers = ports.map((m) => snap!.ports.find((p) => p.id === m.toPort));
      expect(receivers.map((p) => p?.started)).toEqual([true, true, true, true, false]);
      expect(snap!.mismatches, 'the model agrees with the browser').toEqual([]);
      await page.close();
    });
  });
}

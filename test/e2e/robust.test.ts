// Huge, cyclic and hostile payloads, and a page that replaces, breaks and freezes the
// built-ins after load: the page behaves as it would natively (window.observed), and the
// recording in the background stays whole and right, in Chromium and Firefox ESR.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePages } from '../support/pages-server';
import { waitFor } from '../support/session';
import { launchRecorder, type BrowserName, type Recorder } from '../support/recorder';
import type { AggregateSnapshot } from '../../src/protocol/session';

const server = servePages();

const afterPatches = (s: AggregateSnapshot | null) => (s ? s.messages.filter((m) => m.preview?.includes('after-patches')) : []);
const withToJSON = (s: AggregateSnapshot | null) => (s ? s.messages.filter((m) => m.preview?.includes('with-toJSON') && m.outcome.status === 'delivered') : []);

for (const name of ['chromium', 'firefox'] as BrowserName[]) {
  describe(`${name}: robustness`, () => {
    let rec: Recorder;
    beforeAll(async () => {
      rec = await launchRecorder(name);
    });
    afterAll(() => rec?.close());

    it('records huge, cyclic and hostile payloads, and keeps recording after the page breaks its built-ins', async () => {
      const url = `${server.origin('127.0.0.1')}/robust/index.html`;
      // No polling in the page while its built-ins are broken (a harness's polling would use
      // them): wait on the background, then read what the page observed.
      const page = await rec.open(url);
      const snap = (await waitFor(() => rec.snapshot(url), (s) => afterPatches(s).filter((m) => m.outcome.status === 'delivered').length === 2001 && withToJSON(s).length === 500, 'every message after the patches recorded', 60_000))!;
      const observed = (await waitFor(() => page.evaluate(() => ((window as any).scenarioDone ? (window as any).observed : null)), (o) => o !== null, 'the page finished'))!;
      // What the page saw is what it sees natively.
      expect(observed).toEqual({ big: 100 * 1024 * 1024, 'huge-string': 16 * 1024 * 1024, cycle: true, 'getter-reads': 1, proxy: 'DataCloneError', 'after-patches': 2001, 'moved-left': 0, 'with-toJSON': 500 });
      // The 500 sent while the page had toJSON getters on Object.prototype and Array.prototype
      // were all recorded (above), and the getters were never read (observed has no such key).

      const find = (text: string) => snap.messages.find((m) => m.preview?.includes(text))!;
      expect(find('"big"')).toMatchObject({ outcome: { status: 'delivered' }, bufferBytes: 100 * 1024 * 1024 });
      expect(find('huge-string').preview!.length, 'a preview stays short whatever the payload').toBeLessThanOrEqual(200);
      expect(find('"cycle"').preview).toContain('[Circular]');
      expect(find('"getter"').preview).toContain('value: 42');
      const proxy = snap.messages.find((m) => m.outcome.status === 'error' && m.outcome.reason?.startsWith('DataCloneError'));
      expect(proxy, 'the Proxy send, with its exception').toBeDefined();
      const last = afterPatches(snap).find((m) => m.transfer.length === 1)!;
      expect(last.transfer).toEqual([{ kind: 'ArrayBuffer', id: null, bytes: 4096 }]);
      // Nothing dropped: every budget held.
      expect(snap.dropped).toEqual({});
      await page.close();
    });
  });
}

// Comlink, Penpal, post-robot-format and JSON-RPC traffic between a page and a cross-origin
// iframe, recorded in real Chromium and Firefox ESR: the background's records carry the
// decoded calls, paired with their replies, with latencies.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { servePages } from '../support/pages-server';
import { waitSettled } from '../support/session';
import { decodersComplete, decodersPath, expectDecoded } from '../support/decoders';
import { launchRecorder, type BrowserName, type Recorder } from '../support/recorder';

const server = servePages();

for (const name of ['chromium', 'firefox'] as BrowserName[]) {
  describe(`${name}: protocol decoders`, () => {
    let rec: Recorder;
    beforeAll(async () => {
      rec = await launchRecorder(name);
    });
    afterAll(() => rec?.close());

    it('decodes and pairs the calls of real Comlink and Penpal, and of post-robot and JSON-RPC messages', async () => {
      const url = `${server.origin('127.0.0.1')}${decodersPath}`;
      const page = await rec.open(url, 'decodersDone');
      const snap = await waitSettled(() => rec.snapshot(url), (s) => decodersComplete(s?.messages), 'the decoder page recorded');
      expectDecoded(snap?.messages ?? []);
      await page.close();
    });
  });
}

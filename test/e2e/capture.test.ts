// Each kind of channel operation a page does arrives in the background, with the right
// frames and ports, in real Chromium and real Firefox ESR.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { servePages } from '../support/pages-server';
import { waitFor } from '../support/session';
import { captureComplete, capturePath, expectCapture } from '../support/capture';
import { launchRecorder, type BrowserName, type Recorder } from '../support/recorder';

const server = servePages();

for (const name of ['chromium', 'firefox'] as BrowserName[]) {
  describe(`${name}: every captured kind`, () => {
    let rec: Recorder;
    beforeAll(async () => {
      rec = await launchRecorder(name);
    });
    afterAll(() => rec?.close());

    it('reaches the background with its frames and ports', async () => {
      const url = `${server.origin('127.0.0.1')}${capturePath}`;
      const page = await rec.open(url, 'scenarioDone');
      const snap = await waitFor(() => rec.snapshot(url), captureComplete, 'the capture page recorded');
      expectCapture(snap, server.origin('127.0.0.1'), server.origin('localhost'));
      await page.close();
    });
  });
}

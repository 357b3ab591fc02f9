// End to end in both browsers: the demo page on 127.0.0.1 with a cross-origin child
// (localhost) talks over a MessageChannel; the background's session holds both
// documents, the port that moved between them, and every message matched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePages } from '../support/pages-server';
import { waitFor } from '../support/session';
import { demoComplete, demoPath, expectDemoSession } from '../support/demo';
import { launchRecorder, type BrowserName, type Recorder } from '../support/recorder';

const server = servePages();

for (const name of ['chromium', 'firefox'] as BrowserName[]) {
  describe(`${name}: page traffic reaches the background`, () => {
    let rec: Recorder;
    beforeAll(async () => {
      rec = await launchRecorder(name);
    });
    afterAll(() => rec?.close());

    it('records both frames of a cross-origin page, with the port that moved between them', async () => {
      const url = `${server.origin('127.0.0.1')}${demoPath}`;
      const page = await rec.open(url);
      // The page itself works as without the extension: both replies arrive.
      await waitFor(() => page.evaluate(() => (window as any).demoReceived), (n) => n === 2, 'both replies in the page');
      const snap = await waitFor(() => rec.snapshot(url), demoComplete, 'both pongs delivered');
      expectDemoSession(snap, server.origin('127.0.0.1'), server.origin('localhost'));
      // The browser's frame id of the top document reaches the background.
      expect(snap!.contexts.find((c) => c.top && c.endedAt === null && !c.url.startsWith('about:'))?.frameId).toBe(0);
      await page.close();
    });
  });
}

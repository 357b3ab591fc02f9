// A page opens a cross-origin popup and hands it a port, in real Chromium and Firefox ESR: the
// popup's tab is recorded into its opener's session, linked to the window that opened it, and
// the port and the messages are followed from one window into the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePages } from '../support/pages-server';
import { waitFor } from '../support/session';
import { launchRecorder, type BrowserName, type Recorder } from '../support/recorder';
import type { AggregateSnapshot } from '../../src/protocol/session';

const server = servePages();

const POPUP_PATH = '/popup/popup.html';

/** Both sides are in: the popup's bye, and the pong paired with its send. */
function complete(s: AggregateSnapshot | null): boolean {
  const m = s?.messages ?? [];
  return m.some((x) => x.preview === '"bye"') && m.some((x) => x.preview === '"pong"' && x.sentAt !== null && x.deliveredAt !== null);
}

for (const name of ['chromium', 'firefox'] as BrowserName[]) {
  describe(`${name}: popups`, () => {
    let rec: Recorder;
    beforeAll(async () => {
      rec = await launchRecorder(name);
    });
    afterAll(() => rec?.close());

    it('records the popup with its opener and follows the port into it', async () => {
      const url = `${server.origin('127.0.0.1')}/popup/index.html`;
      const page = await rec.open(url, 'popupDone');
      const snap = (await waitFor(() => rec.snapshot(url), complete, 'the popup recorded in the opener session')) as AggregateSnapshot;
      const opener = snap.contexts.find((c) => c.url === url)!;
      const popup = snap.contexts.find((c) => c.url.endsWith(POPUP_PATH))!;
      expect(popup, 'the popup is a context of the opener session').toBeDefined();
      expect(popup).toMatchObject({ top: true, parentId: null, openerId: opener.id, origin: server.origin('localhost') });

      // The port went from the opener into the popup, carried by the window message.
      const handover = snap.messages.find((m) => m.preview === '{kind: "port"}')!;
      expect(handover).toMatchObject({ via: 'window', fromContext: opener.id, toContext: popup.id });
      const port = snap.ports.find((p) => p.id === handover.transfer[0]?.id)!;
      expect(port.holders.map((h) => h.contextId)).toEqual([opener.id, popup.id]);
      expect(snap.dropped['port-identity-unknown']).toBeUndefined();

      // Each port message is one record from its send in one window to its delivery in the other.
      const ping = snap.messages.find((m) => m.preview === '"ping"')!;
      const pong = snap.messages.find((m) => m.preview === '"pong"')!;
      expect(ping).toMatchObject({ via: 'port', fromContext: opener.id, toContext: popup.id, toPort: port.id, outcome: { status: 'delivered' } });
      expect(pong).toMatchObject({ via: 'port', fromContext: popup.id, toContext: opener.id, fromPort: port.id, outcome: { status: 'delivered' } });
      // The popup's window messages name it as their sender.
      for (const preview of ['"ready"', '"bye"']) expect(snap.messages.find((m) => m.preview === preview), preview).toMatchObject({ fromContext: popup.id, toContext: opener.id });

      // Closing the popup ends its document in the session; the opener goes on.
      await page.evaluate(() => (window as unknown as { closePopup(): void }).closePopup());
      const after = (await waitFor(() => rec.snapshot(url), (s) => s?.contexts.find((c) => c.id === popup.id)?.endedAt != null, 'the closed popup ended')) as AggregateSnapshot;
      expect(after.contexts.find((c) => c.id === opener.id)?.endedAt).toBeNull();
      await page.close();
    });
  });
}

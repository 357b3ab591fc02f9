// A popup in the real Channels panel (headless Chromium DevTools): a panel open on a page
// records the popup the page opens as well; the Topology shows it as a popup, opened by the
// page, holding the port the page handed it, and the link selects the opener.
// Screenshot: test-results/panel-popup-topology.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePages } from '../support/pages-server';
import { openDevTools, type DevToolsSession } from '../support/devtools';
import { poll, readCounts, showView } from '../support/panel-reads';

const server = servePages();

describe('a popup in the Channels panel', () => {
  let dt: DevToolsSession;
  let url: string;
  beforeAll(async () => {
    url = `${server.origin('127.0.0.1')}/popup/index.html?click`;
    dt = await openDevTools(url);
  });
  afterAll(async () => {
    await dt?.close();
  });

  it("records the page's popup with it, and shows who opened it and the port it holds", async () => {
    await dt.reloadPage();
    // Opened by a click, as a user would (a popup needs one); only this tab has a panel.
    await poll(() => dt.pageAct<boolean>('(window.openPopup(), true)'), (v) => v, 'the popup to open');
    await poll(() => dt.pageEval<boolean | undefined>('window.popupDone'), (v) => v === true, 'the popup to say bye');
    const snap = (await poll(
      () => dt.backgroundSnapshot(),
      (s) => !!s?.messages.some((m) => m.preview === '"pong"' && m.sentAt !== null && m.deliveredAt !== null),
      'the pong recorded from both windows',
    ))!;
    // The page as reloaded (the document before the reload is in the session too, ended).
    const opener = snap.contexts.find((c) => c.url === url && c.endedAt === null)!;
    const popup = snap.contexts.find((c) => c.url.endsWith('/popup/popup.html'))!;
    expect(popup.openerId).toBe(opener.id);
    await poll(() => readCounts(dt), (c) => c.messages === snap.messages.length, 'the panel to show every message');

    await showView(dt, 'topology');
    const box = await poll(
      () =>
        dt.panelEval<{ kind: string; opener: string; openerId: string; ports: number } | null>(`(() => {
          const box = document.querySelector('[data-context-id="${popup.id}"]');
          const link = box?.querySelector('.ctx-opener');
          return link ? { kind: box.querySelector('.ctx-kind').textContent, opener: link.textContent, openerId: link.dataset.openerId, ports: box.querySelectorAll(':scope > .ports > .port-chip').length } : null;
        })()`),
      (v) => v !== null,
      'the popup in the Topology',
    );
    expect(box).toEqual({ kind: 'popup', opener: `opened by ${new URL(opener.url).host}/popup/index.html`, openerId: String(opener.id), ports: 1 });
    await dt.screenshot('panel-popup-topology.png');

    // The link selects the window that opened it.
    const selected = await poll(
      () => dt.panelEval<string | null>(`(document.querySelector('[data-context-id="${popup.id}"] .ctx-opener').click(), document.querySelector('.ctx-box.selected')?.dataset.contextId ?? null)`),
      (v) => v === String(opener.id),
      'the opener selected',
    );
    expect(selected).toBe(String(opener.id));
  });
});

// Debugging from the Channels panel in the real DevTools of headless Chromium (issue #24).
// Recording starts when DevTools opens: DevTools is opened on a page and the page exchanges
// its messages before anyone clicks the Channels tab; the first click shows every one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePages } from '../support/pages-server';
import { openDevTools, type DevToolsSession } from '../support/devtools';
import { poll, readCounts, showView } from '../support/panel-reads';

const server = servePages();

describe('recording from the moment DevTools opens', () => {
  let dt: DevToolsSession;
  beforeAll(async () => {
    dt = await openDevTools(`${server.origin('127.0.0.1')}/relay3/index.html`, { panel: false });
  });
  afterAll(async () => {
    await dt?.close();
  });

  it('shows every message exchanged before the Channels tab was first clicked', async () => {
    // DevTools is open (its DevTools page announced the tab) on its default view.
    await poll(() => dt.backgroundSnapshot(), (s) => s !== null, 'the DevTools page to announce the tab');
    // The page runs its exchange afresh while DevTools shows another panel.
    await dt.reloadPage();
    await poll(() => dt.pageEval<boolean | undefined>('window.scenarioDone'), (v) => v === true, 'the three-origin relay to finish');
    // c-ready, b-ready, the port A→B and B→C, three asks and three answers.
    const snap = (await poll(() => dt.backgroundSnapshot(), (s) => (s?.messages.length ?? 0) >= 10, 'the exchange recorded'))!;
    expect(snap.messages).toHaveLength(10);
    await dt.showPanel();
    const counts = await poll(() => readCounts(dt), (c) => c.messages === 10, 'the panel to show the ten messages');
    expect(counts.contexts).toBe(3);
    await showView(dt, 'messages');
    const rows = await poll(() => dt.panelEval<string[]>(`[...document.querySelectorAll('[data-message-id]')].map((r) => r.textContent)`), (r) => r.length === 10, 'ten rows');
    expect(rows.filter((r) => r.includes('ask'))).toHaveLength(3);
    await dt.screenshot('devtools-recorded-before-panel.png');
  });
});

// Each view of the Channels panel in French and Korean, in Chromium's real DevTools, on the demo
// page: no label of the panel's own (view tabs, buttons, column headers, field names, headings)
// is cut off by its box, and each view is screenshotted to docs/screenshots/ to be looked at.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePages } from '../support/pages-server';
import { openDevTools, type DevToolsSession } from '../support/devtools';
import { poll, readCounts, showView } from '../support/panel-reads';

const server = servePages();
const SHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

/**
 * The panel's own labels whose text overflows its box (scrollWidth beyond clientWidth) where the
 * box hides the overflow: cut off for the reader. Data cells (URLs, previews) may be cut by design.
 */
const CLIPPED = `(() => {
  const labels = document.querySelectorAll('[data-view], button, label, th, .grid-head > *, dt, h2, h3 > span, .legend, .legend *, .tab, [role=tab]');
  const cut = [];
  const name = (e) => e.tagName.toLowerCase() + '.' + e.className + ': ' + (e.textContent.trim() || e.selectedOptions?.[0]?.textContent || '').slice(0, 60);
  for (const e of labels) {
    if (!e.offsetParent || !e.textContent.trim()) continue;
    const s = getComputedStyle(e);
    const hides = s.overflowX !== 'visible' || s.textOverflow === 'ellipsis' || s.whiteSpace === 'nowrap';
    if (hides && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)) cut.push(name(e));
  }
  // A select shows its chosen option in its box, arrow included: its text must fit.
  const ctx = document.createElement('canvas').getContext('2d');
  for (const e of document.querySelectorAll('select')) {
    if (!e.offsetParent) continue;
    ctx.font = getComputedStyle(e).font;
    if (ctx.measureText(e.selectedOptions[0]?.textContent ?? '').width + 20 > e.clientWidth) cut.push(name(e));
  }
  // Items of a bar that hides its overflow must end inside it.
  for (const bar of document.querySelectorAll('.toolbar, .filter-bar, .tabs[role=tablist]')) {
    const right = bar.getBoundingClientRect().right;
    for (const e of bar.children) if (e.offsetParent && e.getBoundingClientRect().right > right + 1) cut.push(name(e));
  }
  return cut;
})()`;

for (const lang of ['fr', 'ko']) {
  describe(`each view in ${lang} (chromium)`, () => {
    let dt: DevToolsSession;
    beforeAll(async () => {
      dt = await openDevTools(`${server.origin('127.0.0.1')}/demo/index.html`, { lang });
      await dt.reloadPage();
      await poll(() => dt.pageEval<number | undefined>('window.demoReceived'), (n) => n === 2, 'the demo to finish');
      await poll(() => readCounts(dt), (c) => c.messages >= 6, 'the demo in the panel');
    });
    afterAll(async () => {
      await dt?.close();
    });

    const shoot = async (view: string) => {
      const shot = await dt.screenshot(`panel-${lang}-${view}.png`);
      mkdirSync(SHOTS, { recursive: true });
      copyFileSync(shot, join(SHOTS, `panel-chromium-${lang}-${view}.png`));
    };

    it.each(['topology', 'timeline', 'findings', 'listeners'])('%s: no label cut off', async (view) => {
      await showView(dt, view);
      await poll(() => dt.panelEval<number>(`document.querySelector('[data-active-view]')?.textContent.length ?? 0`), (n) => n > 0, view);
      const cut = await dt.panelEval<string[]>(CLIPPED);
      await shoot(view);
      expect(cut).toEqual([]);
    });

    it('messages with Details open: no label cut off', async () => {
      await showView(dt, 'messages');
      await dt.panelEval(`document.querySelector('[data-message-id]').click()`);
      await poll(() => dt.panelEval<boolean>(`!!document.querySelector('[data-details-message]')`), (v) => v, 'Details');
      const cut = await dt.panelEval<string[]>(CLIPPED);
      await shoot('messages');
      expect(cut).toEqual([]);
    });
  });
}

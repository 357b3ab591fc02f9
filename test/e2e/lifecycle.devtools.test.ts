// A removed frame in the real Channels panel (headless Chromium DevTools): the Topology shows
// the page's frames, and once the page removes one, that frame and the frame inside it leave
// the Topology while the page and its other frame stay, the page's port to it marked "partner
// gone"; a message the page then posts to the
// removed frame's port shows in Findings as lost, with the frame that took its partner away.
// Screenshots: test-results/panel-lifecycle-before.png, -after.png, -lost.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePages } from '../support/pages-server';
import { openDevTools, type DevToolsSession } from '../support/devtools';
import { poll, showView } from '../support/panel-reads';

const server = servePages();

describe('a removed frame in the Channels panel', () => {
  let dt: DevToolsSession;
  let url: string;
  beforeAll(async () => {
    url = `${server.origin('127.0.0.1')}/lifecycle/index.html`;
    dt = await openDevTools(url);
  });
  afterAll(async () => {
    await dt?.close();
  });

  it('leaves the Topology with the frame inside it; the page and its other frame stay', async () => {
    await dt.reloadPage();
    await poll(() => dt.pageEval<boolean | undefined>('window.scenarioReady'), (v) => v === true, 'both frames to answer');
    const cross = `${server.origin('localhost')}/lifecycle/`;
    const snap = (await poll(
      () => dt.backgroundSnapshot(),
      (s) => !!s && s.contexts.filter((c) => c.kind === 'window' && c.endedAt === null && c.url.includes('/lifecycle/')).length === 4,
      'the four documents recorded',
    ))!;
    const id = (path: string) => snap.contexts.find((c) => c.endedAt === null && c.url.startsWith(path))!.id;
    const ids = { top: id(url), kept: id(`${server.origin('127.0.0.1')}/lifecycle/child.html`), removed: id(`${cross}child.html`), leaf: id(`${cross}leaf.html`) };
    await showView(dt, 'topology');
    const shown = () => dt.panelEval<number[]>(`[...document.querySelectorAll('[data-context-id]')].map((b) => Number(b.dataset.contextId))`);
    const has = (v: number[], ...want: number[]) => want.every((x) => v.includes(x));
    await poll(shown, (v) => has(v, ids.top, ids.kept, ids.removed, ids.leaf), 'all four in the Topology');
    await dt.screenshot('panel-lifecycle-before.png');

    await dt.pageAct('(window.removeFrame(), true)');
    const after = await poll(shown, (v) => !v.includes(ids.removed) && !v.includes(ids.leaf), 'the removed frames to leave the Topology');
    expect(has(after, ids.top, ids.kept)).toBe(true);
    // The page's port whose partner went with the removed frame says so; the other one does not.
    const marked = await poll(
      () => dt.panelEval<string[]>(`[...document.querySelectorAll('[data-context-id="${ids.top}"] > .ports > [data-port-id] [data-partner-gone]')].map((e) => e.dataset.partnerGone)`),
      (v) => v.length === 1,
      'the partner-gone mark on the page\'s port',
    );
    expect(marked).toEqual([String(ids.removed)]);
    // Details of that port name the frame that took its partner.
    await dt.panelEval(`document.querySelector('[data-context-id="${ids.top}"] > .ports > [data-port-id]:has([data-partner-gone])').click()`);
    const note = await poll(() => dt.panelEval<string | null>(`document.querySelector('[data-details-port] [data-partner-gone]')?.textContent ?? null`), (v) => v !== null, 'the port details');
    expect(note).toMatch(/^went away with .*localhost:\d+\/lifecycle\/child\.html.* \(removed or navigated\); what is posted here is lost$/);
    await dt.screenshot('panel-lifecycle-after.png');

    await dt.pageAct('(window.postToRemoved(), true)');
    await showView(dt, 'findings');
    const texts = await poll(
      () => dt.panelEval<string[]>(`[...document.querySelectorAll('[data-rule="post-on-closed-port"] .finding-text')].map((e) => e.textContent)`),
      (v) => v.length === 1,
      'the lost message in Findings',
    );
    expect(texts[0]).toMatch(/^1 message posted on port #\d+ was dropped because its partner port #\d+ was in frame localhost:\d+\/lifecycle\/child\.html, which went away \(removed or navigated\) before it was delivered\.$/);
    await dt.screenshot('panel-lifecycle-lost.png');
  });
});

// The Channels panel inside Firefox ESR's real DevTools (headless), on the demo page: the
// toolbox is opened on the tab and the panel selected, the demo is recorded from its load,
// and the counts, rows and lanes the panel shows are those of the background's session;
// the views are screenshotted (the browser window, DevTools docked under the page) in the
// light and the dark DevTools theme under test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../scripts/serve.mjs';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { datasetOf } from '../../panels/model/dataset';
import { currentContexts, currentPorts } from '../../panels/model/format';
import { lanesOf } from '../../panels/model/timeline';
import { flatten, topologyModel } from '../../panels/model/topology';
import { openFirefoxDevTools, type FirefoxDevTools } from '../support/firefox-devtools';
import { poll, readCounts as countsIn, showView as showIn, sleep, type Counts } from '../support/panel-reads';

const readCounts = () => countsIn(dt);
const showView = (view: string) => showIn(dt, view);

let server: Awaited<ReturnType<typeof startServer>>;
let dt: FirefoxDevTools;

beforeAll(async () => {
  server = await startServer();
  dt = await openFirefoxDevTools(`${server.origin('127.0.0.1')}/demo/index.html`);
});
afterAll(async () => {
  await dt?.close();
  await server?.close();
});

describe('Channels panel in Firefox DevTools', () => {
  let snap: AggregateSnapshot;
  let counts: Counts;

  it('records the demo from its load and shows the background’s counts', async () => {
    // The panel records its tab while it is open: a reload records the demo from its first message.
    await dt.reloadPage();
    await poll(() => dt.pageEval<number | undefined>('window.demoReceived'), (n) => n === 2, 'the demo to finish');
    let s: AggregateSnapshot | null = null;
    counts = await poll(
      async () => {
        s = await dt.backgroundSnapshot();
        return readCounts();
      },
      // connect, ready, ping, bytes and two pongs.
      (c) => s !== null && c.messages >= 6 && c.messages === s.messages.length && c.ports === currentPorts(datasetOf(s)) && c.contexts === currentContexts(datasetOf(s)) && c.findings === s.findings.length,
      'the demo session in the panel',
    );
    snap = s!;
    const d = datasetOf(snap);
    // The top frame and its cross-origin child; the document before the reload is not counted.
    expect(counts.contexts).toBe(currentContexts(d));
    expect(counts.contexts).toBe(2);
    expect(counts.ports).toBe(2);
  });

  it('shows the frames and ports in Topology', async () => {
    await showView('topology');
    const topo = await poll(
      () => dt.panelEval<{ contexts: number; nested: number; ports: number[]; links: number }>(`({
        contexts: document.querySelectorAll('[data-context-id]').length,
        nested: document.querySelectorAll('[data-context-id] [data-context-id]').length,
        ports: [...document.querySelectorAll('[data-port-id]')].map((e) => Number(e.dataset.portId)),
        links: document.querySelectorAll('.entangle-line').length,
      })`),
      (t) => t.links === 1,
      'the entangled pair drawn',
    );
    // What the panel draws is what the panel's own model makes of the background's session.
    const expected = topologyModel(datasetOf(snap), Infinity);
    expect(topo.links).toBe(expected.links.length);
    expect(topo.contexts).toBe(2);
    expect(topo.nested).toBe(1);
    const where = flatten(expected.roots).flatMap((n) => n.ports.map((p) => p.id));
    expect(topo.ports.sort()).toEqual([...where, ...expected.inFlight.map((p) => p.id)].sort());
    await sleep(300);
    await dt.screenshot('panel-firefox-topology-light.png');
  });

  it('lists every message in Messages and draws a lane per context in Timeline', async () => {
    await showView('messages');
    const rows = await poll(() => dt.panelEval<string[]>(`[...document.querySelectorAll('[data-message-id]')].map((r) => r.textContent)`), (r) => r.length === counts.messages, 'rows');
    expect(rows.filter((r) => r.includes('pong'))).toHaveLength(2);
    expect(await dt.panelEval<string>(`document.querySelector('[data-testid=filter-count]').textContent`)).toBe(`${counts.messages} messages`);
    // Picking a row shows it in Details.
    const id = await dt.panelEval<number>(`(() => { const r = [...document.querySelectorAll('[data-message-id]')].find((r) => r.textContent.includes('ArrayBuffer')); r.click(); return Number(r.dataset.messageId); })()`);
    await poll(() => dt.panelEval<boolean>(`!!document.querySelector('[data-details-message="${id}"]')`), Boolean, 'the message’s details');
    await sleep(300);
    await dt.screenshot('panel-firefox-messages-light.png');

    await showView('timeline');
    // The lanes are compared with a snapshot taken beside the panel's read: a document of the
    // load before the reload may end after the first snapshot, and its lane goes with it.
    let lanesNow = -1;
    const tl = await poll(
      async () => {
        const now = await dt.backgroundSnapshot();
        lanesNow = now === null ? -1 : lanesOf(datasetOf(now)).length;
        return dt.panelEval<{ lanes: number; arrows: number }>(`(() => { const c = document.querySelector('[data-testid=timeline]'); return { lanes: Number(c.dataset.lanes), arrows: Number(c.dataset.arrows) }; })()`);
      },
      (t) => t.arrows === counts.messages && t.lanes === lanesNow,
      'an arrow per message and a lane per context of the session',
    );
    expect(tl.lanes).toBe(lanesNow);
    expect(tl.lanes).toBeGreaterThanOrEqual(2);
    await sleep(300);
    await dt.screenshot('panel-firefox-timeline-light.png');
  });

  it('follows DevTools’ dark theme', async () => {
    await dt.reopen('dark');
    expect(await dt.panelEval<boolean>(`document.documentElement.classList.contains('dark')`)).toBe(true);
    // The recording is still there: the panel gets the session's snapshot when it opens.
    await poll(readCounts, (c) => c.messages === counts.messages && c.ports === counts.ports, 'the same counts after reopening');
    for (const view of ['topology', 'messages', 'timeline']) {
      await showView(view);
      await sleep(300);
      await dt.screenshot(`panel-firefox-${view}-dark.png`);
    }
  });
});

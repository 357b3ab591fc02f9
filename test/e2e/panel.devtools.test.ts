// The Channels panel inside the real DevTools (headless Chromium), on the demo page: every
// view shows the numbers of the recorded session, clicks select across views, a trace file
// opens (and a bad one is refused with a banner), and each view is screenshotted in the
// light and the dark theme under test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../scripts/serve.mjs';
import { exportTrace, stringifyTrace } from '../../src/trace/format';
import { openDevTools, type DevToolsSession } from '../support/devtools';
import { fixtureSnapshot, HOSTILE } from '../unit/panels/fixture';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { datasetOf } from '../../panels/model/dataset';
import { currentPorts } from '../../panels/model/format';
import { topologyModel, flatten } from '../../panels/model/topology';
import { lanesOf } from '../../panels/model/timeline';
import { poll, readCounts, showView, sleep, type Counts } from '../support/panel-reads';

let server: Awaited<ReturnType<typeof startServer>>;

/**
 * Records the demo from its load until both pongs came back and the panel shows all that the
 * background holds. Returns the background's session: the views are checked against it.
 */
async function recordDemo(dt: DevToolsSession): Promise<{ counts: Counts; snap: AggregateSnapshot }> {
  await dt.reloadPage();
  await poll(() => dt.pageEval<number | undefined>('window.demoReceived'), (n) => n === 2, 'the demo to finish');
  let snap: AggregateSnapshot | null = null;
  // connect, ready, ping, bytes and two pongs.
  const counts = await poll(
    async () => {
      snap = await dt.backgroundSnapshot();
      return readCounts(dt);
    },
    (c) => snap !== null && c.messages >= 6 && c.messages === snap.messages.length && c.ports === currentPorts(datasetOf(snap)),
    'the demo session in the panel',
  );
  return { counts, snap: snap! };
}

/** Drops a file on the panel as a user would drag it from the desktop. */
const dropFile = (dt: DevToolsSession, name: string, text: string) =>
  dt.panelEval(`(() => {
    const data = new DataTransfer();
    data.items.add(new File([${JSON.stringify(text)}], ${JSON.stringify(name)}, { type: 'application/json' }));
    document.querySelector('.app').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  })()`);

/** Picks a file through the Import… file input. */
const pickFile = (dt: { panelEval: DevToolsSession['panelEval'] }, name: string, text: string) =>
  dt.panelEval(`(() => {
    const data = new DataTransfer();
    data.items.add(new File([${JSON.stringify(text)}], ${JSON.stringify(name)}, { type: 'application/json' }));
    const input = document.querySelector('[data-testid=import-input]');
    input.files = data.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  })()`);

/** Screenshots of every view over the imported fixture trace (a worker, a moved port, a loss, findings). */
async function shootTrace(dt: DevToolsSession, theme: 'light' | 'dark') {
  await showView(dt, 'topology');
  await dt.panelEval(`document.querySelector('[data-port-id="4"]').click()`);
  await poll(() => dt.panelEval<number>(`document.querySelectorAll('.move-line').length`), (n) => n === 1, 'the path of port 4');
  await dt.screenshot(`panel-trace-topology-${theme}.png`);
  await showView(dt, 'timeline');
  await poll(() => dt.panelEval<number>(`Number(document.querySelector('[data-testid=timeline]').dataset.arrows)`), (n) => n === 7, 'the trace’s arrows');
  await dt.screenshot(`panel-trace-timeline-${theme}.png`);
  await showView(dt, 'messages');
  await dt.panelEval(`document.querySelector('[data-message-id="4"]').click()`);
  await poll(() => dt.panelEval<boolean>(`!!document.querySelector('[data-details-message="4"]')`), Boolean, 'details of message 4');
  await dt.screenshot(`panel-trace-messages-${theme}.png`);
  await showView(dt, 'findings');
  await dt.panelEval(`document.querySelector('[data-rule=post-on-shipped-port]').click()`);
  await poll(() => dt.panelEval<boolean>(`!!document.querySelector('[data-details-finding]')`), Boolean, 'finding details');
  await dt.screenshot(`panel-trace-findings-${theme}.png`);
}

const fixtureTrace = () => stringifyTrace(exportTrace(fixtureSnapshot(), { title: 'fixture' }));

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

describe('Channels panel in DevTools (light)', () => {
  let dt: DevToolsSession;
  beforeAll(async () => {
    dt = await openDevTools(`${server.origin('127.0.0.1')}/demo/index.html`);
  });
  afterAll(async () => {
    await dt?.close();
  });

  let snap: AggregateSnapshot;

  it('shows the demo’s frames, ports and entangled pair in Topology', async () => {
    const rec = await recordDemo(dt);
    snap = rec.snap;
    const { counts } = rec;
    // The top frame and its cross-origin child (a replaced document from before the reload is not counted).
    expect(counts.contexts).toBe(2);
    expect(counts.ports).toBe(2);
    await showView(dt, 'topology');
    const expected = topologyModel(datasetOf(snap), Infinity);
    const topo = await poll(
      () =>
        dt.panelEval<{ contexts: number; nested: number; ports: [number, string][]; ghosts: number; links: number; origins: string[] }>(`({
          contexts: document.querySelectorAll('[data-context-id]').length,
          nested: document.querySelectorAll('[data-context-id] [data-context-id]').length,
          ports: [...document.querySelectorAll('[data-port-id]')].map((e) => [Number(e.dataset.portId), e.dataset.state]),
          ghosts: document.querySelectorAll('[data-ghost-port-id]').length,
          links: document.querySelectorAll('.entangle-line').length,
          origins: [...document.querySelectorAll('.ctx-origin')].map((e) => e.textContent),
        })`),
      (t) => t.links === expected.links.length,
      'the entangled pair drawn',
    );
    expect(topo.contexts).toBe(2);
    expect(topo.nested).toBe(1);
    expect(topo.origins.map((o) => new URL(o).hostname)).toEqual(['127.0.0.1', 'localhost']);
    // One MessageChannel: its two ports, linked.
    expect(topo.links).toBe(1);
    // Each port where the session says it is, in the state it says.
    const where = flatten(expected.roots).flatMap((n) => n.ports.map((p) => [p.id, p.state] as [number, string]));
    expect(topo.ports.sort()).toEqual([...where, ...expected.inFlight.map((p) => [p.id, p.state] as [number, string])].sort());
    expect(topo.ghosts).toBe(flatten(expected.roots).reduce((a, n) => a + n.ghosts.length, 0));

    // Picking a port shows its moves in Details.
    const moved = snap.ports.reduce((a, p) => (p.holders.length > a.holders.length ? p : a));
    await dt.panelEval(`document.querySelector('[data-port-id="${moved.id}"]').click()`);
    const moves = await poll(() => dt.panelEval<number>(`document.querySelectorAll('[data-details-port="${moved.id}"] .path li').length`), (n) => n > 0, 'the port’s moves in Details');
    expect(moves).toBe(moved.holders.length + (moved.lostIn !== null ? 1 : 0));
    // Its one listener: the child's port.onmessage (an on* handler counts).
    const listeners = await dt.panelEval<string | undefined>(`[...document.querySelectorAll('[data-details-port="${moved.id}"] dt')].find((d) => d.textContent === 'Listeners')?.nextElementSibling?.textContent`);
    expect(listeners).toBe('1');
    await sleep(200);
    await dt.screenshot('panel-topology-light.png');
  });

  it('draws a lane per context and an arrow per message in Timeline', async () => {
    const counts = await readCounts(dt);
    await showView(dt, 'timeline');
    const tl = await poll(
      () => dt.panelEval<{ lanes: number; arrows: number }>(`(() => { const c = document.querySelector('[data-testid=timeline]'); return { lanes: Number(c.dataset.lanes), arrows: Number(c.dataset.arrows) }; })()`),
      (t) => t.arrows === counts.messages,
      'arrows',
    );
    expect(tl.lanes).toBe(lanesOf(datasetOf(snap)).length);
    expect(tl.lanes).toBeGreaterThanOrEqual(2);
    await dt.screenshot('panel-timeline-light.png');
  });

  it('lists every message in Messages, with filters, keyboard and Details', async () => {
    const counts = await readCounts(dt);
    await showView(dt, 'messages');
    const rows = await poll(() => dt.panelEval<string[]>(`[...document.querySelectorAll('[data-message-id]')].map((r) => r.textContent)`), (r) => r.length === counts.messages, 'rows');
    expect(rows.filter((r) => r.includes('pong'))).toHaveLength(2);

    // The ArrayBuffer message: Details shows the transfer and what it did to the sender.
    await dt.panelEval(`[...document.querySelectorAll('[data-message-id]')].find((r) => r.children[4].textContent.includes('ArrayBuffer')).click()`);
    const details = await poll(() => dt.panelEval<string>(`document.querySelector('[data-details-message]')?.textContent ?? ''`), (t) => t.includes('ArrayBuffer'), 'message details');
    expect(details).toMatch(/detached/);
    expect(details).toMatch(/Outcome/);
    const selected = await dt.panelEval<number>(`Number(document.querySelector('.grid-row.selected').dataset.messageId)`);

    // Arrow keys move the selection.
    await dt.panelEval(`(() => { const g = document.querySelector('[data-testid=message-grid]'); g.focus(); g.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true })); })()`);
    const next = await poll(() => dt.panelEval<number>(`Number(document.querySelector('.grid-row.selected')?.dataset.messageId)`), (id) => id !== selected, 'the next row');
    expect(next).toBeGreaterThan(selected);

    // Search in payloads.
    await dt.panelEval(`(() => { const i = document.querySelector('.filter-text'); i.value = 'pong'; i.dispatchEvent(new Event('input', { bubbles: true })); })()`);
    const filtered = await poll(() => dt.panelEval<number>(`document.querySelectorAll('[data-message-id]').length`), (n) => n === 2, 'filtered rows');
    expect(filtered).toBe(2);
    await dt.screenshot('panel-messages-filtered-light.png');
    await dt.panelEval(`[...document.querySelectorAll('.filter-bar button.link')].find((b) => b.textContent.includes('Clear filters')).click()`);
    await poll(() => dt.panelEval<number>(`document.querySelectorAll('[data-message-id]').length`), (n) => n === counts.messages, 'all rows again');
    await dt.panelEval(`[...document.querySelectorAll('[data-message-id]')].find((r) => r.children[4].textContent.includes('ArrayBuffer')).click()`);
    await sleep(200);
    await dt.screenshot('panel-messages-light.png');
  });

  it('keeps the selection when the panel is hidden and shown again', async () => {
    const before = await dt.panelEval<number>(`Number(document.querySelector('.grid-row.selected').dataset.messageId)`);
    await dt.showView('console');
    await dt.showView();
    const after = await poll(() => dt.panelEval<number>(`Number(document.querySelector('.grid-row.selected')?.dataset.messageId)`), (id) => id === before, 'the same selection');
    expect(after).toBe(before);
  });

  it('shows as many findings as the session holds', async () => {
    const counts = await readCounts(dt);
    await showView(dt, 'findings');
    const shown = await dt.panelEval<number>(`document.querySelectorAll('[data-rule]').length`);
    expect(shown).toBe(counts.findings);
  });

  it('opens a dropped trace file in the same views, payloads as text', async () => {
    await dropFile(dt, 'fixture-trace.json', fixtureTrace());
    const counts = await poll(() => readCounts(dt), (c) => c.messages === 7, 'the imported trace');
    expect(counts).toEqual({ contexts: 3, ports: 4, messages: 7, findings: 2 });
    expect(await dt.panelEval<string>(`document.querySelector('[data-testid=trace-bar]').textContent`)).toContain('fixture-trace.json');

    await showView(dt, 'findings');
    const rules = await poll(() => dt.panelEval<string[]>(`[...document.querySelectorAll('[data-rule]')].map((e) => e.dataset.rule)`), (r) => r.length === 2, 'findings');
    expect(rules.sort()).toEqual(['port-never-started', 'post-on-shipped-port']);
    // A finding selects its messages and ports; Details explains it.
    await dt.panelEval(`document.querySelector('[data-rule=post-on-shipped-port]').click()`);
    const text = await poll(() => dt.panelEval<string>(`document.querySelector('[data-details-finding]')?.textContent ?? ''`), (t) => t.includes('message 6'), 'finding details');
    expect(text).toContain('port 2');
    await dt.screenshot('panel-findings-light.png');

    await showView(dt, 'messages');
    const highlighted = await dt.panelEval<number[]>(`[...document.querySelectorAll('.grid-row.highlighted, .grid-row.selected')].map((r) => Number(r.dataset.messageId))`);
    expect(highlighted).toContain(6);

    // Markup in a payload is shown as text and never runs.
    await dt.panelEval(`document.querySelector('[data-message-id="7"]').click()`);
    const payload = await poll(() => dt.panelEval<string>(`document.querySelector('[data-testid=payload]')?.textContent ?? ''`), (t) => t.length > 0, 'payload');
    expect(payload).toBe(HOSTILE);
    expect(await dt.panelEval(`({ img: document.querySelectorAll('.details img, .grid-body img').length, pwned: window.__pwned ?? null })`)).toEqual({ img: 0, pwned: null });

    // The payload as a tree: closed to its preview, opened by a click, closed again with the keyboard.
    await dt.panelEval(`document.querySelector('[data-message-id="3"]').click()`);
    const rowsOf = `[...document.querySelectorAll('[data-testid=payload] [role=treeitem]')].map((r) => r.textContent)`;
    expect(await poll(() => dt.panelEval<string[]>(rowsOf), (r) => r.length === 1 && r[0].includes('pong'), 'the closed tree')).toEqual(['▸{type: "pong", got: "ping"}']);
    await dt.panelEval(`document.querySelector('[data-testid=payload] [data-node=r]').click()`);
    expect(await poll(() => dt.panelEval<string[]>(rowsOf), (r) => r.length === 3, 'the opened tree')).toEqual(['▾Object {2 keys}', 'type: "pong"', 'got: "ping"']);
    await dt.panelEval(`document.querySelector('[data-testid=payload] [data-node=r]').dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }))`);
    expect(await poll(() => dt.panelEval<string[]>(rowsOf), (r) => r.length === 1, 'the tree closed by ArrowLeft')).toEqual(['▸{type: "pong", got: "ping"}']);

    await showView(dt, 'topology');
    const topo = await poll(() => dt.panelEval<{ contexts: number; ports: number }>(`({ contexts: document.querySelectorAll('[data-context-id]').length, ports: document.querySelectorAll('[data-port-id]').length })`), (t) => t.ports === 4, 'imported topology');
    expect(topo.contexts).toBe(3);
    expect(await dt.panelEval<string>(`document.querySelector('[data-port-id="4"]').dataset.state`)).toBe('not-started');
    // The top frame shipped ports 2 and 4 away: two neutered handles stay there.
    expect(await dt.panelEval<number>(`document.querySelectorAll('[data-context-id="1"] > .ports [data-ghost-port-id]').length`)).toBe(2);
    await shootTrace(dt, 'light');
  });

  it('refuses a bad trace with a banner and keeps working', async () => {
    const good = fixtureTrace();
    const bad: [string, string, RegExp][] = [
      ['truncated.json', good.slice(0, 300), /truncated/],
      ['future.json', good.replace('"version":1', '"version":42'), /different version/],
      ['hostile.json', good.replace('"meta":{', '"meta":{"__proto__":{"x":1},'), /unsafe/],
    ];
    for (const [name, text, message] of bad) {
      await pickFile(dt, name, text);
      const banner = await poll(() => dt.panelEval<string>(`document.querySelector('[data-testid=banner]')?.textContent ?? ''`), (t) => t.includes(name), `the banner for ${name}`);
      expect(banner).toMatch(message);
    }
    await dt.screenshot('panel-bad-trace-light.png');
    // The open trace is still shown and the views still respond.
    expect((await readCounts(dt)).messages).toBe(7);
    await showView(dt, 'messages');
    expect(await dt.panelEval<number>(`document.querySelectorAll('[data-message-id]').length`)).toBe(7);

    // Back to the live recording.
    await dt.panelEval(`document.querySelector('[data-testid=banner] button').click()`);
    await dt.panelEval(`[...document.querySelectorAll('[data-testid=trace-bar] button')][0].click()`);
    const live = await poll(() => readCounts(dt), (c) => c.contexts === 2, 'the live session');
    expect(live.ports).toBe(2);
  });

  it('opens a trace in the standalone viewer page', async () => {
    const page = await dt.openExtensionPage('viewer.html');
    expect(await page.eval<string>(`document.querySelector('[data-testid=empty]').textContent`)).toMatch(/Open a Channel Inspector trace/);
    await pickFile({ panelEval: page.eval }, 'fixture-trace.json', fixtureTrace());
    const counts = await poll(() => page.eval<number>(`document.querySelectorAll('[data-port-id]').length`), (n) => n === 4, 'the trace in the viewer');
    expect(counts).toBe(4);
    await page.eval(`document.querySelector('[data-view=timeline]').click()`);
    await poll(() => page.eval<number>(`Number(document.querySelector('[data-testid=timeline]')?.dataset.arrows ?? 0)`), (n) => n === 7, 'viewer timeline');
    await page.screenshot('viewer-timeline.png');
  });
});

describe('Channels panel in DevTools (dark)', () => {
  let dt: DevToolsSession;
  beforeAll(async () => {
    dt = await openDevTools(`${server.origin('127.0.0.1')}/demo/index.html`, { dark: true });
  });
  afterAll(async () => {
    await dt?.close();
  });

  it('follows the DevTools dark theme in every view', async () => {
    expect(await dt.panelEval<boolean>(`document.documentElement.classList.contains('dark')`)).toBe(true);
    const { counts } = await recordDemo(dt);
    await showView(dt, 'topology');
    await poll(() => dt.panelEval<number>(`document.querySelectorAll('.entangle-line').length`), (n) => n === 1, 'link');
    await dt.panelEval(`document.querySelector('[data-port-id]').click()`);
    await sleep(300);
    await dt.screenshot('panel-topology-dark.png');
    await showView(dt, 'timeline');
    await poll(() => dt.panelEval<number>(`Number(document.querySelector('[data-testid=timeline]').dataset.arrows)`), (n) => n === counts.messages, 'arrows');
    await dt.screenshot('panel-timeline-dark.png');
    await showView(dt, 'messages');
    await dt.panelEval(`[...document.querySelectorAll('[data-message-id]')].find((r) => r.children[4].textContent.includes('ArrayBuffer')).click()`);
    await sleep(300);
    await dt.screenshot('panel-messages-dark.png');
    await showView(dt, 'findings');
    await dt.screenshot('panel-findings-dark.png');
    await dropFile(dt, 'fixture-trace.json', fixtureTrace());
    await poll(() => readCounts(dt), (c) => c.findings === 2, 'imported findings');
    await shootTrace(dt, 'dark');
  });
});

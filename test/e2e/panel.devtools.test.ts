// The Channels panel inside the real DevTools (headless Chromium): it lists the events
// of both frames of the inspected page, live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../scripts/serve.mjs';
import { openDevTools, type DevToolsSession } from '../support/devtools';

let server: Awaited<ReturnType<typeof startServer>>;
let dt: DevToolsSession;

beforeAll(async () => {
  server = await startServer();
  dt = await openDevTools(`${server.origin('127.0.0.1')}/demo/index.html`);
});
afterAll(async () => {
  await dt?.close();
  await server?.close();
});

describe('Channels panel in DevTools', () => {
  it('lists the inspected page traffic from both frames', async () => {
    // The panel records while it is open; reload to record from page load.
    await dt.reloadPage();
    const read = () =>
      dt.panelEval<{ kinds: string[]; frames: number[]; status: string; details: string[] }>(`({
        kinds: [...document.querySelectorAll('tr[data-event-kind]')].map((r) => r.dataset.eventKind),
        frames: [...new Set([...document.querySelectorAll('tr[data-frame-id]')].map((r) => Number(r.dataset.frameId)))],
        status: document.querySelector('[data-testid=status]').textContent,
        details: [...document.querySelectorAll('tr[data-event-kind] td:last-child')].map((td) => td.textContent),
      })`);
    let state = await read();
    for (let i = 0; i < 100 && state.details.filter((d) => d.includes('pong')).length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await read();
    }
    expect(state.details.filter((d) => d.includes('pong'))).toHaveLength(2);
    expect(state.frames).toHaveLength(2);
    expect(state.kinds).toContain('channel');
    expect(state.kinds).toContain('post');
    expect(state.kinds).toContain('deliver');
    expect(state.status).toMatch(/\d+ events · 2 frames/);
    expect(await dt.pageEval('window.demoReceived')).toBe(2);

    // A click in the page shows up live.
    const before = state.details.length;
    await dt.pageEval(`document.getElementById('ping').click()`);
    for (let i = 0; i < 50 && (await read()).details.length < before + 3; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await read()).details.length).toBeGreaterThanOrEqual(before + 3);
    await dt.screenshot('panel-events-light.png');
  });
});

// Decoded calls in the real Channels panel (headless Chromium DevTools) on the decoder page:
// the Messages table badges each call with its protocol, the protocol filter keeps one
// protocol's calls, and Details shows the call, its latency and its pair (a click selects it).
// Screenshot: test-results/panel-decoders-messages.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../scripts/serve.mjs';
import { openDevTools, type DevToolsSession } from '../support/devtools';
import { decodersComplete, decodersPath } from '../support/decoders';
import { readCounts } from '../support/panel-reads';

let server: Awaited<ReturnType<typeof startServer>>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function poll<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await read();
  while (!ok(v)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)?.slice(0, 2000)}`);
    await sleep(100);
    v = await read();
  }
  return v;
}

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

describe('decoded calls in the Channels panel', () => {
  let dt: DevToolsSession;
  beforeAll(async () => {
    dt = await openDevTools(`${server.origin('127.0.0.1')}${decodersPath}`);
  });
  afterAll(async () => {
    await dt?.close();
  });

  it('badges, filters by protocol, and links each call to its pair with its latency', async () => {
    await dt.reloadPage();
    await poll(() => dt.pageEval<boolean | undefined>('window.decodersDone'), (v) => v === true, 'the decoder page to finish');
    const snap = await poll(() => dt.backgroundSnapshot(), (s) => decodersComplete(s?.messages), 'the background to pair the last call');
    await poll(
      () => readCounts(dt),
      (c) => c.messages === snap!.messages.length,
      'the panel to show every message',
    );
    await poll(() => dt.panelEval<string | null>(`(document.querySelector('[data-view=messages]').click(), document.querySelector('[data-active-view]')?.dataset.activeView ?? null)`), (v) => v === 'messages', 'the Messages view');

    // Only Comlink's calls under the protocol filter, each row badged.
    await dt.panelEval(`(() => { const s = document.querySelector('select[aria-label=Protocol]'); s.value = 'comlink'; s.dispatchEvent(new Event('change', { bubbles: true })); })()`);
    // Compared with the background as it is now: late messages (releases, replies) may still come in.
    let comlink = snap!.messages.filter((m) => m.call?.protocol === 'comlink');
    const shown = await poll(
      async () => {
        const now = await dt.backgroundSnapshot();
        if (now) comlink = now.messages.filter((m) => m.call?.protocol === 'comlink');
        return dt.panelEval<{ count: string; badges: string[] }>(`({ count: document.querySelector('[data-testid=filter-count]').textContent, badges: [...document.querySelectorAll('.grid-row .proto-badge')].map((b) => b.textContent) })`);
      },
      (v) => v.count.startsWith(`${comlink.length} of`),
      'the protocol filter',
    );
    expect(shown.badges.length).toBeGreaterThan(0);
    expect(new Set(shown.badges)).toEqual(new Set(['comlink']));

    // Details of a request: the call, its reply (a link) and the latency; the link selects the reply.
    const req = comlink.find((m) => m.call?.label === 'APPLY add(2, 3)')!;
    await dt.panelEval(`document.querySelector('[data-message-id="${req.id}"]').click()`);
    const details = await poll(
      () => dt.panelEval<string | null>(`document.querySelector('[data-details-message="${req.id}"] [data-testid=call]')?.textContent ?? null`),
      (t) => t !== null,
      'the call in Details',
    );
    expect(details).toContain('APPLY add(2, 3)');
    expect(details).toContain(`message ${req.call!.pairedWith} · reply 5`);
    expect(details).toContain('Latency');
    await dt.screenshot('panel-decoders-messages.png');
    await dt.panelEval(`document.querySelector('[data-testid=call-pair]').click()`);
    const pair = await poll(
      () => dt.panelEval<string | null>(`document.querySelector('[data-details-message="${req.call!.pairedWith}"] [data-testid=call]')?.textContent ?? null`),
      (t) => t !== null,
      'the reply selected',
    );
    expect(pair).toContain(`message ${req.id} · APPLY add(2, 3)`);
  });
});

// Replay through the real Channels panel in DevTools (headless Chromium): pick the child's
// recorded port message in Messages, edit its value into a Map with a BigInt, send it, and
// check that the page's own listener got it and the panel names the replay's record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../scripts/serve.mjs';
import { openDevTools, type DevToolsSession } from '../support/devtools';

let server: Awaited<ReturnType<typeof startServer>>;
let dt: DevToolsSession;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function poll<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await read().catch(() => undefined as T);
  while (!ok(v)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await sleep(100);
    v = await read().catch(() => undefined as T);
  }
  return v;
}

beforeAll(async () => {
  server = await startServer();
  dt = await openDevTools(`${server.origin('127.0.0.1')}/replay/index.html`);
  await dt.reloadPage();
});
afterAll(async () => {
  await dt?.close();
  await server?.close();
});

describe('Replay in the Channels panel', () => {
  it('edits a recorded port message into a Map with a BigInt and posts it again', async () => {
    await poll(() => dt.pageEval<string[]>('window.got'), (g) => !!g?.includes('port {kind:"thanks"}'), 'the child to thank the top');
    await poll(() => dt.panelEval<string | null>(`(document.querySelector('[data-view=messages]').click(), document.querySelector('[data-active-view]')?.dataset.activeView ?? null)`), (v) => v === 'messages', 'the Messages view');
    await poll(
      () => dt.panelEval<boolean>(`(() => { const r = [...document.querySelectorAll('[data-message-id]')].find((r) => r.textContent.includes('thanks')); if (!r) return false; r.click(); return true; })()`),
      (v) => v === true,
      'the thanks message in Messages',
    );
    await poll(() => dt.panelEval<boolean>(`!!document.querySelector('[data-testid=replay-edit]')`), (v) => v, 'the Replay buttons in Details');
    await dt.panelEval(`document.querySelector('[data-testid=replay-edit]').click()`);
    const original = await poll(() => dt.panelEval<string | null>(`document.querySelector('[data-testid=replay-text]')?.value ?? null`), (v) => v !== null, 'the editor');
    expect(original).toBe('{ kind: "thanks" }');
    const type = (text: string) =>
      dt.panelEval(`(() => { const t = document.querySelector('[data-testid=replay-text]'); t.value = ${JSON.stringify(text)}; t.dispatchEvent(new Event('input', { bubbles: true })); })()`);
    await type('Map { "big" => 12345678901234567890n, "ok" => ');
    const error = await poll(() => dt.panelEval<string | null>(`document.querySelector('[data-testid=replay-parse-error]')?.textContent ?? null`), (v) => v !== null, 'the parse error');
    expect(error).toBe('Line 1, column 47: expected a value, found the end of the text');
    expect(await dt.panelEval<boolean>(`document.querySelector('[data-testid=replay-send]').disabled`)).toBe(true);
    await type('Map { "big" => 12345678901234567890n, "ok" => true }');
    await poll(() => dt.panelEval<boolean>(`!document.querySelector('[data-testid=replay-parse-error]') && !document.querySelector('[data-testid=replay-send]').disabled`), (v) => v, 'the error to go');
    await dt.panelEval(`document.querySelector('[data-testid=replay-send]').click()`);
    const result = await poll(() => dt.panelEval<string | null>(`document.querySelector('[data-testid=replay-result]')?.textContent ?? null`), (v) => !!v && v.startsWith('Sent as'), 'the result');
    const id = Number(/#(\d+)/.exec(result ?? "")![1]);
    await poll(() => dt.pageEval<string[]>('window.got'), (g) => !!g?.includes('port Map{"big"=>12345678901234567890n,"ok"=>true}'), 'the top\'s listener to get the Map');
    const snap = await dt.backgroundSnapshot();
    const replayed = snap!.messages.find((m) => m.id === id)!;
    const thanks = snap!.messages.find((m) => m.preview?.includes('thanks') && m.replayOf == null)!;
    expect(replayed).toMatchObject({ replayOf: thanks.id, fromPort: thanks.fromPort, toContext: thanks.toContext });
    await dt.screenshot('replay-editor.png');
  });
});

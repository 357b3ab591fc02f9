// Debugging from the Channels panel in the real DevTools of headless Chromium (issue #24).
// Recording starts when DevTools opens: DevTools is opened on a page and the page exchanges
// its messages before anyone clicks the Channels tab; the first click shows every one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePages } from '../support/pages-server';
import { openDevTools, type DevToolsSession } from '../support/devtools';
import { poll, readCounts, showView } from '../support/panel-reads';
import { storePayloadAndPort } from '../support/store-global-steps';

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

/** The paused state as DevTools' own debugger models hold it (what the Sources panel shows). */
interface Paused {
  reason: string;
  frames: { fn: string; url: string; line: number }[];
}
const PAUSED = `(async () => {
  const SDK = await import('./core/sdk/sdk.js');
  const m = SDK.TargetManager.TargetManager.instance().models(SDK.DebuggerModel.DebuggerModel).find((m) => m.isPaused());
  const d = m?.debuggerPausedDetails();
  return d ? { reason: d.reason, frames: d.callFrames.map((f) => ({ fn: f.functionName, url: f.script.contentURL(), line: f.location().lineNumber + 1 })) } : null;
})()`;
/** The DevTools panel shown (its tab in the main tabbed pane). */
const SELECTED_TAB = `(async () => { const UI = await import('./ui/legacy/legacy.js'); return UI.InspectorView.InspectorView.instance().tabbedPane.selectedTabId; })()`;
/** Counts the pauses DevTools' debugger models report from now on (in the DevTools frontend). */
const COUNT_PAUSES = `(async () => {
  const SDK = await import('./core/sdk/sdk.js');
  globalThis.ciPauses = 0;
  SDK.TargetManager.TargetManager.instance().observeModels(SDK.DebuggerModel.DebuggerModel, {
    modelAdded: (m) => m.addEventListener(SDK.DebuggerModel.Events.DebuggerPaused, () => globalThis.ciPauses++),
    modelRemoved: () => {},
  });
  return true;
})()`;
const RESUME = `(async () => {
  const SDK = await import('./core/sdk/sdk.js');
  SDK.TargetManager.TargetManager.instance().models(SDK.DebuggerModel.DebuggerModel).find((m) => m.isPaused())?.resume();
  return true;
})()`;

/** Sets a select or an input of the Breakpoints form as a person would. */
const setField = (dt: DevToolsSession, testid: string, value: string) =>
  dt.panelEval(`(() => { const el = document.querySelector('[data-testid=${testid}]'); el.value = ${JSON.stringify(value)};
    el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true })); return true; })()`);
const counter = (dt: DevToolsSession, name: 'synced' | 'handovers') => dt.panelEval<number>(`Number(document.querySelector('[data-testid=breakpoints]').dataset.${name})`);

describe('message breakpoints in the real DevTools', () => {
  let dt: DevToolsSession;
  beforeAll(async () => {
    dt = await openDevTools(`${server.origin('127.0.0.1')}/debug/index.html`);
    await dt.reloadPage();
    await poll(() => dt.pageEval<boolean | undefined>('window.debugReady'), (v) => v === true, 'the page');
  });
  afterAll(async () => {
    await dt?.close();
  });

  it('pauses a Comlink call in the page’s own listener, and resuming loses and reorders nothing', async () => {
    await showView(dt, 'breakpoints');
    const synced = await counter(dt, 'synced');
    const handed = await counter(dt, 'handovers');
    await setField(dt, 'bp-protocol', 'comlink');
    await setField(dt, 'bp-call', 'APPLY add');
    await dt.panelEval(`(document.querySelector('[data-testid=bp-add]').click(), true)`);
    const listed = await poll(() => dt.panelEval<string[]>(`[...document.querySelectorAll('[data-breakpoint-id] .bp-text')].map((e) => e.textContent)`), (v) => v.length === 1, 'the breakpoint listed');
    expect(listed[0]).toBe('On delivery: comlink APPLY add');
    // The page has it, and DevTools' debug() was handed over.
    await poll(() => counter(dt, 'synced'), (n) => n > synced, 'the background to confirm the list');
    await poll(() => counter(dt, 'handovers'), (n) => n > handed, 'debug() handed to the page');

    await dt.frontendEval(COUNT_PAUSES);
    await dt.pageAct('(window.callAdds(), true)');
    // Two `add` calls: each pauses once, on the first line of Comlink's own listener.
    for (let i = 0; i < 2; i++) {
      await poll(() => dt.frontendEval<number>('globalThis.ciPauses'), (n) => n === i + 1, `pause ${i + 1}`);
      const paused = (await poll(() => dt.frontendEval<Paused | null>(PAUSED), (p) => p !== null, `pause ${i + 1}`))!;
      expect(paused.reason).toBe('debugCommand');
      expect(paused.frames[0].url).toMatch(/\/vendor\/comlink\.mjs$/);
      expect(paused.frames[0].url).not.toMatch(/^chrome-extension:/);
      if (i === 0) {
        await dt.showView('sources');
        await dt.screenshot('devtools-breakpoint-comlink-paused.png');
        await dt.showView();
      }
      await dt.frontendEval(RESUME);
    }
    // DevTools revealed the Sources panel on the second pause (as it does on every pause); the
    // user goes back to Channels. A hidden panel gets no animation frames, so it does not render.
    expect(await dt.frontendEval<string>(SELECTED_TAB)).toBe('sources');
    await dt.showView();
    expect(await dt.frontendEval<string>(SELECTED_TAB)).not.toBe('sources');
    const log = await poll(() => dt.pageEval<string[]>('window.log'), (l) => l.some((s) => s.startsWith('results')), 'the results');
    expect(log).toEqual(['results 3 12 11']);
    expect(await dt.frontendEval<number>('globalThis.ciPauses')).toBe(2);
    // The recording: three requests and three replies, each reply after its request.
    const snap = (await poll(() => dt.backgroundSnapshot(), (s) => (s?.messages.filter((m) => m.call?.protocol === 'comlink').length ?? 0) >= 6, 'the six Comlink messages'))!;
    const calls = snap.messages.filter((m) => m.call?.protocol === 'comlink').sort((a, b) => a.sentAt! - b.sentAt!);
    expect(calls.map((m) => m.outcome.status)).toEqual(Array(6).fill('delivered'));
    expect(calls.filter((m) => m.call!.role === 'request').map((m) => m.call!.label)).toEqual(['APPLY add(1, 2)', 'APPLY mul(3, 4)', 'APPLY add(5, 6)']);
  });

  it('pauses a send inside the page’s postMessage call', async () => {
    // The Comlink breakpoint off; a send breakpoint on messages the model predicts dropped.
    const synced = await counter(dt, 'synced');
    await dt.panelEval(`(document.querySelector('[data-testid=bp-enabled]').click(), true)`);
    await setField(dt, 'bp-protocol', '');
    await setField(dt, 'bp-on', 'send');
    await poll(() => dt.panelEval<boolean>(`!!document.querySelector('[data-testid=bp-outcome]')`), Boolean, 'the outcome choice for sends');
    await setField(dt, 'bp-outcome', 'dropped');
    const form = await dt.panelEval<string>(`['bp-on', 'bp-via', 'bp-protocol', 'bp-outcome'].map((t) => t + '=' + document.querySelector('[data-testid=' + t + ']')?.value).join(' ')`);
    expect(form).toBe('bp-on=send bp-via= bp-protocol= bp-outcome=dropped');
    await dt.panelEval(`(document.querySelector('[data-testid=bp-add]').click(), true)`);
    const listed = await poll(() => dt.panelEval<string[]>(`[...document.querySelectorAll('[data-breakpoint-id] .bp-text')].map((e) => e.textContent)`), (v) => v.length === 2, 'both breakpoints listed');
    expect(listed).toEqual(['On delivery: comlink APPLY add', 'On send: predicted dropped']);
    await poll(() => counter(dt, 'synced'), (n) => n >= synced + 2, 'the background to confirm both changes');

    // A send that goes through does not pause; the one on the closed port does.
    // From a task of the page's own: an evaluation that pauses would not answer until resumed.
    await dt.pageAct('(setTimeout(() => (window.talk(), window.sendToClosed())), true)');
    const paused = (await poll(() => dt.frontendEval<Paused | null>(PAUSED), (p) => p !== null, 'the pause on send'))!;
    expect(paused.reason).toBe('other');
    // Inside the page's call: the wrapper on top, the page's sendToClosed right under it, at its postMessage line.
    expect(paused.frames[0].url).toMatch(/^chrome-extension:\/\/.*\/page\.js$/);
    expect(paused.frames[1]).toMatchObject({ fn: 'sendToClosed', line: 25 });
    expect(paused.frames[1].url).toMatch(/\/debug\/debug\.js$/);
    await dt.showView('sources');
    await dt.screenshot('devtools-breakpoint-send-paused.png');
    await dt.showView();
    await dt.frontendEval(RESUME);
    const log = await poll(() => dt.pageEval<string[]>('window.log'), (l) => l.includes('talk when,what'), 'the page to go on');
    expect(log.slice(-2)).toEqual(['sent to closed', 'talk when,what']);
  });

  it('stores a received payload (a copy) and a port (the page’s own) as temp1 and temp2', async () => {
    await storePayloadAndPort(dt, (e) => dt.pageAct(e), () => dt.screenshot('devtools-store-payload.png'));
  });
});

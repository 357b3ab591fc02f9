// The real DevTools panel under live traffic: headless Chromium started with DevTools open on
// test/pages/bench/live.html (the recipe of test/support/devtools.ts), the Channels panel
// shown through DevTools' view manager, recording on, and the page posting `rate` messages/s.
// The panel's frame rate comes from a requestAnimationFrame loop injected into the panel's
// frame from outside, in windows alternating between the Messages and Timeline views; its JS
// heap (after a full GC) before and after the traffic gives its memory per 1,000,000 messages.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_FLAGS, DIST_CHROME, freshProfile, killBrowser, requireBrowser } from '../browsers.mjs';
import { connectTarget } from './cdp.mjs';
import { quantile } from './frames.mjs';
import { profileRun } from './profile.mjs';
import { spread } from './stats.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(f, what, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(100);
  }
}

/** DevTools open on `url` with the Channels panel shown; evaluators for page, panel and worker. */
export async function openPanel(url) {
  const profile = freshProfile('ci-bench-devtools-');
  mkdirSync(join(profile.dir, 'Default'), { recursive: true });
  // Undocked: the panel gets a whole window, as in the e2e panel tests.
  writeFileSync(join(profile.dir, 'Default', 'Preferences'), JSON.stringify({ devtools: { preferences: { currentDockState: '"undocked"' } } }));
  const child = spawn(requireBrowser('chromium'), [
    ...CHROMIUM_FLAGS, '--headless', '--auto-open-devtools-for-tabs', '--remote-debugging-port=0', `--user-data-dir=${profile.dir}`,
    `--disable-extensions-except=${DIST_CHROME}`, `--load-extension=${DIST_CHROME}`, '--window-size=1280,800', url,
  ], { stdio: 'ignore' });
  const close = () => killBrowser(child, profile);
  try {
    const portFile = join(profile.dir, 'DevToolsActivePort');
    const [port, path] = await until(async () => (existsSync(portFile) ? readFileSync(portFile, 'utf8').trim().split('\n') : null), 'DevToolsActivePort');
    const cdp = await connectTarget(`ws://127.0.0.1:${port}${path}`);
    const targets = async () => (await cdp.send('Target.getTargets')).targetInfos;
    const attach = async (t) => (await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: true })).sessionId;
    const evalIn = (session) => async (expression, awaitPromise = true) => {
      const r = await cdp.send('Runtime.evaluate', { expression, awaitPromise, returnByValue: true }, session);
      if (r.exceptionDetails) throw new Error(`evaluate failed: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
      return r.result.value;
    };
    const sw = await until(async () => (await targets()).find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://')), 'extension service worker');
    const extensionId = new URL(sw.url).host;
    const devtools = await until(async () => (await targets()).find((t) => t.url.startsWith('devtools://devtools/bundled/devtools_app.html')), 'DevTools window');
    const dtEval = evalIn(await attach(devtools));
    const pageSession = await attach((await targets()).find((t) => t.type === 'page' && t.url === url));
    const swEval = evalIn(await attach(sw));
    await until(
      () => dtEval(`(async () => { const UI = await import('./ui/legacy/legacy.js'); const vm = UI.ViewManager.ViewManager.instance();
        const ids = [...vm.views.keys()].filter((id) => id.startsWith('chrome-extension://${extensionId}'));
        if (!ids.length) return null; await vm.showView(ids[0]); return ids[0]; })()`),
      'Channels panel registered in DevTools',
    );
    const panel = await until(async () => (await targets()).find((t) => t.type === 'iframe' && t.url.startsWith(`chrome-extension://${extensionId}/panel.html`)), 'panel frame');
    const panelSession = await attach(panel);
    const panelEval = evalIn(panelSession);
    await until(() => panelEval(`document.readyState === 'complete' && !!document.querySelector('.toolbar')`), 'panel rendered');
    const heap = async (session) => {
      await cdp.send('HeapProfiler.collectGarbage', {}, session);
      return (await cdp.send('Runtime.getHeapUsage', {}, session)).usedSize;
    };
    return {
      pageEval: evalIn(pageSession),
      pageSession,
      panelEval,
      panelSession,
      panelHeap: () => heap(panelSession),
      swEval,
      cdp,
      close: async () => {
        cdp.close();
        await close();
      },
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** rAF intervals in the panel over `ms` (one evaluation, so the harness is not in the frames). */
const FRAMES = (ms) => `new Promise((ok) => { const t = []; const end = performance.now() + ${ms};
  const loop = (x) => { t.push(x); if (x < end) requestAnimationFrame(loop); else ok(t.slice(1).map((v, i) => v - t[i])); };
  requestAnimationFrame(loop); })`;

/** `profileViews`: profile one more window in each of these views (default: the last view measured). */
export async function livePanel(pageUrl, { rate = 10_000, windows = 10, windowMs = 2500, log, profileViews = null }) {
  const d = await openPanel(pageUrl);
  try {
    await d.swEval(`channelInspector.setRecordAll(true)`);
    // Recording from load, as a person would press Record and reload.
    await d.cdp.send('Page.enable', {}, d.pageSession);
    await d.cdp.send('Page.reload', {}, d.pageSession);
    await sleep(300);
    await until(() => d.pageEval(`document.readyState === 'complete' && typeof live === 'object'`), 'live page reloaded');
    await until(() => d.panelEval(`document.querySelector('[data-view=messages]') !== null`), 'panel tabs');
    await d.panelEval(`document.querySelector('[data-view=messages]').click()`);
    await sleep(500);
    const heap0 = await d.panelHeap();
    const ms = (windows + (profileViews?.length ?? 1)) * (windowMs + 400) + 2000;
    await d.pageEval(`window.__liveDone = live.start(${rate}, ${ms})`, false);
    await sleep(1000); // the first deltas reach the panel
    const views = { messages: [], timeline: [] };
    for (let i = 0; i < windows; i++) {
      const view = i % 2 ? 'timeline' : 'messages';
      await d.panelEval(`document.querySelector('[data-view=${view}]').click()`);
      await sleep(200);
      const f = await d.panelEval(FRAMES(windowMs));
      views[view].push(f);
      log(`  live ${view} window ${(i >> 1) + 1}: ${((f.length / f.reduce((a, b) => a + b, 0)) * 1000).toFixed(1)} fps, median frame ${quantile(f, 0.5).toFixed(1)} ms, p95 ${quantile(f, 0.95).toFixed(1)} ms`);
    }
    // One more window, profiled (not counted: the profiler costs frames): where the panel's time goes.
    const panelCdp = { send: (method, params) => d.cdp.send(method, params, d.panelSession) };
    const profiles = {};
    let profile = null;
    for (const view of profileViews ?? [null]) {
      if (view) {
        await d.panelEval(`document.querySelector('[data-view=${view}]').click()`);
        await sleep(200);
      }
      profile = (await profileRun(panelCdp, null, () => d.panelEval(FRAMES(windowMs)))).page;
      if (view) profiles[view] = profile;
    }
    const sent = await d.pageEval(`window.__liveDone`);
    // What the panel shows when the traffic stopped, and how long it takes to show the rest.
    const count = () => d.panelEval(`Number(document.querySelector('[data-view=messages] .count')?.textContent ?? 0)`);
    const shownAtEnd = await count();
    const t1 = Date.now();
    let shown = shownAtEnd;
    for (let still = 0; shown < sent.sent && still < 6 && Date.now() - t1 < 15_000; ) {
      await sleep(500);
      const c = await count();
      still = c === shown ? still + 1 : 0;
      shown = c;
    }
    const catchUpMs = Date.now() - t1;
    await d.panelEval(`document.querySelector('[data-view=messages]').click()`);
    const heap1 = await d.panelHeap();
    const fps = (v) => v.map((f) => (f.length / f.reduce((a, b) => a + b, 0)) * 1000);
    const per = (v) => ({ fps: spread(fps(v)), med: spread(v.map((f) => quantile(f, 0.5))), p95: spread(v.map((f) => quantile(f, 0.95))), windows: v.length });
    return {
      profile,
      profiles,
      rate: (sent.sent / sent.ms) * 1000,
      sent: sent.sent,
      shown,
      shownAtEnd,
      catchUpMs,
      windowMs,
      messages: per(views.messages),
      timeline: per(views.timeline),
      heap0,
      heap1,
      perMillion: shown > 0 ? ((heap1 - heap0) / shown) * 1e6 : NaN,
    };
  } finally {
    await d.close();
  }
}

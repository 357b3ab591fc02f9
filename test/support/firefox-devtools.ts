// The real DevTools of Firefox ESR (headless, WebDriver BiDi through puppeteer-core): the
// browser runs with --remote-allow-system-access, which lets BiDi evaluate in the browser's
// own (chrome) window; from there DevTools' gDevTools opens the toolbox on the tab and
// selects the Channels panel, as a click on its tab would. BiDi does not reach the panel
// (an extension <browser> inside the toolbox, not a tab), so reads in the panel go through a
// frame script in its process; screenshots are the browser window as drawn by the compositor
// (WindowGlobalParent.drawSnapshot), the toolbox docked under the page.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { DIST_FIREFOX, ROOT, launchFirefox } from '../../scripts/browsers.mjs';
import { until } from './wait';

export interface FirefoxDevTools {
  extensionId: string;
  /**
   * Evaluates `expression` in the panel's document and returns its value (awaited, as JSON).
   * It runs beside the page in a privileged scope that sees the page's DOM (document, window)
   * but not the page's script globals.
   */
  panelEval<T = unknown>(expression: string): Promise<T>;
  pageEval<T = unknown>(expression: string): Promise<T>;
  reloadPage(): Promise<void>;
  /** Selects the Channels panel for the first time (when opened with `panel: false`). */
  showPanel(): Promise<void>;
  /** Closes DevTools and opens it again on the panel, in the light or the dark DevTools theme. */
  reopen(theme: 'light' | 'dark'): Promise<void>;
  /** The browser window (page and docked DevTools) as a PNG under test-results/. */
  screenshot(name: string): Promise<string>;
  backgroundSnapshot(): Promise<AggregateSnapshot | null>;
  /**
   * Runs `body` (an async function body) in the browser window with system access, where
   * `toolbox` is the selected tab's DevTools toolbox and `a` holds `arg`; returns its value.
   */
  chromeEval<T = unknown>(body: string, arg?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

// Chrome-scope helpers, evaluated in the browser window: the toolbox of the selected tab and
// the panel's <browser> element (its id comes from the extension: webext-devtools-panel-…).
const TOOLBOX = `const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { gDevTools } = require('devtools/client/framework/devtools');
  const w = Services.wm.getMostRecentWindow('navigator:browser');
  const panelOf = (toolbox) => toolbox.getAdditionalTools().find((t) => t.extensionId === a.extensionId);`;

export async function openFirefoxDevTools(url: string, opts: { width?: number; height?: number; /** false: the toolbox opens on the Console; showPanel() later. */ panel?: boolean; /** The browser's UI language (intl.locale.requested; needs its language pack), e.g. 'fr', 'zh-CN'. */ lang?: string } = {}): Promise<FirefoxDevTools> {
  const ff = await launchFirefox({
    extDir: DIST_FIREFOX,
    windowViewport: true,
    // Docked under the page, tall enough for the panel's views.
    prefs: {
      'devtools.toolbox.host': 'bottom',
      'devtools.toolbox.footer.height': Math.round((opts.height ?? 1000) * 0.62),
      'devtools.theme': 'light',
      ...(opts.lang ? { 'intl.locale.requested': opts.lang, 'extensions.langpacks.signatures.required': false } : {}),
    },
  });
  try {
    const extensionId = ff.extensionId as string;
    const bidi = (ff.browser as unknown as { connection: { send(method: string, params: object): Promise<any> } }).connection;
    // The background is reached from an extension page, opened before the page under test so
    // that the tested tab is the selected one (DevTools is docked in it).
    const step = (what: string) => process.env.CI_DEBUG_FIREFOX && console.log(`firefox devtools: ${what}`);
    step('launched');
    const ext = await ff.extensionPage('/devtools.html');
    step('extension page');
    const page = await ff.browser.newPage();
    await page.goto(url);
    step('page loaded');
    await page.bringToFront();
    step('page in front');
    const chrome = (await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' })).result.contexts[0].context as string;
    const inChrome = <T>(body: string, arg: Record<string, unknown> = {}) =>
      ff.callIn(chrome, `async (arg) => { const a = JSON.parse(arg); ${TOOLBOX} ${body} }`, { extensionId, ...arg }, 'chrome') as Promise<T>;
    await inChrome(`w.resizeTo(a.width, a.height); await new Promise((r) => setTimeout(r, 200));`, { width: opts.width ?? 1280, height: opts.height ?? 1000 });

    const openToolbox = () =>
      inChrome(`const toolbox = await gDevTools.showToolboxForTab(w.gBrowser.selectedTab, { toolId: 'webconsole' });
        for (let i = 0; i < 100 && !panelOf(toolbox); i++) await new Promise((r) => setTimeout(r, 100));`);
    const selectPanel = async () => {
      await inChrome(`const toolbox = gDevTools.getToolboxForTab(w.gBrowser.selectedTab); await toolbox.selectTool(panelOf(toolbox).id);`);
      await until(() => panelEval<boolean>(`document.readyState === 'complete' && !!document.querySelector('.toolbar')`), 'the Channels panel rendered in the toolbox', 20_000);
    };
    const openPanel = async () => {
      await openToolbox();
      await selectPanel();
    };

    // A frame script in the panel's process evaluates there and posts the JSON back.
    const panelEval = <T>(expression: string) =>
      inChrome<{ ok?: T; err?: string }>(
        `const toolbox = gDevTools.getToolboxForTab(w.gBrowser.selectedTab);
        const tool = toolbox && panelOf(toolbox);
        const b = tool && toolbox.doc.getElementById('toolbox-panel-iframe-' + tool.id)?.contentDocument?.querySelector('browser');
        if (!b?.messageManager) return { err: 'the panel is not open' };
        const mm = b.messageManager;
        const name = 'ci-panel-eval-' + Math.random().toString(36).slice(2);
        // The expression is part of the frame script's source: the panel's CSP forbids eval and Function.
        const script = (name, f) => {
          const send = (v) => sendAsyncMessage(name, JSON.stringify(v));
          try {
            Promise.resolve(f(content.document, content)).then((v) => send({ ok: v === undefined ? null : v }), (e) => send({ err: String(e) }));
          } catch (e) {
            send({ err: String(e) });
          }
        };
        return await new Promise((ok) => {
          const once = (msg) => { mm.removeMessageListener(name, once); clearTimeout(timer); ok(JSON.parse(msg.data)); };
          // A panel browser still being set up (or replaced) runs no frame script: no answer, try again.
          const timer = setTimeout(() => { mm.removeMessageListener(name, once); ok({ err: 'no answer from the panel' }); }, 5000);
          mm.addMessageListener(name, once);
          mm.loadFrameScript('data:,' + encodeURIComponent('(' + script + ')(' + JSON.stringify(name) + ', (document, window) => (' + a.expression + '))'), false);
        });`,
        { expression },
      ).then((r) => {
        if (r.err !== undefined) throw new Error(`panel evaluation failed: ${r.err}`);
        return r.ok as T;
      });

    step('window resized');
    if (opts.panel === false) await openToolbox();
    else await openPanel();
    step('panel open');
    return {
      extensionId,
      panelEval,
      pageEval: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
      async reloadPage() {
        await page.reload({ waitUntil: 'load' });
      },
      showPanel: selectPanel,
      chromeEval: <T>(body: string, arg: Record<string, unknown> = {}) => inChrome<T>(`const toolbox = gDevTools.getToolboxForTab(w.gBrowser.selectedTab); ${body}`, arg),
      async reopen(theme) {
        await inChrome(`Services.prefs.setCharPref('devtools.theme', a.theme); await gDevTools.closeToolboxForTab(w.gBrowser.selectedTab);`, { theme });
        await openPanel();
      },
      async screenshot(name) {
        const png = await inChrome<string>(`const bmp = await w.browsingContext.currentWindowGlobal.drawSnapshot(null, 1, 'white');
          const c = w.document.createElementNS('http://www.w3.org/1999/xhtml', 'canvas');
          c.width = bmp.width;
          c.height = bmp.height;
          c.getContext('2d').drawImage(bmp, 0, 0);
          return c.toDataURL('image/png');`);
        const dir = join(ROOT, 'test-results');
        mkdirSync(dir, { recursive: true });
        const file = join(dir, name);
        writeFileSync(file, Buffer.from(png.slice(png.indexOf(',') + 1), 'base64'));
        return file;
      },
      backgroundSnapshot: () =>
        ext.evaluate(async (u: string) => {
          const b = (globalThis as any).browser;
          const tab = (await b.tabs.query({})).find((t: { url: string }) => t.url === u);
          if (!tab) return null;
          const bg = await b.runtime.getBackgroundPage();
          return bg.channelInspector.snapshot(tab.id);
        }, page.url()) as Promise<AggregateSnapshot | null>,
      close: () => ff.close(),
    };
  } catch (e) {
    await ff.close();
    throw e;
  }
}

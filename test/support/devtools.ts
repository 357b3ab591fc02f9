// The real DevTools, in headless Chromium: the browser is started with DevTools open for
// its tab, the Channels panel is shown through DevTools' own view manager, and tests
// read the panel's document and screenshot DevTools as a person sees it.
// Raw CDP over a websocket keeps this independent of any test framework's model.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { CHROMIUM_FLAGS, DIST_CHROME, ROOT, freshProfile, killBrowser, requireBrowser } from '../../scripts/browsers.mjs';
import { sleep, until } from './wait';

interface Target {
  targetId: string;
  type: string;
  url: string;
}

class Cdp {
  private id = 0;
  private pending = new Map<number, { ok: (v: any) => void; fail: (e: Error) => void }>();
  constructor(private ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      const p = msg.id !== undefined ? this.pending.get(msg.id) : undefined;
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.fail(new Error(`${msg.error.message} ${msg.error.data ?? ''}`));
      else p.ok(msg.result);
    });
  }
  send(method: string, params: object = {}, sessionId?: string): Promise<any> {
    const id = ++this.id;
    this.ws.send(JSON.stringify({ id, method, params, sessionId }));
    return new Promise((ok, fail) => this.pending.set(id, { ok, fail }));
  }
  close() {
    this.ws.close();
  }
}

export interface DevToolsSession {
  extensionId: string;
  /** Evaluates an expression in the panel's document (awaits promises, returns by value). */
  panelEval<T = unknown>(expression: string): Promise<T>;
  /** Evaluates in the inspected page. */
  pageEval<T = unknown>(expression: string): Promise<T>;
  /** Evaluates in the inspected page as a user's action would run (with user activation: it may open a popup). */
  pageAct<T = unknown>(expression: string): Promise<T>;
  reloadPage(): Promise<void>;
  /** Evaluates in the DevTools frontend itself (devtools_app.html: its SDK and UI modules). */
  frontendEval<T = unknown>(expression: string): Promise<T>;
  /** Evaluates in the extension's DevTools page (devtools.html, with chrome.devtools). */
  devtoolsPageEval<T = unknown>(expression: string): Promise<T>;
  /** Clicks the Channels tab for the first time (when opened with `panel: false`). */
  showPanel(): Promise<void>;
  /** Shows another DevTools view (e.g. 'console'), hiding the panel, or the panel again (no id). */
  showView(id?: string): Promise<void>;
  /** Screenshot of the DevTools window (PNG) saved under test-results/. */
  screenshot(name: string): Promise<string>;
  /** The background's aggregated session of the inspected tab (what the panel should show). */
  backgroundSnapshot(): Promise<AggregateSnapshot | null>;
  /** Opens a page of the extension (e.g. 'viewer.html') in a new tab of the same browser. */
  openExtensionPage(path: string): Promise<ExtensionPage>;
  close(): Promise<void>;
}

export interface ExtensionPage {
  eval<T = unknown>(expression: string): Promise<T>;
  screenshot(name: string): Promise<string>;
}

export async function openDevTools(
  url: string,
  opts: { dark?: boolean; dock?: 'undocked' | 'bottom' | 'right'; width?: number; height?: number; /** false: DevTools opens on its default view; showPanel() later. */ panel?: boolean; /** The browser's UI language (`--lang`), e.g. 'fr', 'zh-CN'. */ lang?: string } = {},
): Promise<DevToolsSession> {
  const profile = freshProfile('ci-devtools-');
  // DevTools' own preferences, read at startup: its theme, and undocked so that the panel
  // gets the whole window (docked beside the page it is too narrow to screenshot well).
  const prefs: Record<string, string> = { currentDockState: JSON.stringify(opts.dock ?? 'undocked') };
  if (opts.dark) prefs['ui-theme'] = '"dark"';
  mkdirSync(join(profile.dir, 'Default'), { recursive: true });
  writeFileSync(join(profile.dir, 'Default', 'Preferences'), JSON.stringify({ devtools: { preferences: prefs } }));
  const child: ChildProcess = spawn(
    requireBrowser('chromium'),
    [
      ...CHROMIUM_FLAGS,
      '--headless',
      '--auto-open-devtools-for-tabs',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile.dir}`,
      `--disable-extensions-except=${DIST_CHROME}`,
      `--load-extension=${DIST_CHROME}`,
      `--window-size=${opts.width ?? 1280},${opts.height ?? 800}`,
      ...(opts.lang ? [`--lang=${opts.lang}`] : []),
      url,
    ],
    { stdio: 'ignore', env: opts.lang ? { ...process.env, LANGUAGE: opts.lang.replace('-', '_') } : process.env },
  );
  const portFile = join(profile.dir, 'DevToolsActivePort');
  // The file can be seen before both of its lines are written.
  const [port, path] = await until(async () => {
    const lines = existsSync(portFile) ? readFileSync(portFile, 'utf8').trim().split('\n') : [];
    return lines.length === 2 && lines[1].startsWith('/') ? lines : null;
  }, 'DevToolsActivePort');
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  await new Promise((ok, fail) => ws.once('open', ok).once('error', fail));
  const cdp = new Cdp(ws);
  const targets = async (): Promise<Target[]> => (await cdp.send('Target.getTargets')).targetInfos;
  const attach = async (t: Target) => (await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: true })).sessionId as string;
  const evalIn = async (sessionId: string, expression: string, userGesture = false) => {
    const r = await cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true, userGesture }, sessionId);
    if (r.exceptionDetails) throw new Error(`evaluate failed: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value;
  };

  const sw = await until(async () => (await targets()).find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://')), 'extension service worker');
  const extensionId = new URL(sw.url).host;
  const devtools = await until(async () => (await targets()).find((t) => t.url.startsWith('devtools://devtools/bundled/devtools_app.html')), 'DevTools window');
  const dtSession = await attach(devtools);
  const pageTarget = (await targets()).find((t) => t.type === 'page' && t.url === url)!;
  const pageSession = await attach(pageTarget);

  // Show the extension's panel through DevTools' view manager, as a click on its tab would.
  let viewId = '';
  let panelSession: string | null = null;
  const showPanel = async () => {
    viewId = await until(
      () =>
        evalIn(
          dtSession,
          `(async () => { const UI = await import('./ui/legacy/legacy.js'); const vm = UI.ViewManager.ViewManager.instance();
            const ids = [...vm.views.keys()].filter((id) => id.startsWith('chrome-extension://${extensionId}'));
            if (!ids.length) return null; await vm.showView(ids[0]); return ids[0]; })()`,
        ),
      'Channels panel registered in DevTools',
    );
    const panel = await until(async () => (await targets()).find((t) => t.type === 'iframe' && t.url.startsWith(`chrome-extension://${extensionId}/panel.html`)), `panel frame for ${viewId}`);
    const session = await attach(panel);
    await until(() => evalIn(session, `document.readyState === 'complete' && !!document.querySelector('.toolbar')`), 'panel rendered');
    panelSession = session;
  };
  if (opts.panel !== false) await showPanel();
  const inPanel = (e: string) => {
    if (!panelSession) throw new Error('the Channels panel has not been shown');
    return evalIn(panelSession, e);
  };

  let swSession: string | undefined;
  let devtoolsPageSession: string | undefined;
  /** The extension's DevTools page (devtools_page), there as soon as DevTools is open. */
  const devtoolsPage = async () =>
    (devtoolsPageSession ??= await attach(await until(async () => (await targets()).find((t) => t.url === `chrome-extension://${extensionId}/devtools.html`), 'the DevTools page')));
  const saveShot = async (sessionId: string, name: string) => {
    const { data } = await cdp.send('Page.captureScreenshot', { format: 'png' }, sessionId);
    const dir = join(ROOT, 'test-results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, name);
    writeFileSync(file, Buffer.from(data, 'base64'));
    return file;
  };

  return {
    extensionId,
    panelEval: (e) => inPanel(e),
    showPanel,
    frontendEval: (e) => evalIn(dtSession, e),
    devtoolsPageEval: async (e) => evalIn(await devtoolsPage(), e),
    pageEval: (e) => evalIn(pageSession, e),
    pageAct: (e) => evalIn(pageSession, e, true),
    async reloadPage() {
      await cdp.send('Page.enable', {}, pageSession);
      await cdp.send('Page.reload', {}, pageSession);
      await sleep(200);
      await until(() => evalIn(pageSession, `document.readyState === 'complete'`), 'page reloaded');
    },
    async showView(id) {
      await evalIn(
        dtSession,
        `(async () => { const UI = await import('./ui/legacy/legacy.js'); await UI.ViewManager.ViewManager.instance().showView(${JSON.stringify(id ?? viewId)}); })()`,
      );
      await sleep(100);
    },
    screenshot: (name) => saveShot(dtSession, name),
    async backgroundSnapshot() {
      swSession ??= await attach(sw);
      const tabId = panelSession
        ? await evalIn(panelSession, 'chrome.devtools.inspectedWindow.tabId')
        : await evalIn(await devtoolsPage(), 'chrome.devtools.inspectedWindow.tabId');
      return evalIn(swSession, `channelInspector.snapshot(${Number(tabId)})`);
    },
    async openExtensionPage(path) {
      const url = `chrome-extension://${extensionId}/${path}`;
      const { targetId } = await cdp.send('Target.createTarget', { url });
      const sessionId = (await cdp.send('Target.attachToTarget', { targetId, flatten: true })).sessionId as string;
      await until(() => evalIn(sessionId, `document.readyState === 'complete' && !!document.querySelector('.toolbar')`), `${path} rendered`);
      return { eval: (e) => evalIn(sessionId, e), screenshot: (name) => saveShot(sessionId, name) };
    },
    async close() {
      cdp.close();
      await killBrowser(child, profile);
    },
  };
}

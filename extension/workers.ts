// "Record inside workers" (issue 21): which tabs have it (the panel's switch, remembered per
// site; every tab for the CLI's --workers and the tests), the secret the worker code carries,
// and the engine's way in: the debugger in Chrome (workers-chrome.ts), the worker script's
// response filtered in Firefox (workers-firefox.ts).
import browser from 'webextension-polyfill';
import { chromeWorkers } from './workers-chrome';
import { firefoxWorkers } from './workers-firefox';
import type { WorkerEngine } from './worker-engine';

const PLACEHOLDER = '__CI_WORKER_TOKEN__';

export interface Workers {
  ready: Promise<void>;
  /** A worker batch's token is the one this background put in the worker code. */
  trusted(token: unknown): boolean;
  isOn(tabId: number): boolean;
  problem(tabId: number): string | undefined;
  /** The panel's switch for the tab's site. */
  setSite(tabId: number, on: boolean): Promise<void>;
  /** Every tab (CLI --workers, tests). */
  setAll(on: boolean): Promise<void>;
  /** A tab's top frame committed: its site may have the switch on or off. */
  navigated(tabId: number, url: string): Promise<void>;
  forget(tabId: number): void;
}

export function createWorkers(onChange: (tabId: number) => void): Workers {
  let token = '';
  let all = false;
  let sites = new Set<string>();
  const siteOf = new Map<number, string>();
  const on = new Set<number>();
  let code: Promise<string> | null = null;
  const workerCode = () =>
    (code ??= fetch(browser.runtime.getURL('worker.js'))
      .then((r) => r.text())
      .then((text) => text.replace(PLACEHOLDER, token)));
  const engine: WorkerEngine | null = typeof (globalThis as { chrome?: { debugger?: unknown } }).chrome?.debugger === 'object' ? chromeWorkers(workerCode, onChange) : firefoxWorkers(workerCode, onChange);

  const ready = (async () => {
    const s = await browser.storage.session.get('workerToken').catch(() => ({}) as Record<string, unknown>);
    token = typeof s.workerToken === 'string' ? s.workerToken : crypto.randomUUID();
    await browser.storage.session.set({ workerToken: token }).catch(() => {});
    const l = await browser.storage.local.get(['recordWorkers', 'workerSites']).catch(() => ({}) as Record<string, unknown>);
    all = l.recordWorkers === true;
    sites = new Set(Array.isArray(l.workerSites) ? (l.workerSites as string[]) : []);
  })();

  const wanted = (tabId: number) => all || sites.has(siteOf.get(tabId) ?? '');
  const apply = async (tabId: number) => {
    const want = wanted(tabId);
    if (want === on.has(tabId) || !engine) return;
    if (want) on.add(tabId);
    else on.delete(tabId);
    await engine.set(tabId, want);
    onChange(tabId);
  };
  const siteOfUrl = (url: string) => {
    try {
      return new URL(url).origin;
    } catch {
      return '';
    }
  };
  const know = async (tabId: number) => {
    if (siteOf.has(tabId)) return;
    const tab = await browser.tabs.get(tabId).catch(() => null);
    if (tab?.url) siteOf.set(tabId, siteOfUrl(tab.url));
  };

  return {
    ready,
    trusted: (t) => typeof t === 'string' && token !== '' && t === token,
    isOn: (tabId) => on.has(tabId),
    problem: (tabId) => (on.has(tabId) ? engine?.problem(tabId) : undefined),
    async setSite(tabId, want) {
      await ready;
      await know(tabId);
      const site = siteOf.get(tabId);
      if (!site) return;
      if (want) sites.add(site);
      else sites.delete(site);
      await browser.storage.local.set({ workerSites: [...sites] }).catch(() => {});
      for (const id of siteOf.keys()) await apply(id);
      await apply(tabId);
    },
    async setAll(want) {
      await ready;
      all = want;
      await browser.storage.local.set({ recordWorkers: want }).catch(() => {});
      for (const t of await browser.tabs.query({})) {
        if (t.id === undefined) continue;
        if (t.url) siteOf.set(t.id, siteOfUrl(t.url));
        await apply(t.id);
      }
    },
    async navigated(tabId, url) {
      await ready;
      siteOf.set(tabId, siteOfUrl(url));
      await apply(tabId);
      if (on.has(tabId)) engine?.navigated(tabId);
    },
    forget(tabId) {
      siteOf.delete(tabId);
      if (on.delete(tabId)) void engine?.set(tabId, false);
    },
  };
}

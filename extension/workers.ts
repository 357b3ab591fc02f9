// "Record inside workers" (issue 21): which tabs have it (the panel's switch, remembered per
// site; every tab for the CLI's --workers and the tests), the secret the worker code carries,
// and the engine's way in: the debugger in Chrome (workers-chrome.ts), the worker script's
// response filtered in Firefox (workers-firefox.ts).
import browser from 'webextension-polyfill';
import { chromeWorkers } from './workers-chrome';
import { firefoxWorkers } from './workers-firefox';
import type { WorkerEngine } from './worker-engine';
import { SWITCH_OFF, type WorkerSwitch } from '../src/aggregate/worker-inside';

const PLACEHOLDER = '__CI_WORKER_TOKEN__';

export interface Workers {
  ready: Promise<void>;
  /** A worker batch's token is the one this background put in the worker code. */
  trusted(token: unknown): boolean;
  isOn(tabId: number): boolean;
  problem(tabId: number): string | undefined;
  /** What the tab's session shows on each worker: the switch, since when, and what is wrong with it. */
  switchOf(tabId: number): WorkerSwitch;
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
  /** When the switch went on for a tab (epoch ms), and why the engine could not start. */
  const since = new Map<number, number>();
  const failed = new Map<number, string>();
  let code: Promise<string> | null = null;
  const workerCode = () =>
    (code ??= fetch(browser.runtime.getURL('worker.js'))
      .then((r) => r.text())
      .then((text) => text.replace(PLACEHOLDER, token)));
  const engineName = typeof (globalThis as { chrome?: { debugger?: unknown } }).chrome?.debugger === 'object' ? 'chromium' : 'firefox';
  const engine: WorkerEngine | null = engineName === 'chromium' ? chromeWorkers(workerCode, onChange) : firefoxWorkers(workerCode, onChange);

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
    if (want) {
      on.add(tabId);
      since.set(tabId, Date.now());
    } else {
      on.delete(tabId);
      since.delete(tabId);
    }
    const why = await engine.set(tabId, want);
    if (why) failed.set(tabId, why);
    else failed.delete(tabId);
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
    problem: (tabId) => (on.has(tabId) ? (engine?.problem(tabId) ?? failed.get(tabId)) : undefined),
    switchOf(tabId) {
      if (!on.has(tabId)) return SWITCH_OFF;
      const problem = engine?.problem(tabId) ?? failed.get(tabId) ?? null;
      return { on: true, since: since.get(tabId) ?? null, engine: engineName, problem };
    },
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
      since.delete(tabId);
      failed.delete(tabId);
      if (on.delete(tabId)) void engine?.set(tabId, false);
    },
  };
}

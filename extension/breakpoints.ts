// Background side of the panel's message breakpoints: the tab keeps its list (it outlives the
// panel and survives a reload, and a restarted service worker finds it in session storage),
// each document gets its share (src/aggregate/breakpoints.ts) over the relay, and a new
// document gets the common ones with its first answer. The tab's key lets the DevTools page
// hand DevTools' debug() to the page (src/instrument/breakpoints.ts); pages never see it
// except over the private bridge.
import browser from 'webextension-polyfill';
import type { BreakpointSpec, BreakpointsCommand } from '../src/protocol/messages';
import { isBreakpointSpec } from '../src/protocol/messages';
import { breakpointsCommand } from '../src/aggregate/breakpoints';
import type { Session } from '../src/aggregate';

interface TabBreakpoints {
  list: BreakpointSpec[];
  key: string;
  /** The panel's number for the edit that made `list` (0: none yet). */
  rev: number;
}

const byTab = new Map<number, TabBreakpoints>();
const storageKey = (tabId: number) => `breakpoints:${tabId}`;

/** The tab's breakpoints (restored from session storage after a restart). */
export async function breakpointsOf(tabId: number): Promise<TabBreakpoints> {
  let b = byTab.get(tabId);
  if (b) return b;
  const saved = (await browser.storage.session.get(storageKey(tabId)).catch(() => ({}) as Record<string, unknown>))[storageKey(tabId)] as TabBreakpoints | undefined;
  b = byTab.get(tabId) ?? {
    list: Array.isArray(saved?.list) ? saved.list.filter(isBreakpointSpec) : [],
    key: typeof saved?.key === 'string' ? saved.key : `ci-debug-${crypto.randomUUID()}`,
    rev: typeof saved?.rev === 'number' ? saved.rev : 0,
  };
  byTab.set(tabId, b);
  return b;
}

/** Sets the tab's list and sends every document of the tab (and of its popups) its share. */
export async function setBreakpoints(tabId: number, frameTabs: number[], list: BreakpointSpec[], rev: number, session: Session): Promise<TabBreakpoints> {
  const b = await breakpointsOf(tabId);
  b.list = list;
  b.rev = rev;
  void browser.storage.session.set({ [storageKey(tabId)]: b }).catch(() => {});
  const cmd = breakpointsCommand(session, list, b.key);
  // Answered once every frame's relay has handed it to its page: the panel's echo then means that.
  await Promise.all(frameTabs.map((id) => browser.tabs.sendMessage(id, cmd).catch(() => {})));
  return b;
}

/** What a new document of the tab is told in its first answer; nothing while the tab has none. */
export async function helloBreakpoints(tabId: number, session: Session | undefined): Promise<BreakpointsCommand | undefined> {
  const b = await breakpointsOf(tabId);
  if (!session || !b.list.some((x) => x.enabled)) return undefined;
  return breakpointsCommand(session, b.list, b.key);
}

export function forgetBreakpoints(tabId: number): void {
  byTab.delete(tabId);
  void browser.storage.session.remove(storageKey(tabId)).catch(() => {});
}

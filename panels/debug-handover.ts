// Chromium's DevTools have debug(fn) in what devtools.inspectedWindow.eval evaluates: it arms a
// breakpoint on the first line of fn, in DevTools' own session, so the Sources panel shows the
// page's function paused. The evaluation hands debug and undebug to the page's instrumentation
// (src/instrument/breakpoints.ts) through its postMessage wrapper, with the tab's key that only
// the instrumentation knows (it came over the private bridge); a page never sees either.
// Firefox has no debug() there: its instrumentation pauses with a `debugger` statement.
import browser from 'webextension-polyfill';
import type { PanelState } from './store';

const expression = (key: string) =>
  `(() => { try { MessagePort.prototype.postMessage.call(null, ${JSON.stringify(key)}, debug, undebug); } catch (e) {} return true; })()`;

type Eval = (expr: string, options?: { frameURL?: string }) => Promise<unknown>;

/** Hands debug() to every document of the inspected tab whenever what needs it changes. */
export function handOverDebug(getState: () => PanelState, subscribe: (fn: () => void) => void, done: () => void): void {
  if (navigator.userAgent.includes('Firefox/')) return;
  const evaluate = browser.devtools.inspectedWindow.eval as unknown as Eval;
  let handed = '';
  const run = (force: boolean) => {
    const s = getState();
    if (!s.debugKey || !s.breakpoints.some((b) => b.enabled && b.on === 'deliver')) return;
    const urls = new Set<string>();
    for (const c of s.live.contexts.values()) if (c.kind === 'window' && c.endedAt === null && c.url) urls.add(c.url);
    const sig = `${s.debugKey}|${[...urls].sort().join(' ')}`;
    if (sig === handed && !force) return;
    handed = sig;
    const expr = expression(s.debugKey);
    // Frames: evaluated in each by its URL (the top frame's own URL evaluates there again, harmlessly).
    const all = [evaluate(expr), ...[...urls].map((url) => evaluate(expr, { frameURL: url }))];
    void Promise.all(all.map((p) => p.catch(() => {}))).then(done);
  };
  subscribe(() => run(false));
  // A new document of the top frame: its instrumentation is new, and so is its key's arrival.
  browser.devtools.network.onNavigated.addListener(() => {
    handed = '';
    run(true);
  });
}

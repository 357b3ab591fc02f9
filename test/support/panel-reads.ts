// What the real-DevTools e2e tests read from the Channels panel, in Chromium and in Firefox:
// any harness that can evaluate an expression in the panel's page will do.
import { sleep } from './wait';

export interface PanelEval {
  panelEval<T>(expression: string): Promise<T>;
}

export interface Counts {
  contexts: number;
  ports: number;
  messages: number;
  findings: number;
}

export { sleep };

/** Reads until `ok` holds; the error names what was awaited and the last value read. */
export async function poll<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await read();
  while (!ok(v)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await sleep(120);
    v = await read();
  }
  return v;
}

/** The toolbar's counts, as shown. */
export const readCounts = (dt: PanelEval) =>
  dt.panelEval<Counts>(`(() => {
    // The counts are written in the UI language's digits and grouping (1,234 · 1 234): the digits are read.
    const n = (k) => Number((document.querySelector('[data-count=' + k + ']')?.textContent ?? '0').replace(/[^0-9]/g, '') || 0);
    return { contexts: n('contexts'), ports: n('ports'), messages: n('messages'), findings: n('findings') };
  })()`);

/** Clicks a view's tab until the panel says it is the active one. */
export const showView = (dt: PanelEval, view: string) =>
  poll(
    () => dt.panelEval<string | null>(`(document.querySelector('[data-view=${view}]').click(), document.querySelector('[data-active-view]')?.dataset.activeView ?? null)`),
    (v) => v === view,
    `the ${view} view`,
  );

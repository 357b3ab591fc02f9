// Firefox's way into a tab's workers (issue 21): while "Record inside workers" is on for a
// tab, the response of each dedicated worker's script is filtered on its way in and the
// worker code prepended on its first line (no newline added: the script's line numbers stay
// right, only line 1's columns shift). A worker script is told from a page script by its
// request's Sec-Fetch-Dest ("worker").
import browser from 'webextension-polyfill';
import type { WorkerEngine } from './worker-engine';

interface StreamFilter {
  ondata: ((e: { data: ArrayBuffer }) => void) | null;
  onstop: (() => void) | null;
  onerror: (() => void) | null;
  write(data: ArrayBuffer | Uint8Array): void;
  close(): void;
  disconnect(): void;
}
type FilterResponseData = (requestId: string) => StreamFilter;

export function firefoxWorkers(code: () => Promise<string>, _onChange: (tabId: number) => void): WorkerEngine {
  const tabs = new Set<number>();
  const wr = browser.webRequest as unknown as {
    filterResponseData?: FilterResponseData;
    onBeforeSendHeaders: { addListener(f: (d: Details) => unknown, filter: object, spec: string[]): void };
  };
  interface Details {
    requestId: string;
    tabId: number;
    type: string;
    requestHeaders?: { name: string; value?: string }[];
  }
  let text = '';
  const filter = wr.filterResponseData;
  if (filter) {
    wr.onBeforeSendHeaders.addListener(
      (d) => {
        if (!tabs.has(d.tabId) || d.type !== 'script') return undefined;
        const dest = d.requestHeaders?.find((h) => h.name.toLowerCase() === 'sec-fetch-dest')?.value;
        if (dest !== 'worker' || !text) return undefined;
        prepend(filter(d.requestId), text);
        return undefined;
      },
      { urls: ['<all_urls>'], types: ['script'] },
      ['blocking', 'requestHeaders'],
    );
  }

  return {
    async set(tabId, on) {
      if (!on) {
        tabs.delete(tabId);
        return undefined;
      }
      if (!filter) return 'this Firefox cannot filter responses (webRequest.filterResponseData)';
      text = await code();
      tabs.add(tabId);
      return undefined;
    },
    navigated() {},
    problem: () => undefined,
  };
}

/** Writes `prefix` before the response's first byte, then the response as it comes. */
function prepend(f: StreamFilter, prefix: string): void {
  let first = true;
  const bytes = new TextEncoder().encode(prefix);
  f.ondata = (e) => {
    if (first) {
      first = false;
      f.write(bytes);
    }
    f.write(e.data);
  };
  f.onstop = () => {
    if (first) f.write(bytes);
    f.close();
  };
  f.onerror = () => {};
}

// "Store as global variable" in the real DevTools of either browser (issue #24), on the debug
// page (test/pages/debug): the payload of the Map that talk() sends is stored as temp1 (a copy
// rebuilt from the recording), the sending port as temp2 (the page's own object), and posting
// on temp2 reaches its partner. The Chromium and Firefox e2e files run the same steps.
import { expect } from 'vitest';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { poll, showView, type PanelEval } from './panel-reads';

export interface StoreGlobalDevTools extends PanelEval {
  pageEval<T>(expression: string): Promise<T>;
  backgroundSnapshot(): Promise<AggregateSnapshot | null>;
}

/** `act` runs an action in the page (Chromium's harness runs it in a task of the page's own); `afterPayload` runs once temp1 is checked. */
export async function storePayloadAndPort(dt: StoreGlobalDevTools, act: (expression: string) => Promise<unknown>, afterPayload: () => Promise<unknown> = async () => {}) {
  expect(await dt.pageEval<boolean>(`'temp1' in window || 'temp2' in window`)).toBe(false);
  // The Map the page's talk() sends (again, if an earlier test did not get that far).
  if (!(await dt.pageEval<string[]>('window.log')).includes('talk when,what')) await act('(window.talk(), true)');
  const snap = (await poll(() => dt.backgroundSnapshot(), (s) => !!s?.messages.some((m) => m.preview?.includes('hello') && m.outcome.status === 'delivered'), 'the talk message'))!;
  const talk = snap.messages.find((m) => m.preview?.includes('hello'))!;
  await showView(dt, 'messages');
  await poll(() => dt.panelEval<boolean>(`(() => { const r = document.querySelector('[data-message-id="${talk.id}"]'); r?.click(); return !!document.querySelector('[data-details-message="${talk.id}"] [data-testid=store-payload]'); })()`), Boolean, 'the message in Details');
  await dt.panelEval(`(document.querySelector('[data-testid=store-payload]').click(), true)`);
  const stored = await poll(() => dt.panelEval<{ storedName?: string; storedReal?: string; text: string } | null>(`(() => { const e = document.querySelector('[data-testid=store-payload-result]'); return e ? { ...e.dataset, text: e.textContent } : null; })()`), (v) => !!v?.storedName, 'the payload stored');
  expect(stored).toMatchObject({ storedName: 'temp1', storedReal: 'false' });
  expect(stored!.text).toMatch(/^Stored as temp1 in 127\.0\.0\.1:\d+\/debug\/index\.html: a copy rebuilt from the recording/);
  expect(await dt.pageEval<boolean>(`temp1 instanceof Map && temp1.size === 2 && temp1.get('when') === 1n && temp1.get('what') === 'hello'`)).toBe(true);
  await afterPayload();

  // The sending port, picked in the Topology.
  await showView(dt, 'topology');
  await poll(() => dt.panelEval<boolean>(`(() => { document.querySelector('[data-port-id="${talk.fromPort}"]')?.click(); return !!document.querySelector('[data-details-port="${talk.fromPort}"] [data-testid=store-port]'); })()`), Boolean, 'the port in Details');
  await dt.panelEval(`(document.querySelector('[data-testid=store-port]').click(), true)`);
  const port = await poll(() => dt.panelEval<Record<string, string> | null>(`(() => { const e = document.querySelector('[data-testid=store-port-result]'); return e ? { ...e.dataset } : null; })()`), (v) => !!v?.storedName, 'the port stored');
  expect(port).toMatchObject({ storedName: 'temp2', storedReal: 'true' });
  expect(await dt.pageEval<boolean>(`temp2 === window.talkPort`)).toBe(true);
  // Posting on it reaches its partner, the page's own listener.
  await dt.pageEval(`(temp2.postMessage(new Map([['again', 2n]])), true)`);
  const log = await poll(() => dt.pageEval<string[]>('window.log'), (l) => l.includes('talk again'), 'the partner to get it');
  expect(log.at(-1)).toBe('talk again');
  // Nothing else was added to the page.
  expect(await dt.pageEval<boolean>(`'temp3' in window`)).toBe(false);
}

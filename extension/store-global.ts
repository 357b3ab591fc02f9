// Background side of "Store as global variable": routes the panel's request to the one frame
// that can take it (src/aggregate/store-global.ts) and brings back the page's answer.
import browser from 'webextension-polyfill';
import { isStoreResult, type BackgroundToRelay, type StoreOutcome, type StoreRequest } from '../src/protocol/messages';
import { routeStore } from '../src/aggregate/store-global';
import type { Session } from '../src/aggregate';

/** Numbers requests on the relay hop: requests of several panels never share one. */
let serial = 0;

export async function storeGlobal(session: Session, browserFrame: (frameId: number) => { tabId: number; frameId: number }, req: StoreRequest): Promise<StoreOutcome> {
  const route = routeStore(session, req.what);
  if ('error' in route) return { ok: false, error: route.error };
  const at = browserFrame(route.frameId);
  let result: unknown;
  try {
    result = await browser.tabs.sendMessage(at.tabId, { t: 'store', cmd: { ...route.cmd, req: ++serial } } as BackgroundToRelay, { frameId: at.frameId });
  } catch (e) {
    return { ok: false, error: `the frame could not be reached: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!isStoreResult(result)) return { ok: false, error: 'the frame did not answer (not instrumented?)' };
  return result.ok ? { ...result, where: route.where } : result;
}

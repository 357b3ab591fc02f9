// The "recording on, panel open" column: an extension page connects to the background as the
// Channels panel does (src/protocol/messages.ts: PANEL_PORT_NAME, subscribe) and counts what it
// gets, so that the background packs snapshots and deltas and audits for it during the rows.
// Evaluated in the extension page (Chromium's chrome, Firefox's browser), with the tab's URL.
export const PANEL_SUBSCRIBE = async (url) => {
  const api = globalThis.browser ?? globalThis.chrome;
  const tabs = await api.tabs.query({});
  const t = tabs.find((x) => x.url === url);
  if (!t) throw new Error(`no tab shows ${url}`);
  globalThis.__benchPanel?.port.disconnect();
  const port = api.runtime.connect({ name: 'ci-panel' });
  const state = { port, deltas: 0, snapshots: 0 };
  port.onMessage.addListener((m) => {
    if (m && m.t === 'delta') state.deltas++;
    else if (m && m.t === 'snapshot') state.snapshots++;
  });
  port.postMessage({ t: 'subscribe', tabId: t.id });
  globalThis.__benchPanel = state;
  // Once the snapshot came: the panel is open.
  for (let i = 0; i < 200 && state.snapshots === 0; i++) await new Promise((r) => setTimeout(r, 10));
  return state.snapshots;
};

// The panel's runtime port to the background. It reconnects if the service worker
// restarts, and asks for a fresh snapshot each time.
import browser, { type Runtime } from 'webextension-polyfill';
import { PANEL_PORT_NAME, type BackgroundToPanel, type PanelToBackground } from '../src/protocol/messages';
import { Store, type KeyValue } from './store';

export function connectToBackground(tabId: number, storage: KeyValue | null): Store {
  let port: Runtime.Port | null = null;
  const store = new Store((msg) => port?.postMessage(msg), storage);
  const connect = () => {
    port = browser.runtime.connect({ name: PANEL_PORT_NAME });
    port.onMessage.addListener((msg: unknown) => store.apply(msg as BackgroundToPanel));
    port.onDisconnect.addListener(() => {
      port = null;
      setTimeout(connect, 100);
    });
    port.postMessage({ t: 'subscribe', tabId } satisfies PanelToBackground);
  };
  connect();
  return store;
}

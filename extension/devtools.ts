// The DevTools page: exists while DevTools is open on the inspected tab. It creates the
// Channels panel and holds a port to the background so that the tab is recorded from the
// moment DevTools opens, as the Network panel does, not only once the panel is shown.
import browser, { type Runtime } from 'webextension-polyfill';
import { DEVTOOLS_PORT_NAME, type DevtoolsToBackground } from '../src/protocol/messages';

// Only inside DevTools; tests also open this page in a tab to talk to the background.
if (browser.devtools?.panels) {
  browser.devtools.panels.create(browser.i18n.getMessage('panelTitle') || 'Channels', '/icons/icon-32.png', '/panel.html').catch(() => {});
  const tabId = browser.devtools.inspectedWindow.tabId;
  const connect = () => {
    const port: Runtime.Port = browser.runtime.connect({ name: DEVTOOLS_PORT_NAME });
    // A restarted service worker closes the port: open it again, the tab stays recorded.
    port.onDisconnect.addListener(() => setTimeout(connect, 100));
    port.postMessage({ t: 'inspect', tabId } satisfies DevtoolsToBackground);
  };
  connect();
}

// Background side of the DevTools page's port: DevTools is open on a tab for as long as its
// DevTools page holds this port, and the tab is recorded from the moment it opens (as the
// Network panel does), whether or not the Channels panel has been shown yet.
import type { Runtime } from 'webextension-polyfill';
import { isDevtoolsToBackground } from '../src/protocol/messages';

export function acceptDevtoolsPage(port: Runtime.Port, extensionId: string, opened: (tabId: number) => void, closed: (tabId: number) => void): void {
  // Only the extension's own pages (the page's MAIN world has no runtime API to connect with).
  if (port.sender?.id !== extensionId) return port.disconnect();
  let tabId: number | null = null;
  port.onMessage.addListener((raw: unknown) => {
    if (tabId !== null || !isDevtoolsToBackground(raw)) return;
    tabId = raw.tabId;
    opened(tabId);
  });
  port.onDisconnect.addListener(() => {
    if (tabId !== null) closed(tabId);
  });
}

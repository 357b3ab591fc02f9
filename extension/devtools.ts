// The DevTools page: creates the Channels panel for the inspected tab.
import browser from 'webextension-polyfill';

// Only inside DevTools; tests also open this page in a tab to talk to the background.
if (browser.devtools?.panels) browser.devtools.panels.create('Channels', '/icons/icon-32.png', '/panel.html').catch(() => {});

// The DevTools page: creates the Channels panel for the inspected tab.
import browser from 'webextension-polyfill';

browser.devtools.panels.create('Channels', '/icons/icon-32.png', '/panel.html').catch(() => {});

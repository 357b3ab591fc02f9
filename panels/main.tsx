// Panel entry inside DevTools: connects to the background for the inspected tab.
import { render } from 'preact';
import browser from 'webextension-polyfill';
import { App } from './app';
import { connectToBackground } from './connection';

const root = document.getElementById('app')!;
const theme = (browser.devtools.panels as { themeName?: string }).themeName;
if (theme === 'dark') document.documentElement.classList.add('dark');
const store = connectToBackground(browser.devtools.inspectedWindow.tabId);
render(<App store={store} />, root);

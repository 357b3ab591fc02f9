// Panel entry inside DevTools: theme from DevTools, the live session of the inspected tab,
// and stack links that open in the Sources panel.
import { render } from 'preact';
import browser from 'webextension-polyfill';
import { App, type Host } from './app';
import { connectToBackground } from './connection';
import { sessionKeyValue } from './storage';
import { handOverDebug } from './debug-handover';
import { markLanguage } from './i18n';

const panels = browser.devtools.panels as typeof browser.devtools.panels & { themeName?: string };
if (panels.themeName === 'dark') document.documentElement.classList.add('dark');
const store = connectToBackground(browser.devtools.inspectedWindow.tabId, sessionKeyValue());
const withOpen = panels as unknown as { openResource?: (url: string, line: number) => Promise<unknown> | void };
// Stacks print 1-based lines; Chromium's openResource takes 0-based ones, Firefox's 1-based.
const firefox = navigator.userAgent.includes('Firefox/');
const host: Host = {
  openResource: withOpen.openResource
    ? (url, line) => {
        void Promise.resolve(withOpen.openResource!(url, firefox ? line : Math.max(0, line - 1))).catch(() => {});
      }
    : null,
};
handOverDebug(() => store.state, (fn) => store.subscribe(fn), () => store.noteHandover());
markLanguage(document);
render(<App store={store} host={host} />, document.getElementById('app')!);

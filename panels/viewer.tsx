// The standalone trace viewer (an extension page, no DevTools): the same views over a trace
// file opened with the picker or dropped on the page. A `?trace=` parameter is not read:
// files come only from the user.
import { render } from 'preact';
import { App, type Host } from './app';
import { Store } from './store';
import { sessionKeyValue } from './storage';
import { markLanguage, msg } from './i18n';

if (matchMedia('(prefers-color-scheme: dark)').matches) document.documentElement.classList.add('dark');
const store = new Store(() => {}, sessionKeyValue(), false);
const host: Host = { openResource: null };
markLanguage(document);
document.title = msg('viewerTitle');
render(<App store={store} host={host} />, document.getElementById('app')!);

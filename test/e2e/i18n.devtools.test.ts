// The Channels panel in each of its five languages, in the real DevTools of Chromium (`--lang`)
// and Firefox ESR (`intl.locale.requested` with Debian's language pack): the texts come from that
// language's catalogue, nothing in the view tabs or the Breakpoints form is clipped, and a
// screenshot of each goes to docs/screenshots/ (CJK needs fonts-noto-cjk: see .ci/run).
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePages } from '../support/pages-server';
import { openDevTools, type DevToolsSession } from '../support/devtools';
import { openFirefoxDevTools, type FirefoxDevTools } from '../support/firefox-devtools';
import { poll, showView } from '../support/panel-reads';

const server = servePages();
const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'docs', 'screenshots');
const LANGS = [
  { dir: 'en', tag: 'en-US' },
  { dir: 'fr', tag: 'fr' },
  { dir: 'ko', tag: 'ko' },
  { dir: 'zh_CN', tag: 'zh-CN' },
  { dir: 'zh_TW', tag: 'zh-TW' },
];
const catalogue = (dir: string) => JSON.parse(readFileSync(join(ROOT, '_locales', dir, 'messages.json'), 'utf8')) as Record<string, { message: string }>;

/** What the panel shows in its language, and every label whose text does not fit its box. */
const READ = `(() => {
  const text = (sel) => document.querySelector(sel)?.textContent?.trim() ?? null;
  const clipped = [...document.querySelectorAll('[data-view], .bp-form label, .bp-form button, .bp-list button')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
    .map((e) => e.textContent.trim());
  return { tab: document.querySelector('[data-view=breakpoints]')?.firstChild?.textContent ?? null, add: text('[data-testid=bp-add]'), lang: document.documentElement.lang, clipped };
})()`;
interface Read {
  tab: string | null;
  add: string | null;
  lang: string;
  clipped: string[];
}

type Session = DevToolsSession | FirefoxDevTools;
const engines: { name: string; open: (lang: string) => Promise<Session> }[] = [
  { name: 'chromium', open: (lang) => openDevTools(`${server.origin('127.0.0.1')}/debug/index.html`, { lang }) },
  { name: 'firefox', open: (lang) => openFirefoxDevTools(`${server.origin('127.0.0.1')}/debug/index.html`, { lang }) },
];

for (const engine of engines) {
  for (const { dir, tag } of LANGS) {
    describe(`the panel in ${dir} (${engine.name})`, () => {
      let dt: Session;
      beforeAll(async () => {
        dt = await engine.open(tag);
      });
      afterAll(async () => {
        await dt?.close();
      });

      it('shows its texts from that catalogue, none clipped, and is screenshotted', async () => {
        const cat = catalogue(dir);
        await showView(dt, 'breakpoints');
        const r = (await poll(() => dt.panelEval<Read>(READ), (v) => v.add !== null, 'the Breakpoints view'))!;
        expect(r.lang.replace('_', '-').toLowerCase().startsWith(tag.slice(0, 2).toLowerCase())).toBe(true);
        expect(r.tab).toBe(cat.viewBreakpoints.message);
        expect(r.add).toBe(cat.bpAdd.message);
        expect(r.clipped).toEqual([]);
        const shot = await dt.screenshot(`panel-${engine.name}-${dir}.png`);
        mkdirSync(SHOTS, { recursive: true });
        copyFileSync(shot, join(SHOTS, `panel-${engine.name}-${dir}.png`));
      });
    });
  }
}

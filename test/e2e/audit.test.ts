// Issue 7, in real browsers: every audit rule's trigger page (test/pages/audit/<rule>.html)
// yields its finding — rule, severity, the right messages and ports, stacks at the page's own
// line — except the rules that need evidence a page recording does not hold (RuleInfo.needs:
// target-origin-mismatch and wildcard-target-origin need window sends): their pages check that
// nothing is made up and that the recording reports them as not judged (issue 22). Every correct
// page of the corpus (test/pages/corpus) yields no finding, in Chromium and in Firefox ESR. One browser per engine; each page in its own tab (sessions are per tab).
// What each page must produce is in test/support/audit.ts and docs/rules.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_FIREFOX, launchChromiumWithExtension, launchFirefox } from '../../scripts/browsers.mjs';
import { startServer } from '../../scripts/serve.mjs';
import type { AuditFinding } from '../../src/audit';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { CORPUS, describeSnapshot, RULE_PAGES, type Engine, type Origins } from '../support/audit';

type Snap = AggregateSnapshot & { findings: AuditFinding[] };

/** Loads `path` in a new tab with recording on; `read()` is the tab's session as the background has it. */
type Open = (path: string) => Promise<{ read: () => Promise<Snap | null>; close: () => Promise<void> }>;

/** How long the background may take to hold what a finished page did (bounded wait). */
const SETTLE_MS = 20_000;

let server: Awaited<ReturnType<typeof startServer>>;
let origins: Origins;
beforeAll(async () => {
  server = await startServer();
  origins = { page: server.origin('127.0.0.1'), child: server.origin('localhost') };
});
afterAll(async () => {
  await server?.close();
});

/** Polls until `done`; on time-out fails with what the session held. */
async function until(read: () => Promise<Snap | null>, done: (s: Snap) => boolean, what: string): Promise<Snap> {
  const end = Date.now() + SETTLE_MS;
  let last = await read();
  while (!last || !done(last)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the session held:\n${describeSnapshot(last)}`);
    await new Promise((r) => setTimeout(r, 150));
    last = await read();
  }
  return last;
}

function suite(engine: Engine, launch: () => Promise<{ open: Open; close: () => Promise<void> }>) {
  describe(`${engine}: audit`, () => {
    let open: Open;
    let close: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      ({ open, close } = await launch());
    });
    afterAll(() => close?.());

    for (const [rule, sc] of Object.entries(RULE_PAGES)) {
      it(`${rule}: ${sc.path}`, async () => {
        const tab = await open(sc.path);
        try {
          const s = await until(tab.read, (x) => sc.ready(x, origins), `the ${rule} finding`);
          try {
            sc.check(s, origins, engine);
          } catch (err) {
            (err as Error).message += `\n\nthe session held:\n${describeSnapshot(s)}`;
            throw err;
          }
        } finally {
          await tab.close();
        }
      });
    }

    for (const [name, page] of Object.entries(CORPUS)) {
      it(`corpus/${name}: no finding`, async () => {
        const tab = await open(page.path);
        try {
          const s = await until(tab.read, page.complete, `corpus/${name} fully recorded`);
          expect(s.findings.map(({ rule, severity, message }) => ({ rule, severity, message })), describeSnapshot(s)).toEqual([]);
        } finally {
          await tab.close();
        }
      });
    }
  });
}

suite('chromium', async () => {
  const browser = await launchChromiumWithExtension();
  const sw = await browser.worker();
  await sw.evaluate(() => (globalThis as any).channelInspector.setRecordAll(true));
  const open: Open = async (path) => {
    const page = await browser.context.newPage();
    const url = `${origins.page}${path}`;
    await page.goto(url);
    await page.waitForFunction(() => (window as any).scenarioDone === true, null, { timeout: 30_000 });
    const read = async () =>
      (await browser.worker()).evaluate(async (u) => {
        const chrome = (globalThis as any).chrome;
        const tab = (await chrome.tabs.query({})).find((t: { url: string }) => t.url === u);
        return tab ? (globalThis as any).channelInspector.snapshot(tab.id) : null;
      }, url) as Promise<Snap | null>;
    return { read, close: () => page.close() };
  };
  return { open, close: () => browser.close() };
});

suite('firefox', async () => {
  const ff = await launchFirefox({ extDir: DIST_FIREFOX });
  const ext = await ff.extensionPage('/devtools.html');
  await ext.evaluate(async () => {
    const bg = await (globalThis as any).browser.runtime.getBackgroundPage();
    await bg.channelInspector.setRecordAll(true);
  });
  const open: Open = async (path) => {
    const page = await ff.browser.newPage();
    const url = `${origins.page}${path}`;
    await page.goto(url);
    await page.waitForFunction(() => (window as any).scenarioDone === true, { timeout: 30_000 });
    const read = () =>
      ext.evaluate(async (u: string) => {
        const b = (globalThis as any).browser;
        const tab = (await b.tabs.query({})).find((t: any) => t.url === u);
        if (!tab) return null;
        const bg = await b.runtime.getBackgroundPage();
        return bg.channelInspector.snapshot(tab.id);
      }, url) as Promise<Snap | null>;
    return { read, close: () => page.close() };
  };
  return { open, close: () => ff.close() };
});

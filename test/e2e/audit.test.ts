// Issue 7, in real browsers: every audit rule's trigger page (test/pages/audit/<rule>.html)
// yields its finding — rule, severity, the right messages and ports, stacks at the page's own
// line — except the rules that need evidence a page recording does not hold (RuleInfo.needs:
// target-origin-mismatch and wildcard-target-origin need window sends): their pages check that
// nothing is made up and that the recording reports them as not judged (issue 22). Every correct
// page of the corpus (test/pages/corpus) yields no finding, in Chromium and in Firefox ESR. One browser per engine; each page in its own tab (sessions are per tab).
// What each page must produce is in test/support/audit.ts and docs/rules.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../scripts/serve.mjs';
import type { AuditFinding } from '../../src/audit';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { CORPUS, describeSnapshot, RULE_PAGES, type Engine, type Origins } from '../support/audit';
import { launchRecorder, type Recorder } from '../support/recorder';

type Snap = AggregateSnapshot & { findings: AuditFinding[] };

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

function suite(engine: Engine) {
  describe(`${engine}: audit`, () => {
    let rec: Recorder | undefined;
    beforeAll(async () => {
      rec = await launchRecorder(engine);
    });
    afterAll(() => rec?.close());
    /** Loads `path` in a new tab (recording on) until the page says it is done; `read()` is the tab's session. */
    const open = async (path: string) => {
      const url = `${origins.page}${path}`;
      const tab = await rec!.open(url, 'scenarioDone');
      return { read: () => rec!.snapshot(url) as Promise<Snap | null>, close: tab.close };
    };

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

suite('chromium');
suite('firefox');

// The store build (npm run package) carries no test switch: nothing in its background can
// record every tab or hand out a session; the test build keeps them, in session storage.
// page.js is built per browser with its engine (src/instrument/boot.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAll } from '../../../scripts/build.mjs';

describe('builds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ci-build-'));
  const read = (kind: string, target: string, file: string) => readFileSync(join(dir, kind, target, file), 'utf8');
  beforeAll(async () => {
    await buildAll({ quiet: true, minify: true, testHooks: false, dest: join(dir, 'store') });
    await buildAll({ quiet: true, minify: true, testHooks: true, dest: join(dir, 'test') });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const target of ['chrome', 'firefox']) {
    it(`${target}: the store build has no test hooks, the test build keeps them out of storage.local`, () => {
      const store = read('store', target, 'background.js');
      const test = read('test', target, 'background.js');
      // (TabState's `recordAll: false` stays: the panel is told the switch is off.)
      for (const hook of ['setRecordAll', 'channelInspector', '"recordAll"', 'storage.session.set({recordAll']) expect(store.includes(hook), hook).toBe(false);
      expect(test.includes('setRecordAll')).toBe(true);
      expect(test.includes('storage.session.set({recordAll')).toBe(true);
      expect(/storage\.local\.(get|set)\(\s*\{?\s*["']?recordAll/.test(test)).toBe(false);
    });
  }

  it('page.js names its engine from the build, and never reads the user agent', () => {
    expect(read('store', 'chrome', 'page.js')).toMatch(/"chromium"\)/);
    expect(read('store', 'firefox', 'page.js')).toMatch(/"firefox"\)/);
    for (const target of ['chrome', 'firefox']) expect(read('store', target, 'page.js')).not.toContain('userAgent');
  });
});

// The README's example spec (examples/) under the real @playwright/test runner, as
// test/e2e/helper.test.ts runs it: DEMO_URL names the page (that test serves the demo, or its
// broken variant) and TRACE_OUT where the spec saves its trace. The fixture launches the
// system browsers itself (/usr/bin/chromium; Firefox ESR through Puppeteer when browserName is
// 'firefox'), so no Playwright-managed browser is ever launched or downloaded.
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: fileURLToPath(new URL('../../examples', import.meta.url)),
  testMatch: '*.spec.mjs',
  // Browsers are heavy on the shared machine; results go to the caller, not to disk.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: 'line',
  outputDir: process.env.PW_OUTPUT_DIR ?? fileURLToPath(new URL('../../node_modules/.cache/pw-test-results', import.meta.url)),
  timeout: 120_000,
  projects: [
    { name: 'chromium', use: { browserName: 'chromium' } },
    { name: 'firefox', use: { browserName: 'firefox' } },
  ],
});

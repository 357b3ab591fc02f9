#!/usr/bin/env node
// npm start: builds the extension, serves the demo pages, and opens Chromium with the
// extension loaded and DevTools open on the demo (open the "Channels" tab in DevTools).
// Without a display it runs headless, uses the demo, and prints what it recorded.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_FLAGS, DIST_CHROME, ROOT, launchChromiumWithExtension, requireBrowser } from './browsers.mjs';
import { buildAll } from './build.mjs';
import { startServer } from './serve.mjs';

await buildAll();
const server = await startServer({ port: Number(process.env.PORT ?? 0) });
const url = `${server.origin('127.0.0.1')}/demo/index.html`;
const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && !process.argv.includes('--headless');

if (hasDisplay) {
  const profile = join(ROOT, '.profiles', 'start');
  mkdirSync(profile, { recursive: true });
  console.log(`Demo: ${url}\nChromium opens with DevTools; pick the "Channels" tab. Close the browser to stop.`);
  const child = spawn(
    requireBrowser('chromium'),
    [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--auto-open-devtools-for-tabs', `--disable-extensions-except=${DIST_CHROME}`, `--load-extension=${DIST_CHROME}`, url],
    { stdio: 'ignore' },
  );
  child.on('exit', () => server.close().then(() => process.exit(0)));
} else {
  console.log(`No display: recording the demo (${url}) in headless Chromium…\n`);
  const { printSummary } = await import(join(ROOT, 'dist', 'cli.mjs'));
  const browser = await launchChromiumWithExtension();
  try {
    const sw = await browser.worker();
    await sw.evaluate(() => globalThis.channelInspector.setRecordAll(true));
    const page = await browser.context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.demoReceived >= 2, null, { timeout: 10_000 });
    await page.click('#ping');
    await page.waitForFunction(() => window.demoReceived >= 3, null, { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 300)); // let the last batches reach the background
    const snapshot = await sw.evaluate(async (u) => {
      const tab = (await chrome.tabs.query({})).find((t) => t.url === u);
      await globalThis.channelInspector.release(tab.id);
      return globalThis.channelInspector.snapshot(tab.id);
    }, url);
    printSummary(snapshot);
    console.log(`\nWith a display, npm start opens Chromium with DevTools on the demo; the "Channels" panel shows the same, live.`);
  } finally {
    await browser.close();
    await server.close();
  }
}

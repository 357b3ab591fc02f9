// Finding and launching the real browsers, shared by npm start, npm test, the CLI
// recorder, the benchmarks and the e2e tests. No tool here downloads a browser.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const DIST_CHROME = join(ROOT, 'dist', 'chrome');
export const DIST_FIREFOX = join(ROOT, 'dist', 'firefox');

const BROWSERS = {
  chromium: { env: 'CHROMIUM_PATH', paths: ['/usr/bin/chromium', '/usr/bin/chromium-browser'], apt: 'chromium' },
  firefox: { env: 'FIREFOX_PATH', paths: ['/usr/bin/firefox-esr', '/usr/bin/firefox'], apt: 'firefox-esr' },
};

/** The browser's executable, or null. CHROMIUM_PATH / FIREFOX_PATH win over the defaults. */
export function findBrowser(name) {
  const b = BROWSERS[name];
  const fromEnv = process.env[b.env];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return b.paths.find((p) => existsSync(p)) ?? null;
}

export function browserHelp(name) {
  const b = BROWSERS[name];
  return `${name} was not found. Install Debian's package (sudo apt-get install -y ${b.apt}) or set ${b.env} to its executable.`;
}

export function requireBrowser(name) {
  const path = findBrowser(name);
  if (!path) throw new Error(browserHelp(name));
  return path;
}

export function aptPackage(name) {
  return BROWSERS[name].apt;
}

// Flags that keep Chromium quiet on a machine with no network but loopback.
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

export function freshProfile(prefix = 'ci-profile-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Kills a browser started by hand (spawn) and removes its profile, retrying a moment: its
 * helper processes may still be writing there.
 * @param {import('node:child_process').ChildProcess} child
 * @param {{ remove(): void }} profile
 */
export async function killBrowser(child, profile) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await Promise.race([exited, sleep(5000)]);
  for (let i = 0; i < 10; i++) {
    try {
      profile.remove();
      return;
    } catch {
      await sleep(200);
    }
  }
}

/**
 * Chromium with the unpacked extension (playwright-core). Resolves with the context,
 * the extension's service worker and id.
 */
/** @param {{ extDir?: string, headless?: boolean, args?: string[] }} [options] */
export async function launchChromiumWithExtension({ extDir = DIST_CHROME, headless = true, args = [] } = {}) {
  const { chromium } = await import('playwright-core');
  const profile = freshProfile();
  const context = await chromium.launchPersistentContext(profile.dir, {
    executablePath: requireBrowser('chromium'),
    headless,
    args: [...CHROMIUM_FLAGS, `--disable-extensions-except=${extDir}`, `--load-extension=${extDir}`, ...args],
  });
  let sw = context.serviceWorkers()[0];
  if (!sw) sw = await context.waitForEvent('serviceworker', { timeout: 30_000 });
  const extensionId = new URL(sw.url()).host;
  return {
    context,
    serviceWorker: sw,
    extensionId,
    /** The current service worker (it may have been restarted). */
    worker: async () => context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker')),
    close: async () => {
      await context.close().catch(() => {});
      profile.remove();
    },
  };
}

/** Plain Chromium, no extension: the native baseline for differential tests and benchmarks. */
/** @param {{ headless?: boolean, args?: string[] }} [options] */
export async function launchChromium({ headless = true, args = [] } = {}) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: requireBrowser('chromium'), headless, args: [...CHROMIUM_FLAGS, ...args] });
  return { browser, close: () => browser.close().catch(() => {}) };
}

const GECKO_ID = 'channel-inspector@channel-inspector.dev';

/**
 * Firefox ESR over WebDriver BiDi (puppeteer-core 24), optionally with the unpacked
 * extension. BiDi may not navigate a tab to a moz-extension:// page, so the browser
 * runs with system access and `extensionPage(path)` opens one from the browser chrome;
 * tests evaluate there with the extension's own `browser` API, as its pages do.
 */
/** @param {{ extDir?: string | null, headless?: boolean, args?: string[], prefs?: Record<string, unknown>, windowViewport?: boolean }} [options] */
export async function launchFirefox({ extDir = null, headless = true, args = [], prefs = {}, windowViewport = false } = {}) {
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: requireBrowser('firefox'),
    headless,
    args: [...(extDir ? ['--remote-allow-system-access'] : []), ...args],
    // windowViewport: pages take the window's size (no 800×600 emulation), as when DevTools is docked under them.
    ...(windowViewport ? { defaultViewport: null } : {}),
    extraPrefsFirefox: {
      // Loopback only: no updates, telemetry or captive-portal probes.
      'app.update.enabled': false,
      'network.captive-portal-service.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'extensions.update.enabled': false,
      'network.proxy.allow_hijacking_localhost': false,
      ...prefs,
    },
  });
  let extensionId = null;
  if (extDir) extensionId = await browser.installExtension(resolve(extDir));
  const bidi = browser.connection;
  const callIn = async (context, fn, arg, scope) => {
    const res = await bidi.send('script.callFunction', {
      functionDeclaration: `async (arg) => JSON.stringify(await (${fn})(arg))`,
      arguments: [{ type: 'string', value: JSON.stringify(arg ?? null) }],
      target: { context },
      awaitPromise: true,
      ...(scope ? { 'moz:scope': scope } : {}),
    });
    const r = res.result;
    if (r.type === 'exception') throw new Error(`evaluation failed: ${r.exceptionDetails?.text ?? JSON.stringify(r)}`);
    const v = r.result?.value;
    return v === undefined ? undefined : JSON.parse(v);
  };
  return {
    browser,
    extensionId,
    /** Runs `fn(arg)` in a browsing context (BiDi id); scope 'chrome' for the browser's own windows. */
    callIn,
    /**
     * Opens an extension page in a new tab; `evaluate(fn, arg)` runs there (arg and result as JSON).
     * @param {string} path
     * @returns {Promise<{ url: string, evaluate: (fn: (arg: any) => unknown, arg?: unknown) => Promise<any> }>}
     */
    async extensionPage(path) {
      const chrome = (await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' })).result.contexts[0].context;
      const url = await callIn(
        chrome,
        `(arg) => { const a = JSON.parse(arg); const url = 'moz-extension://' + WebExtensionPolicy.getByID(a.id).mozExtensionHostname + a.path;
          const w = Services.wm.getMostRecentWindow('navigator:browser');
          w.gBrowser.addTab(url, { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() }); return url; }`,
        { id: extensionId, path },
        'chrome',
      );
      let context = null;
      for (let i = 0; i < 100 && !context; i++) {
        const tree = (await bidi.send('browsingContext.getTree', {})).result.contexts;
        context = tree.find((c) => c.url === url)?.context ?? null;
        if (!context) await new Promise((r) => setTimeout(r, 50));
      }
      if (!context) throw new Error(`extension page ${url} did not open`);
      // Wait for its scripts (the `browser` API) to be there.
      for (let i = 0; i < 100; i++) {
        if (await callIn(context, `() => typeof browser === 'object' && document.readyState === 'complete'`).catch(() => false)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      return {
        url,
        evaluate: (fn, arg) => callIn(context, `(arg) => (${fn.toString()})(JSON.parse(arg))`, arg),
      };
    },
    close: () => browser.close().catch(() => {}),
  };
}

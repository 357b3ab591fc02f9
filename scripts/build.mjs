#!/usr/bin/env node
// Builds both unpacked extensions from one source manifest:
//   dist/chrome  (background.service_worker)   dist/firefox  (background.scripts + gecko id)
// Usage: node scripts/build.mjs [--watch]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { ROOT } from './browsers.mjs';

const ENTRIES = {
  // MAIN world: runs inside the page, before its scripts. No extension APIs here.
  page: 'extension/page.ts',
  // Isolated world: relays the page's batches to the background.
  relay: 'extension/relay.ts',
  background: 'extension/background.ts',
  devtools: 'extension/devtools.ts',
  panel: 'panels/main.tsx',
  viewer: 'panels/viewer.tsx',
};
const STATIC = ['extension/devtools.html', 'extension/panel.html', 'extension/viewer.html', 'extension/panel.css', 'extension/icons', '_locales'];

export function manifestFor(target) {
  const m = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  m.version = pkg.version;
  // Record inside workers (issue 21): the debugger in Chrome, a worker script's response
  // filtered in Firefox; each engine gets only its own permissions.
  const FIREFOX_ONLY = ['webRequest', 'webRequestBlocking', 'webRequestFilterResponse', 'webRequestFilterResponse.serviceWorkerScript'];
  m.permissions = m.permissions.filter((p) => (target === 'chrome' ? !FIREFOX_ONLY.includes(p) : p !== 'debugger'));
  if (target === 'chrome') {
    m.background = { service_worker: m.background.service_worker };
    delete m.browser_specific_settings;
  } else {
    m.background = { scripts: m.background.scripts };
    // Chromium-only keys; Firefox clones structurally already and matches about: frames by its own rules.
    delete m.message_serialization;
    for (const cs of m.content_scripts) delete cs.match_origin_as_fallback;
  }
  return m;
}

// The test helper (channel-inspector/playwright, /puppeteer): Node bundles that load the
// drivers from the user's node_modules, never bundle them.
const HELPER_ENTRIES = { playwright: 'src/testing/playwright.ts', puppeteer: 'src/testing/puppeteer.ts' };

/** Where the background puts its secret in the worker entry (extension/worker-entry.ts). */
export const WORKER_TOKEN_PLACEHOLDER = '__CI_WORKER_TOKEN__';

/**
 * worker.js: the instrumentation run inside workers. One line with no trailing newline and no
 * source map comment: Firefox prepends it to the first line of a worker's script, whose line
 * numbers must stay as they are.
 */
async function buildWorkerEntry(out, quiet) {
  for (const target of ['chrome', 'firefox']) writeFileSync(join(out, target, 'worker.js'), await workerEntry(target, quiet));
}

async function workerEntry(target, quiet) {
  const result = await build({
    entryPoints: ['extension/worker-entry.ts'],
    write: false,
    bundle: true,
    format: 'iife',
    target: ['chrome120', 'firefox128'],
    minify: true,
    legalComments: 'none',
    define: { WORKER_TOKEN: JSON.stringify(WORKER_TOKEN_PLACEHOLDER), __ENGINE__: JSON.stringify(ENGINE[target]) },
    // Minified strings stay quoted: a template literal would carry a newline into the line.
    supported: { 'template-literal': false },
    logLevel: quiet ? 'error' : 'warning',
    absWorkingDir: ROOT,
  });
  let code = result.outputFiles[0].text.replace(/\n+$/, '');
  // The directive goes inside the function: prepended to a worker's script, a leading one
  // would make the whole script strict.
  const head = '"use strict";(()=>{';
  if (code.startsWith(head)) code = '(()=>{"use strict";' + code.slice(head.length);
  if (/^\s*["']use strict["']/.test(code)) throw new Error('worker.js must not start with a "use strict" directive');
  if (!code.endsWith(';')) code += ';';
  if (/[\n\r\u2028\u2029]/.test(code)) throw new Error('worker.js must be one line (Firefox prepends it to a worker\'s first line)');
  if (code.split(WORKER_TOKEN_PLACEHOLDER).length !== 2) throw new Error('worker.js must hold its token placeholder once');
  return code;
}

/** The engine page.js predicts (src/model/profiles.ts), by target: the build says it, not the page's user agent. */
const ENGINE = { chrome: 'chromium', firefox: 'firefox' };

/**
 * `testHooks`: the background's globalThis.channelInspector (record every tab, read a session),
 * which the CLI recorder, the e2e tests and the bench drive. `npm run package` builds without.
 */
/** `types`: also write the helper's .d.ts files into <dest>/types (slow; npm pack asks for it). */
export async function buildAll({ minify = false, quiet = false, testHooks = true, dest = join(ROOT, 'dist'), types = false } = {}) {
  // Built beside dist/ and swapped in at the end: a failed build leaves the last good one.
  const final = dest;
  const out = `${dest}.partial`;
  rmSync(out, { recursive: true, force: true });
  const bundle = join(out, '.bundle');
  const existing = Object.fromEntries(Object.entries(ENTRIES).filter(([name, src]) => name !== 'page' && existsSync(join(ROOT, src))));
  const common = {
    bundle: true,
    format: 'iife',
    target: ['chrome120', 'firefox128'],
    minify,
    sourcemap: minify ? false : 'linked',
    legalComments: 'none',
    logLevel: quiet ? 'error' : 'warning',
    absWorkingDir: ROOT,
  };
  await build({
    ...common,
    entryPoints: existing,
    outdir: bundle,
    define: { __TEST_HOOKS__: testHooks ? 'true' : 'false' },
    bundle: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
  });
  for (const target of ['chrome', 'firefox']) {
    const dir = join(out, target);
    mkdirSync(dir, { recursive: true });
    cpSync(bundle, dir, { recursive: true });
    await build({ ...common, entryPoints: { page: ENTRIES.page }, outdir: dir, define: { __ENGINE__: JSON.stringify(ENGINE[target]) } });
    for (const s of STATIC) if (existsSync(join(ROOT, s))) cpSync(join(ROOT, s), join(dir, s.replace(/^extension\//, '')), { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifestFor(target), null, 2) + '\n');
  }
  rmSync(bundle, { recursive: true, force: true });
  await buildWorkerEntry(out, quiet);
  // The Node side (CLI, npm start) shares src/ with the extension.
  await build({
    entryPoints: { cli: 'src/cli/index.ts' },
    outdir: out,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: quiet ? 'error' : 'warning',
    absWorkingDir: ROOT,
  });
  await build({
    entryPoints: HELPER_ENTRIES,
    outdir: out,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['playwright-core', 'puppeteer-core'],
    logLevel: quiet ? 'error' : 'warning',
    absWorkingDir: ROOT,
  });
  if (types) {
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.types.json'), '--outDir', join(out, 'types')], { stdio: 'inherit', cwd: ROOT });
    if (tsc.status !== 0) throw new Error('tsc could not write the helper\'s declarations');
  }
  rmSync(final, { recursive: true, force: true });
  renameSync(out, final);
  if (!quiet) console.log(`built dist/chrome and dist/firefox`);
}


if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildAll({ minify: process.argv.includes('--minify'), testHooks: !process.argv.includes('--store'), types: process.argv.includes('--types') });
}

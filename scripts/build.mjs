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

#!/usr/bin/env node
// channel-inspector: the command-line tool (src/cli, bundled to dist/cli.mjs). In a checkout it
// builds dist/ first when the bundle or an extension is missing, so a fresh clone just works;
// an installed package ships dist/ and no sources, so there it never tries to build.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as browsers from './browsers.mjs';

const { ROOT, DIST_CHROME, DIST_FIREFOX } = browsers;
const bundle = join(ROOT, 'dist', 'cli.mjs');
if (![bundle, join(DIST_CHROME, 'manifest.json'), join(DIST_FIREFOX, 'manifest.json')].every(existsSync)) {
  if (!existsSync(join(ROOT, 'scripts', 'build.mjs')) || !existsSync(join(ROOT, 'src'))) {
    process.stderr.write(`channel-inspector: this installation has no built extension (${join(ROOT, 'dist')} is incomplete); reinstall the package.\n`);
    process.exit(2);
  }
  process.stderr.write('channel-inspector: building dist/ (first run)…\n');
  const { buildAll } = await import('./build.mjs');
  await buildAll({ quiet: true });
}

const { main } = await import(pathToFileURL(bundle).href);
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
// First Ctrl-C: stop recording and write the trace; a second one quits at once.
const stop = new AbortController();
process.once('SIGINT', () => {
  stop.abort();
  process.once('SIGINT', () => process.exit(130));
});
process.exitCode = await main(process.argv.slice(2), { browsers, signal: stop.signal, version });

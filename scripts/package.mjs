#!/usr/bin/env node
// npm run package: store-ready zips of both builds in web-ext-artifacts/.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DIST_CHROME, DIST_FIREFOX, ROOT } from './browsers.mjs';
import { buildAll } from './build.mjs';

// The store build: no test hooks (scripts/build.mjs).
await buildAll({ minify: true, quiet: true, testHooks: false });
const pkg = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(join(ROOT, 'package.json'), 'utf8')));
for (const [target, dir] of [
  ['chrome', DIST_CHROME],
  ['firefox', DIST_FIREFOX],
]) {
  const r = spawnSync(
    join(ROOT, 'node_modules', '.bin', 'web-ext'),
    ['build', '--source-dir', dir, '--artifacts-dir', join(ROOT, 'web-ext-artifacts'), '--filename', `channel-inspector-${target}-${pkg.version}.zip`, '--overwrite-dest'],
    { stdio: 'inherit', cwd: ROOT },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}

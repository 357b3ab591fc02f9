#!/usr/bin/env node
// npm run lint: the type check, the layering check (scripts/check-layers.mjs: imports point
// down, no browser globals in src/, no import circles), then web-ext lint of the Firefox build
// (offline), which must report no errors.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DIST_FIREFOX, ROOT } from './browsers.mjs';
import { buildAll } from './build.mjs';

const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const tsc = spawnSync(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], { stdio: 'inherit', cwd: ROOT });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
console.log('typecheck: ok');
const layers = spawnSync(process.execPath, [join(ROOT, 'scripts', 'check-layers.mjs'), ROOT], { stdio: 'inherit', cwd: ROOT });
if (layers.status !== 0) process.exit(layers.status ?? 1);
await buildAll({ quiet: true });
const lint = spawnSync(bin('web-ext'), ['lint', '--source-dir', DIST_FIREFOX, '--output', 'json', '--self-hosted'], { cwd: ROOT, encoding: 'utf8' });
let result;
try {
  result = JSON.parse(lint.stdout);
} catch {
  console.error(lint.stdout, lint.stderr);
  process.exit(1);
}
for (const kind of ['errors', 'warnings', 'notices']) {
  for (const m of result[kind]) console.log(`web-ext ${kind.slice(0, -1)}: ${m.code} ${m.file ?? ''} ${m.message}`);
}
console.log(`web-ext lint: ${result.summary.errors} errors, ${result.summary.warnings} warnings, ${result.summary.notices} notices`);
process.exit(result.summary.errors === 0 ? 0 : 1);

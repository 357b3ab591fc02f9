#!/usr/bin/env node
// Records the decoder test pages (test/pages/decoders) once per browser with the CLI and
// writes the traces the decoder unit tests read: test/fixtures/decoders-<browser>.trace.json.
// Run after a build when the pages or the decoders change: node scripts/record-fixtures.mjs
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './browsers.mjs';
import { startServer } from './serve.mjs';

const server = await startServer();
const dir = join(ROOT, 'test', 'fixtures');
mkdirSync(dir, { recursive: true });
let failed = false;
try {
  for (const browser of ['chromium', 'firefox']) {
    const out = join(dir, `decoders-${browser}.trace.json`);
    const url = `${server.origin('127.0.0.1')}/decoders/index.html`;
    // Asynchronously: this process serves the pages meanwhile.
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'cli.mjs'), 'record', url, '--browser', browser, '--until-idle', '1500', '-o', out], { stdio: 'inherit' });
    const code = await new Promise((ok) => child.on('close', ok));
    if (code !== 0) failed = true;
  }
} finally {
  await server.close();
}
process.exit(failed ? 1 : 0);

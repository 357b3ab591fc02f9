// The package as a user gets it: `npm pack` here (prepack builds dist/ with the helper's
// types), `npm install --offline` of the tarball into an empty project in a temporary
// directory (every tarball from npm's local cache, pinned by a lock derived from this
// repository's: test/support/offline-lock.mjs; no registry), then the installed bin records the demo in
// Chromium and Firefox ESR and the README's example spec runs there against the demo.
// Nothing of this repository's node_modules is reachable from that project.
import { execFile, type ExecFileOptions } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/browsers.mjs';
import { PAGES_DIR, startServer } from '../../scripts/serve.mjs';
import { importTrace } from '../../src/trace';
import { offlineLock } from '../support/offline-lock.mjs';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], o: ExecFileOptions): Promise<Result> {
  return new Promise((resolve) => {
    execFile(file, args, { maxBuffer: 64 * 1024 * 1024, ...o }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

let server: Awaited<ReturnType<typeof startServer>>;
let brokenServer: Awaited<ReturnType<typeof startServer>>;
let dir: string;
let project: string;
let tarball: string;

// npm pack builds (tsc for the types) and npm install unpacks: minutes on a loaded machine.
beforeAll(async () => {
  server = await startServer();
  brokenServer = await startServer({ dirs: [join(PAGES_DIR, 'demo-broken'), PAGES_DIR] });
  dir = mkdtempSync(join(tmpdir(), 'ci-package-e2e-'));
  const pack = await run('npm', ['pack', '--pack-destination', dir], { cwd: ROOT });
  expect(pack.code, pack.stderr).toBe(0);
  tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  project = join(dir, 'project');
  mkdirSync(project);
  const self = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-app', private: true, type: 'module', devDependencies: { [self.name]: `file:${tarball}` } }, null, 2));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(offlineLock(ROOT, { name: self.name, version: self.version, tarball, dependencies: self.dependencies }), null, 2));
  const install = await run('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: project });
  expect(install.code, install.stderr).toBe(0);
}, 600_000);

afterAll(async () => {
  await server?.close();
  await brokenServer?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const npx = (args: string[]) => run('npx', ['--offline', '--no-install', 'channel-inspector', ...args], { cwd: project });

describe('the packed tarball installed in an empty project', () => {
  it('ships the built extension, the bin, the helper with its types, and no sources', () => {
    const pkg = join(project, 'node_modules', 'channel-inspector');
    for (const f of ['dist/chrome/manifest.json', 'dist/firefox/manifest.json', 'dist/cli.mjs', 'dist/playwright.mjs', 'dist/puppeteer.mjs', 'dist/types/src/testing/playwright.d.ts', 'scripts/cli.mjs', 'examples/channels.spec.mjs']) {
      expect(existsSync(join(pkg, f)), f).toBe(true);
    }
    for (const f of ['src', 'test', 'scripts/build.mjs', 'node_modules']) expect(existsSync(join(pkg, f)), f).toBe(false);
    const installed = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
    expect(Object.keys(installed.devDependencies)).toEqual(['channel-inspector']);
    // Its run-time dependencies came with it.
    expect(existsSync(join(project, 'node_modules', 'playwright-core', 'package.json'))).toBe(true);
    expect(existsSync(join(project, 'node_modules', 'puppeteer-core', 'package.json'))).toBe(true);
  });

  it.each(['chromium', 'firefox'])('npx channel-inspector record, summary, audit and diff work there in %s', async (browser) => {
    const url = `${server.origin('127.0.0.1')}/demo/index.html`;
    const a = await npx(['record', url, '--browser', browser, '-o', `demo-${browser}.json`]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).not.toContain('building');
    expect(a.stdout).toContain(`Wrote demo-${browser}.json`);
    const doc = importTrace(readFileSync(join(project, `demo-${browser}.json`), 'utf8'));
    expect(doc.messages.length).toBeGreaterThan(0);
    expect(doc.meta.tool).toBe('channel-inspector 0.1.0');
    expect((await npx(['summary', `demo-${browser}.json`])).stdout).toContain('Frames and ports:');
    const junit = await npx(['audit', `demo-${browser}.json`, '--format', 'junit']);
    expect(junit.code).toBe(0);
    expect(junit.stdout).toContain('<testsuites name="channel-inspector audit"');
    expect((await npx(['--version'])).stdout.trim()).toBe('0.1.0');
  }, 300_000);

  it('runs the example spec there: passes on the demo, fails naming the finding on the broken one', async () => {
    // @playwright/test cannot be installed offline here: a stand-in (test/support/playwright-test-shim.mjs)
    // plays its part (test.extend fixtures, expect.extend matchers), as a package in that project.
    const shimDir = join(project, 'node_modules', '@playwright', 'test');
    mkdirSync(shimDir, { recursive: true });
    cpSync(join(ROOT, 'test', 'support', 'playwright-test-shim.mjs'), join(shimDir, 'index.mjs'));
    writeFileSync(join(shimDir, 'package.json'), JSON.stringify({ name: '@playwright/test', version: '0.0.0-stand-in', type: 'module', exports: './index.mjs' }));
    cpSync(join(project, 'node_modules', 'channel-inspector', 'examples', 'channels.spec.mjs'), join(project, 'channels.spec.mjs'));
    writeFileSync(
      join(project, 'run-spec.mjs'),
      `import { runTests } from '@playwright/test';\nawait import('./channels.spec.mjs');\nconst results = [];\nfor (const browserName of ['chromium', 'firefox']) for (const r of await runTests({ browserName })) results.push({ browserName, ...r });\nconsole.log(JSON.stringify(results));\n`,
    );
    const spec = (url: string) => run(process.execPath, ['run-spec.mjs'], { cwd: project, env: { ...process.env, DEMO_URL: url } });
    const good = await spec(`${server.origin('127.0.0.1')}/demo/index.html`);
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout).map((r: { browserName: string; ok: boolean; error: string | null }) => [r.browserName, r.ok, r.error])).toEqual([
      ['chromium', true, null],
      ['firefox', true, null],
    ]);
    const bad = await spec(`${brokenServer.origin('127.0.0.1')}/demo/index.html`);
    const results = JSON.parse(bad.stdout) as { browserName: string; ok: boolean; error: string }[];
    expect(results.map((r) => [r.browserName, r.ok])).toEqual([
      ['chromium', false],
      ['firefox', false],
    ]);
    for (const r of results) expect(r.error).toMatch(/^Expected no channel-inspector findings at or above error, found 1:\n {2}ERROR port-never-started: 3 messages were never delivered to port #\d+ in page 127\.0\.0\.1:\d+\/demo\/index\.html/);
  }, 600_000);
});

// The test helper end to end, from the built bundles (dist/playwright.mjs, dist/puppeteer.mjs):
// the README's example spec (examples/channels.spec.mjs) passes on the demo and fails naming
// the finding on its broken variant, in Chromium and Firefox ESR; the handle's calls; and
// `diff` on what the spec saved. The spec runs under the real @playwright/test runner
// (test/playwright/playwright.config.mjs, one project per browser), as a user runs it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/browsers.mjs';
import { PAGES_DIR, startServer } from '../../scripts/serve.mjs';
import { importTrace } from '../../src/trace';

type Playwright = typeof import('../../src/testing/playwright');
type Puppeteer = typeof import('../../src/testing/puppeteer');
const bundle = <T>(name: string): Promise<T> => import(/* @vite-ignore */ new URL(`../../dist/${name}.mjs`, import.meta.url).href) as Promise<T>;

let server: Awaited<ReturnType<typeof startServer>>;
/** The same pages, with the broken demo's child.js in place of the good one (test/pages/demo-broken). */
let brokenServer: Awaited<ReturnType<typeof startServer>>;
let dir: string;

beforeAll(async () => {
  server = await startServer();
  brokenServer = await startServer({ dirs: [join(PAGES_DIR, 'demo-broken'), PAGES_DIR] });
  dir = mkdtempSync(join(tmpdir(), 'ci-helper-e2e-'));
});
afterAll(async () => {
  await server?.close();
  await brokenServer?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const DEMO = '/demo/index.html';
const PLAYWRIGHT_CLI = join(ROOT, 'node_modules', '@playwright', 'test', 'cli.js');
const PLAYWRIGHT_CONFIG = join(ROOT, 'test', 'playwright', 'playwright.config.mjs');
const TITLE = 'the demo hands a port to its iframe and loses no message';
const page = (path: string) => `${server.origin('127.0.0.1')}${path}`;
const broken = (path: string) => `${brokenServer.origin('127.0.0.1')}${path}`;

/**
 * The example spec, once, under `npx playwright test` in the project named `browserName`,
 * against `url`; the trace it saves goes to `trace`. The spec imports channel-inspector/playwright
 * by the package's own name: the built dist/playwright.mjs, as a user gets it.
 */
function runSpec(browserName: string, url: string, trace: string): Promise<{ code: number; output: string }> {
  const args = [PLAYWRIGHT_CLI, 'test', '--config', PLAYWRIGHT_CONFIG, '--project', browserName, '--reporter', 'line'];
  const env = { ...process.env, DEMO_URL: url, TRACE_OUT: trace, PW_OUTPUT_DIR: join(dir, `pw-${browserName}`), FORCE_COLOR: '0' };
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, output: stdout + stderr });
    });
  });
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'scripts', 'cli.mjs'), ...args], { cwd: dir }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe.each(['chromium', 'firefox'])('the example spec in %s', (browserName) => {
  const trace = (name: string) => join(dir, `${browserName}-${name}.json`);

  it('passes on the demo and saves a trace of it', async () => {
    const r = await runSpec(browserName, page(DEMO), trace('demo'));
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(`[${browserName}] › examples/channels.spec.mjs`);
    expect(r.output).toContain(TITLE);
    expect(r.output).toMatch(/\b1 passed\b/);
    const doc = importTrace(readFileSync(trace('demo'), 'utf8'));
    expect(doc.messages.filter((m) => m.via === 'port' && m.outcome.status === 'delivered').length).toBe(6);
    expect(doc.meta.tool).toBe('channel-inspector test helper');
  }, 300_000);

  it('fails on the broken demo with a message that names the finding', async () => {
    const r = await runSpec(browserName, broken(DEMO), trace('broken'));
    expect(r.code, r.output).toBe(1);
    expect(r.output).toMatch(/\b1 failed\b/);
    expect(r.output).toContain(`[${browserName}] › examples/channels.spec.mjs:11:1 › ${TITLE}`);
    // The runner prints the matcher's message as it is, finding and all, then where the spec failed.
    expect(r.output).toMatch(
      /Error: Expected no channel-inspector findings at or above error, found 1:\n {6}ERROR port-never-started: 3 messages were never delivered to port #\d+ in page 127\.0\.0\.1:\d+\/demo\/index\.html: it has a 'message' listener from addEventListener, but start\(\) was never called\.\n {10}sent from: port\.onmessage/,
    );
    expect(r.output).toMatch(/examples\/channels\.spec\.mjs:19:\d+/);
  }, 300_000);

  it('diff: a second run of the demo is the same; the broken one shows the lost messages and the finding', async () => {
    // The spec failed before saving in the broken run: the same flow through the handle.
    const s = browserName === 'firefox' ? await (await bundle<Puppeteer>('puppeteer')).withChannelInspector() : await (await bundle<Playwright>('playwright')).withChannelInspector();
    try {
      await s.page.goto(broken(DEMO));
      await s.page.click('#ping');
      await s.channels.save(trace('broken'));
    } finally {
      await s.close();
    }
    const again = await runSpec(browserName, page(DEMO), trace('demo-again'));
    expect(again.code, again.output).toBe(0);
    const same = await cli(['diff', trace('demo'), trace('demo-again')]);
    expect(same.stdout).toContain('No differences beyond tolerance.');
    expect(same.code, same.stdout).toBe(0);
    // The broken demo is served on another port: --ignore-ports keys both by host and path.
    const text = await cli(['diff', trace('demo'), trace('broken'), '--ignore-ports']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/Lost messages:\n {2}\+ port http:\/\/localhost\/demo\/child\.html → http:\/\/127\.0\.0\.1\/demo\/index\.html \(port2 of a channel made in http:\/\/127\.0\.0\.1\/demo\/index\.html\): sent, delivery not seen: 0 → 3 \(new loss\)/);
    expect(text.stdout).toMatch(/Findings:\n {2}\+ new {3}ERROR port-never-started: 3 messages were never delivered/);
    const json = await cli(['diff', trace('demo'), trace('broken'), '--ignore-ports', '--json']);
    expect(json.code).toBe(1);
    const d = JSON.parse(json.stdout);
    expect(d.findings.added.map((f: { rule: string }) => f.rule)).toContain('port-never-started');
    const lost = d.losses.filter((l: { differs: boolean }) => l.differs);
    expect(lost).toEqual([expect.objectContaining({ key: expect.stringMatching(/^port http:\/\/localhost\/demo\/child\.html → http:\/\/127\.0\.0\.1\/demo\/index\.html \(port2 .*\): sent, delivery not seen$/), before: 0, after: 3 })]);
    // The same messages went the same routes: only their fate changed.
    expect(d.routes.filter((r: { differs: boolean }) => r.differs)).toEqual([]);
  }, 300_000);
});

describe('the handle', () => {
  it('Playwright (Chromium): messages(filter), waitForMessage, and a timeout that names the findings', async () => {
    const { withChannelInspector } = await bundle<Playwright>('playwright');
    const s = await withChannelInspector();
    try {
      await s.page.goto(broken(DEMO));
      await s.page.click('#ping');
      const handshake = await s.channels.waitForMessage({ via: 'window', to: 'child.html' });
      expect(handshake.transfer.map((t) => t.kind)).toEqual(['MessagePort']);
      await s.channels.waitForMessage({ via: 'port', to: '/demo/child.html', status: 'delivered' }, { count: 3 });
      expect(await s.channels.messages({ via: 'port', from: 'localhost', status: 'delivered' })).toEqual([]);
      await expect(s.channels.waitForMessage({ data: /pong/ }, { timeoutMs: 1500 })).rejects.toThrow(
        /^No message matching data \/pong\/ within 1500 ms \(0 matched, \d+ recorded\)\.\nFindings so far:\n {2}ERROR port-never-started: /,
      );
      const findings = await s.channels.findings({ atLeast: 'error' });
      expect(findings.map((f) => f.rule)).toEqual(['port-never-started']);
    } finally {
      await s.close();
    }
  });

  it('Puppeteer (Firefox ESR): the same handle, and the matcher passes with .not on the broken demo', async () => {
    const { withChannelInspector, toHaveNoFindings } = await bundle<Puppeteer>('puppeteer');
    const s = await withChannelInspector();
    try {
      await s.page.goto(broken(DEMO));
      await s.page.click('#ping');
      await s.channels.waitForMessage({ via: 'port', from: 'localhost', status: 'sent' }, { count: 3 });
      const r = await toHaveNoFindings(s.channels, { atLeast: 'error' });
      expect(r.pass).toBe(false);
      expect(r.message()).toContain('ERROR port-never-started');
      expect((await toHaveNoFindings(s.channels, { ignore: ['port-never-started', 'no-listener', 'origin-not-checked', 'wildcard-target-origin'] })).pass).toBe(true);
    } finally {
      await s.close();
    }
  });
});

// The channel-inspector bin end to end: `record` in real Chromium and Firefox ESR, then
// `summary` and `audit` on what it wrote, as a user or a CI job would run them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../scripts/serve.mjs';
import { importTrace } from '../../src/trace';
import { cliHarness } from '../support/cli-run';

const h = cliHarness('cli-e2e');
const cli = (args: string[], env: Record<string, string> = {}) => h.run(args, { env });
const page = (path: string) => h.page(path);

describe.each(['chromium', 'firefox'])('channel-inspector in %s', (browser) => {
  it('records the demo into a trace that imports, and runs summary and audit on it', async () => {
    const out = h.file(`demo-${browser}.json`);
    const rec = await cli(['record', page('/demo/index.html'), '--browser', browser, '-o', out, '--perfetto', h.file(`demo-${browser}.perfetto.json`)]);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stdout).toContain(`Wrote ${out}`);

    const doc = importTrace(readFileSync(out, 'utf8'));
    const current = doc.contexts.filter((c) => c.kind === 'window' && c.endedAt === null);
    expect(current.map((c) => c.origin).sort()).toEqual([h.origin('127.0.0.1'), h.origin('localhost')]);
    expect(doc.messages.length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(h.file(`demo-${browser}.perfetto.json`), 'utf8')).traceEvents.length).toBeGreaterThan(0);

    const summary = await cli(['summary', out]);
    expect(summary.code, summary.stderr).toBe(0);
    expect(summary.stdout).toContain('Frames and ports:');
    expect(summary.stdout).toContain('127.0.0.1');
    expect(summary.stdout).toContain('Messages by outcome:');

    const audit = await cli(['audit', out]);
    expect([0, 1], audit.stderr).toContain(audit.code);
    expect(audit.stderr).toBe('');
    expect(audit.stdout.trim().length).toBeGreaterThan(0);
  });

  it('fails a CI audit on the recording of a port that was never started', async () => {
    const out = h.file(`never-started-${browser}.json`);
    const rec = await cli(['record', page('/audit/port-never-started.html'), '--browser', browser, '-o', out]);
    expect(rec.code, rec.stderr).toBe(0);
    const audit = await cli(['audit', out, '--fail-on', 'warning']);
    expect(audit.stdout).toContain('port-never-started');
    expect(audit.code, audit.stdout).toBe(1);
  });

  it('exits 2 on a page that does not load', async () => {
    const notFound = await cli(['record', page('/no/such/page.html'), '--browser', browser, '-o', h.file('never.json')]);
    expect(notFound.code).toBe(2);
    expect(notFound.stderr).toContain('failed to load: HTTP 404');
  });
});

describe('channel-inspector record: usage errors', () => {
  it('exits 2 on a bad URL and on a missing browser, without writing a trace', async () => {
    const bad = await cli(['record', 'not a url']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a URL');
    const missing = await cli(['record', page('/demo/index.html'), '--browser', 'firefox'], { FIREFOX_PATH: '/nonexistent/firefox' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('firefox was not found');
  });

  it('exits 2 when nothing listens at the URL', async () => {
    const closed = await startServer();
    const url = `${closed.origin('127.0.0.1')}/demo/index.html`;
    await closed.close();
    const r = await cli(['record', url, '-o', h.file('refused.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/failed to load: .*(REFUSED|refused)/);
  });
});

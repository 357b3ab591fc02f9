// `record` with a fake browser: URL checks, missing browsers, pages that fail to load, the
// idle wait, and the files written. The real browsers are in test/e2e/cli.test.ts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserLauncher, type BrowsersModule } from '../../../src/cli/drivers';
import { PageLoadError, checkUrl, waitIdle, type Activity, type Launch, type Recording } from '../../../src/cli/record';
import { importTrace } from '../../../src/trace';
import { Dir, neverStarted, run } from './fixtures';

const dir = new Dir();
afterAll(() => dir.remove());

/** A browser whose page sends `messages` one per poll, then goes quiet. */
function fakeLaunch(o: { messages?: number; loadError?: string; forever?: boolean } = {}) {
  const calls: string[] = [];
  let polls = 0;
  const launch: Launch = async (browser, { headful, workers }) => {
    calls.push(`launch ${browser}${headful ? ' headful' : ''}${workers ? ' workers' : ''}`);
    const rec: Recording = {
      async open(url) {
        calls.push(`open ${url}`);
        if (o.loadError) throw new PageLoadError(o.loadError);
        return { url, title: 'Fake page' };
      },
      async activity(): Promise<Activity> {
        polls++;
        const n = o.forever ? polls : Math.min(polls, o.messages ?? 0);
        return { contexts: 1, ports: 2, messages: n, settled: n };
      },
      async finish() {
        calls.push('finish');
        return neverStarted().build();
      },
      async close() {
        calls.push('close');
      },
    };
    return rec;
  };
  return { launch, calls };
}

describe('record', () => {
  it('checks the URL before starting a browser', async () => {
    const { launch, calls } = fakeLaunch();
    for (const [url, message] of [
      ['not a url', 'not a URL: "not a url"'],
      ['javascript:alert(1)', 'cannot record javascript: URLs'],
      ['ftp://a.test/', 'cannot record ftp: URLs'],
    ]) {
      const r = await run(['record', url, '-o', join(dir.path, 'x.json')], { launch });
      expect(r.code, url).toBe(2);
      expect(r.err).toContain(message);
    }
    expect(calls).toEqual([]);
    expect(checkUrl('http://127.0.0.1:8080/a b')).toBe('http://127.0.0.1:8080/a%20b');
    expect(checkUrl(dir.trace('local.json', neverStarted()))).toMatch(/^file:\/\/\/.*local\.json$/);
  });

  it('exits 2 with the install hint when the browser is missing', async () => {
    const browsers = {
      findBrowser: () => null,
      browserHelp: (name: string) => `${name} was not found. Install Debian's package (sudo apt-get install -y firefox-esr) or set FIREFOX_PATH to its executable.`,
    } as unknown as BrowsersModule;
    const r = await run(['record', 'http://127.0.0.1:1/', '--browser', 'firefox'], { browsers });
    expect(r.code).toBe(2);
    expect(r.err).toBe("channel-inspector: firefox was not found. Install Debian's package (sudo apt-get install -y firefox-esr) or set FIREFOX_PATH to its executable.");
    await expect(browserLauncher(browsers)('chromium', { headful: false })).rejects.toThrow(/chromium was not found/);
  });

  it('exits 2 when the page fails to load, and closes the browser', async () => {
    const { launch, calls } = fakeLaunch({ loadError: 'http://127.0.0.1:1/ failed to load: net::ERR_CONNECTION_REFUSED' });
    const out = join(dir.path, 'never.json');
    const r = await run(['record', 'http://127.0.0.1:1/', '-o', out], { launch });
    expect(r.code).toBe(2);
    expect(r.err).toContain('failed to load: net::ERR_CONNECTION_REFUSED');
    expect(calls).toEqual(['launch chromium', 'open http://127.0.0.1:1/', 'close']);
    expect(existsSync(out)).toBe(false);
  });

  it('--workers asks the browser to record inside workers too', async () => {
    const { launch, calls } = fakeLaunch({ messages: 1 });
    const r = await run(['record', 'http://127.0.0.1:8080/app.html', '-o', join(dir.path, 'w.json'), '--until-idle', '60', '--workers'], { launch });
    expect(r.code).toBe(0);
    expect(calls[0]).toBe('launch chromium workers');
  });

  it('records until idle, writes a trace that imports (with fresh findings) and a Perfetto file, exit 0', async () => {
    const { launch, calls } = fakeLaunch({ messages: 3 });
    const out = join(dir.path, 'rec.json');
    const perfetto = join(dir.path, 'rec.perfetto.json');
    const r = await run(['record', 'http://127.0.0.1:8080/app.html', '-o', out, '--until-idle', '60', '--perfetto', perfetto, '--browser', 'firefox'], { launch, version: '9.9.9' });
    expect(r.code).toBe(0);
    expect(calls).toEqual(['launch firefox', 'open http://127.0.0.1:8080/app.html', 'finish', 'close']);
    const doc = importTrace(readFileSync(out, 'utf8'));
    expect(doc.meta).toMatchObject({ tool: 'channel-inspector 9.9.9', title: 'Fake page' });
    expect(doc.messages).toHaveLength(4);
    expect(doc.findings.map((f) => f.rule)).toEqual(['port-never-started']);
    expect(JSON.parse(readFileSync(perfetto, 'utf8')).traceEvents.length).toBeGreaterThan(0);
    expect(r.out).toContain('Messages by outcome: 3 queued, 1 delivered');
    expect(r.out).toContain('Findings: 1 port-never-started (error)');
    expect(r.out.split('\n').at(-1)).toBe(`Wrote ${out} (4 messages) and ${perfetto}.`);
    expect(r.err).toContain('recording until 60 ms without new messages');
  });

  it('exits 2 when the trace cannot be written', async () => {
    const { launch } = fakeLaunch();
    const r = await run(['record', 'http://127.0.0.1:8080/', '-o', join(dir.path, 'no-such-dir', 't.json'), '--until-idle', '0'], { launch });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot write .*no-such-dir/);
  });
});

describe('waitIdle', () => {
  /** A clock that moves only when the wait sleeps. */
  function clock() {
    let t = 0;
    return { now: () => t, sleep: async (ms: number) => void (t += ms) };
  }
  const counting = (stopAt: number) => {
    let n = 0;
    return { activity: async (): Promise<Activity> => ({ contexts: 1, ports: 0, messages: Math.min(++n, stopAt), settled: 0 }) };
  };

  it('stops once nothing changed for the idle time', async () => {
    const c = clock();
    expect(await waitIdle(counting(5), { idleMs: 1000, deadline: 60_000, ...c })).toBe('idle');
    // Five changes, one per 200 ms poll, then 1000 ms of quiet.
    expect(c.now()).toBe(1800);
  });

  it('stops at the deadline when the page never goes quiet', async () => {
    const c = clock();
    expect(await waitIdle(counting(Infinity), { idleMs: 1000, deadline: 5000, ...c })).toBe('timeout');
    expect(c.now()).toBe(5000);
  });

  it('stops when interrupted', async () => {
    const ac = new AbortController();
    const c = clock();
    const rec = { activity: async () => (c.now() >= 400 && ac.abort(), null) };
    expect(await waitIdle(rec, { idleMs: 1000, deadline: 60_000, signal: ac.signal, ...c })).toBe('interrupted');
  });

  it('does not count the time before the first batch of the page as quiet', async () => {
    // A page busy making 300,000 channels reaches the background seconds after its load.
    const c = clock();
    let n = 0;
    const rec = { activity: async (): Promise<Activity | null> => (c.now() < 3000 ? null : { contexts: 1, ports: Math.min(++n, 3) * 1000, messages: 0, settled: 0 }) };
    expect(await waitIdle(rec, { idleMs: 1000, deadline: 60_000, ...c })).toBe('idle');
    expect(c.now()).toBeGreaterThanOrEqual(4000);
  });

  it('with --until-idle 0 stops at once', async () => {
    const c = clock();
    expect(await waitIdle(counting(Infinity), { idleMs: 0, deadline: 60_000, ...c })).toBe('idle');
    expect(c.now()).toBe(0);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { Dir, STACK, clean, deliveredOnly, neverStarted, run, wildcard } from './fixtures';

const dir = new Dir();
afterAll(() => dir.remove());

describe('channel-inspector audit', () => {
  it('exits 0 with "No findings." on a clean trace, whatever --fail-on', async () => {
    const file = dir.trace('clean.json', clean());
    for (const failOn of ['info', 'warning', 'error']) {
      const r = await run(['audit', file, '--fail-on', failOn]);
      expect(r).toMatchObject({ code: 0, err: '' });
      expect(r.out).toBe('No findings.');
    }
  });

  it('exits 1 on an error finding by default, and prints it by rule with count, stack and spec', async () => {
    const r = await run(['audit', dir.trace('stuck.json', neverStarted())]);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('port-never-started — Messages stuck on a port that was never started: 1 finding, 3 messages');
    expect(lines[1]).toMatch(/^ {2}ERROR {3}3 messages were never delivered to port #2 in frame localhost:8080\/child.html/);
    expect(r.out).toContain('messages #2, #3, #4 · ports #2');
    // V8's "Error" header is left out; the frames follow.
    expect(r.out).toContain('sent from: at sendTicks (http://127.0.0.1:8080/app.js:10:5)\n                     at init (http://127.0.0.1:8080/app.js:3:1)');
    expect(r.out).toContain('spec: https://html.spec.whatwg.org/multipage/web-messaging.html#dom-messageport-start');
    expect(r.out).toContain("why: A MessagePort's message queue starts disabled.");
    expect(lines.at(-1)).toBe('1 finding (1 error, 0 warning, 0 info); 1 at or above --fail-on error.');
  });

  it('compares warnings with --fail-on: below error passes, at warning or info fails', async () => {
    const file = dir.trace('wildcard.json', wildcard());
    expect((await run(['audit', file])).code).toBe(0);
    expect((await run(['audit', file, '--fail-on', 'error'])).code).toBe(0);
    expect((await run(['audit', file, '--fail-on=warning'])).code).toBe(1);
    expect((await run(['audit', file, '--fail-on', 'info'])).code).toBe(1);
    const r = await run(['audit', file]);
    expect(r.out).toContain('wildcard-target-origin');
    expect(r.out).toContain('WARNING');
    expect(r.out.split('\n').at(-1)).toBe('1 finding (0 error, 1 warning, 0 info); 0 at or above --fail-on error.');
  });

  it('re-audits: findings stored in the file are ignored either way', async () => {
    const claimed = [{ rule: 'port-never-started', severity: 'error' as const, message: 'made up', messageIds: [1], portIds: [1] }];
    const cleanButClaims = await run(['audit', dir.trace('claims.json', clean(), claimed)]);
    expect(cleanButClaims).toMatchObject({ code: 0, out: 'No findings.' });
    const stuckButSilent = await run(['audit', dir.trace('silent.json', neverStarted(), [])]);
    expect(stuckButSilent.code).toBe(1);
  });

  it('--json prints the findings and the verdict for scripts, with the same exit status', async () => {
    const file = dir.trace('stuck2.json', neverStarted());
    const r = await run(['audit', file, '--json', '--fail-on', 'warning']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ file, failOn: 'warning', failed: true, counts: { error: 1, warning: 0, info: 0 } });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ rule: 'port-never-started', severity: 'error', messageIds: [2, 3, 4], portIds: [2], count: 3, stacks: [STACK] });
    expect(report.findings[0].spec).toMatch(/^https:\/\/html\.spec\.whatwg\.org\//);
    const ok = JSON.parse((await run(['audit', dir.trace('clean2.json', clean()), '--json'])).out);
    expect(ok).toMatchObject({ failed: false, findings: [] });
  });

  it('says which rules a recording without window sends could not judge (text and --json)', async () => {
    const file = dir.trace('delivered.json', deliveredOnly());
    const r = await run(['audit', file]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'No findings.\nNot judged on this recording: target-origin-mismatch, wildcard-target-origin (this recording has no window.postMessage sends: a page recording sees a window message only where it is delivered, without its targetOrigin).',
    );
    const report = JSON.parse((await run(['audit', file, '--json'])).out);
    expect(report.notJudged.map((n: { rule: string; missing: string[] }) => [n.rule, n.missing])).toEqual([
      ['target-origin-mismatch', ['window-sends']],
      ['wildcard-target-origin', ['window-sends']],
    ]);
    // A trace that carries window sends: every rule ran, and nothing says otherwise.
    const sends = await run(['audit', dir.trace('sends.json', clean())]);
    expect(sends.out).toBe('No findings.');
    expect(JSON.parse((await run(['audit', dir.trace('sends2.json', clean()), '--json'])).out).notJudged).toEqual([]);
  });
});

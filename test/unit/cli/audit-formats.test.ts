// `audit --format junit|github`: on fixture traces (hand-built and a recorded one in test/fixtures).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { RULES } from '../../../src/audit';
import { firstFrame } from '../../../src/cli/audit-formats';
import { Dir, STACK, clean, neverStarted, run, wildcard } from './fixtures';

let dir: Dir;
beforeEach(() => (dir = new Dir()));
afterEach(() => dir.remove());

/** Every <testcase …>…</testcase> with its name and body. */
function cases(xml: string): { name: string; body: string }[] {
  return [...xml.matchAll(/<testcase [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/testcase>/g)].map((m) => ({ name: m[1], body: m[2] }));
}

describe('audit --format junit', () => {
  it('is one test case per rule; the rule with findings at or above --fail-on fails, naming the finding', async () => {
    const file = dir.trace('stuck.json', neverStarted());
    const r = await run(['audit', file, '--format', 'junit']);
    expect(r.code).toBe(1);
    expect(r.out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(r.out).toContain(`<testsuites name="channel-inspector audit" tests="${RULES.length}" failures="1" errors="0" skipped="0">`);
    const all = cases(r.out);
    expect(all.length).toBe(RULES.length);
    const failed = all.filter((c) => c.body.includes('<failure'));
    expect(failed.map((c) => c.name)).toEqual([expect.stringMatching(/^port-never-started: /)]);
    expect(failed[0].body).toMatch(/<failure message="1 finding at or above error: 3 messages were never delivered to port #2[^"]*" type="error">/);
    expect(failed[0].body).toContain('sent from: sendTicks (http://127.0.0.1:8080/app.js:10:5)');
    expect(failed[0].body).toContain('spec: https://html.spec.whatwg.org/');
  });

  it('keeps findings below --fail-on as output of a passing case, and escapes XML', async () => {
    const file = dir.trace('wild "<&>".json', wildcard());
    const r = await run(['audit', file, '--format', 'junit']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('failures="0"');
    expect(r.out).toContain('wild &quot;&lt;&amp;&gt;&quot;.json');
    const wild = cases(r.out).find((c) => c.name.startsWith('wildcard-target-origin'))!;
    expect(wild.body).not.toContain('<failure');
    expect(wild.body).toMatch(/<system-out>Below --fail-on error:\nWARNING /);
    const strict = await run(['audit', file, '--format', 'junit', '--fail-on', 'warning']);
    expect(strict.code).toBe(1);
    expect(cases(strict.out).find((c) => c.name.startsWith('wildcard-target-origin'))!.body).toContain('<failure message="1 finding at or above warning: ');
  });

  it('a clean trace passes every case', async () => {
    const r = await run(['audit', dir.trace('clean.json', clean()), '--format', 'junit']);
    expect(r.code).toBe(0);
    expect(cases(r.out).every((c) => c.body === '')).toBe(true);
  });
});

describe('audit --format github', () => {
  it('prints one workflow command per finding, at the level of its severity, escaped', async () => {
    const r = await run(['audit', dir.trace('stuck.json', neverStarted()), '--format', 'github']);
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/^::error title=channel-inspector port-never-started \(.*stuck.json\)::3 messages were never delivered to port #2/);
    // Newlines in the text become %0A; the title's ':' and ',' are escaped as properties need.
    expect(lines[0]).toContain('%0Asent from: sendTicks (http%3A'.replace('%3A', ':'));
    expect(lines[0]).toContain('%0Aspec: https://html.spec.whatwg.org/');
  });

  it('warnings are ::warning and info is ::notice; nothing is printed for a clean trace', async () => {
    const w = await run(['audit', dir.trace('wild.json', wildcard()), '--format', 'github']);
    expect(w.out).toMatch(/^::warning title=channel-inspector wildcard-target-origin/);
    expect(w.code).toBe(0);
    const none = await run(['audit', dir.trace('clean.json', clean()), '--format', 'github']);
    expect(none).toMatchObject({ code: 0, out: '' });
  });

  it('reads a trace recorded in a real browser (test/fixtures)', async () => {
    const r = await run(['audit', join(__dirname, '../../fixtures/decoders-chromium.trace.json'), '--format', 'github', '--fail-on', 'info']);
    expect(r.err).toBe('');
    const lines = r.out.split('\n').filter(Boolean);
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/^::(error|warning|notice) title=channel-inspector [a-z-]+ \([^)]*\)::[^\n]+$/);
    // That trace has window messages but no window send: the rules needing one say they were not judged.
    expect(lines.at(-1)).toMatch(/^::notice title=channel-inspector \([^)]*\)::Not judged on this recording: .*target-origin-mismatch/);
    const j = await run(['audit', join(__dirname, '../../fixtures/decoders-chromium.trace.json'), '--format', 'junit', '--fail-on', 'info']);
    expect(j.code).toBe(r.code);
    const skipped = cases(j.out).filter((c) => c.body.includes('<skipped'));
    expect(skipped.map((c) => c.name.split(':')[0])).toContain('target-origin-mismatch');
    expect(skipped[0].body).toMatch(/<skipped message="not judged on this recording: [^"]+"\/>/);
    expect(j.out).toMatch(new RegExp(`skipped="${skipped.length}"`));
  });
});

describe('format options', () => {
  it('--json is --format json; --json with another format is a usage error', async () => {
    const file = dir.trace('stuck.json', neverStarted());
    expect(JSON.parse((await run(['audit', file, '--format', 'json'])).out).failed).toBe(true);
    const both = await run(['audit', file, '--json', '--format', 'junit']);
    expect(both.code).toBe(2);
    expect(both.err).toContain('--json and --format junit cannot be used together');
    expect((await run(['audit', file, '--format', 'sarif'])).err).toContain('--format must be one of text, json, junit, github');
  });

  it('firstFrame skips V8\'s "Error" line and the "at "', () => {
    expect(firstFrame(STACK)).toBe('sendTicks (http://127.0.0.1:8080/app.js:10:5)');
    expect(firstFrame('post@http://x/a.js:1:2\n')).toBe('post@http://x/a.js:1:2');
    expect(firstFrame(undefined)).toBeNull();
  });
});

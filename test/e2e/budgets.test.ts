// A page that makes 300,000 MessageChannels and posts nothing (test/pages/budgets), recorded
// by the channel-inspector bin in real Chromium: the background keeps its port budget, the
// CLI finishes within its --timeout, and the trace says what was evicted (issue 22).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importTrace } from '../../src/trace';
import { cliHarness } from '../support/cli-run';

const TIMEOUT_MS = 60_000;
const h = cliHarness('budgets-e2e');

describe('channel-inspector record on a page of 300,000 channels and no messages (Chromium)', () => {
  it('finishes within its --timeout with a bounded trace that counts the evicted ports', async () => {
    const out = h.file('many-channels.json');
    const url = h.page('/budgets/many-channels.html');
    // The CLI must exit by itself: killed past its --timeout plus the time to write the trace, it fails.
    const rec = await h.run(['record', url, '-o', out, '--timeout', String(TIMEOUT_MS), '--until-idle', '5000'], { timeoutMs: TIMEOUT_MS + 60_000 });
    expect(rec.killed, 'the CLI did not finish').toBe(false);
    expect(rec.code, rec.stderr).toBe(0);
    const doc = importTrace(readFileSync(out, 'utf8'));
    const evicted = doc.dropped['port-budget'] ?? 0;
    // Bounded by the default budget (100,000 ports), and it was reached: ports were evicted.
    expect(doc.ports.length).toBeLessThanOrEqual(100_000);
    expect(evicted).toBeGreaterThan(0);
    // Every port id given is in the file or in an evicted run, and the runs add up to the count.
    const runs = doc.meta.evicted?.ports ?? [];
    const inRuns = runs.reduce((n, [a, b]) => n + b - a + 1, 0);
    expect(inRuns).toBe(evicted);
    const last = Math.max(...doc.ports.map((p) => p.id));
    expect(doc.ports.length + evicted).toBe(last);
    // Oldest first: the kept ones are the newest.
    expect(Math.min(...doc.ports.map((p) => p.id))).toBe(evicted + 1);
    expect(doc.messages).toHaveLength(0);
    // The summary says so.
    expect(rec.stdout).toMatch(new RegExp(`${evicted} port-budget`));
  }, TIMEOUT_MS + 120_000);
});

// `channel-inspector record --workers` end to end, as a CI job would run it on a Comlink app
// with a dedicated worker: with the flag, the worker's side is recorded from inside (its
// deliveries seen, the context marked recorded); without it, the same page leaves the worker's
// side unseen and the trace says why. Real Chromium (the debugger) and Firefox ESR (the filter).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importTrace } from '../../src/trace';
import { cliHarness } from '../support/cli-run';

const h = cliHarness('cli-workers');
const record = (browser: string, out: string, extra: string[]) => h.run(['record', h.page('/workers/comlink.html'), '--browser', browser, '-o', out, ...extra]);

describe.each(['chromium', 'firefox'])('channel-inspector record --workers in %s', (browser) => {
  it('records the worker from inside with the flag, and says why not without it', async () => {
    const withFlag = h.file(`workers-${browser}.json`);
    const on = await record(browser, withFlag, ['--workers']);
    expect(on.code, on.stderr).toBe(0);
    const doc = importTrace(readFileSync(withFlag, 'utf8'));
    const worker = doc.contexts.find((c) => c.kind === 'worker' && c.url.endsWith('/workers/comlink-worker.mjs'));
    expect(worker, 'the worker named itself from inside').toBeDefined();
    expect(worker!.inside).toEqual({ recorded: true });
    // Comlink's calls arrive in the worker: their deliveries there are recorded, not inferred.
    const intoWorker = doc.messages.filter((m) => m.toContext === worker!.id);
    expect(intoWorker.length).toBeGreaterThanOrEqual(2);
    expect(intoWorker.every((m) => m.outcome.status === 'delivered' && m.deliveredAt !== null)).toBe(true);

    const without = h.file(`no-workers-${browser}.json`);
    const off = await record(browser, without, []);
    expect(off.code, off.stderr).toBe(0);
    const plain = importTrace(readFileSync(without, 'utf8'));
    const unseen = plain.contexts.filter((c) => c.kind === 'worker');
    expect(unseen.length).toBeGreaterThan(0);
    for (const w of unseen) expect(w.inside).toMatchObject({ recorded: false, why: 'switch-off' });
    // Sent to the worker, never seen arriving.
    expect(plain.messages.filter((m) => m.via === 'worker' && m.fromContext !== null && unseen.every((w) => w.id !== m.fromContext)).every((m) => m.deliveredAt === null)).toBe(true);
  });
});

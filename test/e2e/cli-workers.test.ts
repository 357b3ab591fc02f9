// `channel-inspector record --workers` end to end, as a CI job would run it on a Comlink app
// with a dedicated worker: with the flag, the worker's side is recorded from inside (its
// deliveries seen, the context marked recorded); without it, the same page leaves the worker's
// side unseen and the trace says why. Real Chromium (the debugger) and Firefox ESR (the filter).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/browsers.mjs';
import { startServer } from '../../scripts/serve.mjs';
import { importTrace } from '../../src/trace';

const BIN = join(ROOT, 'scripts', 'cli.mjs');
let server: Awaited<ReturnType<typeof startServer>>;
let dir: string;

beforeAll(async () => {
  server = await startServer();
  dir = mkdtempSync(join(tmpdir(), 'ci-cli-workers-'));
});
afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function record(browser: string, out: string, extra: string[]): Promise<{ code: number; stderr: string }> {
  const url = `${server.origin('127.0.0.1')}/workers/comlink.html`;
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, 'record', url, '--browser', browser, '-o', out, ...extra], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }, (err, _stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stderr });
    });
  });
}

describe.each(['chromium', 'firefox'])('channel-inspector record --workers in %s', (browser) => {
  it('records the worker from inside with the flag, and says why not without it', async () => {
    const withFlag = join(dir, `workers-${browser}.json`);
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

    const without = join(dir, `no-workers-${browser}.json`);
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

// A frame the page removes: its document, and the frame inside it, end in the session when
// the browser tears them down (no page event says so), in real Chromium and Firefox ESR; a
// message posted afterwards to the port the frame held is shown lost, and the audit says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { servePages } from '../support/pages-server';
import { waitFor } from '../support/session';
import { launchRecorder, type BrowserName, type Recorder } from '../support/recorder';

const server = servePages();

/** url path → endedAt of each window document recorded. */
function ends(s: AggregateSnapshot | null): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const c of s?.contexts ?? []) if (c.kind === 'window') out[`${new URL(c.url).host} ${new URL(c.url).pathname}`] = c.endedAt;
  return out;
}

for (const name of ['chromium', 'firefox'] as BrowserName[]) {
  describe(`${name}: a removed frame`, () => {
    let rec: Recorder;
    beforeAll(async () => {
      rec = await launchRecorder(name);
    });
    afterAll(() => rec?.close());

    it('ends with the frame inside it; the page and its other frame stay; a post to its port is shown lost', async () => {
      const top = server.origin('127.0.0.1');
      const cross = server.origin('localhost');
      const url = `${top}/lifecycle/index.html`;
      const page = await rec.open(url, 'scenarioReady');
      const host = (o: string) => new URL(o).host;
      const keys = {
        top: `${host(top)} /lifecycle/index.html`,
        kept: `${host(top)} /lifecycle/child.html`,
        removed: `${host(cross)} /lifecycle/child.html`,
        leaf: `${host(cross)} /lifecycle/leaf.html`,
      };
      // Every document recorded, and the port the page handed the frame it removes followed there.
      const holdsPort = (s: AggregateSnapshot | null) => {
        const c = s?.contexts.find((x) => x.url === `${cross}/lifecycle/child.html?nest`);
        return !!c && s!.ports.some((p) => p.holders.some((h) => h.contextId === c.id));
      };
      await waitFor(() => rec.snapshot(url), (s) => Object.values(keys).every((k) => ends(s)[k] === null) && holdsPort(s), 'all four documents recorded, the port in the frame');
      const before = Date.now();
      await page.evaluate(() => (window as unknown as { removeFrame(): void }).removeFrame());
      const after = await waitFor(() => rec.snapshot(url), (s) => ends(s)[keys.removed] !== null && ends(s)[keys.leaf] !== null, 'the removed frames ended');
      const e = ends(after);
      expect(e[keys.top]).toBeNull();
      expect(e[keys.kept]).toBeNull();
      // Ended when it went (each frame's relay closes on its own, a few ms apart).
      for (const k of [keys.removed, keys.leaf]) expect(e[k]!).toBeGreaterThanOrEqual(before - 1000);

      await page.evaluate(() => (window as unknown as { postToRemoved(): void }).postToRemoved());
      const lost = (await waitFor(
        () => rec.snapshot(url),
        (s) => !!s?.messages.some((m) => m.via === 'port' && m.outcome.status === 'dropped'),
        'the message to the removed frame shown lost',
      ))!;
      const m = lost.messages.find((x) => x.via === 'port' && x.outcome.status === 'dropped')!;
      expect(m.outcome.reason).toBe('receiver-gone');
      const removedCtx = lost.contexts.find((c) => c.url === `${cross}/lifecycle/child.html?nest`)!;
      expect(lost.ports.find((p) => p.id === m.toPort)?.holders.at(-1)?.contextId).toBe(removedCtx.id);
      // Every other port message was delivered: the pings and their answers.
      expect(lost.messages.filter((x) => x.via === 'port' && x !== m).map((x) => x.outcome.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
      const f = lost.findings.find((x) => x.rule === 'post-on-closed-port');
      expect(f?.messageIds).toEqual([m.id]);
      expect(f?.message).toContain(`was in frame ${host(cross)}/lifecycle/child.html, which went away`);
      await page.close();
    });
  });
}

// The shadow (src/model/shadow.ts), which decides the outcomes users see, beside the full model
// on every random program of the browser differential test (test/support/model-programs.ts):
// after each port post, both predicted the same outcome. Two kinds of difference the shadow
// cannot avoid are counted and printed apart, never as agreement: 'sent' where the receiving
// end is in another context or was shipped away (less precise, not wrong: the delivery decides),
// and posts involving a port that left in a window message, which page instrumentation does not
// see (there the page shows a wrong outcome: a limit listed in docs/engine-differences.md).
//
// OPEN (found by this test when it was written, issue 22): on the seeds below the shadow
// predicts another outcome than the full model, so the page shows a wrong outcome there. Seen
// causes left: a post that threw part-way through its transfer list (the standard and Firefox
// detach the ports before the failing one; the shadow, told nothing of a throw, does not); in Chromium, a started port whose partner is gone closes itself once its
// queue is dispatched (peerGoneClosesStartedPort: the shadow says partner-closed where the
// browser says port-closed); a port that left in a window message. (Fixed: the queue is started
// by any set of onmessage, null included, as in the model and both browsers.) Every one is
// printed on every run; a seed not listed fails, and so does a listed seed that agrees (delete
// it from the list then).
const KNOWN_DISAGREEING: Record<string, number[]> = {
  spec: [70, 111, 124, 463],
  chromium: [1, 16, 27, 36, 40, 92, 122, 125, 154, 223, 260, 263, 351, 369, 393, 409, 432, 470, 491, 501, 513, 516],
  firefox: [70, 111, 124, 463],
};
import { describe, expect, it } from 'vitest';
import { createRealm, createShadow } from '../../../src/model/index.js';
import { generateProgram, runPrograms, shadowedModel } from '../../support/model-programs.js';

const COUNT = Number(process.env.SHADOW_PROGRAMS ?? 520);

describe('shadow beside the full model on random programs', () => {
  for (const profile of ['spec', 'chromium', 'firefox'] as const) {
    it(`${profile}: the same prediction after every port post of ${COUNT} programs`, { timeout: 120_000 }, async () => {
      let posts = 0;
      const unknowable = { remote: 0, 'window-transfer': 0 };
      const wrong: string[] = [];
      const disagreeing = new Set<number>();
      for (let seed = 1; seed <= COUNT; seed++) {
        const realm = createRealm({ origin: 'http://127.0.0.1:8000', profile });
        const run = shadowedModel(realm, createShadow(profile));
        await runPrograms([generateProgram(seed, 30)], run.g);
        posts += run.posts();
        for (const d of run.disagreements) {
          if (d.unknowable) unknowable[d.unknowable]++;
          else {
            wrong.push(`seed ${seed}, post ${d.op}: shadow ${JSON.stringify(d.shadow)}, model ${JSON.stringify(d.model)}`);
            disagreeing.add(seed);
          }
        }
      }
      const blind = unknowable.remote + unknowable['window-transfer'];
      console.log(
        `[${profile}] shadow vs model: ${posts} port posts in ${COUNT} programs; ${posts - blind - wrong.length} equal, ` +
          `${unknowable.remote} 'sent' toward an end the shadow cannot see, ${unknowable['window-transfer']} after a port left in a window message (unseen), ${wrong.length} different`,
      );
      for (const w of wrong) console.log(`[${profile}] OPEN shadow/model disagreement: ${w}`);
      expect(posts, 'the programs post').toBeGreaterThan(COUNT);
      const known = KNOWN_DISAGREEING[profile].filter((s) => s <= COUNT);
      expect([...disagreeing].filter((s) => !known.includes(s)), 'seeds where the shadow disagrees with the model, not known before').toEqual([]);
      expect(known.filter((s) => !disagreeing.has(s)), 'known seeds that agree now: delete them from KNOWN_DISAGREEING').toEqual([]);
    });
  }
});

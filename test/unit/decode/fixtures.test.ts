// The decoders and pairing on traces recorded from the real libraries (test/pages/decoders,
// recorded by scripts/record-fixtures.mjs in Chromium and Firefox ESR).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importTrace } from '../../../src/trace';
import { annotateCalls } from '../../../src/decode/annotate';
import { expectDecoded } from '../../support/decoders';

for (const browser of ['chromium', 'firefox']) {
  describe(`recorded in ${browser}`, () => {
    const text = readFileSync(new URL(`../../fixtures/decoders-${browser}.trace.json`, import.meta.url), 'utf8');

    it('carries the decoded, paired calls the background made', () => {
      expectDecoded(importTrace(text).messages);
    });

    it('decodes and pairs the same again from the samples alone', () => {
      const recorded = importTrace(text);
      const doc = importTrace(text);
      for (const m of doc.messages) m.call = null;
      annotateCalls(doc.messages, doc.ports);
      expectDecoded(doc.messages);
      expect(doc.messages.map((m) => m.call)).toEqual(recorded.messages.map((m) => m.call));
    });
  });
}

// The panel's view of decoded calls: the protocol filter and search in call labels, on a
// trace recorded from the real libraries.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetOf } from '../../../panels/model/dataset';
import { NO_FILTER, PROTOCOLS, filterMessages, isFiltering, parseFilter } from '../../../panels/model/filter';
import { importTrace } from '../../../src/trace';

const doc = importTrace(readFileSync(new URL('../../fixtures/decoders-chromium.trace.json', import.meta.url), 'utf8'));
const data = () => datasetOf({ ...doc, messages: doc.messages, firstMessageId: doc.meta.firstMessageId });

describe('panel: decoded calls', () => {
  it('filters by protocol', () => {
    const d = data();
    expect(PROTOCOLS).toEqual(['comlink', 'penpal', 'post-robot', 'jsonrpc']);
    const counts = Object.fromEntries(PROTOCOLS.map((p) => [p, filterMessages(d, { ...NO_FILTER, protocol: p }, null).length]));
    expect(counts).toEqual({
      comlink: d.messages.filter((m) => m.call?.protocol === 'comlink').length,
      penpal: d.messages.filter((m) => m.call?.protocol === 'penpal').length,
      'post-robot': 5,
      jsonrpc: 7,
    });
    expect(counts.comlink).toBeGreaterThanOrEqual(20);
    const rows = filterMessages(d, { ...NO_FILTER, protocol: 'penpal' }, null).map((i) => d.messages[i]);
    expect(rows.every((m) => m.call?.protocol === 'penpal')).toBe(true);
    expect(isFiltering({ ...NO_FILTER, protocol: 'jsonrpc' }, null)).toBe(true);
  });

  it('searches in call labels', () => {
    const d = data();
    const rows = filterMessages(d, { ...NO_FILTER, text: 'makecounter' }, null).map((i) => d.messages[i].call?.label);
    expect(rows).toEqual(['APPLY makeCounter()']);
  });

  it('keeps a saved protocol filter only when it names a decoder', () => {
    expect(parseFilter({ protocol: 'penpal' }).protocol).toBe('penpal');
    expect(parseFilter({ protocol: '<img onerror>' }).protocol).toBe('');
    expect(parseFilter({}).protocol).toBe('');
  });
});

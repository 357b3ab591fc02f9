// The decoded call travels with its message: columns, trace files, old traces.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { packMessages, unpackMessages } from '../../../src/aggregate/columns';
import { newMessage } from '../../../src/aggregate/records';
import { TraceImportError, exportTrace, importTrace, stringifyTrace } from '../../../src/trace';
import type { MessageRecord } from '../../../src/protocol/session';
import { checkSchema } from '../trace/schema-check';

const schema = JSON.parse(readFileSync(new URL('../../../docs/trace.schema.json', import.meta.url), 'utf8'));

function messages(): MessageRecord[] {
  const a = { ...newMessage('port'), id: 1, sentAt: 10, deliveredAt: 11, call: { protocol: 'comlink', role: 'request' as const, label: 'APPLY api.add(2, 3)', id: 'x-1', pairedWith: 2, latencyMs: 4.5 } };
  const b = { ...newMessage('port'), id: 2, deliveredAt: 14.5, call: { protocol: 'comlink', role: 'response' as const, label: '', id: null, pairedWith: 1, latencyMs: null } };
  const c = { ...newMessage('window'), id: 3 };
  const d = { ...newMessage('window'), id: 4, call: { protocol: 'jsonrpc', role: 'request' as const, label: 'call m()', id: '7', pairedWith: null, latencyMs: null, unpaired: 'ambiguous' as const } };
  return [a, b, c, d];
}

const trace = (msgs: MessageRecord[]) => exportTrace({ contexts: [], ports: [], messages: msgs, findings: [], mismatches: [], dropped: {} });

describe('call records', () => {
  it('round-trip through columns', () => {
    const m = messages();
    expect(unpackMessages(packMessages(m))).toEqual(m);
  });

  it('read as null from columns packed before calls existed', () => {
    const cols = packMessages(messages());
    delete cols.callRole;
    expect(unpackMessages(cols).map((r) => r.call)).toEqual([null, null, null, null]);
  });

  it('round-trip through a trace file that conforms to the schema', () => {
    const doc = trace(messages());
    expect(checkSchema(schema, JSON.parse(stringifyTrace(doc)))).toEqual([]);
    expect(importTrace(stringifyTrace(doc)).messages).toEqual(messages());
  });

  it('import as null from traces written before calls existed', () => {
    const doc = JSON.parse(stringifyTrace(trace(messages())));
    for (const m of doc.messages) delete m.call;
    expect(importTrace(doc).messages.map((m) => m.call)).toEqual([null, null, null, null]);
  });

  it('say why a call is unpaired, and read files written before the reason existed', () => {
    const doc = JSON.parse(stringifyTrace(trace(messages())));
    expect(doc.messages[3].call.unpaired).toBe('ambiguous');
    expect(doc.messages[0].call).not.toHaveProperty('unpaired');
    delete doc.messages[3].call.unpaired;
    expect(importTrace(doc).messages[3].call).not.toHaveProperty('unpaired');
    doc.messages[3].call.unpaired = 'lost';
    expect(() => importTrace(doc)).toThrow(/messages\[3\]\.call\.unpaired/);
  });

  it('reject a malformed call with its path', () => {
    const doc = JSON.parse(stringifyTrace(trace(messages())));
    doc.messages[0].call.role = 'shout';
    expect(() => importTrace(doc)).toThrow(TraceImportError);
    expect(() => importTrace(doc)).toThrow(/messages\[0\]\.call\.role/);
    doc.messages[0].call = { protocol: 'x', role: 'request', label: 'l', id: null, pairedWith: 0, latencyMs: null };
    expect(() => importTrace(doc)).toThrow(/messages\[0\]\.call\.pairedWith/);
    doc.messages[0].call = { ['__proto__']: 1 };
    expect(() => importTrace(JSON.stringify(doc))).toThrow(/messages\[0\]\.call: forbidden key/);
  });
});

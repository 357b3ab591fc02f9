// Broken trace files: exit 2 and one line that says what is wrong and where.
import { afterAll, describe, expect, it } from 'vitest';
import { exportTrace, stringifyTrace } from '../../../src/trace';
import { Dir, clean, run } from './fixtures';

const dir = new Dir();
afterAll(() => dir.remove());
const good = () => JSON.parse(stringifyTrace(exportTrace(clean().build(), { tool: 'test' })));

describe('audit and summary on files that are not good traces', () => {
  const cases: [string, () => string, RegExp][] = [
    ['missing file', () => `${dir.path}/nope.json`, /nope\.json: no such file/],
    ['a directory', () => dir.path, /is a directory/],
    ['empty file', () => dir.file('empty.json', '  \n'), /the file is empty/],
    ['not JSON', () => dir.file('text.json', 'hello'), /\(not-json\): not valid JSON/],
    ['truncated', () => dir.file('cut.json', stringifyTrace(exportTrace(clean().build())).slice(0, 300)), /\(not-json\): not valid JSON \(truncated\?\)/],
    ['another JSON document', () => dir.file('pkg.json', '{"name":"x"}'), /\(not-a-trace\): format: not a Channel Inspector trace/],
    ['a JSON array', () => dir.file('arr.json', '[]'), /\(not-a-trace\)/],
    ['a newer version', () => dir.file('v9.json', JSON.stringify({ ...good(), version: 9 })), /\(unsupported-version\): version: version 9 is newer than this reader \(1\)/],
    [
      'a bad field',
      () => {
        const doc = good();
        doc.messages[1].outcome.status = 'lost';
        return dir.file('field.json', JSON.stringify(doc));
      },
      /\(invalid\): messages\[1\]\.outcome\.status: expected one of sent, queued, delivered, dropped, error/,
    ],
    [
      'a dangling reference',
      () => {
        const doc = good();
        doc.messages[0].toPort = 99;
        return dir.file('ref.json', JSON.stringify(doc));
      },
      /messages\[0\]\.toPort: no port with id 99/,
    ],
    ['a hostile key', () => dir.file('proto.json', JSON.stringify(good()).replace('"meta":{', '"meta":{"__proto__":1,')), /\(hostile\): meta: forbidden key "__proto__"/],
  ];

  for (const [what, make, message] of cases) {
    it(`${what}: exit 2 with what and where`, async () => {
      const file = make();
      for (const command of ['audit', 'summary']) {
        const r = await run([command, file]);
        expect(r.code, command).toBe(2);
        expect(r.out, command).toBe('');
        expect(r.err, command).toMatch(message);
        expect(r.err.startsWith(`channel-inspector: ${file}`), command).toBe(true);
      }
    });
  }
});

import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
const entry = `export { readSample, sampleError } from './src/protocol/sample-check.ts'; export { samplePreview } from './src/protocol/sample-preview.ts'; export { decodeParsedSample } from './src/decode/index.ts';`;
const out = await build({ stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, format: 'esm', platform: 'node', write: false });
writeFileSync('/tmp/sc.mjs', out.outputFiles[0].text);
const { readSample, sampleError, samplePreview, decodeParsedSample } = await import('/tmp/sc.mjs');
const N = 40000;
const shapes = {
  ping: (i) => ({ $: 'object', entries: [['t', 'ping'], ['n', i]], count: 2 }),
  rpc: (i) => ({ $: 'object', entries: [['jsonrpc', '2.0'], ['id', i], ['method', 'doThing'], ['params', { $: 'array', items: [1, 'two', { $: 'object', entries: [['a', true], ['b', null]], count: 2 }], length: 3 }]], count: 4 }),
};
for (const [name, make] of Object.entries(shapes)) {
  const texts = Array.from({ length: N }, (_, i) => JSON.stringify(make(i)));
  const res = {};
  for (let round = 0; round < 8; round++) {
    const m = (k, f) => { const t = performance.now(); f(); const us = ((performance.now() - t) * 1000) / N; if (round > 2) (res[k] ??= []).push(us); };
    let parsed;
    m('parse', () => { parsed = texts.map((x) => JSON.parse(x)); });
    m('check', () => { for (const s of parsed) sampleError(s); });
    m('readSample', () => { for (const x of texts) readSample(x, 1e6); });
    m('decode', () => { for (const s of parsed) decodeParsedSample(s); });
    m('preview', () => { for (const s of parsed) samplePreview(s); });
    m('stringify', () => { for (const s of parsed) JSON.stringify(s); });
  }
  const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  console.log(name, Object.entries(res).map(([k, v]) => `${k} ${med(v).toFixed(3)}`).join('  '), 'µs');
}

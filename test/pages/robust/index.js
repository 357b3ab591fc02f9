// Payloads and page behaviour that must never break the instrumentation: a 100 MB buffer,
// a 16 MB string, cycles, getters, a Proxy, then built-ins replaced, frozen and broken by the
// page after load, and traffic after that. What the page observed goes to window.observed;
// window.scenarioDone is set at the end. No Array.prototype method is used once it is patched.
const observed = (window.observed = {});
const step = (name, value) => (observed[name] = value);

function receiver() {
  const c = new MessageChannel();
  const got = [];
  let waiting = null;
  c.port2.onmessage = (e) => {
    got[got.length] = e.data;
    if (waiting && got.length >= waiting.n) waiting.resolve();
  };
  const until = (n) => (got.length >= n ? Promise.resolve() : new Promise((resolve) => (waiting = { n, resolve })));
  return { port: c.port1, got, until };
}

async function main() {
  const a = receiver();
  a.port.postMessage({ kind: 'big', big: new ArrayBuffer(100 * 1024 * 1024) });
  a.port.postMessage({ kind: 'huge-string', text: 'x'.repeat(16 * 1024 * 1024) });
  const cycle = { kind: 'cycle' };
  cycle.self = cycle;
  cycle.list = [cycle, new Map([['back', cycle]])];
  a.port.postMessage(cycle);
  let reads = 0;
  a.port.postMessage({ kind: 'getter', get value() { reads++; return 42; } });
  try {
    a.port.postMessage(new Proxy({ kind: 'proxy' }, {}));
    step('proxy', 'sent');
  } catch (e) {
    step('proxy', e.name);
  }
  await a.until(4);
  step('big', a.got[0].big.byteLength);
  step('huge-string', a.got[1].text.length);
  step('cycle', a.got[2].self === a.got[2] && a.got[2].list[1].get('back') === a.got[2]);
  step('getter-reads', reads);

  // The page now breaks the built-ins the instrumentation might lean on (and puts them back
  // at the end, so that the test harness, which evaluates in this world too, can read the result).
  const saved = [
    [Array.prototype, 'push'], [Array.prototype, 'slice'], [Array.prototype, 'indexOf'], [JSON, 'stringify'], [JSON, 'parse'],
    [Map.prototype, 'get'], [Map.prototype, 'set'], [WeakMap.prototype, 'get'], [WeakMap.prototype, 'set'],
    [Function.prototype, 'apply'], [Function.prototype, 'call'], [EventTarget.prototype, 'addEventListener'],
  ].map(([o, k]) => [o, k, Object.getOwnPropertyDescriptor(o, k)]);
  const fail = (what) => function () { throw new Error(`${what} was replaced by the page`); };
  Array.prototype.push = fail('Array.prototype.push');
  // (Not Array.prototype[Symbol.iterator]: the browser's own transfer-list conversion uses it.)
  Array.prototype.slice = fail('Array.prototype.slice');
  Array.prototype.indexOf = fail('Array.prototype.indexOf');
  JSON.stringify = fail('JSON.stringify');
  JSON.parse = fail('JSON.parse');
  Map.prototype.get = fail('Map.prototype.get');
  Map.prototype.set = fail('Map.prototype.set');
  WeakMap.prototype.get = fail('WeakMap.prototype.get');
  WeakMap.prototype.set = fail('WeakMap.prototype.set');
  Function.prototype.apply = fail('Function.prototype.apply');
  Function.prototype.call = fail('Function.prototype.call');
  Object.defineProperty(Array.prototype, '0', { set: fail('a setter on Array.prototype[0]'), configurable: true });
  Object.defineProperty(Object.prototype, 'k', { set: fail('a setter on Object.prototype.k'), configurable: true });
  const add = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, fn, opts) {
    return Reflect.apply(add, this, [type, fn, opts]);
  };
  Object.freeze(MessagePort.prototype);
  Object.freeze(MessageEvent.prototype);

  try {
    await afterPatches();
  } finally {
    for (let i = 0; i < saved.length; i++) Reflect.defineProperty(saved[i][0], saved[i][1], saved[i][2]);
    delete Array.prototype[0];
    delete Object.prototype.k;
  }
  window.scenarioDone = true;
}

// Traffic after that: a burst, a transfer, a listener added through the page's wrapper.
async function afterPatches() {
  const b = new MessageChannel();
  let count = 0;
  let done;
  const all = new Promise((resolve) => (done = resolve));
  b.port2.addEventListener('message', (e) => {
    count++;
    if (e.data.last) done();
  });
  b.port2.start();
  for (let i = 0; i < 2000; i++) b.port1.postMessage({ kind: 'after-patches', i });
  const moved = new ArrayBuffer(4096);
  b.port1.postMessage({ kind: 'after-patches', last: true, moved }, [moved]);
  // Bounded, so that the built-ins are put back whatever happened.
  await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  step('after-patches', count);
  step('moved-left', moved.byteLength);
  await withToJSONTraps();
}

// toJSON getters on Object.prototype and Array.prototype: the instrumentation serializes its
// batches with JSON.stringify, which would call them; it must notice them and never run them.
async function withToJSONTraps() {
  const hit = (where) => ({ get() { step(`toJSON read on ${where}`, true); return undefined; }, configurable: true });
  Object.defineProperty(Object.prototype, 'toJSON', hit('Object.prototype'));
  Object.defineProperty(Array.prototype, 'toJSON', hit('Array.prototype'));
  const c = new MessageChannel();
  let count = 0;
  let done;
  const all = new Promise((resolve) => (done = resolve));
  c.port2.onmessage = (e) => {
    count++;
    if (e.data.last) done();
  };
  for (let i = 0; i < 499; i++) c.port1.postMessage({ kind: 'with-toJSON', list: [i] });
  c.port1.postMessage({ kind: 'with-toJSON', last: true });
  await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  // Past the instrumentation's next flush (15 ms after its first event), with the traps still there.
  await new Promise((resolve) => setTimeout(resolve, 40));
  delete Object.prototype.toJSON;
  delete Array.prototype.toJSON;
  step('with-toJSON', count);
}
window.addEventListener('load', () =>
  main().catch((e) => {
    step('failed', `${e}\n${e?.stack}`);
    window.scenarioDone = true;
  }),
);

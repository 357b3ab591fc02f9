// Exercises every kind of channel operation the instrumentation reports, once each,
// and records what the page itself observed in window.observed. Sets window.scenarioDone.
const observed = (window.observed = {});
const step = (name, value = true) => (observed[name] = value);
const xo = document.getElementById('xo');
const xoLoaded = new Promise((resolve) => xo.addEventListener('load', resolve, { once: true }));
xo.src = `http://localhost:${location.port}/capture/child.html`;

async function main() {
  // A channel used in both directions, with a listener added and removed.
  const { port1, port2 } = new MessageChannel();
  const removed = () => step('removed-listener-ran');
  port2.addEventListener('message', removed);
  port2.removeEventListener('message', removed);
  const got = new Promise((resolve) => port2.addEventListener('message', (e) => resolve(e.data)));
  port2.start();
  port1.postMessage({ kind: 'hello' });
  step('port-message', await got);

  // Rich data: what the receiver got arrives in the background as a sample.
  const gotRich = new Promise((resolve) => port2.addEventListener('message', (e) => e.data?.kind === 'rich' && resolve(e.data)));
  port1.postMessage({ kind: 'rich', map: new Map([['a', 1], ['b', [2, 3]]]), when: new Date(1700000000000), bytes: new Uint16Array([1, 2, 513]), nested: { level: { deeper: { deepest: 'end' } } } });
  step('rich-message', (await gotRich).map.size);

  // A buffer transferred on the channel.
  const buffer = new ArrayBuffer(2048);
  const gotBuffer = new Promise((resolve) => (port1.onmessage = (e) => resolve(e.data.byteLength)));
  port2.postMessage(buffer, [buffer]);
  step('buffer-received', await gotBuffer);
  step('buffer-left', buffer.byteLength);

  // A DataCloneError, rethrown unchanged.
  try {
    port1.postMessage({ deep: { fn: () => 1 } });
  } catch (e) {
    step('clone-error', e.name);
  }

  // structuredClone with a transfer list: one buffer kept in the copy, one transferred but
  // not referenced (lost), and a port moved into the copy, which still talks to its partner.
  const kept = new ArrayBuffer(512);
  const lost = new ArrayBuffer(256);
  const cc = new MessageChannel();
  const copy = structuredClone({ kind: 'cloned', kept, port: cc.port2 }, { transfer: [kept, lost, cc.port2] });
  step('clone-left', [kept.byteLength, lost.byteLength, copy.kept.byteLength]);
  const viaCopy = new Promise((resolve) => (cc.port1.onmessage = (e) => resolve(e.data)));
  copy.port.postMessage('from-the-copy');
  step('clone-port', await viaCopy);

  // A window message to itself, whose handler works for 4 ms (its handler time).
  const self = new Promise((resolve) => window.addEventListener('message', function onSelf(e) {
    if (e.data?.kind !== 'self') return;
    window.removeEventListener('message', onSelf);
    for (const t0 = performance.now(); performance.now() - t0 < 4; );
    resolve(e.origin);
  }));
  window.postMessage({ kind: 'self' }, '*');
  step('self-origin', await self);

  // A port handed to a cross-origin child, which answers over it.
  await xoLoaded;
  const child = new MessageChannel();
  const answer = new Promise((resolve) => (child.port1.onmessage = (e) => resolve(e.data)));
  xo.contentWindow.postMessage({ kind: 'port-for-you' }, `http://localhost:${location.port}`, [child.port2]);
  step('child-answer', await answer);

  // A dedicated worker that gets a port and answers over it.
  const worker = new Worker('worker.js');
  const wc = new MessageChannel();
  const workerAnswer = new Promise((resolve) => (wc.port1.onmessage = (e) => resolve(e.data)));
  worker.postMessage({ kind: 'port-for-worker' }, [wc.port2]);
  step('worker-answer', await workerAnswer);
  const direct = new Promise((resolve) => (worker.onmessage = (e) => resolve(e.data)));
  worker.postMessage('direct');
  step('worker-direct', await direct);
  worker.terminate();
  // Its port went with it: this one is lost, without a word from the browser.
  wc.port1.postMessage('after terminate');

  // A shared worker, over its port.
  const shared = new SharedWorker('shared.js');
  const sharedAnswer = new Promise((resolve) => (shared.port.onmessage = (e) => resolve(e.data.kind)));
  shared.port.postMessage('shared-hello');
  step('shared-answer', await sharedAnswer);

  // A service worker: a message to it, and its answer on navigator.serviceWorker.
  const registration = await navigator.serviceWorker.register('sw.js');
  const active = registration.active ?? (await navigator.serviceWorker.ready).active;
  const swAnswer = new Promise((resolve) => (navigator.serviceWorker.onmessage = (e) => resolve(e.data.kind)));
  active.postMessage('sw-hello');
  step('sw-answer', await swAnswer);

  // BroadcastChannel between two same-origin iframes: bc1 speaks, bc2 hears.
  const heard = new Promise((resolve) => window.addEventListener('message', (e) => e.data?.kind === 'bc-heard' && resolve(e.data.text)));
  document.getElementById('bc1').contentWindow.postMessage({ kind: 'bc-say', text: 'news' }, location.origin);
  step('bc-heard', await heard);

  // Closing a port.
  port1.close();
  step('closed', true);
  window.scenarioDone = true;
}
window.addEventListener('load', () => main().catch((e) => step('failed', String(e))));

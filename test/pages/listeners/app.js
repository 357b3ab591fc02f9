// Every listener counts its calls here, so a test compares the recorder's counts with the page's.
window.calls = {};
const count = (name) => (window.calls[name] = (window.calls[name] || 0) + 1);

// As @sentry/browser wraps a listener: the wrapper carries __sentry_original__ (non-enumerable).
function sentryWrap(fn) {
  const sentryWrapped = function () {
    return fn.apply(this, arguments);
  };
  Object.defineProperty(fn, '__sentry_wrapped__', { value: sentryWrapped, writable: true, configurable: true });
  Object.defineProperty(sentryWrapped, '__sentry_original__', { value: fn, writable: true, configurable: true });
  return sentryWrapped;
}

window.addEventListener('message', function onWindowMessage(e) {
  if (e.origin !== location.origin) return;
  count('onWindowMessage');
  if (e.data === 'zone-ready') window.zoneReady = true;
});

// Without a receiver, as a script's top level often writes it: the browser takes the window.
addEventListener('message', function onBareWindowMessage(e) {
  if (e.origin !== location.origin) return;
  count('onBareWindowMessage');
});
const bareRemoved = function bareRemoved() {
  count('bareRemoved');
};
addEventListener('message', bareRemoved);
removeEventListener('message', bareRemoved);

const ch = new MessageChannel();
ch.port2.addEventListener('message', function onPortMessage(e) {
  count('onPortMessage');
  if (e.data === 3) window.portDone = true;
});
ch.port2.addEventListener('message', function onceListener() {
  count('onceListener');
}, { once: true });
const removedListener = function removedListener() {
  count('removedListener');
};
ch.port2.addEventListener('message', removedListener);
ch.port2.removeEventListener('message', removedListener);
ch.port2.addEventListener('message', sentryWrap(function sentryAuthor(e) {
  count('sentryAuthor'); // sentry-author-marker
}));
ch.port2.start();
for (let i = 1; i <= 3; i++) ch.port1.postMessage(i);

const worker = new Worker('worker.js');
worker.onmessage = function onWorkerMessage(e) {
  count('onWorkerMessage');
  if (e.data === 'w2') window.workerDone = true;
};

const bc = new BroadcastChannel('ci-listeners');
bc.addEventListener('message', function onBroadcast() {
  count('onBroadcast');
  window.broadcastDone = true;
});
new BroadcastChannel('ci-listeners').postMessage('hello');

window.postMessage('self 1', '*');
window.postMessage('self 2', '*');

// Done when every message above (and the zone frame's) arrived.
let sentToZone = false;
const poll = setInterval(() => {
  if (!(window.portDone && window.workerDone && window.broadcastDone && window.zoneReady)) return;
  const frame = document.getElementById('zone').contentWindow;
  if (!sentToZone) {
    sentToZone = true;
    frame.postMessage('to zone', location.origin);
  }
  if (!frame.zoneDone) return;
  clearInterval(poll);
  window.scenarioDone = true;
}, 20);

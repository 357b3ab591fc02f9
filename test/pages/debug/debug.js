// The page under test for message breakpoints and Store as global variable (issue #24).
import * as Comlink from '/vendor/comlink.mjs';

window.log = [];
const note = (s) => {
  window.log.push(s);
  document.getElementById('log').textContent += s + '\n';
};

// Comlink within the page: the exposed side listens on port2 (Comlink's own listener).
const api = { add: (a, b) => a + b, mul: (a, b) => a * b };
const { port1, port2 } = new MessageChannel();
Comlink.expose(api, port2);
const remote = Comlink.wrap(port1);

window.callAdds = async () => {
  const results = await Promise.all([remote.add(1, 2), remote.mul(3, 4), remote.add(5, 6)]);
  note(`results ${results.join(' ')}`);
};

// A send the model predicts dropped: the port was closed first.
const closed = new MessageChannel();
closed.port1.close();
window.sendToClosed = function sendToClosed() {
  closed.port1.postMessage('into the void');
  note('sent to closed');
};

// A second channel whose receiver keeps what it got (a payload the page still holds).
const talkChannel = new MessageChannel();
window.received = [];
talkChannel.port2.onmessage = function onTalk(e) {
  window.received.push(e.data);
  note(`talk ${e.data instanceof Map ? [...e.data.keys()].join(',') : typeof e.data === 'string' ? e.data : typeof e.data}`);
};
window.talk = () => talkChannel.port1.postMessage(new Map([['when', 1n], ['what', 'hello']]));
window.talkPort = talkChannel.port1;

// A send on the closed port between two messages on the talk channel: what the listener
// receives, and in which order, must not change when the page pauses on that send.
window.sendBetween = function sendBetween() {
  talkChannel.port1.postMessage('first');
  closed.port1.postMessage('between');
  note('sent to closed');
  talkChannel.port1.postMessage('second');
};
window.debugReady = true;

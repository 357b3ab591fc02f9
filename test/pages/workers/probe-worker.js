// Line numbers matter here: the stacks below name them.
const probe = { events: [] };
probe.location = String(location.href);
probe.ownKeys = Object.getOwnPropertyNames(self).filter((k) => !/^on/.test(k)).sort().join(',');
probe.enumerable = Object.keys(self).join(',');
probe.postMessageText = Function.prototype.toString.call(self.postMessage);
probe.postMessageShape = [self.postMessage.name, self.postMessage.length, Object.getOwnPropertyNames(self.postMessage).join(',')];
probe.onmessageDesc = Object.keys(Object.getOwnPropertyDescriptor(self, 'onmessage') ?? Object.getOwnPropertyDescriptor(Object.getPrototypeOf(self), 'onmessage') ?? {}).join(',');
function where() {
  return new Error('here').stack.split('\n').slice(0, 3).map((l) => l.replace(/^\s+/, '')).join(' | ');
}
probe.stack = where();
try {
  postMessage(() => 1);
} catch (e) {
  probe.cloneError = `${e.name}: ${e.message} @${e.stack.split('\n').length > 1}`;
}
importScripts('probe-helper.js');
probe.helper = self.helperValue;
addEventListener('message', (e) => probe.events.push(`listener ${e.data}`));
onmessage = (e) => {
  probe.events.push(`handler ${e.data}`);
  if (e.data === 'two') {
    postMessage({ kind: 'probe', probe });
    throw new Error('thrown in the worker');
  }
};

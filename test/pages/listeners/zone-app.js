window.calls = {};
const count = (name) => (window.calls[name] = (window.calls[name] || 0) + 1);

window.addEventListener('message', function zoneWindowListener(e) {
  if (e.origin !== location.origin) return;
  count('zoneWindowListener');
  if (e.data === 'to zone') window.zoneWindowDone = true;
});

// Two listeners on one port: Zone registers one shared callback and keeps both as tasks.
const c = new MessageChannel();
c.port1.addEventListener('message', function zoneFirst(e) {
  count('zoneFirst');
  return e.origin; // reads origin
});
c.port1.addEventListener('message', function zoneSecond(e) {
  count('zoneSecond');
  if (e.data === 2) window.zonePortDone = true;
});
c.port1.start();
c.port2.postMessage(1);
c.port2.postMessage(2);

const poll = setInterval(() => {
  if (!window.zonePortDone) return;
  clearInterval(poll);
  parent.postMessage('zone-ready', location.origin);
}, 20);
window.addEventListener('message', function zoneDoneListener(e) {
  count('zoneDoneListener');
  if (e.data === 'to zone') window.zoneDone = true;
});

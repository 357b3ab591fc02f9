// The top frame hands port2 of a channel to the cross-origin child, then sends it one
// message on the port and one window message with an explicit targetOrigin.
const frame = document.getElementById('child');
const childOrigin = `http://localhost:${location.port}`;
frame.src = `${childOrigin}/replay/child.html`;
const channel = new MessageChannel();
channel.port1.onmessage = (e) => got.push('port ' + show(e.data));
window.addEventListener('message', (e) => {
  if (e.source === frame.contentWindow && e.data === 'ready') {
    frame.contentWindow.postMessage({ kind: 'connect' }, childOrigin, [channel.port2]);
    channel.port1.postMessage({ kind: 'greet', n: 1 });
    frame.contentWindow.postMessage({ kind: 'win', n: 2 }, childOrigin);
    return;
  }
  got.push('window ' + show(e.data) + ' from ' + (e.source === window ? 'self' : e.source === frame.contentWindow ? 'child' : 'other') + ' ' + e.origin);
});

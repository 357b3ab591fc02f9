// The child logs what reaches its port and its window, with event.source and origin.
let port = null;
window.addEventListener('message', (e) => {
  if (e.data && e.data.kind === 'connect' && e.source === parent && e.ports.length) {
    port = e.ports[0];
    port.onmessage = (m) => {
      got.push('port ' + show(m.data));
      if (m.data && m.data.kind === 'greet') port.postMessage({ kind: 'thanks' });
    };
    window.childReady = true;
    return;
  }
  got.push('window ' + show(e.data) + ' from ' + (e.source === window ? 'self' : e.source === parent ? 'parent' : 'other') + ' ' + e.origin);
});
parent.postMessage('ready', '*');

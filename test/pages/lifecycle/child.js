// A child: takes the port its parent posts and answers its ping; ?nest adds a nested frame.
addEventListener('message', (e) => {
  if (e.data !== 'port' || e.source !== parent) return;
  const port = e.ports[0];
  port.onmessage = (m) => port.postMessage(`pong to ${m.data}`);
});
if (location.search === '?nest') {
  const f = document.createElement('iframe');
  f.src = 'leaf.html';
  document.body.append(f);
  // Ready once the nested frame has loaded (its document is recorded by then).
  f.onload = () => parent.postMessage('ready', '*');
} else parent.postMessage('ready', '*');

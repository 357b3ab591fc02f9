onmessage = (e) => {
  const port = e.ports[0];
  port.onmessage = (m) => port.postMessage(`pong to ${m.data}`);
};

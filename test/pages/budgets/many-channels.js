// Makes ?n= channels (default 300,000), 10,000 per task from load on, and reads their ports (a
// channel is recorded when the page first touches one of its ports), keeping them all alive;
// posts nothing. Made after load, while recording is on, so that none are cut by the page-side
// budget of what is made before the page knows it is recorded.
const n = Number(new URLSearchParams(location.search).get('n')) || 300000;
const kept = [];
function some() {
  for (let i = 0; i < 10000 && kept.length < 2 * n; i++) {
    const c = new MessageChannel();
    kept.push(c.port1, c.port2);
  }
  window.madeChannels = kept.length / 2;
  if (kept.length < 2 * n) setTimeout(some, 0);
}
addEventListener('load', () => setTimeout(some, 0));

// Steady live traffic for the panel's frame-rate row: `live.start(rate, ms)` posts `rate`
// small messages per second over a MessageChannel, in slices every 10 ms, catching up on a
// late timer by at most 50 ms of messages (a page that cannot keep up falls behind rather than
// bursting); stops after `ms` and resolves with what was sent, so sent / ms is the rate reached.
(() => {
  const { port1, port2 } = new MessageChannel();
  let got = 0;
  port2.onmessage = () => got++;
  const start = (rate, ms) =>
    new Promise((ok) => {
      const t0 = performance.now();
      let sent = 0;
      const tick = () => {
        const t = performance.now() - t0;
        const due = Math.min(Math.floor((Math.min(t, ms) * rate) / 1000), sent + Math.ceil(rate / 20));
        for (; sent < due; sent++) port1.postMessage({ t: 'live', n: sent });
        if (t < ms) setTimeout(tick, 10);
        else ok({ sent, ms: t });
      };
      tick();
    });
  Object.defineProperty(window, 'live', { value: { start, received: () => got } });
})();

// The page rows of scripts/bench.mjs. Each row runs n operations as fast as the page can and
// resolves with the milliseconds it took, timed in the page (performance.now) so that the
// harness's round trips are not in the figure. window.bench is the harness's only handle.
(() => {
  const q = new URLSearchParams(location.search);
  const naive = q.has('naive') ? '?naive=1' : '';
  const now = () => performance.now();
  const msg = (n) => ({ t: 'ping', n });

  // Frames are told apart by the origin they report, not by e.source: naive.js wraps
  // postMessage in the caller's realm, which changes what the receiver sees as its source.
  const frame = (src, origin) =>
    new Promise((ok) => {
      const f = document.createElement('iframe');
      const onReady = (e) => {
        if (e.data && e.data.t === 'echo-ready' && e.data.origin === origin) {
          window.removeEventListener('message', onReady);
          ok(f.contentWindow);
        }
      };
      window.addEventListener('message', onReady);
      f.src = src;
      document.body.append(f);
    });
  // Same-origin and cross-origin (out of process in Chromium) echo frames.
  const frames = new Promise((ok) => addEventListener('DOMContentLoaded', ok)).then(() =>
    Promise.all([frame(`echo.html${naive}`, location.origin), q.get('xo') ? frame(`${q.get('xo')}/bench/echo.html${naive}`, q.get('xo')) : null]),
  );

  /** Ping-pong n round trips between `send` and a reply that arrives through `listen`. */
  function pingPong(n, send, listen, unlisten) {
    return new Promise((ok) => {
      let i = 0;
      const t0 = now();
      const on = () => {
        if (++i >= n) {
          unlisten(on);
          ok(now() - t0);
        } else send(msg(i));
      };
      listen(on);
      send(msg(0));
    });
  }

  /** A port whose far end lives in `win` and echoes; resolves once it answered once. */
  function remotePort(win) {
    const { port1, port2 } = new MessageChannel();
    win.postMessage({ t: 'port' }, '*', [port2]);
    return new Promise((ok) => (port1.onmessage = () => ok(port1)));
  }

  const portPing = (port, n) =>
    pingPong(n, (m) => port.postMessage(m), (f) => (port.onmessage = f), () => (port.onmessage = null));

  const rows = {
    /** MessageChannel ping-pong inside this frame. */
    async mcPing(n) {
      const { port1, port2 } = new MessageChannel();
      port2.onmessage = (e) => port2.postMessage(e.data);
      const ms = await portPing(port1, n);
      port1.close();
      return ms;
    },
    /** MessageChannel ping-pong with the far port in a cross-origin iframe. */
    async mcCross(n) {
      const [, xo] = await frames;
      const port = await remotePort(xo);
      const ms = await portPing(port, n);
      port.close();
      return ms;
    },
    /** n small one-way messages posted in one task; done when the last is delivered. */
    oneWay(n) {
      const { port1, port2 } = new MessageChannel();
      return new Promise((ok) => {
        let got = 0;
        const t0 = now();
        port2.onmessage = () => {
          if (++got === n) {
            port1.close();
            ok(now() - t0);
          }
        };
        for (let i = 0; i < n; i++) port1.postMessage(msg(i));
      });
    },
    /** window.postMessage to this window, round trips (each delivery posts the next). */
    winSelf(n) {
      const h = (f) => (f.h ??= (e) => e.data && e.data.t === 'ping' && f());
      return pingPong(n, (m) => window.postMessage(m, '*'), (f) => addEventListener('message', h(f)), (f) => removeEventListener('message', h(f)));
    },
    /** window.postMessage to a same-origin iframe that posts back. */
    async winFrame(n) {
      const [so] = await frames;
      const h = (f) => (f.h ??= (e) => e.data && e.data.t === 'ping' && f());
      return pingPong(n, (m) => so.postMessage(m, '*'), (f) => addEventListener('message', h(f)), (f) => removeEventListener('message', h(f)));
    },
    /** A 64 MB ArrayBuffer transferred back and forth over a channel (round trips). */
    transfer64(n) {
      const { port1, port2 } = new MessageChannel();
      port2.onmessage = (e) => port2.postMessage(e.data, [e.data.buf]);
      let buf = new ArrayBuffer(64 << 20);
      return new Promise((ok) => {
        let i = 0;
        const t0 = now();
        port1.onmessage = (e) => {
          buf = e.data.buf;
          if (++i >= n) {
            port1.close();
            ok(now() - t0);
          } else port1.postMessage({ t: 'buf', buf }, [buf]);
        };
        port1.postMessage({ t: 'buf', buf }, [buf]);
      });
    },
    /** A scheduler (React's shape): each task posts to itself to yield, then continues. */
    scheduler(n) {
      const { port1, port2 } = new MessageChannel();
      return new Promise((ok) => {
        let i = 0;
        const t0 = now();
        port1.onmessage = () => {
          if (++i >= n) {
            port1.close();
            ok(now() - t0);
          } else port2.postMessage(null);
        };
        port2.postMessage(null);
      });
    },
  };

  Object.defineProperty(window, 'bench', {
    value: {
      ready: frames.then(() => true),
      run: (row, n) => rows[row](n),
      naiveLogLength: () => (window.__naiveLog ? window.__naiveLog.length : 0),
    },
  });
})();

// The ground-truth runtime, the same in the top frame, the iframes and the workers of a
// program (test/support/ground-truth-program.ts). Each context runs its own operations in
// program order and logs, by itself, every send and every delivery it sees, with the tag of
// the message and the labels of the ports involved. Everything out of band (the program,
// the logs, the start barrier, waits for carrier messages) goes to the collector over
// fetch, never over postMessage, so that the page's only messaging is the program's.
(function () {
  'use strict';
  const inWorker = typeof window === 'undefined';
  const now = () => performance.timeOrigin + performance.now();
  // The recorder keeps times on a whole-microsecond grid; two sends of one context never
  // share a grid point, so a recorded send time names exactly one logged send.
  const grid = (t) => Math.round(t * 1000);
  const nextTick = (t) => {
    const g = grid(t);
    while (grid(now()) <= g) {
      /* spin to the next clock tick */
    }
  };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const runtimes = new Map();
  // Workers this document made, in order: the recorder numbers them the same way (ctx).
  let workersMade = 0;
  const seedOf = (tag) => (typeof tag === 'string' && /^t\d+-/.test(tag) ? Number(tag.slice(1, tag.indexOf('-'))) : null);

  function Runtime(seed, name, collector) {
    const rt = { seed, name, collector, log: [], held: new Map(), waiters: new Map(), frames: [], workers: new Map(), channels: [], program: null };
    let flushing = false;
    let dirty = false;
    const flush = () => {
      if (flushing) {
        dirty = true;
        return;
      }
      flushing = true;
      dirty = false;
      const body = JSON.stringify(rt.log);
      fetch(`${collector}/log?s=${seed}&c=${name}`, { method: 'POST', body })
        .catch(() => {})
        .finally(() => {
          flushing = false;
          if (dirty) flush();
        });
    };
    rt.note = (e) => {
      rt.log.push(e);
      flush();
    };
    const autostart = (label) => rt.program.ports.find((p) => p.label === label).autostart;
    rt.portHandler = (label) => (e) => rt.received('port', e, { port: label });
    rt.adopt = (label, port) => {
      rt.held.set(label, port);
      if (autostart(label)) port.onmessage = rt.portHandler(label);
      for (const w of rt.waiters.get(label) ?? []) w();
      rt.waiters.delete(label);
    };
    rt.has = (label) => (rt.held.has(label) ? Promise.resolve() : new Promise((r) => rt.waiters.set(label, [...(rt.waiters.get(label) ?? []), r])));
    rt.received = (via, e, extra) => {
      const d = e.data;
      const carry = Array.isArray(d?.carry) ? d.carry : [];
      rt.note({ e: 'recv', via, tag: d?.gt ?? null, carry, n: e.ports.length, buf: d?.buf ? d.buf.byteLength : null, t: now(), ...extra });
      carry.forEach((label, i) => e.ports[i] && rt.adopt(label, e.ports[i]));
    };
    return rt;
  }

  const get = async (rt, path) => {
    for (;;) {
      try {
        const res = await fetch(`${rt.collector}${path}`);
        if (res.ok) return await res.json();
      } catch {
        /* the collector is local: try again */
      }
      await sleep(20);
    }
  };
  // Short polls only: a held request would take one of the six connections per host.
  const until = async (rt, path) => {
    while (!(await get(rt, path)).ok) await sleep(5);
  };

  const pageUrl = (rt, ctx, file) => {
    const host = inWorker ? location.host : rt.program.contexts.find((c) => c.name === ctx.name).host + ':' + location.port;
    return `${file === 'worker.js' ? '' : `http://${host}`}/ground-truth/${file}?s=${rt.seed}&c=${ctx.name}&k=${encodeURIComponent(rt.collector)}`;
  };

  async function setUp(rt) {
    rt.program = await get(rt, `/program?s=${rt.seed}`);
    const me = rt.program.contexts.find((c) => c.name === rt.name);
    if (me.kind === 'window') {
      for (const c of rt.program.contexts) {
        if (c.parent !== rt.name) continue;
        if (c.kind === 'window') {
          const f = document.createElement('iframe');
          f.src = pageUrl(rt, c, 'frame.html');
          document.body.appendChild(f);
          rt.frames.push(f);
        } else {
          rt.note({ e: 'worker', name: c.name, n: ++workersMade, t: now() });
          const w = new Worker(pageUrl(rt, c, 'worker.js'));
          w.onmessage = (e) => rt.received('worker', e, { from: c.name });
          rt.workers.set(c.name, w);
        }
      }
    }
    for (const b of rt.program.broadcast) {
      if (!b.members.includes(rt.name)) continue;
      const bc = new BroadcastChannel(b.name);
      bc.onmessage = (e) => rt.received('broadcast', e, { channel: b.name });
      rt.channels.push([b.name, bc]);
    }
    await until(rt, `/barrier?s=${rt.seed}&c=${rt.name}`);
  }

  const originFor = (rt, ctxName) => `http://${rt.program.contexts.find((c) => c.name === ctxName).host}:${inWorker ? '' : location.port}`;
  // The top frame's first children are the warm frames (below); a program's frames follow.
  const WARM_HOSTS = ['localhost', '127.0.0.2'];
  const windowAt = (path) => path.reduce((w, i, depth) => w.frames[depth === 0 ? i + WARM_HOSTS.length : i], window.top);

  async function send(rt, op) {
    if (op.wait.length) await until(rt, `/received?s=${rt.seed}&tags=${op.wait.join(',')}`);
    for (const label of op.carry) await rt.has(label);
    const ports = op.carry.map((l) => rt.held.get(l));
    const msg = { gt: op.tag, carry: op.carry };
    const transfer = [...ports];
    if (op.buf) {
      msg.buf = new ArrayBuffer(op.buf.bytes);
      if (op.buf.transfer) transfer.push(msg.buf);
    }
    let target;
    let post;
    const entry = { e: 'send', via: null, tag: op.tag, carry: op.carry, buf: op.buf };
    if (op.k === 'post') {
      await rt.has(op.port);
      target = rt.held.get(op.port);
      entry.via = 'port';
      entry.port = op.port;
      post = () => target.postMessage(msg, transfer);
    } else if (op.k === 'window') {
      const to = rt.program.contexts.find((c) => c.name === op.to);
      target = windowAt(to.path);
      const other = rt.program.contexts.find((c) => c.host !== to.host)?.host ?? 'example.invalid';
      const targetOrigin = op.targetOrigin === 'star' ? '*' : op.targetOrigin === 'exact' ? originFor(rt, op.to) : `http://${other}:${location.port}`;
      Object.assign(entry, { via: 'window', to: op.to, targetOrigin });
      post = () => target.postMessage(msg, targetOrigin, transfer);
    } else if (op.k === 'toWorker') {
      target = rt.workers.get(op.worker);
      Object.assign(entry, { via: 'worker', to: op.worker });
      post = () => target.postMessage(msg, transfer);
    } else if (op.k === 'toParent') {
      Object.assign(entry, { via: 'worker', to: rt.program.contexts.find((c) => c.name === rt.name).parent });
      post = () => self.postMessage(msg, transfer);
    } else {
      const bc = rt.channels.find(([n]) => n === op.channel)[1];
      Object.assign(entry, { via: 'broadcast', channel: op.channel });
      post = () => bc.postMessage(msg);
    }
    for (const l of op.carry) rt.held.delete(l);
    entry.t0 = now();
    try {
      post();
    } catch (err) {
      entry.error = `${err.name}: ${err.message}`;
    }
    entry.t1 = now();
    rt.note(entry);
    nextTick(entry.t1);
  }

  async function runOps(rt) {
    for (const op of rt.program.ops) {
      if (op.at !== rt.name) continue;
      try {
        if (op.k === 'channel') {
          const ch = new MessageChannel();
          rt.note({ e: 'channel', a: op.a, b: op.b, t: now() });
          rt.adopt(op.a, ch.port1);
          rt.adopt(op.b, ch.port2);
        } else if (op.k === 'start') {
          await rt.has(op.port);
          const port = rt.held.get(op.port);
          // Both ways of starting a port: addEventListener + start(), or onmessage.
          if (Number(op.port.slice(1, -1)) % 2) {
            port.addEventListener('message', rt.portHandler(op.port));
            port.start();
          } else port.onmessage = rt.portHandler(op.port);
          rt.note({ e: 'start', port: op.port, t: now() });
        } else if (op.k === 'close') {
          await rt.has(op.port);
          rt.held.get(op.port).close();
          rt.note({ e: 'close', port: op.port, t: now() });
        } else await send(rt, op);
      } catch (err) {
        rt.note({ e: 'error', op: JSON.stringify(op), what: String(err && err.stack) });
      }
    }
    rt.note({ e: 'done', t: now() });
  }

  async function run(seed, name, collector) {
    const rt = Runtime(seed, name, collector);
    runtimes.set(seed, rt);
    await setUp(rt);
    await runOps(rt);
    return rt;
  }

  const route = (via) => (e) => {
    const rt = runtimes.get(seedOf(e.data?.gt));
    if (rt && rt.program) rt.received(via, e, {});
  };
  if (inWorker) {
    self.onmessage = route('worker');
  } else {
    window.addEventListener('message', route('window'));
  }

  const q = new URLSearchParams(location.search);
  if (q.has('s')) {
    run(Number(q.get('s')), q.get('c'), q.get('k'));
  } else if (!inWorker) {
    // The top frame: the test runs one program after another.
    window.gtRun = (seed, collector) => {
      run(seed, 'top', collector);
      return true;
    };
    window.gtTeardown = (seed) => {
      const rt = runtimes.get(seed);
      if (!rt) return false;
      for (const f of rt.frames) f.remove();
      for (const w of rt.workers.values()) w.terminate();
      for (const p of rt.held.values()) p.close();
      for (const [, bc] of rt.channels) bc.close();
      runtimes.delete(seed);
      return true;
    };
    for (const host of WARM_HOSTS) {
      const f = document.createElement('iframe');
      f.src = `http://${host}:${location.port}/ground-truth/warm.html`;
      f.hidden = true;
      document.body.appendChild(f);
    }
    window.gtReady = true;
  }
})();

// Random operation programs for the model's differential test (test/e2e/model-diff.test.ts):
// a seeded generator, and ONE self-contained runner that executes a program against whatever
// globals it is handed (a real page's, or a model realm's) and logs everything observable.
// runPrograms is shipped into pages as source text: it must not reference anything outside itself.

/** mulberry32: small, fast, seeded. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type DataKind = 'num' | 'str' | 'obj' | 'map' | 'set' | 'date' | 'regexp' | 'err' | 'cycle' | 'big' | 'typed' | 'fn' | 'sym' | 'weak' | 'detached' | 'portref' | 'wrap';

export type Op =
  | { op: 'ch' }
  | { op: 'buf'; n: number }
  | { op: 'post'; p: number; data: DataKind; tp: number[]; tb: number[]; junk: boolean; dup: boolean; form: 'seq' | 'opts'; inMsg: boolean }
  | { op: 'start' | 'onmsg' | 'listen' | 'unonmsg' | 'close' | 'echo' | 'onerr'; p: number }
  | { op: 'tick' }
  | { op: 'bc'; name: number }
  | { op: 'bcpost'; b: number; data: DataKind }
  | { op: 'bcclose'; b: number }
  | { op: 'win'; data: DataKind; to: 'star' | 'slash' | 'own' | 'other' | 'bad' | 'opts' | 'none'; tp: number[]; tb: number[] };

const DATA: DataKind[] = ['num', 'str', 'obj', 'map', 'set', 'date', 'regexp', 'err', 'cycle', 'big', 'typed', 'wrap', 'num', 'obj', 'fn', 'sym', 'weak', 'detached', 'portref'];

/** A program of up to maxOps operations; always starts with a channel. */
export function generateProgram(seed: number, maxOps = 30): Op[] {
  const r = prng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const len = 2 + int(maxOps - 1);
  const ops: Op[] = [{ op: 'ch' }];
  const some = (p: number, max: number) => {
    const out: number[] = [];
    while (out.length < max && r() < p) out.push(int(12));
    return out;
  };
  while (ops.length < len) {
    const x = r();
    if (x < 0.1) ops.push({ op: 'ch' });
    else if (x < 0.17) ops.push({ op: 'buf', n: 1 + int(16) });
    else if (x < 0.5) {
      ops.push({
        op: 'post', p: int(12), data: r() < 0.75 ? pick(DATA.slice(0, 14)) : pick(DATA), tp: some(0.4, 3), tb: some(0.35, 2),
        junk: r() < 0.03, dup: r() < 0.06, form: r() < 0.5 ? 'seq' : 'opts', inMsg: r() < 0.5,
      });
    } else if (x < 0.56) ops.push({ op: 'start', p: int(12) });
    else if (x < 0.64) ops.push({ op: 'onmsg', p: int(12) });
    else if (x < 0.69) ops.push({ op: 'listen', p: int(12) });
    else if (x < 0.71) ops.push({ op: 'unonmsg', p: int(12) });
    else if (x < 0.77) ops.push({ op: 'close', p: int(12) });
    else if (x < 0.81) ops.push({ op: 'echo', p: int(12) });
    else if (x < 0.82) ops.push({ op: 'onerr', p: int(12) });
    else if (x < 0.9) ops.push({ op: 'tick' });
    else if (x < 0.92) ops.push({ op: 'bc', name: int(2) });
    else if (x < 0.935) ops.push({ op: 'bcpost', b: int(6), data: r() < 0.85 ? pick(DATA.slice(0, 14)) : pick(DATA) });
    else if (x < 0.94) ops.push({ op: 'bcclose', b: int(6) });
    else ops.push({ op: 'win', data: pick(DATA.slice(0, 14)), to: pick(['star', 'slash', 'own', 'other', 'bad', 'opts', 'none'] as const), tp: some(0.25, 1), tb: some(0.3, 1) });
  }
  return ops;
}

/**
 * Runs programs one after another and returns one log per program. `g` supplies the globals:
 * MessageChannel, win (the window to self-post to), origin, settle() (resolves once nothing is
 * left to deliver). Self-contained on purpose (shipped into pages with Function.toString).
 */
export async function runPrograms(programs: any[][], g: any): Promise<any[][]> {
  const isDetached = (b: any) => {
    if ('detached' in ArrayBuffer.prototype) return b.detached;
    if (b.byteLength !== 0) return false;
    try {
      new Uint8Array(b);
      return false;
    } catch (e) {
      return true;
    }
  };
  const logs: any[][] = [];
  for (const prog of programs) {
    const log: any[] = [];
    const ports: any[] = [];
    const bufs: any[] = [];
    const seenEvents = new Map<any, number[]>();
    const portIndex = (p: any) => ports.indexOf(p);
    const describe = (v: any, seen: Map<any, number>): any => {
      if (v === undefined) return 'undef';
      if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
      if (typeof v === 'bigint') return 'big:' + v;
      if (seen.has(v)) return 'ref:' + seen.get(v);
      seen.set(v, seen.size);
      const tag = Object.prototype.toString.call(v);
      if (tag === '[object MessagePort]') return 'port:' + portIndex(v);
      if (tag === '[object ArrayBuffer]') return 'ab:' + v.byteLength;
      if (ArrayBuffer.isView(v)) return tag + ':' + (v as any).byteLength + ':' + describe((v as any).buffer, seen);
      if (v instanceof Date) return 'date:' + v.getTime();
      if (v instanceof RegExp) return 're:' + v.source + '/' + v.flags;
      if (v instanceof Map) return ['map', ...[...v].map(([k, x]) => [describe(k, seen), describe(x, seen)])];
      if (v instanceof Set) return ['set', ...[...v].map((x) => describe(x, seen))];
      if (v instanceof Error) return 'err:' + v.name + ':' + v.message;
      if (tag === '[object Number]' || tag === '[object String]' || tag === '[object Boolean]') return 'wrap:' + v.valueOf();
      if (Array.isArray(v)) return ['arr', ...v.map((x) => describe(x, seen))];
      return ['obj', ...Object.keys(v).map((k) => [k, describe(v[k], seen)])];
    };
    const onEvent = (tag: string, port: any) => (e: any) => {
      let ids = seenEvents.get(e);
      if (!ids) {
        ids = [];
        for (const p of e.ports) {
          ports.push(p);
          ids.push(ports.length - 1);
        }
        seenEvents.set(e, ids);
      }
      log.push([e.type === 'message' ? 'm' : 'merr', tag, portIndex(port), describe(e.data, new Map()), ids, e.origin, e.lastEventId, e.source === null, e.isTrusted, Object.isFrozen(e.ports), e.target === port]);
    };
    const winListener = (e: any) => {
      const ids: number[] = [];
      for (const p of e.ports) {
        ports.push(p);
        ids.push(ports.length - 1);
      }
      log.push(['w', describe(e.data, new Map()), ids, e.origin === g.origin, e.source === g.win, e.isTrusted, Object.isFrozen(e.ports)]);
    };
    g.win.addEventListener('message', winListener);
    const makeData = (kind: string, extra: any[]) => {
      const base: any = (() => {
        switch (kind) {
          case 'num': return 42;
          case 'str': return 'hello';
          case 'obj': return { a: { b: [1, 2, { c: 'd' }] }, n: null, u: undefined };
          case 'map': return new Map<any, any>([['k', 1], [2, { x: 3 }]]);
          case 'set': return new Set([1, 'two', 3]);
          case 'date': return new Date(1700000000000);
          case 'regexp': return /ab+c/gi;
          case 'err': return new RangeError('bad range');
          case 'cycle': { const o: any = { name: 'c' }; o.self = o; o.list = [o, o]; return o; }
          case 'big': return 12345678901234567890n;
          case 'typed': { const b = new ArrayBuffer(8); return { u8: new Uint8Array(b, 2, 4), dv: new DataView(b), b }; }
          case 'wrap': return [Object(1), Object('s'), Object(false)];
          case 'fn': return { a: { b: [0, 1, 2, () => 1] } };
          case 'sym': return { s: Symbol('x') };
          case 'weak': return { w: new WeakMap() };
          case 'detached': { const b = new ArrayBuffer(4); g.structuredClone(b, { transfer: [b] }); return { b }; }
          case 'portref': return { p: ports.length ? ports[0] : null };
        }
        return 0;
      })();
      return extra.length ? { base, extra } : base;
    };
    const bcs: any[] = [];
    const pickPort = (i: number) => (ports.length ? ports[i % ports.length] : null);
    const pickBuf = (i: number) => (bufs.length ? bufs[i % bufs.length] : null);
    const bufState = (list: any[]) => list.map((b) => [bufs.indexOf(b), b.byteLength, isDetached(b)]);
    for (const op of prog) {
      try {
        switch (op.op) {
          case 'ch': {
            const c = new g.MessageChannel();
            ports.push(c.port1, c.port2);
            break;
          }
          case 'buf':
            bufs.push(new ArrayBuffer(op.n));
            break;
          case 'start': case 'onmsg': case 'listen': case 'unonmsg': case 'close': case 'echo': case 'onerr': {
            const p = pickPort(op.p);
            if (!p) break;
            const i = portIndex(p);
            if (op.op === 'start') p.start();
            else if (op.op === 'onmsg') p.onmessage = onEvent('h', p);
            else if (op.op === 'listen') p.addEventListener('message', onEvent('l' + i, p));
            else if (op.op === 'unonmsg') p.onmessage = null;
            else if (op.op === 'close') p.close();
            else if (op.op === 'onerr') p.onmessageerror = onEvent('e', p);
            else if (op.op === 'echo') {
              p.onmessage = (e: any) => {
                onEvent('echo', p)(e);
                if (typeof e.data === 'number' && e.data < 3) {
                  try {
                    p.postMessage(e.data + 1);
                  } catch (err: any) {
                    log.push(['echo-err', err.name]);
                  }
                }
              };
            }
            log.push([op.op, i]);
            break;
          }
          case 'post': case 'win': {
            const src = op.op === 'post' ? pickPort(op.p) : null;
            if (op.op === 'post' && !src) break;
            const tports = op.tp.map(pickPort).filter(Boolean);
            const tbufs = op.tb.map(pickBuf).filter(Boolean);
            const transfer: any[] = [...tports, ...tbufs];
            if (op.op === 'post' && op.dup && transfer.length) transfer.push(transfer[0]);
            if (op.op === 'post' && op.junk) transfer.push({});
            const data = makeData(op.data, op.op === 'post' && op.inMsg ? transfer.filter((t: any) => !(t && t.constructor === Object)) : []);
            const entry: any[] = [op.op, src ? portIndex(src) : -1, tports.map(portIndex), tbufs.map((b: any) => bufs.indexOf(b))];
            try {
              if (op.op === 'post') {
                if (op.form === 'seq') src.postMessage(data, transfer);
                else src.postMessage(data, { transfer });
              } else {
                const own = g.origin;
                const to = op.to;
                if (to === 'none') g.win.postMessage(data);
                else if (to === 'opts') g.win.postMessage(data, { targetOrigin: own, transfer });
                else g.win.postMessage(data, to === 'star' ? '*' : to === 'slash' ? '/' : to === 'own' ? own + '/some/path' : to === 'other' ? 'http://example.com:81' : 'not a url', transfer);
              }
              entry.push('ok');
            } catch (err: any) {
              entry.push('throw:' + err.name);
            }
            entry.push(bufState(tbufs));
            log.push(entry);
            break;
          }
          case 'bc': {
            const b = new g.BroadcastChannel('model-diff-' + op.name);
            const i = bcs.push(b) - 1;
            b.onmessage = (e: any) => log.push(['bc', i, describe(e.data, new Map()), e.origin === g.origin, e.source === null, e.ports.length, Object.isFrozen(e.ports), e.isTrusted, e.target === b]);
            b.onmessageerror = (e: any) => log.push(['bcerr', i]);
            log.push(['bc', i, b.name]);
            break;
          }
          case 'bcpost': case 'bcclose': {
            if (!bcs.length) break;
            const b = bcs[op.b % bcs.length];
            const i = bcs.indexOf(b);
            if (op.op === 'bcclose') {
              b.close();
              log.push(['bcclose', i]);
              break;
            }
            try {
              b.postMessage(makeData(op.data, []));
              log.push(['bcpost', i, 'ok']);
            } catch (err: any) {
              log.push(['bcpost', i, 'throw:' + err.name]);
            }
            break;
          }
          case 'tick':
            await g.settle(() => log.length);
            log.push(['tick']);
            break;
        }
      } catch (err: any) {
        log.push(['op-threw', op.op, err && err.name]);
      }
    }
    await g.settle(() => log.length);
    g.win.removeEventListener('message', winListener);
    for (const b of bcs) b.close();
    for (const p of ports) {
      try {
        p.close();
      } catch (e) {
        /* ignore */
      }
    }
    logs.push(log);
  }
  return logs;
}

/**
 * Engine facts: one small scenario per known difference between the standard and an engine.
 * Each is self-contained (shipped into pages as source) and takes the same globals as
 * runPrograms; the e2e test runs them in each browser and in the model with each profile.
 */
export const ENGINE_FACTS: Record<string, (g: any) => Promise<unknown>> = {
  async closeEvent(g) {
    const c = new g.MessageChannel();
    let fired = false;
    c.port2.addEventListener('close', () => (fired = true));
    c.port2.start();
    c.port1.close();
    await g.settle(() => 0);
    return { fired, onclose: 'onclose' in g.MessagePort.prototype };
  },
  async postOnClosedPort(g) {
    const c = new g.MessageChannel();
    c.port1.close();
    const out: any[] = [];
    try { c.port1.postMessage(() => 1); out.push('ok'); } catch (e: any) { out.push(e.name); }
    try { c.port1.postMessage(1, [c.port1]); out.push('ok'); } catch (e: any) { out.push(e.name); }
    const b = new ArrayBuffer(4);
    c.port1.postMessage(1, [b]);
    out.push(b.byteLength);
    return out;
  },
  async closedPortInTransfer(g) {
    const c = new g.MessageChannel();
    const d = new g.MessageChannel();
    d.port1.close();
    let port: any = null;
    c.port2.onmessage = (e: any) => (port = e.ports[0]);
    try { c.port1.postMessage(null, [d.port1]); } catch (e: any) { return e.name; }
    await g.settle(() => (port ? 1 : 0));
    return ['ok', Object.prototype.toString.call(port)];
  },
  async closeWithQueuedMessages(g) {
    const log: unknown[] = [];
    const c = new g.MessageChannel();
    c.port2.onmessage = (e: any) => { log.push(e.data); if (e.data === 'a') c.port2.close(); };
    c.port1.postMessage('a'); c.port1.postMessage('b');
    const d = new g.MessageChannel();
    d.port2.addEventListener('message', (e: any) => log.push(e.data));
    d.port1.postMessage('c');
    await g.settle(() => log.length);
    d.port2.close(); d.port2.start();
    await g.settle(() => log.length);
    return log;
  },
  async shipStartedPortWithQueue(g) {
    const log: string[] = [];
    const c = new g.MessageChannel();
    const d = new g.MessageChannel();
    c.port2.onmessage = (e: any) => log.push('old' + e.data);
    c.port1.postMessage(1); c.port1.postMessage(2); c.port1.postMessage(3);
    d.port2.onmessage = (e: any) => (e.ports[0].onmessage = (ev: any) => log.push('new' + ev.data));
    d.port1.postMessage(null, [c.port2]);
    for (let i = 0; i < 10 && log.length < 3; i++) await g.settle(() => log.length);
    return log;
  },
  async shipAfterPartnerClosed(g) {
    const log: string[] = [];
    const c = new g.MessageChannel();
    const d = new g.MessageChannel();
    c.port2.onmessage = (e: any) => log.push('old' + e.data);
    c.port1.postMessage(1); c.port1.postMessage(2); c.port1.close();
    d.port2.onmessage = (e: any) => (e.ports[0].onmessage = (ev: any) => log.push('new' + ev.data));
    d.port1.postMessage(null, [c.port2]);
    for (let i = 0; i < 10 && log.length < 2; i++) await g.settle(() => log.length);
    return log;
  },
  async onmessageerrorStarts(g) {
    const log: unknown[] = [];
    const c = new g.MessageChannel();
    c.port2.addEventListener('message', (e: any) => log.push(e.data));
    c.port2.onmessageerror = () => {};
    c.port1.postMessage(1);
    await g.settle(() => log.length);
    return log;
  },
  async transferCheckOrder(g) {
    const c = new g.MessageChannel();
    const out: unknown[] = [];
    const b1 = new ArrayBuffer(4);
    try { c.port1.postMessage(1, [c.port1, b1]); } catch (e: any) { out.push(e.name, b1.byteLength); }
    const b2 = new ArrayBuffer(4);
    const gone = new ArrayBuffer(4);
    g.structuredClone(gone, { transfer: [gone] });
    try { c.port1.postMessage(1, [b2, gone]); } catch (e: any) { out.push(e.name, b2.byteLength); }
    const x = new g.MessageChannel();
    c.port1.postMessage(1, [x.port1]);
    const b3 = new ArrayBuffer(4);
    try { c.port1.postMessage(1, [b3, x.port1]); } catch (e: any) { out.push(e.name, b3.byteLength); }
    const y = new g.MessageChannel();
    y.port1.close();
    const b4 = new ArrayBuffer(4);
    try { c.port1.postMessage(1, [b4, y.port1]); out.push('ok', b4.byteLength); } catch (e: any) { out.push(e.name, b4.byteLength); }
    try { c.port1.postMessage(1, [{}]); } catch (e: any) { out.push(e.name); }
    try { c.port1.postMessage(1, [null]); } catch (e: any) { out.push(e.name); }
    return out;
  },
  async windowTargetOriginOrder(g) {
    const out: unknown[] = [];
    const b = new ArrayBuffer(4);
    try { g.win.postMessage(1, 'not a url', [b]); } catch (e: any) { out.push(e.name, b.byteLength); }
    try { g.win.postMessage(() => 1, 'not a url'); } catch (e: any) { out.push(e.name); }
    return out;
  },
  async partnerGone(g) {
    const out: unknown[] = [];
    const log: unknown[] = [];
    const c = new g.MessageChannel();
    c.port1.onmessage = (e: any) => log.push(e.data);
    c.port2.postMessage(1); c.port2.postMessage(2); c.port2.close();
    try { c.port1.postMessage(() => 1); out.push('ok'); } catch (e: any) { out.push(e.name); }
    await g.settle(() => log.length);
    try { c.port1.postMessage(() => 1); out.push('ok'); } catch (e: any) { out.push(e.name); }
    const d = new g.MessageChannel();
    d.port2.close();
    await g.settle(() => 0);
    try { d.port1.postMessage(() => 1); out.push('ok'); } catch (e: any) { out.push(e.name); }
    const x = new g.MessageChannel();
    x.port1.start();
    x.port1.postMessage(1, [x.port2]);
    await g.settle(() => 0);
    try { x.port1.postMessage(() => 1); out.push('ok'); } catch (e: any) { out.push(e.name); }
    return [log, out];
  },
  async dispatchBatching(g) {
    const log: string[] = [];
    const a = new g.MessageChannel();
    const b = new g.MessageChannel();
    a.port2.onmessage = (e: any) => log.push('a' + e.data);
    b.port2.onmessage = (e: any) => log.push('b' + e.data);
    for (let i = 1; i <= 4; i++) { a.port1.postMessage(i); b.port1.postMessage(i); }
    await g.settle(() => log.length);
    return log.join(' ');
  },
  async errorClone(g) {
    const e = g.structuredClone(new RangeError('m', { cause: 5 }));
    const named = g.structuredClone(Object.assign(new Error('x'), { name: 'Custom' }));
    return [e.constructor.name, e.message, 'cause' in e ? e.cause : 'none', typeof e.stack, named.name];
  },
  async doomed(g) {
    const c = new g.MessageChannel();
    let delivered = false;
    c.port2.onmessage = () => (delivered = true);
    const b = new ArrayBuffer(4);
    let thrown = 'none';
    try { c.port1.postMessage(1, [c.port2, b]); } catch (e: any) { thrown = e.name; }
    await g.settle(() => 0);
    return [thrown, delivered, b.byteLength];
  },
};

/** One post where the shadow (src/model/shadow.ts) and the full model predicted differently. */
export interface ShadowDisagreement {
  op: number;
  shadow: unknown;
  model: unknown;
  /**
   * Why the shadow could not know, when it could not: 'remote' (it answered 'sent' for a port
   * whose receiving end is in another context or was shipped away), 'window-transfer' (a port
   * involved had left in a window message, which page instrumentation does not see), or null.
   */
  unknowable: 'remote' | 'window-transfer' | null;
}

/**
 * The globals runPrograms takes, over a full model realm, with the shadow driven beside it as
 * the page instrumentation drives it (src/instrument/install.ts, ports.ts): a port gets a shadow
 * id when a channel makes it or when it is first used (arrived in a message), start/close/
 * onmessage (a function)/onmessageerror are forwarded, and after every port post that did not
 * throw the shadow's prediction is compared with the full model's (realm.lastOutcome). Window
 * posts are not forwarded: the instrumentation does not see them either.
 */
export function shadowedModel(realm: any, shadow: any): { g: any; posts: () => number; disagreements: ShadowDisagreement[] } {
  const ids = new WeakMap<object, number>();
  const idOf = (port: object) => {
    let id = ids.get(port);
    if (id === undefined) ids.set(port, (id = shadow.received(1)[0] as number));
    return id;
  };
  const proto = realm.MessagePort.prototype;
  const own = (name: string) => Object.getOwnPropertyDescriptor(proto, name)!;
  const post = own('postMessage').value;
  const start = own('start').value;
  const close = own('close').value;
  const onmessage = own('onmessage');
  const onmessageerror = own('onmessageerror');
  let count = 0;
  let opIndex = 0;
  // Ports that left in a window message: the shadow is not told (the page's window.postMessage
  // is not wrapped), only this record of them is kept, to say why a prediction differed.
  const windowShipped = new Set<number>();
  // Each port's partner at birth: closing a port that already left in a window message looks,
  // to the shadow, like a close of the partner (the same unseen window send).
  const bornWith = new Map<number, number>();
  const win = realm.window;
  const winPost = win.postMessage;
  win.postMessage = function postMessage(this: unknown, message: unknown, a?: unknown, b?: unknown) {
    const list = Array.isArray(b) ? b : a && typeof a === 'object' && !Array.isArray(a) ? (a as { transfer?: unknown[] }).transfer ?? [] : [];
    const result = winPost.apply(this, arguments);
    for (const p of list as unknown[]) if (p instanceof realm.MessagePort) windowShipped.add(idOf(p as object));
    return result;
  };
  const disagreements: ShadowDisagreement[] = [];
  Object.defineProperties(proto, {
    postMessage: {
      ...own('postMessage'),
      value: function postMessage(this: object, message: unknown, options?: unknown) {
        const id = idOf(this);
        const list = Array.isArray(options) ? options : options && typeof options === 'object' ? (options as { transfer?: unknown[] }).transfer ?? [] : [];
        const result = post.apply(this, arguments);
        const portIds = (list as unknown[]).filter((x) => x instanceof realm.MessagePort).map((p) => idOf(p as object));
        const predicted = shadow.post(id, portIds);
        const model = realm.lastOutcome?.predicted;
        count++;
        opIndex++;
        if (JSON.stringify(predicted) !== JSON.stringify(model)) {
          const st = shadow.state(id);
          const unknowable =
            [id, st.partner, bornWith.get(id), ...portIds].some((x) => windowShipped.has(x as number))
              ? 'window-transfer'
              : predicted.o === 'sent' && (st.partner === 'remote' || (typeof st.partner === 'number' && shadow.state(st.partner).shipped))
                ? 'remote'
                : null;
          disagreements.push({ op: opIndex, shadow: predicted, model, unknowable });
        }
        return result;
      },
    },
    start: { ...own('start'), value: function start_(this: object) { const r = start.apply(this, arguments); shadow.start(idOf(this)); return r; } },
    close: { ...own('close'), value: function close_(this: object) { const r = close.apply(this, arguments); shadow.close(idOf(this)); return r; } },
    onmessage: {
      ...onmessage,
      set(this: object, v: unknown) {
        onmessage.set!.call(this, v);
        shadow.setOnMessage(idOf(this));
      },
    },
    onmessageerror: {
      ...onmessageerror,
      set(this: object, v: unknown) {
        onmessageerror.set!.call(this, v);
        shadow.setOnMessageError(idOf(this));
      },
    },
  });
  const Native = realm.MessageChannel;
  function MessageChannel(this: any) {
    const c = new Native();
    const [a, b] = shadow.channel() as [number, number];
    ids.set(c.port1, a);
    ids.set(c.port2, b);
    bornWith.set(a, b);
    bornWith.set(b, a);
    return c;
  }
  const g = {
    MessageChannel,
    BroadcastChannel: realm.BroadcastChannel,
    structuredClone: realm.structuredClone,
    win: realm.window,
    origin: realm.origin,
    settle: () => realm.settle(),
  };
  return { g, posts: () => count, disagreements };
}

// Shadow mode: port bookkeeping by small integer ids (no payloads), predicted outcomes, and the
// error-path finder that never runs page getters.
import { describe, expect, it } from 'vitest';
import { createShadow } from '../../../src/model/index.js';
import { channel, realm } from './helpers.js';

describe('shadow predictions', () => {
  it('unstarted partner → queued; started (start or onmessage) → sent', () => {
    const s = createShadow('spec');
    const [a, b] = s.channel();
    expect(s.post(a)).toEqual({ o: 'queued' });
    s.setOnMessage(b);
    expect(s.post(a)).toEqual({ o: 'sent' });
    const [c, d] = s.channel();
    s.start(c);
    expect(s.post(d)).toEqual({ o: 'sent' });
  });

  it('receiveProblem: an unstarted port cannot be dispatched to; a closed one only where close() discards the queue', () => {
    for (const profile of ['spec', 'chromium', 'firefox'] as const) {
      const s = createShadow(profile);
      const [a, b] = s.channel();
      expect(s.receiveProblem(a), profile).toBe('not-started');
      s.start(a);
      expect(s.receiveProblem(a), profile).toBeNull();
      s.setOnMessage(b);
      s.close(b);
      expect(s.receiveProblem(b), profile).toBe(s.profile.closeDiscardsQueue ? 'closed' : null);
      const [received] = s.received(1);
      expect(s.receiveProblem(received), profile).toBe('not-started');
      // A started port that was shipped may still get the message it had taken.
      s.transferred([a]);
      expect(s.receiveProblem(a), profile).toBeNull();
    }
    expect(createShadow('chromium').profile.closeDiscardsQueue, 'the chromium profile discards on close').toBe(true);
  });

  it('closed → port-closed; partner closed → partner-closed', () => {
    const s = createShadow('spec');
    const [a, b] = s.channel();
    s.close(b);
    expect(s.post(a)).toEqual({ o: 'dropped', reason: 'partner-closed' });
    expect(s.post(b)).toEqual({ o: 'dropped', reason: 'port-closed' });
  });

  it('transferred ports are shipped; posting on them → port-shipped; their partner posts toward a remote end → sent', () => {
    const s = createShadow('spec');
    const [a] = s.channel();
    const [x, y] = s.channel();
    expect(s.post(a, [x])).toEqual({ o: 'queued' });
    expect(s.post(x)).toEqual({ o: 'dropped', reason: 'port-shipped' });
    expect(s.post(y)).toEqual({ o: 'sent' });
  });

  it('partner in the transfer list → doomed, and later posts toward it are doomed too', () => {
    const s = createShadow('spec');
    const [a, b] = s.channel();
    expect(s.post(a, [b])).toEqual({ o: 'dropped', reason: 'doomed' });
    expect(s.post(a)).toEqual({ o: 'dropped', reason: 'doomed' });
  });

  it('received ports have a remote partner: posts are sent; the ids are fresh', () => {
    const s = createShadow('spec');
    const [a, b] = s.channel();
    const [r1, r2] = s.received(2);
    expect(new Set([a, b, r1, r2]).size).toBe(4);
    expect(s.post(r1)).toEqual({ o: 'sent' });
    expect(s.state(r2).partner).toBe('remote');
  });

  it('onmessageerror starts the queue only in the chromium profile', () => {
    for (const [p, expected] of [['chromium', 'sent'], ['firefox', 'queued']] as const) {
      const s = createShadow(p);
      const [a, b] = s.channel();
      s.setOnMessageError(b);
      expect(s.post(a).o).toBe(expected);
    }
  });

  it('agrees with the full model on a random walk of operations', () => {
    for (const profile of ['spec', 'chromium', 'firefox'] as const) {
      const r = realm(profile);
      const s = createShadow(profile);
      const ports: any[] = [];
      const ids: number[] = [];
      let seed = 7;
      const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
      for (let i = 0; i < 400; i++) {
        const op = rnd(6);
        if (op === 0 || ports.length === 0) {
          const c = new r.MessageChannel() as any;
          ports.push(c.port1, c.port2);
          ids.push(...s.channel());
          continue;
        }
        const k = rnd(ports.length);
        if (op === 1) { ports[k].start(); s.start(ids[k]); }
        else if (op === 2) { ports[k].close(); s.close(ids[k]); }
        else {
          const t = rnd(3) === 0 ? [rnd(ports.length)].filter((j) => j !== k) : [];
          let threw = false;
          try {
            ports[k].postMessage(i, t.map((j) => ports[j]));
          } catch {
            threw = true;
          }
          if (!threw) expect([profile, i, s.post(ids[k], t.map((j) => ids[j]))]).toEqual([profile, i, r.lastOutcome!.predicted]);
        }
      }
    }
  });
});

describe('shadow: window posts and ports sent through them', () => {
  it('windowPost: "*" sent; "/" compares with the own origin; a URL by origin; unparsable → SyntaxError', () => {
    const s = createShadow('firefox');
    expect(s.windowPost('*', 'https://a.test', 'https://b.test')).toEqual({ o: 'sent' });
    expect(s.windowPost('/', 'https://a.test', 'https://b.test')).toEqual({ o: 'dropped', reason: 'target-origin-mismatch' });
    expect(s.windowPost('https://b.test/x', 'https://a.test', 'https://b.test')).toEqual({ o: 'sent' });
    expect(s.windowPost('https://b.test', 'https://a.test')).toEqual({ o: 'sent' }); // target origin unknown
    expect(s.windowPost('nope', 'https://a.test')).toEqual({ o: 'error', name: 'SyntaxError', message: 'An invalid or illegal string was specified' });
  });

  it('transferred(ids) ships ports; transferred(ids, true) makes their partners post into the void', () => {
    const s = createShadow('spec');
    const [a, b] = s.channel();
    const [c, d] = s.channel();
    s.transferred([a]);
    expect(s.post(a)).toEqual({ o: 'dropped', reason: 'port-shipped' });
    expect(s.post(b)).toEqual({ o: 'sent' });
    s.transferred([c], true);
    expect(s.post(d)).toEqual({ o: 'dropped', reason: 'doomed' });
  });
});

describe('findCloneErrorPath (after the native call threw)', () => {
  const s = createShadow('spec');

  it('finds a function deep in the message: message.a.b[3]', () => {
    expect(s.findCloneErrorPath({ a: { b: [0, 1, 2, () => 1] } })).toMatchObject({ name: 'DataCloneError', path: 'message.a.b[3]' });
  });

  it('never invokes getters (accessors are skipped) and survives throwing proxies and cycles', () => {
    let calls = 0;
    const o: any = { get trap() { calls++; return () => 1; }, fine: 1 };
    o.self = o;
    o.p = new Proxy({}, { ownKeys() { throw new Error('nope'); } });
    o.f = Symbol('x');
    const hit = s.findCloneErrorPath(o);
    expect(calls).toBe(0);
    expect(hit?.path).toBe('message.f');
  });

  it('checks the transfer list: non-transferable, duplicate, source port, detached buffer', () => {
    const r = realm();
    const [a] = channel(r);
    const buf = new ArrayBuffer(1);
    expect(s.findCloneErrorPath(1, [{}])?.path).toBe('transfer[0]');
    expect(s.findCloneErrorPath(1, [buf, buf])?.path).toBe('transfer[1]');
    expect(s.findCloneErrorPath(1, [a], a)?.path).toBe('transfer[0]');
    structuredClone(buf, { transfer: [buf] });
    expect(s.findCloneErrorPath(1, [buf])?.path).toBe('transfer[0]');
  });

  it('finds an untransferred port, a Map value, a detached buffer, a platform object', () => {
    const r = realm();
    const [p] = channel(r);
    expect(s.findCloneErrorPath({ x: [p] })?.path).toBe('message.x[0]');
    expect(s.findCloneErrorPath({ x: [p] }, [p])).toBe(null);
    expect(s.findCloneErrorPath(new Map([[1, () => 0]]))?.path).toBe('message(Map)[0].value');
    const b = new ArrayBuffer(2);
    structuredClone(b, { transfer: [b] });
    expect(s.findCloneErrorPath({ deep: { b } })?.path).toBe('message.deep.b');
    expect(s.findCloneErrorPath({ e: new r.Event('x') })).toMatchObject({ path: 'message.e', message: expect.stringContaining('Event') });
  });

  it('returns null when it finds nothing', () => {
    expect(s.findCloneErrorPath({ ok: [1, 'two', new Date(0)] })).toBe(null);
  });
});

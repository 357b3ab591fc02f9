// Random programs for the ground-truth differential test (test/e2e/ground-truth.test.ts):
// a top frame, same- and cross-origin iframes (nested too), dedicated workers and
// BroadcastChannels, where ports are made anywhere, relayed, crossed, closed, sent back and
// carry buffers. Every message has a unique tag; every port a label that travels with it
// (a message names the labels of the ports it carries, in transfer order).
//
// The generator keeps the program free of deadlocks and of races that would make a port go
// astray: a port travels only in messages that are certain to arrive (window messages with a
// matching targetOrigin, worker messages, port messages to an end that starts itself and is
// never closed), and an operation waits (out of band, through the collector) for the carrier
// messages its ports depend on. Messages that carry no port race freely.
import { prng } from './model-programs';

export type Host = '127.0.0.1' | 'localhost' | '127.0.0.2';
export const HOSTS: readonly Host[] = ['127.0.0.1', 'localhost', '127.0.0.2'];

export interface GtContext {
  name: string;
  kind: 'window' | 'worker';
  host: Host;
  /** The window that contains this frame or created this worker; null for the top frame. */
  parent: string | null;
  /** Windows: child indices from the top frame (top is []). */
  path: number[];
}

export interface GtBuffer {
  bytes: number;
  transfer: boolean;
}

interface Sent {
  at: string;
  tag: string;
  /** Labels of the ports the message carries, in transfer order. */
  carry: string[];
  buf: GtBuffer | null;
  /** Tags of carrier messages that must have been delivered before this op runs. */
  wait: string[];
}

export type GtOp =
  | { k: 'channel'; at: string; a: string; b: string; wait: string[] }
  | ({ k: 'post'; port: string } & Sent)
  | ({ k: 'window'; to: string; targetOrigin: 'star' | 'exact' | 'mismatch' } & Sent)
  | ({ k: 'toWorker'; worker: string } & Sent)
  | ({ k: 'toParent' } & Sent)
  | ({ k: 'bc'; channel: string } & Sent)
  | { k: 'start'; at: string; port: string; wait: string[] }
  | { k: 'close'; at: string; port: string; wait: string[] };

export type GtOpKind = GtOp['k'];
export const OP_KINDS: readonly GtOpKind[] = ['channel', 'post', 'window', 'toWorker', 'toParent', 'bc', 'start', 'close'];

export interface GtPortLabel {
  label: string;
  partner: string;
  /** Every holder sets onmessage as soon as it has the port (else only a 'start' op does). */
  autostart: boolean;
}

export interface GtProgram {
  seed: number;
  contexts: GtContext[];
  broadcast: { name: string; members: string[] }[];
  ports: GtPortLabel[];
  ops: GtOp[];
}

export const tagPrefix = (seed: number) => `t${seed}-`;

interface LabelState {
  p: GtPortLabel;
  holder: string;
  /** Either end of its pair was closed. */
  closed: boolean;
  /** Its pair has carried ports: it must never close (a carried port would be lost). */
  carried: boolean;
  /** The carrier message that brought it to its holder. */
  lastMove: string | null;
  /** Carrier messages posted toward this end: delivered before it may move. */
  pendingIn: string[];
  startedHere: boolean;
}

/** The program for `seed` (deterministic): 1–4 frames, 0–2 workers, 10–34 operations. */
export function generateGtProgram(seed: number): GtProgram {
  const r = prng(seed * 7919 + 17);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const chance = (p: number) => r() < p;

  const contexts: GtContext[] = [{ name: 'top', kind: 'window', host: '127.0.0.1', parent: null, path: [] }];
  const childCount = new Map<string, number>([['top', 0]]);
  const frames = 1 + int(4);
  for (let i = 1; i <= frames; i++) {
    const windows = contexts.filter((c) => c.kind === 'window' && c.path.length < 3);
    const parent = chance(0.55) ? contexts[0] : pick(windows);
    const index = childCount.get(parent.name)!;
    childCount.set(parent.name, index + 1);
    const name = `f${i}`;
    childCount.set(name, 0);
    contexts.push({ name, kind: 'window', host: pick(HOSTS), parent: parent.name, path: [...parent.path, index] });
  }
  const workers = chance(0.25) ? 0 : 1 + int(2);
  for (let i = 1; i <= workers; i++) {
    const parent = pick(contexts.filter((c) => c.kind === 'window'));
    contexts.push({ name: `w${i}`, kind: 'worker', host: parent.host, parent: parent.name, path: [] });
  }

  // BroadcastChannels among contexts of one origin (all under one top, so one partition).
  const broadcast: GtProgram['broadcast'] = [];
  for (const host of HOSTS) {
    const same = contexts.filter((c) => c.host === host);
    if (same.length >= 2 && chance(0.6)) broadcast.push({ name: `gt-${seed}-${host}`, members: same.filter(() => chance(0.8)).map((c) => c.name) });
  }

  const ports: GtPortLabel[] = [];
  const labels = new Map<string, LabelState>();
  const ops: GtOp[] = [];
  let tagN = 0;
  const nextTag = () => `${tagPrefix(seed)}${++tagN}`;
  const held = (ctx: string) => [...labels.values()].filter((s) => s.holder === ctx);
  const buffer = (): GtBuffer | null => (chance(0.3) ? { bytes: 1 + int(4096), transfer: chance(0.5) } : null);
  // Ports to carry from `ctx`: open ones, none that is `except`; each waits for what moves toward it.
  const chooseCarry = (ctx: string, except: string[]): LabelState[] => {
    const open = held(ctx).filter((s) => !s.closed && !except.includes(s.p.label));
    const out: LabelState[] = [];
    while (open.length && out.length < 2 && chance(out.length ? 0.25 : 0.45)) out.push(...open.splice(int(open.length), 1));
    return out;
  };
  const waitsFor = (states: LabelState[]) => [...new Set(states.flatMap((s) => [...(s.lastMove ? [s.lastMove] : []), ...s.pendingIn]))];
  const move = (carry: LabelState[], to: string, tag: string) => {
    for (const s of carry) {
      s.holder = to;
      s.lastMove = tag;
      s.pendingIn = [];
      s.startedHere = false;
    }
  };
  const previousHolderBias = (from: string, candidates: string[], carry: LabelState[]) => {
    // Prefer sending a port back where it came from now and then ("transferred back").
    for (const s of carry) {
      const back = ops.find((o) => 'tag' in o && o.tag === s.lastMove)?.at;
      if (back && back !== from && candidates.includes(back) && chance(0.5)) return back;
    }
    return pick(candidates);
  };

  const total = 10 + int(25);
  let guard = 0;
  while (ops.length < total && guard++ < total * 20) {
    const at = pick(contexts);
    const x = r();
    if (x < 0.16 || labels.size === 0) {
      const n = ports.length / 2 + 1;
      const a: GtPortLabel = { label: `P${n}a`, partner: `P${n}b`, autostart: chance(0.8) };
      const b: GtPortLabel = { label: `P${n}b`, partner: `P${n}a`, autostart: chance(0.8) };
      ports.push(a, b);
      for (const p of [a, b]) labels.set(p.label, { p, holder: at.name, closed: false, carried: false, lastMove: null, pendingIn: [], startedHere: false });
      ops.push({ k: 'channel', at: at.name, a: a.label, b: b.label, wait: [] });
    } else if (x < 0.5) {
      const mine = held(at.name);
      if (!mine.length) continue;
      const s = pick(mine);
      const partner = labels.get(s.p.partner)!;
      const canCarry = !s.closed && partner.p.autostart;
      const carry = canCarry ? chooseCarry(at.name, [s.p.label, partner.p.label]) : [];
      const tag = nextTag();
      const wait = carry.length ? waitsFor([...carry]).concat(partner.lastMove ? [partner.lastMove] : []) : [];
      ops.push({ k: 'post', at: at.name, port: s.p.label, tag, carry: carry.map((c) => c.p.label), buf: buffer(), wait: [...new Set(wait)] });
      if (carry.length) {
        s.carried = partner.carried = true;
        move(carry, partner.holder, tag);
        partner.pendingIn.push(tag);
      }
    } else if (x < 0.66) {
      if (at.kind !== 'window') continue;
      const windows = contexts.filter((c) => c.kind === 'window').map((c) => c.name);
      const carry = chooseCarry(at.name, []);
      const to = previousHolderBias(at.name, windows, carry);
      const targetOrigin = carry.length ? (chance(0.5) ? 'star' : 'exact') : pick(['star', 'star', 'exact', 'exact', 'mismatch'] as const);
      const tag = nextTag();
      ops.push({ k: 'window', at: at.name, to, targetOrigin, tag, carry: carry.map((c) => c.p.label), buf: buffer(), wait: waitsFor(carry) });
      move(carry, to, tag);
    } else if (x < 0.76) {
      if (at.kind === 'worker') {
        const carry = chooseCarry(at.name, []);
        const tag = nextTag();
        ops.push({ k: 'toParent', at: at.name, tag, carry: carry.map((c) => c.p.label), buf: buffer(), wait: waitsFor(carry) });
        move(carry, at.parent!, tag);
      } else {
        const mine = contexts.filter((c) => c.kind === 'worker' && c.parent === at.name);
        if (!mine.length) continue;
        const w = pick(mine);
        const carry = chooseCarry(at.name, []);
        const tag = nextTag();
        ops.push({ k: 'toWorker', at: at.name, worker: w.name, tag, carry: carry.map((c) => c.p.label), buf: buffer(), wait: waitsFor(carry) });
        move(carry, w.name, tag);
      }
    } else if (x < 0.84) {
      const channels = broadcast.filter((b) => b.members.includes(at.name));
      if (!channels.length) continue;
      const buf = buffer();
      ops.push({ k: 'bc', at: at.name, channel: pick(channels).name, tag: nextTag(), carry: [], buf: buf && { bytes: buf.bytes, transfer: false }, wait: [] });
    } else if (x < 0.93) {
      const lazy = held(at.name).filter((s) => !s.p.autostart && !s.startedHere && !s.closed);
      if (!lazy.length) continue;
      const s = pick(lazy);
      s.startedHere = true;
      ops.push({ k: 'start', at: at.name, port: s.p.label, wait: [] });
    } else {
      const closable = held(at.name).filter((s) => !s.closed && !s.carried);
      if (!closable.length) continue;
      const s = pick(closable);
      s.closed = labels.get(s.p.partner)!.closed = true;
      ops.push({ k: 'close', at: at.name, port: s.p.label, wait: [] });
    }
  }
  return { seed, contexts, broadcast, ports, ops };
}

/** The windows' origin for `host` on the pages server `port`. */
export const originOf = (host: Host, port: number | string) => `http://${host}:${port}`;

// The commands that come down a document's bridge (from its relay) and a worker's bridge (from
// its creator), over Node's own MessageChannel: which part each one reaches, what is answered,
// and what a worker's end leaves alone. Each case ends with a command that is seen to arrive,
// so a command that changed nothing is known to have been handled by then (ports are FIFO).
import { describe, expect, it } from 'vitest';
import { captureNatives, type Natives } from '../../../src/instrument/natives';
import { openBridge, type BridgeParts } from '../../../src/instrument/bridge';
import { openWorkerBridge } from '../../../src/instrument/worker-bridge';
import type { Recorder } from '../../../src/instrument/recorder';
import type { WorkerLinks } from '../../../src/instrument/worker-link';

const natives = captureNatives(globalThis);

/** What the commands reached, in order; `until` resolves when a sync for `END` arrives. */
type Call = [string, ...unknown[]];
const END = -1;

function parts(doc: string) {
  const calls: Call[] = [];
  let ended = () => {};
  const end = new Promise<void>((resolve) => (ended = resolve));
  const rec = {
    doc,
    setRecording: (on: boolean) => calls.push(['rec.recording', on]),
    sync: (until: number) => (until === END ? ended() : calls.push(['rec.sync', until])),
  } as unknown as Recorder;
  const links: WorkerLinks = { recording: (on) => void calls.push(['links.recording', on]), sync: (d, until) => void calls.push(['links.sync', d, until]) };
  return { rec, links, calls, end };
}

/** A document's bridge whose other end (the relay's) the test holds. */
function documentBridge() {
  let relay: MessagePort | undefined;
  const n: Natives = { ...natives, windowPostMessage: (...args: unknown[]) => void (relay = (args[2] as MessagePort[])[0]) };
  const bridge = openBridge(n, globalThis);
  return { bridge, relay: relay! };
}

/** A worker's bridge whose other end (the creator's) the test holds. */
function workerBridge() {
  let creator: MessagePort | undefined;
  const scope = { postMessage: (_hello: unknown, transfer: MessagePort[]) => void (creator = transfer[0]) };
  const bridge = openWorkerBridge(natives, scope as unknown as typeof globalThis, 'token')!;
  return { bridge, creator: creator! };
}

/** Posts `cmds`, then a sync of this end's own stream whose arrival says all before it were handled. */
async function send(port: MessagePort, p: ReturnType<typeof parts>, cmds: unknown[]): Promise<Call[]> {
  for (const c of cmds) port.postMessage(c);
  port.postMessage({ t: 'sync', until: END, doc: (p.rec as { doc: string }).doc });
  await p.end;
  return p.calls;
}

/** The first `count` messages the bridge posts to the other end. */
function replies(port: MessagePort, count: number): Promise<unknown[]> {
  const got: unknown[] = [];
  return new Promise((resolve) => {
    port.onmessage = (e) => {
      got.push(e.data);
      if (got.length === count) resolve(got);
    };
  });
}

describe('a document bridge', () => {
  it('turns recording on (only for `true`) and off in the recorder and in every worker below', async () => {
    const { bridge, relay } = documentBridge();
    const p = parts('doc-1');
    bridge.attach(p.rec, { links: p.links });
    expect(await send(relay, p, [{ t: 'recording', on: true }, { t: 'recording', on: 'yes' }, { t: 'recording', on: false }])).toEqual([
      ['rec.recording', true],
      ['links.recording', true],
      ['rec.recording', false],
      ['links.recording', false],
      ['rec.recording', false],
      ['links.recording', false],
    ]);
    relay.close();
  });

  it("syncs its own stream when the doc is its own or absent, a worker's through the links, and nothing without a number", async () => {
    const { bridge, relay } = documentBridge();
    const p = parts('doc-1');
    bridge.attach(p.rec, { links: p.links });
    const cmds = [{ t: 'sync', until: 5, doc: 'doc-1' }, { t: 'sync', until: 6 }, { t: 'sync', until: 7, doc: 'worker-doc' }, { t: 'sync', until: '8', doc: 'doc-1' }, { t: 'sync', until: 9, doc: 42 }, { t: 'unknown' }, 'not an object', null];
    expect(await send(relay, p, cmds)).toEqual([
      ['rec.sync', 5],
      ['rec.sync', 6],
      ['links.sync', 'worker-doc', 7],
    ]);
    relay.close();
  });

  it('hands breakpoints to the breakpoints with its document', async () => {
    const { bridge, relay } = documentBridge();
    const p = parts('doc-1');
    const breaks = { set: (cmd: unknown, doc: string) => p.calls.push(['breaks.set', cmd, doc]) } as unknown as BridgeParts['breaks'];
    bridge.attach(p.rec, { links: p.links, breaks });
    expect(await send(relay, p, [{ t: 'breakpoints', send: [] }])).toEqual([['breaks.set', { t: 'breakpoints', send: [] }, 'doc-1']]);
    relay.close();
  });

  it('answers store and replay with their request number ("not ready" before the parts exist), and ignores them without one', async () => {
    const { bridge, relay } = documentBridge();
    const answered = replies(relay, 2);
    relay.postMessage({ t: 'store', cmd: { req: 'x' } });
    relay.postMessage({ t: 'replay', cmd: null });
    relay.postMessage({ t: 'store', cmd: { req: 1 } });
    relay.postMessage({ t: 'replay', cmd: { req: 2 } });
    expect(await answered).toEqual([
      { t: 'stored', req: 1, result: { ok: false, error: 'the instrumentation is not ready' } },
      { t: 'replayed', req: 2, result: { ok: false, error: 'the instrumentation is not ready' } },
    ]);
    const store = { run: (cmd: unknown) => ({ ok: true, name: `temp${(cmd as { req: number }).req}` }) } as unknown as BridgeParts['store'];
    const replayer = { run: (cmd: unknown) => ({ ok: true, msg: (cmd as { req: number }).req }) } as unknown as BridgeParts['replayer'];
    bridge.attach(parts('doc-1').rec, { store, replayer });
    const again = replies(relay, 2);
    relay.postMessage({ t: 'store', cmd: { req: 3 } });
    relay.postMessage({ t: 'replay', cmd: { req: 4 } });
    expect(await again).toEqual([
      { t: 'stored', req: 3, result: { ok: true, name: 'temp3' } },
      { t: 'replayed', req: 4, result: { ok: true, msg: 4 } },
    ]);
    relay.close();
  });
});

describe("a worker's bridge", () => {
  it('turns recording on and off in its recorder and in every worker it made', async () => {
    const { bridge, creator } = workerBridge();
    const p = parts('worker-1');
    bridge.attach(p.rec, p.links);
    expect(await send(creator, p, [{ t: 'recording', on: true }, { t: 'recording', on: false }])).toEqual([
      ['rec.recording', true],
      ['links.recording', true],
      ['rec.recording', false],
      ['links.recording', false],
    ]);
    creator.close();
  });

  it("syncs its own stream when the doc is its own or absent, a nested worker's through the links", async () => {
    const { bridge, creator } = workerBridge();
    const p = parts('worker-1');
    bridge.attach(p.rec, p.links);
    const cmds = [{ t: 'sync', until: 5, doc: 'worker-1' }, { t: 'sync', until: 6 }, { t: 'sync', until: 7, doc: 'worker-2' }, { t: 'sync', until: '8', doc: 'worker-1' }];
    expect(await send(creator, p, cmds)).toEqual([
      ['rec.sync', 5],
      ['rec.sync', 6],
      ['links.sync', 'worker-2', 7],
    ]);
    creator.close();
  });

  it("leaves the panel's commands alone: no breakpoints, no answer to store or replay", async () => {
    const { bridge, creator } = workerBridge();
    const p = parts('worker-1');
    bridge.attach(p.rec, p.links);
    const posted: unknown[] = [];
    creator.onmessage = (e) => void posted.push(e.data);
    expect(await send(creator, p, [{ t: 'breakpoints', send: [] }, { t: 'store', cmd: { req: 1 } }, { t: 'replay', cmd: { req: 2 } }])).toEqual([]);
    // An answer would have been posted before the sync was handled: a batch sent now comes after it.
    const batch = new Promise((resolve) => (creator.onmessage = (e) => resolve(e.data)));
    bridge.forward({ t: 'text', seq: 1, text: '[]', doc: 'worker-1' });
    expect(await batch).toEqual({ t: 'text', seq: 1, text: '[]', doc: 'worker-1' });
    expect(posted).toEqual([]);
    creator.close();
  });
});

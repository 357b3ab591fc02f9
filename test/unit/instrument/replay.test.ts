// The page side of a replay (src/instrument/replay.ts), installed into Node's own globals
// (MessageChannel, MessagePort and MessageEvent are Node's): what a command posts, how it
// is recorded, and that a bad or stale command is an answer, never an exception.
import { beforeAll, describe, expect, it } from 'vitest';
import { captureNatives } from '../../../src/instrument/natives';
import { Recorder } from '../../../src/instrument/recorder';
import { createReplayer, type Replayer } from '../../../src/instrument/replay';
import { createPortTable, type PortTable } from '../../../src/instrument/port-table';
import type { Instr } from '../../../src/instrument/context';
import { createShadow } from '../../../src/model/shadow';
import { expandEvents } from '../../../src/protocol/compact';
import type { PageBatch, PageEvent, PostEvent, Predicted } from '../../../src/protocol/messages';

const batches: PageBatch[] = [];
let rec: Recorder;
let replayer: Replayer;
let ports: PortTable;
let shadow: ReturnType<typeof createShadow>;
// Read as the background reads them: posts arrive in their compact form.
const events = (): PageEvent[] => (rec.flush(), batches.flatMap((b) => expandEvents(b.events) as PageEvent[]));
const posts = () => events().filter((e): e is PostEvent => e.k === 'post');

/** Just the parts of the instrumentation a replay uses, over Node's own natives. */
beforeAll(() => {
  const n = captureNatives(globalThis);
  rec = new Recorder(n, { send: (b) => batches.push(b) }, { flushDelay: 100_000 });
  rec.setRecording(true);
  shadow = createShadow('chromium', { isPort: n.isPort });
  let last = 0;
  const I = {
    g: globalThis,
    n,
    rec,
    shadow,
    nextMessageId: () => ++last,
    errorOutcome: (err: unknown): Predicted => ({ o: 'error', name: (err as Error)?.name ?? 'Error', message: (err as Error)?.message ?? '' }),
  } as unknown as Instr;
  ports = createPortTable(I);
  replayer = createReplayer(I, ports);
});

/** A channel numbered as the instrumentation numbers it. */
function channel() {
  const ch = new MessageChannel();
  const [a, b] = shadow.channel();
  ports.remember(ch.port1, a);
  ports.remember(ch.port2, b);
  shadow.start(b);
  return { ch, a, b };
}

const cmd = (over: Record<string, unknown>) => ({ req: 1, doc: rec.doc, replayOf: 5, value: new Map([[1, 2n]]), via: 'port', port: 1, ...over });

describe('Replayer.run', () => {
  it('posts the value natively on the port with that local id, and records it as a replay', async () => {
    const { ch, a } = channel();
    const got = new Promise<unknown>((r) => (ch.port2.onmessage = (e) => r(e.data)));
    const result = replayer.run(cmd({ port: a }));
    expect(result).toMatchObject({ ok: true });
    expect(await got).toEqual(new Map([[1, 2n]]));
    const replay = posts().at(-1)!;
    expect(replay).toMatchObject({ via: 'port', port: a, replay: true, replayOf: 5, transfer: [] });
    expect(replay.msg).toBe((result as { msg: number }).msg);
    ch.port1.close();
  });

  it('answers, never throws, for a stale, malformed or impossible command', () => {
    expect(replayer.run(cmd({ doc: 'another' }))).toEqual({ ok: false, error: 'the document has changed since it was recorded (navigated or reloaded)' });
    for (const bad of [null, 7, 'x', {}, cmd({ via: 'worker' }), cmd({ port: -1 }), cmd({ replayOf: 'x' }), cmd({ via: 'window', target: { up: 'a', down: [] } })]) {
      expect(replayer.run(bad)).toEqual({ ok: false, error: expect.any(String) });
    }
    expect(replayer.run(cmd({ port: 99_999 }))).toEqual({ ok: false, error: 'the port is gone from this document (closed and collected, or never seen here)' });
  });

  it('reads the command through data properties only: a getter on it never runs', () => {
    let ran = false;
    const c = cmd({});
    Object.defineProperty(c, 'via', { get: () => ((ran = true), 'port') });
    expect(replayer.run(c)).toEqual({ ok: false, error: 'malformed replay command' });
    expect(ran).toBe(false);
  });

  it('says so when the port was closed, and when the value cannot be cloned', () => {
    const { ch, a } = channel();
    expect(replayer.run(cmd({ port: a, value: () => 1 }))).toEqual({ ok: false, error: expect.stringMatching(/DataCloneError|could not be cloned/) });
    expect(posts().at(-1)).toMatchObject({ replay: true, predicted: { o: 'error' } });
    ch.port1.close();
    shadow.close(a);
    expect(replayer.run(cmd({ port: a }))).toEqual({ ok: false, error: `port ${a} is closed: the browser dropped the message` });
    expect(posts().at(-1)).toMatchObject({ replay: true, predicted: { o: 'dropped', reason: 'port-closed' } });
  });

  it('replays on a port numbered while recording was off (made before DevTools opened), once it is on', async () => {
    rec.setRecording(false);
    const { ch, a } = channel();
    rec.setRecording(true);
    const got = new Promise<unknown>((r) => (ch.port2.onmessage = (e) => r(e.data)));
    expect(replayer.run(cmd({ port: a }))).toMatchObject({ ok: true });
    expect(await got).toEqual(new Map([[1, 2n]]));
    ch.port1.close();
  });
});

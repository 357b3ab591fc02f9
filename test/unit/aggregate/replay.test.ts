// Replay routing in the background (src/aggregate/replay.ts) and the replay mark through
// the Session, its columns, its saved state and the trace file.
import { describe, expect, it } from 'vitest';
import { Session, packMessages, unpackMessages } from '../../../src/aggregate';
import { recordOfLocal, routeReplay } from '../../../src/aggregate/replay';
import type { PageEvent, ReplayRequest, ReplayTarget } from '../../../src/protocol/messages';
import { exportTrace, importTrace } from '../../../src/trace';
import { sessionOf } from './scenarios';
import { CHILD0, Doc, UP1, close, ctx, deliverPort, deliverWindow, postPort } from './streams';

const TOP = 'http://127.0.0.1:8080/replay/';
const CHILD = 'http://localhost:8080/replay/child.html';

/** Top makes a channel, gives port 2 to its child in a window message, then they talk over it. */
function recorded() {
  const T = new Doc('top', { frameId: 0, parentFrameId: -1, url: TOP });
  const C = new Doc('child', { frameId: 4, parentFrameId: 0, url: CHILD });
  T.batch([ctx(1000, TOP, true), { k: 'channel', at: 1001, port1: 1, port2: 2 }, { k: 'start', at: 1001, port: 1, implicit: true }, postPort(1010, T.nextMsg(), 1)]);
  C.batch([ctx(1005, CHILD, false, 0), deliverWindow(1008, UP1, 'http://127.0.0.1:8080', 'connect', [7]), { k: 'start', at: 1009, port: 7, implicit: true }, deliverPort(1011, 7, 'greet'), deliverWindow(1012, UP1, 'http://127.0.0.1:8080', 'win')]);
  return { T, C, s: sessionOf([...T.out, ...C.out]) };
}

const req = (message: number, target: ReplayTarget | null = null): ReplayRequest => ({ t: 'replay', req: 1, message, value: { v: 1 }, target });

describe('routeReplay', () => {
  it('posts a port message again on the port that sent it, in the document holding that port now', () => {
    const { s } = recorded();
    const greet = s.data().messages.find((m) => m.preview === 'greet')!;
    const r = routeReplay(s, req(greet.id));
    expect(r).toEqual({ frameId: 0, cmd: { req: 1, replayOf: greet.id, value: { v: 1 }, doc: 'top', via: 'port', port: 1 } });
  });

  it('posts on another port in the local id of the document that holds it', () => {
    const { s } = recorded();
    const greet = s.data().messages.find((m) => m.preview === 'greet')!;
    const childPort = s.data().ports.find((p) => p.holders.at(-1)?.contextId === greet.toContext)!;
    expect(routeReplay(s, req(greet.id, { kind: 'port', port: childPort.id }))).toMatchObject({ frameId: 4, cmd: { doc: 'child', via: 'port', port: 7 } });
  });

  it('posts a window message from its sender along the frame tree, or from the receiver to itself', () => {
    const { s } = recorded();
    const win = s.data().messages.find((m) => m.preview === 'win')!;
    expect(routeReplay(s, req(win.id, { kind: 'window', context: win.toContext!, from: 'sender', targetOrigin: 'http://localhost:8080' }))).toMatchObject({
      frameId: 0,
      cmd: { doc: 'top', via: 'window', target: CHILD0, targetOrigin: 'http://localhost:8080', replayOf: win.id },
    });
    expect(routeReplay(s, req(win.id, { kind: 'window', context: win.toContext!, from: 'self', targetOrigin: '*' }))).toMatchObject({
      frameId: 4,
      cmd: { doc: 'child', via: 'window', target: { up: 0, down: [] }, targetOrigin: '*' },
    });
    // By default: from the sender, with the receiver's origin as targetOrigin.
    expect(routeReplay(s, req(win.id))).toMatchObject({ frameId: 0, cmd: { target: CHILD0, targetOrigin: 'http://localhost:8080' } });
  });

  it('says why when it cannot', () => {
    const { T, s } = recorded();
    const greet = s.data().messages.find((m) => m.preview === 'greet')!;
    expect(routeReplay(s, req(999))).toEqual({ error: 'message #999 is not in this recording (cleared or evicted)' });
    expect(routeReplay(s, req(greet.id, { kind: 'port', port: 42 }))).toEqual({ error: 'port #42 is not known' });
    expect(routeReplay(s, req(greet.id, { kind: 'window', context: 77, from: 'self', targetOrigin: '*' }))).toEqual({ error: 'context #77: context #77 is not known' });
    s.ingest(T.batch([close(1020, 1)]).batch, T.source);
    expect(routeReplay(s, req(greet.id))).toEqual({ error: `port #${greet.fromPort} is closed` });
  });

  it('refuses a document that navigated away', () => {
    const { s } = recorded();
    const greet = s.data().messages.find((m) => m.preview === 'greet')!;
    const next = new Doc('top2', { frameId: 0, parentFrameId: -1, url: TOP + '?2' });
    for (const f of next.batch([ctx(2000, TOP + '?2', true)]) ? next.out : []) s.ingest(f.batch, f.source);
    expect(routeReplay(s, req(greet.id))).toEqual({ error: `port #${greet.fromPort} is in a document that has gone (${TOP} (context #1))` });
  });
});

describe('a replayed post in the Session', () => {
  const replayPost = (at: number, msg: number, replayOf: number): PageEvent => ({ ...(postPort(at, msg, 1) as object), replay: true, replayOf }) as PageEvent;

  it('gets replayOf, pairs with its delivery, and is found by its local id', () => {
    const { T, C, s } = recorded();
    const greet = s.data().messages.find((m) => m.preview === 'greet')!;
    const local = T.nextMsg();
    s.ingest(T.batch([replayPost(1030, local, greet.id)]).batch, T.source);
    s.ingest(C.batch([deliverPort(1031, 7, 'greet')]).batch, C.source);
    const id = recordOfLocal(s, 'top', local)!;
    expect(s.message(id)).toMatchObject({ replayOf: greet.id, fromPort: greet.fromPort, toContext: greet.toContext, deliveredAt: 1031, outcome: { status: 'delivered' } });
    expect(s.data().messages.filter((m) => m.id !== id).every((m) => m.replayOf === null)).toBe(true);
  });

  it('pairs a replayed window send with its delivery, and the lane stays one-sided', () => {
    const { T, C, s } = recorded();
    const win = s.data().messages.find((m) => m.preview === 'win')!;
    const local = T.nextMsg();
    s.ingest(T.batch([{ k: 'post', at: 1040, msg: local, via: 'window', target: CHILD0, targetOrigin: 'http://localhost:8080', transfer: [], predicted: { o: 'sent' }, replay: true, replayOf: win.id }]).batch, T.source);
    s.ingest(C.batch([deliverWindow(1041, UP1, 'http://127.0.0.1:8080', 'win again'), deliverWindow(1050, UP1, 'http://127.0.0.1:8080', 'later')]).batch, C.source);
    const id = recordOfLocal(s, 'top', local)!;
    expect(s.message(id)).toMatchObject({ replayOf: win.id, via: 'window', fromContext: win.fromContext, toContext: win.toContext, preview: 'win again', targetOrigin: 'http://localhost:8080' });
    // The page's own window sends are still never reported: nothing waits for them.
    expect(s.pendingWork().waitingHalves).toBe(0);
    expect(s.data().messages.find((m) => m.preview === 'later')).toMatchObject({ replayOf: null, fromContext: win.fromContext });
  });

  it('ignores replayOf on a post not marked as a replay', () => {
    const { T, s } = recorded();
    const local = T.nextMsg();
    s.ingest(T.batch([{ ...(postPort(1030, local, 1) as object), replayOf: 1 } as PageEvent]).batch, T.source);
    expect(s.message(recordOfLocal(s, 'top', local)!)?.replayOf).toBeNull();
  });

  it('keeps replayOf through columns, saved state and the trace file', () => {
    const { T, s } = recorded();
    const greet = s.data().messages.find((m) => m.preview === 'greet')!;
    s.ingest(T.batch([replayPost(1030, T.nextMsg(), greet.id)]).batch, T.source);
    const messages = s.snapshot().messages;
    expect(messages.some((m) => m.replayOf === greet.id)).toBe(true);
    expect(unpackMessages(packMessages(messages))).toEqual(messages);
    expect(Session.restore(JSON.parse(JSON.stringify(s.toState({ packed: false })))).snapshot().messages).toEqual(messages);
    expect(importTrace(JSON.stringify(exportTrace(s.snapshot()))).messages).toEqual(messages);
  });

  it('rejects a trace whose replayOf is not an id', () => {
    const { T, s } = recorded();
    const greet = s.data().messages.find((m) => m.preview === 'greet')!;
    s.ingest(T.batch([replayPost(1030, T.nextMsg(), greet.id)]).batch, T.source);
    const doc = JSON.parse(JSON.stringify(exportTrace(s.snapshot())));
    doc.messages.at(-1).replayOf = 'two';
    expect(() => importTrace(JSON.stringify(doc))).toThrow(/replayOf/);
  });
});

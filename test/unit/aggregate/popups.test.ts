// A page opens a popup and hands it a port in a window message; the popup answers over the
// port and posts to its opener. The background records the popup tab into the opener's
// session (PopupRoutes numbers its frames there): both sides of every message meet.
import { describe, expect, it } from 'vitest';
import { PopupRoutes, POPUP_FRAME_BASE } from '../../../src/aggregate/popups';
import { Session } from '../../../src/aggregate';
import type { WindowPath } from '../../../src/protocol/messages';
import { Doc, channel, ctx, deliverPort, deliverWindow, postPort, start, type Fed } from './streams';

const OPENER = 'http://127.0.0.1:8000/popup/index.html';
const POPUP = 'http://localhost:8000/popup/popup.html';
const FROM_OPENER: WindowPath = { up: 0, down: [], rel: 'opener' };
const FROM_POPUP: WindowPath = { up: 0, down: [], rel: 'popup' };

describe('popup routes', () => {
  it("number a popup's frames apart from its opener tab's, and a popup's popup joins the same session", () => {
    const r = new PopupRoutes();
    const first = r.opened(1, 0, 2);
    expect(first).toEqual({ tabId: 1, popupFrame: POPUP_FRAME_BASE, openerFrame: 0 });
    // The popup's iframe, and its parent link, in the session's numbering.
    expect(r.source(2, { frameId: 9, parentFrameId: 0, url: POPUP })).toMatchObject({ frameId: POPUP_FRAME_BASE + 1, parentFrameId: POPUP_FRAME_BASE });
    expect(r.source(2, { frameId: 0, parentFrameId: -1 })).toMatchObject({ frameId: POPUP_FRAME_BASE, parentFrameId: -1, openerFrameId: 0 });
    // Opened from the popup's iframe: recorded in tab 1's session too.
    expect(r.opened(2, 9, 3)).toEqual({ tabId: 1, popupFrame: POPUP_FRAME_BASE + 2, openerFrame: POPUP_FRAME_BASE + 1 });
    expect(r.popupsOf(1).sort()).toEqual([2, 3]);
    expect(r.browserFrame(1, POPUP_FRAME_BASE + 1)).toEqual({ tabId: 2, frameId: 9 });
    expect(r.browserFrame(1, 4)).toEqual({ tabId: 1, frameId: 4 });
    // A tab that is no popup keeps its own numbers.
    expect(r.source(7, { frameId: 3, parentFrameId: 0 })).toEqual({ frameId: 3, parentFrameId: 0 });
    // They survive a restart of the background.
    const again = PopupRoutes.fromState(JSON.parse(JSON.stringify(r.toState())));
    expect(again.source(2, { frameId: 9, parentFrameId: 0 })).toMatchObject({ frameId: POPUP_FRAME_BASE + 1 });
    expect(again.opened(1, 0, 4).popupFrame).toBe(POPUP_FRAME_BASE + 3);
    expect(PopupRoutes.fromState({ tabs: 'no' }).sessionTab(2)).toBeUndefined();
    expect(r.framesOf(2).sort()).toEqual([POPUP_FRAME_BASE, POPUP_FRAME_BASE + 1]);
    // Closing the opener's tab: its popups are tabs of their own again.
    r.closed(1);
    expect(r.sessionTab(2)).toBeUndefined();
    expect(r.sessionTab(3)).toBeUndefined();
  });
});

describe('a popup in its opener session', () => {
  function record(early: boolean): Session {
    const routes = new PopupRoutes();
    const s = new Session();
    const A = new Doc('opener', { frameId: 0, parentFrameId: -1, url: OPENER });
    const feed = (f: Fed) => s.ingest(f.batch, f.source);
    feed(A.batch([ctx(10, OPENER, true), channel(20, 1, 2), start(21, 1)]));
    const r = routes.opened(5, 0, 6);
    // Told at once by webNavigation (early), or only by the popup's own batches.
    if (early) s.openedPopup(r.popupFrame, r.openerFrame);
    const P = new Doc('popup', routes.source(6, { frameId: 0, parentFrameId: -1, url: POPUP }));
    // The opener hears the popup's ready before the popup's first batch is in.
    feed(A.batch([deliverWindow(40, FROM_POPUP, 'http://localhost:8000', 'ready'), postPort(41, A.nextMsg(), 1, [], { o: 'queued' }), deliverPort(46, 1, 'pong')]));
    feed(
      P.batch([
        ctx(30, POPUP, true),
        deliverWindow(42, FROM_OPENER, 'http://127.0.0.1:8000', 'port for you', [1]),
        start(42, 1),
        deliverPort(43, 1, 'ping'),
        postPort(44, P.nextMsg(), 1),
      ]),
    );
    feed(A.batch([deliverWindow(80, FROM_POPUP, 'http://localhost:8000', 'bye')]));
    s.releaseHeld();
    return s;
  }

  it.each([true, false])('links the popup to its opener, follows the port into it and pairs the messages (told early: %s)', (early) => {
    const d = record(early).data();
    const opener = d.contexts.find((c) => c.url === OPENER)!;
    const popup = d.contexts.find((c) => c.url === POPUP)!;
    expect(popup).toMatchObject({ top: true, parentId: null, openerId: opener.id, frameId: POPUP_FRAME_BASE });
    expect(opener.openerId).toBeNull();
    const moved = d.ports.find((p) => p.holders.length > 1)!;
    expect(moved.holders.map((h) => h.contextId)).toEqual([opener.id, popup.id]);
    expect(d.dropped['port-identity-unknown']).toBeUndefined();
    for (const preview of ['ping', 'pong']) {
      const m = d.messages.find((x) => x.preview === preview)!;
      expect(m.sentAt, preview).not.toBeNull();
      expect(m.outcome.status, preview).toBe('delivered');
    }
    const fromPopup = d.messages.filter((m) => m.via === 'window' && m.toContext === opener.id);
    // Without the early word, a message heard before the popup's first batch names no sender.
    expect(fromPopup.map((m) => [m.preview, m.fromContext])).toEqual([
      ['ready', early ? popup.id : null],
      ['bye', popup.id],
    ]);
    expect(d.messages.find((m) => m.preview === 'port for you')).toMatchObject({ fromContext: opener.id, toContext: popup.id });
  });

  it('ends the popup\'s documents when its tab closes, and only those', () => {
    const s = record(true);
    s.framesClosed([POPUP_FRAME_BASE], 90);
    const d = s.data();
    expect(d.contexts.map((c) => [c.url, c.endedAt])).toEqual([
      [OPENER, null],
      [POPUP, 90],
    ]);
  });

  it("does not take a message for the popup's when its origin is another's", () => {
    const routes = new PopupRoutes();
    const s = new Session();
    const A = new Doc('opener', { frameId: 0, parentFrameId: -1, url: OPENER });
    s.ingest(A.batch([ctx(10, OPENER, true)]).batch, A.source);
    const r = routes.opened(5, 0, 6);
    s.openedPopup(r.popupFrame, r.openerFrame);
    const P = new Doc('popup', routes.source(6, { frameId: 0, parentFrameId: -1, url: POPUP }));
    s.ingest(P.batch([ctx(30, POPUP, true)]).batch, P.source);
    // From a window outside the tab (say, one another page opened), with its own origin.
    const f = A.batch([deliverWindow(40, FROM_POPUP, 'https://elsewhere.test', 'stranger')]);
    s.ingest(f.batch, f.source);
    s.releaseHeld();
    expect(s.data().messages.find((m) => m.preview === 'stranger')?.fromContext).toBeNull();
  });
});

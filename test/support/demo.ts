// What a recording of the demo page (test/pages/demo) must hold, in either browser:
// two documents, one channel whose second port moves from the top frame to the
// cross-origin child, and every message matched with its delivery.
import { expect } from 'vitest';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { contextByOrigin, messagesOf } from './session';

export const demoPath = '/demo/index.html';

/**
 * The recording is complete once both frames' batches are in: the handshake and both
 * messages delivered in the child, and both pongs delivered back in the top frame
 * (each frame reports on its own schedule).
 */
export function demoComplete(s: AggregateSnapshot | null): boolean {
  const delivered = (text: string) => messagesOf(s, (m) => m.outcome.status === 'delivered' && !!m.preview?.includes(text)).length;
  return delivered('type: "connect"') === 1 && delivered('type: "ping"') >= 1 && delivered('type: "bytes"') >= 1 && delivered('type: "pong"') >= 2;
}

export function expectDemoSession(s: AggregateSnapshot | null, topOrigin: string, childOrigin: string): void {
  const top = contextByOrigin(s, topOrigin)!;
  const child = contextByOrigin(s, childOrigin)!;
  expect(top, 'top document').toBeDefined();
  expect(child, `cross-origin child document among ${JSON.stringify(s?.contexts.map((c) => [c.id, c.url, c.frameId, c.createdAt, c.endedAt]))}`).toBeDefined();
  expect(top.top).toBe(true);
  expect(child.parentId).toBe(top.id);

  // One channel: port1 stays in the top frame, port2 moves to the child.
  const channelPorts = s!.ports.filter((p) => p.createdIn === top.id);
  expect(channelPorts).toHaveLength(2);
  const [port1, port2] = channelPorts;
  expect(port1.entangledWith).toBe(port2.id);
  expect(port1.holders.map((h) => h.contextId)).toEqual([top.id]);
  expect(port2.holders.map((h) => h.contextId)).toEqual([top.id, child.id]);
  expect(port2.shipped).toBe(true);

  // The handshake carried port2 to the child, seen at delivery there.
  const handshake = messagesOf(s, (m) => m.via === 'window' && !!m.preview?.includes('connect'));
  expect(handshake).toHaveLength(1);
  expect(handshake[0]).toMatchObject({ fromContext: top.id, toContext: child.id, origin: topOrigin, outcome: { status: 'delivered' } });
  expect(handshake[0].transfer).toEqual([{ kind: 'MessagePort', id: port2.id, bytes: null }]);

  // Every port message matched: sent, delivered, from one end to the other.
  const portMessages = messagesOf(s, (m) => m.via === 'port');
  expect(portMessages.length).toBeGreaterThanOrEqual(4);
  for (const m of portMessages) {
    expect(m.outcome.status, `message ${m.id} ${m.preview}`).toBe('delivered');
    expect(m.sentAt).not.toBeNull();
    expect(m.deliveredAt).not.toBeNull();
  }
  const toChild = portMessages.filter((m) => m.toContext === child.id);
  expect(toChild.map((m) => [m.fromContext, m.fromPort, m.toPort])).toEqual(toChild.map(() => [top.id, port1.id, port2.id]));
  const bytes = toChild.find((m) => m.preview?.includes('bytes'))!;
  expect(bytes.transfer).toEqual([{ kind: 'ArrayBuffer', id: null, bytes: 1024 }]);
  const pongs = portMessages.filter((m) => m.preview?.includes('pong'));
  expect(pongs.map((m) => [m.fromContext, m.toContext, m.fromPort, m.toPort])).toEqual(pongs.map(() => [child.id, top.id, port2.id, port1.id]));
}

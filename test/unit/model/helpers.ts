// Shared helpers for the model's conformance tests.
import { createRealm, type Realm } from '../../../src/model/index.js';
import type { ProfileName } from '../../../src/model/profiles.js';

export type AnyPort = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export function realm(profile: ProfileName = 'spec', origin = 'https://a.test'): Realm {
  return createRealm({ origin, profile });
}

export function channel(r: Realm): [AnyPort, AnyPort] {
  const c = new r.MessageChannel();
  return [c.port1, c.port2];
}

/** Collects what a port (or any target) receives, as [type, data] pairs plus the events. */
export function collect(target: AnyPort, how: 'onmessage' | 'listener' = 'onmessage') {
  const events: any[] = [];
  const fn = (e: any) => events.push(e);
  if (how === 'onmessage') target.onmessage = fn;
  else target.addEventListener('message', fn);
  target.addEventListener?.('messageerror', fn);
  return { events, data: () => events.filter((e) => e.type === 'message').map((e) => e.data) };
}

export function catchError(f: () => unknown): any {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an exception');
}

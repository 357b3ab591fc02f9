// BroadcastChannel (HTML §9.5): same origin (storage key) and name, never to itself, to every
// other open channel in creation order, InvalidStateError once closed.
import { deserializeWithTransfer, serialize } from './clone.js';
import { fireTrusted, type ModelEventTarget } from './events.js';
import { makeError, thrown, type OutcomeTarget } from './outcome.js';
import { brand, platformInfo } from './platform.js';
import { portTransfer } from './port.js';
import type { RealmCore } from './types.js';

interface BcState {
  id: number;
  realm: RealmCore;
  name: string;
  closed: boolean;
  obj: ModelEventTarget;
}

const STATE = new WeakMap<object, BcState>();

export function defineBroadcastChannel(realm: RealmCore, EventTargetBase: typeof ModelEventTarget) {
  class BroadcastChannel extends EventTargetBase {
    constructor(name: unknown) {
      super();
      if (arguments.length === 0) throw new TypeError("Failed to construct 'BroadcastChannel': 1 argument required, but only 0 present.");
      this._report = (e) => realm.reportError(e);
      const st: BcState = { id: realm.universe.nextId(), realm, name: String(name), closed: false, obj: this };
      STATE.set(this, st);
      brand(this, { iface: 'BroadcastChannel' });
      realm.universe.broadcasters.add(st);
    }
    get name(): string {
      return state(this).name;
    }
    postMessage(message: unknown): void {
      const st = state(this);
      try {
        if (arguments.length === 0) throw makeError(realm.profile, 'argument-count', { iface: 'BroadcastChannel', method: 'postMessage' });
        if (st.closed) throw makeError(realm.profile, 'channel-closed', { iface: 'BroadcastChannel', method: 'postMessage' });
      } catch (err) {
        realm.emit(thrown('broadcast', err));
        throw err;
      }
      if (realm.closing) return;
      let ser;
      try {
        ser = serialize(message, { profile: realm.profile, iface: 'BroadcastChannel', method: 'postMessage', crossOriginIsolated: realm.crossOriginIsolated, agentCluster: realm.agentCluster }, portTransfer);
      } catch (err) {
        realm.emit(thrown('broadcast', err));
        throw err;
      }
      const origin = realm.origin;
      const targets: OutcomeTarget[] = [];
      for (const d of realm.universe.broadcasters as Set<BcState>) {
        if (d === st || d.closed || d.name !== st.name || d.realm.origin !== origin || d.realm.closing) continue;
        targets.push({ kind: 'broadcast', id: d.id, listeners: d.obj._listenerCount('message') });
        d.realm.loop.queueTask(() => {
          if (d.closed) return;
          let value;
          try {
            value = deserializeWithTransfer(ser, { realm: d.realm, agentCluster: d.realm.agentCluster, profile: d.realm.profile }, portTransfer).value;
          } catch {
            fireTrusted(d.obj, d.realm.newMessageEvent('messageerror', { origin }));
            return;
          }
          fireTrusted(d.obj, d.realm.newMessageEvent('message', { data: value, origin }));
        });
      }
      realm.emit({
        via: 'broadcast',
        predicted: targets.length ? { o: 'sent' } : { o: 'dropped', reason: 'no-target' },
        targets,
        transferred: [],
      });
    }
    close(): void {
      const st = state(this);
      st.closed = true;
      realm.universe.broadcasters.delete(st);
    }
    get onmessage(): unknown {
      return this._getHandler('message');
    }
    set onmessage(v: unknown) {
      this._setHandler('message', v);
    }
    get onmessageerror(): unknown {
      return this._getHandler('messageerror');
    }
    set onmessageerror(v: unknown) {
      this._setHandler('messageerror', v);
    }
  }
  Object.defineProperty(BroadcastChannel.prototype, Symbol.toStringTag, { value: 'BroadcastChannel', configurable: true });
  return BroadcastChannel;
}

function state(obj: unknown): BcState {
  const st = typeof obj === 'object' && obj !== null ? STATE.get(obj) : undefined;
  if (!st || platformInfo(obj as object)?.iface !== 'BroadcastChannel') throw new TypeError('Illegal invocation');
  return st;
}

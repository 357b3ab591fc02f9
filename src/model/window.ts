// Window postMessage (HTML §9.3.3, window post message steps): targetOrigin "*", "/" or a URL's
// origin, SyntaxError when it does not parse, and the silent drop when the target's origin does
// not match at delivery time (checked in the task, not at the call).
import { deserializeWithTransfer, serializeWithTransfer, type Serialized } from './clone.js';
import { fireTrusted } from './events.js';
import { dropped, makeError, thrown, type PostOutcome } from './outcome.js';
import { brand } from './platform.js';
import { byteLengths, discard, portTransfer, transferredSummary, convertTransfer } from './port.js';
import type { RealmCore } from './types.js';

export interface WindowRealm extends RealmCore {
  /** What `target` sees as the WindowProxy of `this` (the source of its events). */
  windowOf(other: WindowRealm): object;
}

/** "/" → the incumbent's origin; "*" stays; otherwise the parsed URL's origin or SyntaxError. */
export function resolveTargetOrigin(incumbent: RealmCore, targetOrigin: string): string {
  if (targetOrigin === '/') return incumbent.origin;
  if (targetOrigin === '*') return '*';
  let url: URL;
  try {
    url = new URL(targetOrigin);
  } catch {
    throw makeError(incumbent.profile, 'target-origin', { iface: 'Window', method: 'postMessage', targetOrigin });
  }
  return url.origin;
}

/** Same origin as serialized tuples; an opaque origin ("null") matches nothing. */
export function sameOrigin(a: string, b: string): boolean {
  return a === b && a !== 'null';
}

/** Splits postMessage(message, targetOrigin, transfer) / postMessage(message, options). */
export function windowPostArgs(incumbent: RealmCore, args: unknown[]): { targetOrigin: string; transfer: object[] } {
  const second = args[1];
  if (second === undefined || second === null || typeof second === 'object' || typeof second === 'function') {
    const opts = (second ?? {}) as { targetOrigin?: unknown; transfer?: unknown };
    const transfer = convertTransfer(incumbent, 'Window', 'postMessage', second === undefined || second === null ? undefined : { transfer: opts.transfer });
    const to = opts.targetOrigin;
    return { targetOrigin: to === undefined ? '/' : String(to), transfer };
  }
  const transfer = args[2] === undefined ? [] : convertTransfer(incumbent, 'Window', 'postMessage', { transfer: args[2] });
  return { targetOrigin: String(second), transfer };
}

export function windowPost(incumbent: WindowRealm, target: WindowRealm, args: unknown[]): PostOutcome {
  if (args.length === 0) {
    const err = makeError(incumbent.profile, 'argument-count', { iface: 'Window', method: 'postMessage' });
    incumbent.emit(thrown('window', err));
    throw err;
  }
  let ser: Serialized;
  let targetOrigin: string;
  let transfer: object[];
  try {
    ({ targetOrigin, transfer } = windowPostArgs(incumbent, args));
    const before = byteLengths(transfer);
    const env = { profile: incumbent.profile, iface: 'Window', method: 'postMessage', crossOriginIsolated: incumbent.crossOriginIsolated, agentCluster: incumbent.agentCluster };
    if (incumbent.profile.windowSerializesBeforeTargetOrigin) {
      // Chromium: serialized and buffers detached before targetOrigin is parsed; ports after.
      const raw = targetOrigin;
      ser = serializeWithTransfer(args[0], { env, ports: portTransfer, transfer, afterBuffers: () => { targetOrigin = resolveTargetOrigin(incumbent, raw); } });
    } else {
      targetOrigin = resolveTargetOrigin(incumbent, targetOrigin);
      ser = serializeWithTransfer(args[0], { env, ports: portTransfer, transfer });
    }
    const transferred = transferredSummary(transfer, before);
    const origin = incumbent.origin;
    const source = target.windowOf(incumbent);
    target.loop.queueTask(() => {
      // The targetOrigin check happens at delivery: the target may have navigated since.
      if (targetOrigin !== '*' && !sameOrigin(target.origin, targetOrigin)) {
        discard([{ ser }]);
        return;
      }
      let result;
      try {
        result = deserializeWithTransfer(ser, { realm: target, agentCluster: target.agentCluster, profile: target.profile }, portTransfer);
      } catch {
        fireTrusted(target.globalTarget, target.newMessageEvent('messageerror', { origin, source }));
        return;
      }
      fireTrusted(target.globalTarget, target.newMessageEvent('message', { data: result.value, origin, source, ports: result.ports }));
    });
    if (targetOrigin !== '*' && !sameOrigin(target.origin, targetOrigin)) {
      return incumbent.emit(dropped('window', 'target-origin-mismatch', transferred));
    }
    return incumbent.emit({
      via: 'window',
      predicted: { o: 'sent' },
      targets: [{ kind: 'window', id: target.id, listeners: target.globalTarget._listenerCount('message') }],
      transferred,
    });
  } catch (err) {
    incumbent.emit(thrown('window', err));
    throw err;
  }
}

/** A WindowProxy of `target` as seen from `viewer`: postMessage with `viewer` as incumbent. */
export function makeWindowProxy(viewer: WindowRealm, target: WindowRealm): object {
  const proxy = {
    postMessage(...args: unknown[]): void {
      windowPost(viewer, target, args);
    },
    get origin() {
      return target.origin;
    },
    /** The model realm behind this WindowProxy (for tests). */
    get realm() {
      return target;
    },
  };
  Object.defineProperty(proxy, Symbol.toStringTag, { value: 'Window' });
  brand(proxy, { iface: 'Window' });
  return proxy;
}

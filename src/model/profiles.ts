// Engine profiles: where a shipping browser departs from the HTML Standard, its profile
// predicts the browser. Every flag here was observed in Chromium 156 / Firefox ESR 153;
// docs/engine-differences.md holds the evidence for each.

export type ProfileName = 'spec' | 'chromium' | 'firefox';

export interface Profile {
  name: ProfileName;
  /** Fire "close" at the other port on disentangle (standard; no engine ships it). */
  closeEvent: boolean;
  /** postMessage on a closed or shipped port returns before any check or serialization. */
  detachedSourceReturnsEarly: boolean;
  /** A closed (not shipped) port in the transfer list throws DataCloneError. */
  closedPortNotTransferable: boolean;
  /** close() discards the messages already queued on the closed port. */
  closeDiscardsQueue: boolean;
  /** A started port has already taken its next message out of the queue: it is dispatched to
   *  the old port object even if the port is shipped before the task runs. */
  headMessageInFlight: boolean;
  /** Setting onmessageerror enables the port message queue, like onmessage. */
  onmessageerrorStarts: boolean;
  /** All transferables are checked before any is detached (no partial detach on error). */
  transferChecksBeforeDetach: boolean;
  /** Error objects keep own `cause` and `stack` through a clone. */
  errorCauseAndStack: boolean;
  /** A started port whose partner is gone (closed, or dropped in transit) closes itself once it
   *  has dispatched what was queued before (Chromium: the mojo peer-closed signal). */
  peerGoneClosesStartedPort: boolean;
  /** window.postMessage serializes (and transfers) before it parses targetOrigin. */
  windowSerializesBeforeTargetOrigin: boolean;
  /** Shipping a port whose partner is already closed leaves its queued messages with the old
   *  object: dispatched there if it was started, never otherwise (Firefox). */
  shipWithoutPartnerLeavesQueue: boolean;
  /** A port's first dispatch task delivers one message; the follow-up task delivers everything
   *  queued by then (up to 200). Otherwise every task delivers one message (round robin). */
  drainAfterFirst: boolean;
}

export const PROFILES: Record<ProfileName, Profile> = {
  spec: {
    name: 'spec',
    closeEvent: true,
    detachedSourceReturnsEarly: false,
    closedPortNotTransferable: true,
    closeDiscardsQueue: false,
    headMessageInFlight: false,
    onmessageerrorStarts: false,
    transferChecksBeforeDetach: false,
    errorCauseAndStack: false,
    peerGoneClosesStartedPort: false,
    windowSerializesBeforeTargetOrigin: false,
    shipWithoutPartnerLeavesQueue: false,
    drainAfterFirst: false,
  },
  chromium: {
    name: 'chromium',
    closeEvent: false,
    detachedSourceReturnsEarly: true,
    closedPortNotTransferable: false,
    closeDiscardsQueue: true,
    headMessageInFlight: false,
    onmessageerrorStarts: true,
    transferChecksBeforeDetach: true,
    errorCauseAndStack: true,
    peerGoneClosesStartedPort: true,
    windowSerializesBeforeTargetOrigin: true,
    shipWithoutPartnerLeavesQueue: false,
    drainAfterFirst: true,
  },
  firefox: {
    name: 'firefox',
    closeEvent: false,
    detachedSourceReturnsEarly: false,
    closedPortNotTransferable: true,
    closeDiscardsQueue: false,
    headMessageInFlight: true,
    onmessageerrorStarts: false,
    transferChecksBeforeDetach: false,
    errorCauseAndStack: true,
    peerGoneClosesStartedPort: false,
    windowSerializesBeforeTargetOrigin: false,
    shipWithoutPartnerLeavesQueue: true,
    drainAfterFirst: false,
  },
};

export function getProfile(name: ProfileName | undefined): Profile {
  const p = PROFILES[name ?? 'spec'];
  if (!p) throw new TypeError(`unknown profile ${String(name)}`);
  return p;
}

/** Every error condition the model can raise, engine-neutral. */
export type ErrorCode =
  | 'function'
  | 'symbol'
  | 'uncloneable' // an object with internal slots the clone does not know (WeakMap, Promise, ...)
  | 'platform' // a platform object that is not serializable (Event, MessageChannel, ...)
  | 'port-not-transferred'
  | 'source-in-transfer'
  | 'duplicate-port'
  | 'duplicate-buffer'
  | 'detached-buffer-in-message'
  | 'detached-buffer-in-transfer'
  | 'detached-port-in-transfer'
  | 'not-transferable'
  | 'shared-buffer'
  | 'transfer-not-object'
  | 'argument-count'
  | 'target-origin'
  | 'channel-closed';

export interface ErrorContext {
  /** Interface and method, e.g. MessagePort / postMessage, Window / structuredClone. */
  iface: string;
  method: string;
  /** Index in the transfer list, for transfer errors. */
  index?: number;
  /** Printable form of the offending value (Chromium quotes it). */
  valueText?: string;
  /** Interface or class name of the offending object. */
  typeName?: string;
  /** Raw targetOrigin string. */
  targetOrigin?: string;
  /** Path of the offending value, e.g. message.a.b[3]. */
  path?: string;
}

const NAMES: Record<ErrorCode, string> = {
  function: 'DataCloneError',
  symbol: 'DataCloneError',
  uncloneable: 'DataCloneError',
  platform: 'DataCloneError',
  'port-not-transferred': 'DataCloneError',
  'source-in-transfer': 'DataCloneError',
  'duplicate-port': 'DataCloneError',
  'duplicate-buffer': 'DataCloneError',
  'detached-buffer-in-message': 'DataCloneError',
  'detached-buffer-in-transfer': 'DataCloneError',
  'detached-port-in-transfer': 'DataCloneError',
  'not-transferable': 'DataCloneError',
  'shared-buffer': 'DataCloneError',
  'transfer-not-object': 'TypeError',
  'argument-count': 'TypeError',
  'target-origin': 'SyntaxError',
  'channel-closed': 'InvalidStateError',
};

export function errorName(code: ErrorCode): string {
  return NAMES[code];
}

/** The error message each engine gives (observed), or a descriptive one for the spec profile. */
export function errorMessage(profile: Profile, code: ErrorCode, c: ErrorContext): string {
  const i = c.index ?? 0;
  if (profile.name === 'chromium') {
    const pre = `Failed to execute '${c.method}' on '${c.iface}': `;
    switch (code) {
      case 'function':
      case 'symbol':
      case 'uncloneable':
        return `${pre}${c.valueText} could not be cloned.`;
      case 'platform':
        return `${pre}${c.typeName} object could not be cloned.`;
      case 'port-not-transferred':
        return `${pre}A MessagePort could not be cloned because it was not transferred.`;
      case 'source-in-transfer':
        return `${pre}Port at index ${i} contains the source port.`;
      case 'duplicate-port':
        return `${pre}Message port at index ${i} is a duplicate of an earlier port.`;
      case 'duplicate-buffer':
        return `${pre}ArrayBuffer at index ${i} is a duplicate of an earlier ArrayBuffer.`;
      case 'detached-buffer-in-message':
        return `${pre}An ArrayBuffer is detached and could not be cloned.`;
      case 'detached-buffer-in-transfer':
        return `${pre}ArrayBuffer at index ${i} is already detached.`;
      case 'detached-port-in-transfer':
        return `${pre}Port at index ${i} is already neutered.`;
      case 'not-transferable':
        return `${pre}Value at index ${i} does not have a transferable type.`;
      case 'shared-buffer':
        return `${pre}#<SharedArrayBuffer> could not be cloned.`;
      case 'transfer-not-object':
        return `${pre}Failed to convert value to 'object'.`;
      case 'argument-count':
        return `${pre}1 argument required, but only 0 present.`;
      case 'target-origin':
        return `${pre}Invalid target origin '${c.targetOrigin}' in a call to 'postMessage'.`;
      case 'channel-closed':
        return `${pre}Channel is closed`;
    }
  }
  if (profile.name === 'firefox') {
    switch (code) {
      case 'function':
        return 'Function object could not be cloned.';
      case 'symbol':
        return c.typeName === 'Symbol' ? 'Symbol object could not be cloned.' : 'unsupported type for structured data';
      case 'uncloneable':
      case 'platform':
        return `${c.typeName} object could not be cloned.`;
      case 'port-not-transferred':
        return 'MessagePort object could not be cloned.';
      case 'source-in-transfer':
        return 'The object could not be cloned.';
      case 'duplicate-port':
      case 'duplicate-buffer':
        return 'duplicate transferable for structured clone';
      case 'detached-buffer-in-message':
        return c.typeName === 'ArrayBuffer' ? 'ArrayBuffer object could not be cloned.' : 'attempting to access detached ArrayBuffer';
      case 'detached-buffer-in-transfer':
        return 'attempting to access detached ArrayBuffer';
      case 'detached-port-in-transfer':
      case 'not-transferable':
        return 'invalid transferable array for structured clone';
      case 'shared-buffer':
        return 'SharedArrayBuffer object could not be cloned.';
      case 'transfer-not-object':
        return `${c.iface}.${c.method}: Element of argument 2 is not an object.`;
      case 'argument-count':
        return `${c.iface}.${c.method}: 0 is not a valid argument count for any overload.`;
      case 'target-origin':
        return 'An invalid or illegal string was specified';
      case 'channel-closed':
        return 'An attempt was made to use an object that is not, or is no longer, usable';
    }
  }
  const at = c.path ? `${c.path} ` : '';
  switch (code) {
    case 'function':
      return `${at}is a function and could not be cloned.`;
    case 'symbol':
      return `${at}is a symbol and could not be cloned.`;
    case 'uncloneable':
      return `${at}is a ${c.typeName} and could not be cloned.`;
    case 'platform':
      return `${at}is a ${c.typeName} platform object and could not be cloned.`;
    case 'port-not-transferred':
      return `${at}is a MessagePort that is not in the transfer list.`;
    case 'source-in-transfer':
      return `transfer[${i}] is the source port.`;
    case 'duplicate-port':
    case 'duplicate-buffer':
      return `transfer[${i}] is a duplicate of an earlier transferable.`;
    case 'detached-buffer-in-message':
      return `${at}is a detached ArrayBuffer.`;
    case 'detached-buffer-in-transfer':
      return `transfer[${i}] is a detached ArrayBuffer.`;
    case 'detached-port-in-transfer':
      return `transfer[${i}] is a detached MessagePort.`;
    case 'not-transferable':
      return `transfer[${i}] is not transferable.`;
    case 'shared-buffer':
      return `${at}is a SharedArrayBuffer and this context is not cross-origin isolated.`;
    case 'transfer-not-object':
      return `transfer[${i}] is not an object.`;
    case 'argument-count':
      return `${c.method} needs at least 1 argument.`;
    case 'target-origin':
      return `Invalid target origin '${c.targetOrigin}'.`;
    case 'channel-closed':
      return 'The BroadcastChannel is closed.';
  }
}

// Shadow mode: the model's port bookkeeping for the page, driven by the instrumentation after
// each native call. It never sees or clones payloads (the browser does that); it tracks native
// ports by small integer ids in typed arrays, so every operation is O(1) with no allocation
// (O(transfer list) for post), and predicts what the browser did with each send.
//
// API (ids are allocated here; the instrumentation maps native port objects to them):
//   channel(): [id1, id2]         new MessageChannel(): two entangled ports
//   received(count): number[]     ports that arrived with a message; partner remote/unknown
//   start(id)                     port.start()
//   setOnMessage(id)              port.onmessage = ...   (implicit start)
//   setOnMessageError(id)         port.onmessageerror = ... (starts in Chromium only)
//   close(id)                     port.close()
//   post(id, transferPortIds)     after a native postMessage returned: the predicted outcome,
//                                 and the ports in the transfer list are marked shipped
//   receiveProblem(id)            why no message can be dispatched on the port now (or null)
//   transferred(ids, lost?)       ports sent through window/worker postMessage (marked shipped)
//   windowPost(targetOrigin, ownOrigin, targetWindowOrigin?)
//                                 window.postMessage's prediction: SyntaxError, mismatch drop, sent
//   findCloneErrorPath(value, transfer, sourcePort?)
//                                 after a native postMessage threw: where the offending value is,
//                                 found without calling page getters
import type { Predicted } from '../protocol/messages.js';
import { bufferOfView, isArrayBuffer, isDetached, kindOf, typedArrayName } from './brands.js';
import { keySegment } from './clone.js';
import { errorMessage, errorName, getProfile, type ErrorCode, type Profile, type ProfileName } from './profiles.js';

export interface CloneErrorLocation {
  name: string;
  message: string;
  path: string;
}

const STARTED = 1;
const CLOSED = 2;
const SHIPPED = 4;
const LOST = 8; // shipped inside a message that was dropped: its End will never be received

const NONE = -1; // no partner (closed / disentangled)
const REMOTE = -2; // partner lives in another context, state unknown here

const SENT: Predicted = Object.freeze({ o: 'sent' }) as Predicted;
const QUEUED: Predicted = Object.freeze({ o: 'queued' }) as Predicted;
const drop = (reason: string) => Object.freeze({ o: 'dropped', reason }) as Predicted;
const PORT_SHIPPED = drop('port-shipped');
const PORT_CLOSED = drop('port-closed');
const PARTNER_CLOSED = drop('partner-closed');
const DOOMED = drop('doomed');
const MISMATCH = drop('target-origin-mismatch');

const objToString = Object.prototype.toString;
const getOwnDesc = Object.getOwnPropertyDescriptor;
const ownKeys = Reflect.ownKeys;
const mapEntries = Map.prototype.entries;
const setValues = Set.prototype.values;
const mapNext = Object.getPrototypeOf(new Map().entries()).next as (this: Iterator<[unknown, unknown]>) => IteratorResult<[unknown, unknown]>;
const setNext = Object.getPrototypeOf(new Set().values()).next as (this: Iterator<unknown>) => IteratorResult<unknown>;
const setHas = Set.prototype.has;
const weakHas = WeakSet.prototype.has;
const weakAdd = WeakSet.prototype.add;
const hasOwn = Object.hasOwn;
const setAdd = Set.prototype.add;
const SetCtor = Set;
const WeakSetCtor = WeakSet;
const setProtoOf = Object.setPrototypeOf;
const ArrayProto = Array.prototype;
const call = Reflect.apply;
/** An array with no prototype: writing its elements never reaches a page's setter on Array.prototype. */
const list = <T>(): T[] => setProtoOf([], null) as T[];
const strSlice = String.prototype.slice;

export interface ShadowOptions {
  /** Recognizes a native MessagePort (default: its [object MessagePort] brand tag). */
  isPort?: (v: object) => boolean;
}

export class Shadow {
  readonly profile: Profile;
  private flags = new Uint8Array(64);
  private partner = new Int32Array(64);
  private next = 1; // id 0 is never used
  private isPort: (v: object) => boolean;

  constructor(profile: ProfileName | Profile = 'spec', options: ShadowOptions = {}) {
    this.profile = typeof profile === 'string' ? getProfile(profile) : profile;
    this.isPort = options.isPort ?? ((v) => objToString.call(v) === '[object MessagePort]');
  }

  private alloc(partner: number): number {
    const id = this.next++;
    if (id >= this.flags.length) {
      const f = new Uint8Array(this.flags.length * 2);
      f.set(this.flags);
      this.flags = f;
      const p = new Int32Array(this.partner.length * 2);
      p.set(this.partner);
      this.partner = p;
    }
    this.flags[id] = 0;
    this.partner[id] = partner;
    return id;
  }

  /** Number of ids handed out so far. */
  get size(): number {
    return this.next - 1;
  }

  channel(): [number, number] {
    const a = this.alloc(NONE);
    const b = this.alloc(a);
    this.partner[a] = b;
    return [a, b];
  }

  received(count: number): number[] {
    const ids = list<number>();
    for (let i = 0; i < count; i++) this.alloc(REMOTE);
    // Index writes, not push: in a page, Array.prototype.push may be the page's own.
    for (let i = count; i > 0; i--) ids[ids.length] = this.next - i;
    // Filled without a prototype, then made an ordinary array for the caller.
    return setProtoOf(ids, ArrayProto) as number[];
  }

  start(id: number): void {
    this.flags[id] |= STARTED;
  }

  setOnMessage(id: number): void {
    this.flags[id] |= STARTED;
  }

  setOnMessageError(id: number): void {
    if (this.profile.onmessageerrorStarts) this.flags[id] |= STARTED;
  }

  close(id: number): void {
    const f = this.flags[id];
    if (f & CLOSED) return;
    this.flags[id] = f | CLOSED;
    if (f & SHIPPED) return;
    const p = this.partner[id];
    this.partner[id] = NONE;
    // A local partner that still holds the End is disentangled; a shipped one moved on.
    if (p > 0 && !(this.flags[p] & SHIPPED)) this.partner[p] = NONE;
  }

  /** Whether a port is started / closed / shipped (for the instrumentation and tests). */
  state(id: number): { started: boolean; closed: boolean; shipped: boolean; lost: boolean; partner: number | 'remote' | null } {
    const f = this.flags[id];
    const p = this.partner[id];
    return { started: !!(f & STARTED), closed: !!(f & CLOSED), shipped: !!(f & SHIPPED), lost: !!(f & LOST), partner: p === REMOTE ? 'remote' : p === NONE ? null : p };
  }

  /**
   * Why the model says no message can be dispatched on this port now, or null when one can:
   * an unstarted port keeps its messages queued, and where the profile says close() discards
   * the queue a closed port receives nothing. (A shipped port may still get the message a
   * started port had already taken, so shipping alone proves nothing.) A delivery the browser
   * makes anyway is a disagreement between the model and the browser.
   */
  receiveProblem(id: number): 'closed' | 'not-started' | null {
    const f = this.flags[id];
    if (f & CLOSED) return this.profile.closeDiscardsQueue && !(f & SHIPPED) ? 'closed' : null;
    return f & STARTED ? null : 'not-started';
  }

  post(id: number, transferPortIds: readonly number[] = []): Predicted {
    const f = this.flags[id];
    const n = transferPortIds.length;
    if (f & (SHIPPED | CLOSED)) {
      // Chromium returned before transferring anything; the standard and Firefox transferred.
      if (n && !this.profile.detachedSourceReturnsEarly) this.ship(transferPortIds, true);
      return f & SHIPPED ? PORT_SHIPPED : PORT_CLOSED;
    }
    const p = this.partner[id];
    let result: Predicted;
    if (p === NONE) result = PARTNER_CLOSED;
    else if (p === REMOTE) result = SENT;
    else {
      let doomed = false;
      for (let i = 0; i < n; i++) if (transferPortIds[i] === p) doomed = true;
      const pf = this.flags[p];
      if (doomed || pf & LOST) result = DOOMED;
      else if (pf & SHIPPED) result = SENT; // the partner's End moved to another context
      else result = pf & STARTED ? SENT : QUEUED;
    }
    if (n) this.ship(transferPortIds, result !== SENT && result !== QUEUED);
    return result;
  }

  /** Ports carried by a window or worker postMessage that returned normally. */
  transferred(ids: readonly number[], lost = false): void {
    this.ship(ids, lost);
  }

  /**
   * window.postMessage: SyntaxError for an unparsable targetOrigin, a drop when the target
   * window's origin is known and does not match, else sent. "/" means the sender's own origin.
   */
  windowPost(targetOrigin: string, ownOrigin: string, targetWindowOrigin?: string): Predicted {
    let wanted = targetOrigin;
    if (targetOrigin === '/') wanted = ownOrigin;
    else if (targetOrigin !== '*') {
      try {
        wanted = new URL(targetOrigin).origin;
      } catch {
        const loc = this.found('target-origin', '');
        return { o: 'error', name: loc.name, message: errorMessage(this.profile, 'target-origin', { iface: 'Window', method: 'postMessage', targetOrigin }) };
      }
    }
    if (wanted === '*' || targetWindowOrigin === undefined) return SENT;
    return wanted === targetWindowOrigin && wanted !== 'null' ? SENT : MISMATCH;
  }

  private ship(ids: readonly number[], lost: boolean): void {
    for (let i = 0; i < ids.length; i++) {
      const t = ids[i];
      this.flags[t] |= lost ? SHIPPED | LOST : SHIPPED;
    }
  }

  /**
   * Where the value that made a native postMessage throw sits. Walks own data properties only
   * (accessors are skipped, so no page getter runs), handles cycles, and never throws.
   */
  findCloneErrorPath(value: unknown, transfer: readonly unknown[] = [], sourcePort?: object): CloneErrorLocation | null {
    try {
      return this.locate(value, transfer, sourcePort);
    } catch {
      return null;
    }
  }

  private found(code: ErrorCode, path: string, extra: { index?: number; typeName?: string; valueText?: string } = {}): CloneErrorLocation {
    const message = errorMessage(this.profile, code, { iface: 'MessagePort', method: 'postMessage', path, ...extra });
    return { name: errorName(code), message, path };
  }

  private locate(value: unknown, transfer: readonly unknown[], sourcePort?: object): CloneErrorLocation | null {
    const listed = new SetCtor<unknown>();
    for (let i = 0; i < transfer.length; i++) {
      const t = transfer[i];
      const path = `transfer[${i}]`;
      if (t === null || (typeof t !== 'object' && typeof t !== 'function')) return this.found('transfer-not-object', path, { index: i });
      if (sourcePort !== undefined && t === sourcePort) return this.found('source-in-transfer', path, { index: i });
      const port = this.isPort(t as object);
      if (!port && !isArrayBuffer(t)) return this.found('not-transferable', path, { index: i });
      if (call(setHas, listed, [t])) return this.found(port ? 'duplicate-port' : 'duplicate-buffer', path, { index: i });
      call(setAdd, listed, [t]);
    }
    const hit = this.walk(value, listed);
    if (hit) return hit;
    for (let i = 0; i < transfer.length; i++) {
      const t = transfer[i] as object;
      if (!this.isPort(t) && isDetached(t as ArrayBuffer)) return this.found('detached-buffer-in-transfer', `transfer[${i}]`, { index: i });
    }
    return null;
  }

  private walk(root: unknown, listed: Set<unknown>): CloneErrorLocation | null {
    // In a page this runs after a DataCloneError, possibly on a page that replaced array and
    // collection methods: only index writes, captured iterators, no destructuring.
    const seen = new WeakSetCtor<object>();
    const stack = list<{ v: unknown; path: string }>();
    stack[0] = { v: root, path: 'message' };
    while (stack.length) {
      const { v, path } = stack[stack.length - 1];
      stack.length--;
      if (typeof v === 'symbol') return this.found('symbol', path, { valueText: safeString(v) });
      if (typeof v === 'function') return this.found('function', path, { valueText: 'function' });
      if (v === null || typeof v !== 'object') continue;
      if (call(weakHas, seen, [v]) || call(setHas, listed, [v])) continue;
      call(weakAdd, seen, [v]);
      if (this.isPort(v)) return this.found('port-not-transferred', path, { typeName: 'MessagePort' });
      let kind;
      try {
        kind = kindOf(v);
      } catch {
        continue;
      }
      const children = list<{ v: unknown; path: string }>();
      const add = (child: unknown, childPath: string) => void (children[children.length] = { v: child, path: childPath });
      switch (kind) {
        case 'Symbol':
          return this.found('symbol', path, { typeName: 'Symbol', valueText: '[object Symbol]' });
        case 'WeakMap': case 'WeakSet': case 'WeakRef': case 'FinalizationRegistry': case 'Promise':
          return this.found('uncloneable', path, { typeName: kind, valueText: `#<${kind}>` });
        case 'SharedArrayBuffer':
          return this.found('shared-buffer', path);
        case 'ArrayBuffer':
          if (isDetached(v as ArrayBuffer)) return this.found('detached-buffer-in-message', path, { typeName: 'ArrayBuffer' });
          continue;
        case 'TypedArray': case 'DataView': {
          const buf = bufferOfView(v as ArrayBufferView);
          if (isArrayBuffer(buf) && !call(setHas, listed, [buf]) && isDetached(buf)) return this.found('detached-buffer-in-message', path, { typeName: typedArrayName(v as ArrayBufferView) });
          continue;
        }
        case 'Map': {
          const it = call(mapEntries, v as Map<unknown, unknown>, []);
          for (let i = 0, r = call(mapNext, it, []); !r.done; i++, r = call(mapNext, it, [])) {
            add(r.value[0], `${path}(Map)[${i}].key`);
            add(r.value[1], `${path}(Map)[${i}].value`);
          }
          break;
        }
        case 'Set': {
          const it = call(setValues, v as Set<unknown>, []);
          for (let i = 0, r = call(setNext, it, []); !r.done; i++, r = call(setNext, it, [])) add(r.value, `${path}(Set)[${i}]`);
          break;
        }
        case 'Error': {
          const c = getOwnDesc(v, 'cause');
          if (c && hasOwn(c, 'value') && this.profile.errorCauseAndStack) add(c.value, `${path}.cause`);
          break;
        }
        case 'Array':
        case 'Object': {
          const tag = call(objToString, v, []);
          if (kind === 'Object' && tag !== '[object Object]' && tag !== '[object Arguments]') {
            // A platform object (Event, Window, ...): not serializable.
            return this.found('platform', path, { typeName: call(strSlice, tag, [8, -1]) as string });
          }
          try {
            const keys = ownKeys(v);
            for (let k = 0; k < keys.length; k++) {
              const key = keys[k];
              if (typeof key !== 'string') continue;
              const d = getOwnDesc(v, key);
              if (!d || !hasOwn(d, 'enumerable') || !d.enumerable || !hasOwn(d, 'value')) continue;
              add(d.value, path + keySegment(key));
            }
          } catch {
            // A proxy whose traps throw: the native clone failed on it or on something else;
            // skip it rather than guess.
            continue;
          }
          break;
        }
        default:
          continue;
      }
      // Depth-first, in property order.
      for (let i = children.length - 1; i >= 0; i--) stack[stack.length] = children[i];
    }
    return null;
  }
}

function safeString(s: symbol): string {
  try {
    return s.toString();
  } catch {
    return 'Symbol()';
  }
}

export function createShadow(profile: ProfileName | Profile = 'spec', options?: ShadowOptions): Shadow {
  return new Shadow(profile, options);
}

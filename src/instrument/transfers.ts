// What a transfer list holds, read before the native call neuters it, without running
// any page code: the list is read through data properties only (a getter, an iterator
// or a proxy's get trap is never invoked), and kinds are told by brand checks that
// have no side effect. The browser then reads the page's own arguments itself, so its
// exceptions and the page's getters behave exactly as without the extension.
import type { Instr } from './context';
import type { TransferRef } from '../protocol/messages';

export interface TransferList {
  refs: TransferRef[];
  /** The transferables found, in order (ports and buffers are recognised). */
  objects: unknown[];
  /** The list could not be read without running page code (an iterable that is not an array, an accessor). */
  partial: boolean;
}

const EMPTY: TransferList = { refs: [], objects: [], partial: false };
const MAX_ITEMS = 1024;

/**
 * The transfer list of postMessage(message, transfer) / (message, { transfer }) and of
 * structuredClone(value, { transfer }), given the second argument.
 */
export function readTransfer(I: Instr, arg: unknown, dictionaryOnly = false): TransferList {
  const { n } = I;
  if (typeof arg !== 'object' || arg === null) return EMPTY;
  let list: unknown = arg;
  if (dictionaryOnly || !n.isArray(arg)) {
    // The options dictionary: { transfer }.
    list = n.dataProp(arg, 'transfer');
    if (list === undefined) return n.dataProp(arg, Symbol.iterator) === undefined || dictionaryOnly ? EMPTY : partial();
  }
  if (!n.isArray(list)) return typeof list === 'object' && list !== null ? partial() : EMPTY;
  const length = n.dataProp(list, 'length');
  if (typeof length !== 'number') return partial();
  const refs: TransferRef[] = n.list();
  const objects: unknown[] = n.list();
  let isPartial = false;
  for (let i = 0; i < length && i < MAX_ITEMS; i++) {
    const d = n.getOwnPropertyDescriptor(list, i);
    if (!d || !n.dataProp(d, 'value')) {
      isPartial = isPartial || !!d;
      continue;
    }
    const item = n.dataProp(d, 'value');
    objects[objects.length] = item;
    refs[refs.length] = describe(I, item);
  }
  return { refs, objects, partial: isPartial || length > MAX_ITEMS };
}

function partial(): TransferList {
  return { refs: [], objects: [], partial: true };
}

function describe(I: Instr, item: unknown): TransferRef {
  const { n } = I;
  if (n.isPort(item)) return { kind: 'MessagePort', id: I.portId(item) };
  try {
    return { kind: 'ArrayBuffer', bytes: n.arrayBufferByteLength(item as ArrayBuffer) };
  } catch {
    /* not an ArrayBuffer */
  }
  return { kind: I.kindOfTransferable(item) };
}

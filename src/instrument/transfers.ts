// What a transfer list holds, read before the native call neuters it: each object's
// kind, its identity (ports by their local id) and a buffer's byte length.
import type { Instr } from './context';
import type { TransferKind, TransferRef } from '../protocol/messages';

const KINDS: TransferKind[] = ['ImageBitmap', 'OffscreenCanvas', 'ReadableStream', 'WritableStream', 'TransformStream'];

export function describeTransfer(I: Instr, list: readonly unknown[]): TransferRef[] {
  const { n, g } = I;
  const refs: TransferRef[] = [];
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (typeof item !== 'object' || item === null) {
      refs[i] = { kind: 'other' };
      continue;
    }
    if (n.getPrototypeOf(item) === n.MessagePort.prototype) {
      refs[i] = { kind: 'MessagePort', id: I.portId(item as MessagePort) };
      continue;
    }
    let bytes: number | undefined;
    try {
      bytes = n.arrayBufferByteLength(item as ArrayBuffer);
    } catch {
      bytes = undefined;
    }
    if (bytes !== undefined) {
      refs[i] = { kind: 'ArrayBuffer', bytes };
      continue;
    }
    refs[i] = { kind: kindOf(g, n.getPrototypeOf(item)) };
  }
  return refs;
}

function kindOf(g: typeof globalThis, proto: object | null): TransferKind {
  for (const kind of KINDS) {
    const ctor = (g as unknown as Record<string, { prototype?: object } | undefined>)[kind];
    if (ctor && ctor.prototype === proto) return kind;
  }
  return 'other';
}

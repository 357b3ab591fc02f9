// Byte arithmetic shared by transfer-not-in-message and large-copy.
import type { MessageRecord } from '../protocol/session';

/**
 * Bytes of ArrayBuffers in the transfer list, or null when one has an unknown size or the
 * send was not seen (then the transfer list itself is unknown).
 */
export function transferredBufferBytes(m: MessageRecord): number | null {
  if (m.sentAt === null) return null;
  let sum = 0;
  for (const t of m.transfer) {
    if (t.kind !== 'ArrayBuffer') continue;
    if (t.bytes === null) return null;
    sum += t.bytes;
  }
  return sum;
}

/** Bytes of distinct ArrayBuffers the receiver got, when both ends were seen. */
export function receivedBufferBytes(m: MessageRecord): number | null {
  if (m.type !== 'message' || m.deliveredAt === null || m.sentAt === null) return null;
  const b = m.bufferBytes;
  return typeof b === 'number' && Number.isFinite(b) ? b : null;
}

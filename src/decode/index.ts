// The protocol decoders, tried in order; the first that recognises a message wins.
// A new decoder is one file plus one line here.

import { comlink } from './comlink';
import { jsonrpc } from './jsonrpc';
import { penpal } from './penpal';
import { postRobot } from './post-robot';
import type { DecodedCall, Decoder } from './types';
import { sampleToCallValue } from './value';
import { parseSample } from '../protocol/sample';

export const DECODERS: readonly Decoder[] = [comlink, penpal, postRobot, jsonrpc];

/** The call a message's data stands for, or null (unknown messages stay raw). Never throws. */
export function decodeValue(value: unknown, decoders: readonly Decoder[] = DECODERS): DecodedCall | null {
  for (const d of decoders) {
    try {
      const c = d.decode(value);
      if (c) return c;
    } catch {
      // A decoder must not break recording on odd data: treat it as not recognised.
    }
  }
  return null;
}

/** Decodes MessageRecord.sample (the JSON text of a Sample); null when absent or unknown. */
export function decodeSample(sample: string | null | undefined, decoders: readonly Decoder[] = DECODERS): DecodedCall | null {
  const s = parseSample(sample);
  if (s === undefined) return null;
  let value: unknown;
  try {
    value = sampleToCallValue(s);
  } catch {
    return null; // a malformed sample (say, a bigint that is not digits)
  }
  return decodeValue(value, decoders);
}

export type { CallRole, DecodedCall, Decoder } from './types';
export { PORT } from './value';

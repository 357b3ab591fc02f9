// The protocol decoders, tried in order; the first that recognises a message wins.
// A new decoder is one file plus one line here.

import { comlink } from './comlink';
import { jsonrpc } from './jsonrpc';
import { penpal } from './penpal';
import { postRobot } from './post-robot';
import type { DecodedCall, Decoder } from './types';
import { sampleToCallValue } from './value';
import { parseSample, type Sample } from '../protocol/sample';

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

/** Decodes a receiver's Sample: only the decoders whose sniff lets it through see its value. */
export function decodeParsedSample(s: Sample, decoders: readonly Decoder[] = DECODERS): DecodedCall | null {
  let candidates: Decoder[] | null = null;
  for (const d of decoders) {
    let maybe = true;
    try {
      maybe = !d.sniff || d.sniff(s);
    } catch {
      maybe = false;
    }
    if (maybe) (candidates ??= []).push(d);
  }
  if (!candidates) return null;
  let value: unknown;
  try {
    value = sampleToCallValue(s);
  } catch {
    return null; // a malformed sample (say, a bigint that is not digits)
  }
  return decodeValue(value, candidates);
}

/** Decodes MessageRecord.sample (the JSON text of a Sample); null when absent or unknown. */
export function decodeSample(sample: string | null | undefined, decoders: readonly Decoder[] = DECODERS): DecodedCall | null {
  const s = parseSample(sample);
  return s === undefined ? null : decodeParsedSample(s, decoders);
}

export type { CallRole, DecodedCall, Decoder } from './types';
export { PORT } from './value';

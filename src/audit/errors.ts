// Reads the error a postMessage threw, as the aggregation stores it: "Name: message".
// Engines word DataCloneError differently (docs/engine-differences.md); what matters here
// is whether the value was already detached by an earlier transfer.

export interface SendError {
  name: string;
  message: string;
}

export function parseError(reason: string | null): SendError | null {
  if (!reason) return null;
  const i = reason.indexOf(': ');
  if (i < 0) return { name: reason, message: '' };
  return { name: reason.slice(0, i), message: reason.slice(i + 2) };
}

// Chromium: "is detached", "already detached", "already neutered"; Firefox: "attempting to
// access detached ArrayBuffer", "ArrayBuffer object could not be cloned." (a detached one is
// the only ArrayBuffer it cannot clone); the model's spec profile: "a detached ArrayBuffer".
const DETACHED = /detached|neutered|^ArrayBuffer object could not be cloned/i;

/** A DataCloneError caused by a buffer or port that a transfer had already detached. */
export function isDetachedError(e: SendError): boolean {
  return e.name === 'DataCloneError' && DETACHED.test(e.message);
}
